/**
 * Turns one logical line into an Instruction: keyword, flags, and arguments
 * split the way Docker's parser splits them for that instruction
 * (BuildKit's splitCommand plus its per-instruction line parsers).
 */

import {
  asciiUpperCase,
  isUnicodeSpace,
  isWordSeparator,
  skipUnicodeSpaces,
  trimUnicodeSpacesEnd,
} from './characters';
import { extractFlags, type RawFlag } from './flags';
import { splitImageReference } from './imageRef';
import { scanJsonArray } from './jsonArgs';
import type { LogicalLine } from './logicalLine';
import type { Instruction, InstructionFlag, JsonArrayArgs, KeyValuePair, ParseProblem, Token } from './types';
import { splitQuotedWords, splitWhitespaceDelimited, type Span } from './words';

export const KNOWN_INSTRUCTIONS = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK',
  'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
] as const;

export type InstructionName = (typeof KNOWN_INSTRUCTIONS)[number];

const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN_INSTRUCTIONS);
/**
 * A known keyword as written (`RUN`, `run`, `Run`…) to the one 'RUN' string of this module: every rule
 * compares `instruction.name` with literals, and a shared string compares by identity at once.
 */
const CANONICAL_NAMES = new Map<string, string>(KNOWN_INSTRUCTIONS.map((name) => [name, name]));

function instructionName(keyword: string): string {
  const known = CANONICAL_NAMES.get(keyword);
  if (known !== undefined) return known;
  const upper = asciiUpperCase(keyword);
  return CANONICAL_NAMES.get(upper) ?? upper;
}

/** ONBUILD triggers nest recursively; Docker rejects nesting later, we stop early to bound work. */
const MAX_ONBUILD_DEPTH = 8;

export interface InstructionParseContext {
  escapeChar: string;
  problems: ParseProblem[];
}

/**
 * Parses logical [start, end) of `logical.text` as an instruction. Document
 * ranges, comments, heredocs and variables are filled in by the caller.
 */
export function parseInstructionText(
  logical: LogicalLine,
  start: number,
  end: number,
  context: InstructionParseContext,
  depth = 0,
): Instruction {
  const text = logical.text;
  const lineStart = skipUnicodeSpaces(text, start, end);
  const lineEnd = trimUnicodeSpacesEnd(text, lineStart, end);
  let keywordEnd = lineStart;
  while (keywordEnd < lineEnd && !isWordSeparator(text.charCodeAt(keywordEnd))) keywordEnd++;
  let restStart = keywordEnd;
  while (restStart < lineEnd && isWordSeparator(text.charCodeAt(restStart))) restStart++;

  const extracted = restStart < lineEnd ? extractFlags(text, restStart, lineEnd) : { flags: [], argsStart: lineEnd };
  const argsStart = skipUnicodeSpaces(text, extracted.argsStart, lineEnd);
  const keyword = text.slice(lineStart, keywordEnd);
  const name = instructionName(keyword);

  const instruction: Instruction = {
    name,
    keyword,
    keywordRange: logical.sourceRange(lineStart, keywordEnd),
    known: KNOWN_SET.has(name),
    range: logical.sourceRange(lineStart, lineEnd),
    logical,
    logicalRange: { start: lineStart, end: lineEnd },
    argsText: text.slice(argsStart, lineEnd),
    flags: extracted.flags.map((flag) => toInstructionFlag(logical, flag)),
    args: [],
    heredocs: [],
    variables: [],
    comments: [],
    innerComments: [],
    emptyContinuationLines: [],
    // Every optional field present from the start, in the order relocate.ts copies them: one object
    // shape for every instruction keeps the rules' property reads monomorphic.
    argsRange: argsStart < lineEnd ? logical.sourceRange(argsStart, lineEnd) : undefined,
    form: undefined,
    json: undefined,
    keyValues: undefined,
    keyValueForm: undefined,
    from: undefined,
    healthcheck: undefined,
    trigger: undefined,
  };

  const parser = new ArgumentParser(logical, instruction, context);
  parser.parse(argsStart, lineEnd, depth);
  return instruction;
}

function toInstructionFlag(logical: LogicalLine, flag: RawFlag): InstructionFlag {
  const result: InstructionFlag = {
    name: flag.name,
    range: logical.sourceRange(flag.wordStart, flag.wordEnd),
    logicalRange: { start: flag.wordStart, end: flag.wordEnd },
    nameRange: logical.sourceRange(flag.nameStart, flag.nameEnd),
  };
  if (flag.value !== undefined && flag.valueStart !== undefined && flag.valueEnd !== undefined) {
    result.value = flag.value;
    result.rawValue = logical.text.slice(flag.valueStart, flag.valueEnd);
    result.valueRange = logical.sourceRange(flag.valueStart, flag.valueEnd);
    result.valueLogicalRange = { start: flag.valueStart, end: flag.valueEnd };
  }
  return result;
}

class ArgumentParser {
  private readonly text: string;

  constructor(
    private readonly logical: LogicalLine,
    private readonly instruction: Instruction,
    private readonly context: InstructionParseContext,
  ) {
    this.text = logical.text;
  }

  parse(start: number, end: number, depth: number): void {
    const instruction = this.instruction;
    switch (instruction.name) {
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'SHELL':
        instruction.args = this.maybeJson(start, end, false);
        break;
      case 'COPY':
      case 'ADD':
      case 'VOLUME':
        instruction.args = this.maybeJson(start, end, true);
        break;
      case 'ENV':
      case 'LABEL':
        this.nameValuePairs(start, end);
        break;
      case 'ARG':
        this.argDeclarations(start, end);
        break;
      case 'FROM':
        instruction.args = this.whitespaceWords(start, end);
        this.fromDetails();
        break;
      case 'MAINTAINER':
      case 'STOPSIGNAL':
      case 'USER':
      case 'WORKDIR':
        instruction.args = start < end ? [this.logical.token(start, end)] : [];
        break;
      case 'HEALTHCHECK':
        this.healthcheck(start, end);
        break;
      case 'ONBUILD':
        this.onbuild(start, end, depth);
        break;
      default:
        // EXPOSE, and unknown instructions (Docker ignores their arguments;
        // words are still handy for editor features).
        instruction.args = this.whitespaceWords(start, end);
    }
  }

  private whitespaceWords(start: number, end: number): Token[] {
    return this.tokens(splitWhitespaceDelimited(this.text, start, end));
  }

  private tokens(spans: Span[]): Token[] {
    return spans.map(([spanStart, spanEnd]) => this.logical.token(spanStart, spanEnd));
  }

  /**
   * JSON exec form when the arguments are a JSON array of strings; otherwise
   * the shell form: one string, or whitespace-separated words (`asList`).
   */
  private maybeJson(start: number, end: number, asList: boolean): Token[] {
    const instruction = this.instruction;
    instruction.form = 'shell';
    if (start >= end) return [];
    if (this.text.charCodeAt(start) === 0x5b /* [ */) {
      const scan = scanJsonArray(this.text, start, end);
      const elements = scan.elements.map((element) => this.logical.token(element.start, element.end, element.value));
      // A complete array followed by more text: BuildKit decodes with json.Unmarshal,
      // which rejects anything after the value (a syntax error, checked before the
      // element types), so Docker uses the shell form.
      const complete = scan.valid || scan.nonStringElement;
      const trailingStart = complete ? skipUnicodeSpaces(this.text, scan.end, end) : end;
      const trailing = trailingStart < end;
      const valid = scan.valid && !trailing;
      const json: JsonArrayArgs = {
        valid,
        elements,
        // Malformed JSON runs to the end of the arguments, as Docker then reads them all as shell form.
        range: this.logical.sourceRange(start, valid ? scan.end : end),
      };
      instruction.json = json;
      if (trailing) {
        json.trailing = this.logical.token(trailingStart, end);
        json.error = `invalid character ${goQuoteChar(this.text[trailingStart]!)} after top-level value`;
        json.errorRange = this.logical.sourceRange(trailingStart, trailingStart + 1);
        return asList ? this.whitespaceWords(start, end) : [this.logical.token(start, end)];
      }
      if (scan.error !== undefined) json.error = scan.error;
      if (scan.errorStart !== undefined && scan.errorEnd !== undefined) {
        json.errorRange = this.logical.sourceRange(scan.errorStart, scan.errorEnd);
      }
      if (valid) {
        instruction.form = 'exec';
        return elements;
      }
      if (scan.nonStringElement) {
        json.nonStringElement = true;
        this.context.problems.push({
          code: 'json-not-string-array',
          message: 'when using JSON array syntax, arrays must be comprised of strings only',
          range: json.range,
          severity: 'error',
        });
      }
    }
    return asList ? this.whitespaceWords(start, end) : [this.logical.token(start, end)];
  }

  /** ENV and LABEL: `k=v k2="v 2"`, or the legacy `k v...` when the first word has no `=`. */
  private nameValuePairs(start: number, end: number): void {
    const instruction = this.instruction;
    const words = splitQuotedWords(this.text, start, end, this.context.escapeChar);
    instruction.keyValues = [];
    if (words.length === 0) return;
    const [firstStart, firstEnd] = words[0];
    if (this.indexOfEquals(firstStart, firstEnd) < 0) {
      instruction.keyValueForm = 'legacy';
      let keyEnd = start;
      while (keyEnd < end && !isWordSeparator(this.text.charCodeAt(keyEnd))) keyEnd++;
      let valueStart = keyEnd;
      while (valueStart < end && isWordSeparator(this.text.charCodeAt(valueStart))) valueStart++;
      const key = this.logical.token(start, keyEnd);
      if (keyEnd >= end) {
        instruction.args = [key];
        instruction.keyValues.push({ key, range: key.range, logicalRange: key.logicalRange });
        this.problem('missing-value', `${instruction.name} must have two arguments`, key.range);
        return;
      }
      const value = this.logical.token(valueStart, end);
      instruction.args = [key, value];
      instruction.keyValues.push({
        key,
        value,
        range: this.logical.sourceRange(start, end),
        logicalRange: { start, end },
      });
      return;
    }
    instruction.keyValueForm = 'equals';
    instruction.args = this.tokens(words);
    for (const word of instruction.args) {
      const pair = this.keyValue(word);
      instruction.keyValues.push(pair);
      if (!pair.value) {
        this.problem(
          'missing-equals',
          `Syntax error - can't find = in "${word.value}". Must be of the form: name=value`,
          pair.range,
        );
      }
    }
  }

  /** ARG: `name` or `name=default`, several per instruction. */
  private argDeclarations(start: number, end: number): void {
    const words = splitQuotedWords(this.text, start, end, this.context.escapeChar);
    this.instruction.keyValueForm = 'equals';
    this.instruction.args = this.tokens(words);
    this.instruction.keyValues = this.instruction.args.map((word) => this.keyValue(word));
  }

  /** Splits a `key=value` word; the pair shares the word's (immutable) ranges. */
  private keyValue(word: Token): KeyValuePair {
    const { start: wordStart, end: wordEnd } = word.logicalRange;
    const equals = this.indexOfEquals(wordStart, wordEnd);
    const pair: KeyValuePair = {
      key: this.logical.token(wordStart, equals < 0 ? wordEnd : equals),
      range: word.range,
      logicalRange: word.logicalRange,
    };
    if (equals >= 0) pair.value = this.logical.token(equals + 1, wordEnd);
    return pair;
  }

  /** First `=` in [start, end); a bounded scan keeps many-word instructions linear. */
  private indexOfEquals(start: number, end: number): number {
    for (let i = start; i < end; i++) if (this.text.charCodeAt(i) === 0x3d) return i;
    return -1;
  }

  /** FROM [--platform=...] image [AS name] */
  private fromDetails(): void {
    const instruction = this.instruction;
    const [image, asKeyword, stageName] = instruction.args;
    instruction.from = {};
    const platform = instruction.flags.find((flag) => flag.name === 'platform');
    if (platform) instruction.from.platform = platform;
    if (!image) return;
    instruction.from.image = image;
    const parts = splitImageReference(image.value);
    const base = image.logicalRange.start;
    instruction.from.imageName = this.logical.token(base + parts.name[0], base + parts.name[1]);
    if (parts.tag) instruction.from.imageTag = this.logical.token(base + parts.tag[0], base + parts.tag[1]);
    if (parts.digest) instruction.from.imageDigest = this.logical.token(base + parts.digest[0], base + parts.digest[1]);
    if (asKeyword && asKeyword.value.toLowerCase() === 'as') {
      instruction.from.asKeyword = asKeyword;
      if (stageName) instruction.from.stageName = stageName;
    }
  }

  /** HEALTHCHECK [flags] CMD command | NONE */
  private healthcheck(start: number, end: number): void {
    const instruction = this.instruction;
    instruction.healthcheck = { command: [] };
    if (start >= end) return;
    let typeEnd = start;
    while (typeEnd < end && !isUnicodeSpace(this.text.charCodeAt(typeEnd))) typeEnd++;
    const type = this.logical.token(start, typeEnd);
    instruction.healthcheck.type = type;
    const commandStart = skipUnicodeSpaces(this.text, typeEnd, end);
    const command = commandStart < end ? this.maybeJson(commandStart, end, false) : [];
    instruction.healthcheck.command = command;
    instruction.args = [type, ...command];
  }

  /** ONBUILD: the rest is an instruction of its own. */
  private onbuild(start: number, end: number, depth: number): void {
    const instruction = this.instruction;
    if (start >= end) return;
    instruction.args = [this.logical.token(start, end)];
    if (depth >= MAX_ONBUILD_DEPTH) {
      this.problem('onbuild-too-deep', 'ONBUILD triggers nested too deeply', this.logical.sourceRange(start, end));
      return;
    }
    instruction.trigger = parseInstructionText(this.logical, start, end, this.context, depth + 1);
  }

  private problem(code: ParseProblem['code'], message: string, range: Token['range']): void {
    this.context.problems.push({ code, message, range, severity: 'error' });
  }
}

/** A character as Go's encoding/json quotes it in a syntax error message. */
function goQuoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  const quoted = JSON.stringify(char);
  return `'${quoted.slice(1, -1)}'`;
}
