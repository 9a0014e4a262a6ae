/**
 * Turns one logical line into an Instruction: keyword, flags, and arguments
 * split the way Docker's parser splits them for that instruction
 * (BuildKit's splitCommand plus its per-instruction line parsers).
 */

import { asciiUpperCase, isUnicodeSpace, isWordSeparator, skipUnicodeSpaces, trimUnicodeSpacesEnd } from './characters';
import { extractFlags, type FlagsEnd } from './flags';
import { splitImageReference } from './imageRef';
import { scanJsonArray } from './jsonArgs';
import type { LogicalLine } from './logicalLine';
import { NONE } from './none';
import type { Instruction, InstructionFlag, JsonArrayArgs, KeyValuePair, ParseProblem, TextRange, Token } from './types';
import { splitQuotedWords, splitWhitespaceDelimited } from './words';

export const KNOWN_INSTRUCTIONS = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK',
  'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
] as const;

export type InstructionName = (typeof KNOWN_INSTRUCTIONS)[number];

/**
 * Known keywords by length and first letter, so a keyword is recognised where
 * it is written, without a string cut out of the line and hashed for a lookup
 * (only ADD and ARG share a slot). A known keyword's `name` is the one 'RUN'
 * string of this module (every rule compares `instruction.name` with literals,
 * and a shared string compares by identity at once), and so is its `keyword`
 * when written in capitals.
 */
const KNOWN_BY_SHAPE: string[][] = [];
for (const name of KNOWN_INSTRUCTIONS) (KNOWN_BY_SHAPE[shapeOf(name.length, name.charCodeAt(0))] ??= []).push(name);

/** A slot for a keyword's length and first letter (either case). */
function shapeOf(length: number, firstCode: number): number {
  return length * 32 + (firstCode & 31);
}

/**
 * Known keywords by their first capital letter (`code - 65`), the most used of
 * a letter first: a keyword written in capitals is recognised at the start of
 * the line, before the line is scanned for where the keyword ends.
 */
const CAPITALS_BY_LETTER: string[][] = [];
for (const name of new Set<InstructionName>(['ARG', 'COPY', 'ENV', ...KNOWN_INSTRUCTIONS])) (CAPITALS_BY_LETTER[name.charCodeAt(0) - 65] ??= []).push(name);

/** The known instruction written in capitals at `start` and followed by a word separator or `end`; else undefined. */
function capitalKeywordAt(text: string, start: number, end: number): string | undefined {
  const candidates = CAPITALS_BY_LETTER[text.charCodeAt(start) - 65];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const name = candidates[i]!;
    const after = start + name.length;
    if (after > end || (after < end && !isWordSeparator(text.charCodeAt(after)))) continue;
    let j = 1;
    while (j < name.length && text.charCodeAt(start + j) === name.charCodeAt(j)) j++;
    if (j === name.length) return name;
  }
  return undefined;
}

/** The known instruction [start, end) of `text` names in any ASCII case; else undefined. */
function knownInstruction(text: string, start: number, end: number): string | undefined {
  if (end - start > 11) return undefined; // HEALTHCHECK is the longest
  const candidates = KNOWN_BY_SHAPE[shapeOf(end - start, text.charCodeAt(start))];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) if (spellsInAnyCase(text, start, candidates[i]!)) return candidates[i];
  return undefined;
}

/** Whether `text` from `start` spells the upper-case `name` in any ASCII case. */
function spellsInAnyCase(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = text.charCodeAt(start + i);
    const upper = name.charCodeAt(i);
    if (code !== upper && code !== upper + 32) return false;
  }
  return true;
}

/** ONBUILD triggers nest recursively; Docker rejects nesting later, we stop early to bound work. */
const MAX_ONBUILD_DEPTH = 8;

/** Stands for a top-level instruction's range until the parser, which knows where its last line ends, sets it. */
const RANGE_SET_BY_PARSER: TextRange = { start: 0, end: 0 };

/** Word bounds from words.ts, reused by every instruction (each is turned into tokens before the next split). */
const WORDS: number[] = [];
/** Where each quote-aware word's first `=` is (-1 for none), from words.ts alongside `WORDS`. */
const EQUALS: number[] = [];
/** Tokens and pairs made for the current instruction, copied out in arrays of the right length (an array grown by pushes keeps room for more, several times what a short list needs). */
const TOKENS: Token[] = [];
const PAIRS: KeyValuePair[] = [];
const FLAGS_END: FlagsEnd = { argsStart: 0 };
/** Scratch arrays are kept between instructions up to this many items. */
const SCRATCH_KEPT = 1024;

export interface InstructionParseContext {
  escapeChar: string;
  problems: ParseProblem[];
}

/**
 * Parses logical [start, end) of `logical.text` as an instruction. Comments,
 * heredocs and variables are filled in by the caller, and so is the `range`
 * of a top-level instruction (`depth` 0).
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
  // Keywords are mostly written in capitals: the module's own string is then the keyword too.
  const capitals = lineStart < lineEnd ? capitalKeywordAt(text, lineStart, lineEnd) : undefined;
  let keywordEnd = lineStart;
  if (capitals !== undefined) keywordEnd += capitals.length;
  else while (keywordEnd < lineEnd && !isWordSeparator(text.charCodeAt(keywordEnd))) keywordEnd++;

  let flags: InstructionFlag[] = NONE;
  // The separators after the keyword, then any Unicode spaces (BuildKit trims the rest): one skip, as separators are such spaces.
  let argsStart = skipUnicodeSpaces(text, keywordEnd, lineEnd);
  if (argsStart + 1 < lineEnd && text.charCodeAt(argsStart) === 0x2d && text.charCodeAt(argsStart + 1) === 0x2d) {
    flags = extractFlags(logical, argsStart, lineEnd, FLAGS_END);
    argsStart = skipUnicodeSpaces(text, FLAGS_END.argsStart, lineEnd);
  }
  const known = capitals ?? knownInstruction(text, lineStart, keywordEnd);
  const keyword = capitals ?? text.slice(lineStart, keywordEnd);

  const instruction: Instruction = {
    name: known ?? asciiUpperCase(keyword),
    keyword,
    keywordRange: logical.sourceRange(lineStart, keywordEnd),
    known: known !== undefined,
    range: depth === 0 ? RANGE_SET_BY_PARSER : logical.sourceRange(lineStart, lineEnd),
    logical,
    logicalRange: { start: lineStart, end: lineEnd },
    argsText: argsStart < lineEnd ? text.slice(argsStart, lineEnd) : '',
    flags,
    args: NONE,
    heredocs: NONE,
    variables: NONE,
    comments: NONE,
    innerComments: NONE,
    emptyContinuationLines: NONE,
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

  parseArguments(instruction, context, argsStart, lineEnd, depth);
  return instruction;
}

/**
 * A token for logical [start, end) of the instruction's line; when that is all
 * of its arguments, it shares the instruction's `argsText` and `argsRange`
 * (RUN, USER, WORKDIR… in shell form are one such token) instead of making
 * equal ones.
 */
function argToken(instruction: Instruction, start: number, end: number): Token {
  if (isAllArguments(instruction, start, end)) return { value: instruction.argsText, range: instruction.argsRange!, logicalRange: { start, end } };
  return instruction.logical.token(start, end);
}

/** The document range of logical [start, end), shared with the instruction's `argsRange` when that is all of its arguments. */
function argRange(instruction: Instruction, start: number, end: number): TextRange {
  return isAllArguments(instruction, start, end) ? instruction.argsRange! : instruction.logical.sourceRange(start, end);
}

function isAllArguments(instruction: Instruction, start: number, end: number): boolean {
  return end === instruction.logicalRange.end && end - start === instruction.argsText.length && instruction.argsRange !== undefined;
}

/** Tokens for the first `count` word bounds in `WORDS`. */
function wordTokens(instruction: Instruction, count: number): Token[] {
  // Most lists are this short: made in place, as a new token stored in the long-lived scratch array costs a write barrier.
  if (count === 1) return [argToken(instruction, WORDS[0]!, WORDS[1]!)];
  if (count === 2) {
    const first = argToken(instruction, WORDS[0]!, WORDS[1]!);
    return [first, argToken(instruction, WORDS[2]!, WORDS[3]!)];
  }
  for (let i = 0; i < count; i++) TOKENS[i] = argToken(instruction, WORDS[2 * i]!, WORDS[2 * i + 1]!);
  if (count > SCRATCH_KEPT) WORDS.length = 0;
  return copyOut(TOKENS, count);
}

/** The first `count` items of a scratch array, in an array of their own. */
function copyOut<T>(scratch: T[], count: number): T[] {
  // Most lists are this short: a literal is cheaper than a call to slice.
  if (count === 1) return [scratch[0]!];
  if (count === 2) return [scratch[0]!, scratch[1]!];
  if (count === 3) return [scratch[0]!, scratch[1]!, scratch[2]!];
  const items = scratch.slice(0, count);
  // A line of thousands of words: do not hold on to that much scratch space.
  if (count > SCRATCH_KEPT) scratch.length = 0;
  return items;
}

function problem(context: InstructionParseContext, code: ParseProblem['code'], message: string, range: TextRange): void {
  context.problems.push({ code, message, range, severity: 'error' });
}

function parseArguments(instruction: Instruction, context: InstructionParseContext, start: number, end: number, depth: number): void {
  switch (instruction.name) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
      instruction.args = maybeJson(instruction, context, start, end, false);
      break;
    case 'COPY':
    case 'ADD':
    case 'VOLUME':
      instruction.args = maybeJson(instruction, context, start, end, true);
      break;
    case 'ENV':
    case 'LABEL':
      nameValuePairs(instruction, context, start, end);
      break;
    case 'ARG':
      argDeclarations(instruction, context, start, end);
      break;
    case 'FROM':
      instruction.args = whitespaceWords(instruction, start, end);
      fromDetails(instruction);
      break;
    case 'MAINTAINER':
    case 'STOPSIGNAL':
    case 'USER':
    case 'WORKDIR':
      instruction.args = start < end ? [argToken(instruction, start, end)] : NONE;
      break;
    case 'HEALTHCHECK':
      healthcheck(instruction, context, start, end);
      break;
    case 'ONBUILD':
      onbuild(instruction, context, start, end, depth);
      break;
    default:
      // EXPOSE, and unknown instructions (Docker ignores their arguments;
      // words are still handy for editor features).
      instruction.args = whitespaceWords(instruction, start, end);
  }
}

function whitespaceWords(instruction: Instruction, start: number, end: number): Token[] {
  const count = splitWhitespaceDelimited(instruction.logical.text, start, end, WORDS);
  return count === 0 ? NONE : wordTokens(instruction, count);
}

/**
 * JSON exec form when the arguments are a JSON array of strings; otherwise
 * the shell form: one string, or whitespace-separated words (`asList`).
 */
function maybeJson(instruction: Instruction, context: InstructionParseContext, start: number, end: number, asList: boolean): Token[] {
  const logical = instruction.logical;
  const text = logical.text;
  instruction.form = 'shell';
  if (start >= end) return NONE;
  if (text.charCodeAt(start) === 0x5b /* [ */) {
    const scan = scanJsonArray(text, start, end);
    const elements = scan.elements.map((element) => logical.token(element.start, element.end, element.value));
    // A complete array followed by more text: BuildKit decodes with json.Unmarshal,
    // which rejects anything after the value (a syntax error, checked before the
    // element types), so Docker uses the shell form.
    const complete = scan.valid || scan.nonStringElement;
    const trailingStart = complete ? skipUnicodeSpaces(text, scan.end, end) : end;
    const trailing = trailingStart < end;
    const valid = scan.valid && !trailing;
    const json: JsonArrayArgs = {
      valid,
      elements,
      // Malformed JSON runs to the end of the arguments, as Docker then reads them all as shell form.
      range: logical.sourceRange(start, valid ? scan.end : end),
    };
    instruction.json = json;
    if (trailing) {
      json.trailing = logical.token(trailingStart, end);
      json.error = `invalid character ${goQuoteChar(text[trailingStart]!)} after top-level value`;
      json.errorRange = logical.sourceRange(trailingStart, trailingStart + 1);
      return asList ? whitespaceWords(instruction, start, end) : [argToken(instruction, start, end)];
    }
    if (scan.error !== undefined) json.error = scan.error;
    if (scan.errorStart !== undefined && scan.errorEnd !== undefined) {
      json.errorRange = logical.sourceRange(scan.errorStart, scan.errorEnd);
    }
    if (valid) {
      instruction.form = 'exec';
      return elements;
    }
    if (scan.nonStringElement) {
      json.nonStringElement = true;
      problem(context, 'json-not-string-array', 'when using JSON array syntax, arrays must be comprised of strings only', json.range);
    }
  }
  return asList ? whitespaceWords(instruction, start, end) : [argToken(instruction, start, end)];
}

/** ENV and LABEL: `k=v k2="v 2"`, or the legacy `k v...` when the first word has no `=`. */
function nameValuePairs(instruction: Instruction, context: InstructionParseContext, start: number, end: number): void {
  const logical = instruction.logical;
  const text = logical.text;
  const count = splitQuotedWords(text, start, end, context.escapeChar, WORDS, EQUALS);
  if (count === 0) {
    instruction.keyValues = NONE;
    return;
  }
  if (EQUALS[0]! < 0) {
    if (count > SCRATCH_KEPT) WORDS.length = EQUALS.length = 0;
    instruction.keyValueForm = 'legacy';
    let keyEnd = start;
    while (keyEnd < end && !isWordSeparator(text.charCodeAt(keyEnd))) keyEnd++;
    let valueStart = keyEnd;
    while (valueStart < end && isWordSeparator(text.charCodeAt(valueStart))) valueStart++;
    const key = argToken(instruction, start, keyEnd);
    if (keyEnd >= end) {
      instruction.args = [key];
      instruction.keyValues = [{ key, range: key.range, logicalRange: key.logicalRange }];
      problem(context, 'missing-value', `${instruction.name} must have two arguments`, key.range);
      return;
    }
    const value = logical.token(valueStart, end);
    instruction.args = [key, value];
    // Fields in the order `keyValue` gives its pairs (value last), so that rules see pairs of one shape.
    instruction.keyValues = [{ key, range: argRange(instruction, start, end), logicalRange: { start, end }, value }];
    return;
  }
  instruction.keyValueForm = 'equals';
  const args = wordTokens(instruction, count);
  instruction.args = args;
  instruction.keyValues = keyValues(instruction, context, args, true);
}

/** ARG: `name` or `name=default`, several per instruction. */
function argDeclarations(instruction: Instruction, context: InstructionParseContext, start: number, end: number): void {
  const count = splitQuotedWords(instruction.logical.text, start, end, context.escapeChar, WORDS, EQUALS);
  instruction.keyValueForm = 'equals';
  if (count === 0) {
    instruction.keyValues = NONE;
    return;
  }
  const args = wordTokens(instruction, count);
  instruction.args = args;
  instruction.keyValues = keyValues(instruction, context, args, false);
}

/** The pairs of the quote-aware words `args` (their `=` in `EQUALS`); a word without `=` is a problem when `valueRequired` (ENV, LABEL). */
function keyValues(instruction: Instruction, context: InstructionParseContext, args: Token[], valueRequired: boolean): KeyValuePair[] {
  const count = args.length;
  // As in wordTokens: short lists in place, longer ones through the scratch array.
  if (count === 1) return [keyValueAt(instruction, context, args, 0, valueRequired)];
  if (count === 2) {
    const first = keyValueAt(instruction, context, args, 0, valueRequired);
    return [first, keyValueAt(instruction, context, args, 1, valueRequired)];
  }
  for (let i = 0; i < count; i++) PAIRS[i] = keyValueAt(instruction, context, args, i, valueRequired);
  if (count > SCRATCH_KEPT) EQUALS.length = 0;
  return copyOut(PAIRS, count);
}

function keyValueAt(instruction: Instruction, context: InstructionParseContext, args: Token[], index: number, valueRequired: boolean): KeyValuePair {
  const pair = keyValue(instruction, args[index]!, EQUALS[index]!);
  if (valueRequired && !pair.value) {
    problem(context, 'missing-equals', `Syntax error - can't find = in "${args[index]!.value}". Must be of the form: name=value`, pair.range);
  }
  return pair;
}

/** Splits a `key=value` word at `equals`, its first `=` (-1: none); the pair shares the word's (immutable) ranges, and a word without `=` is its own key. */
function keyValue(instruction: Instruction, word: Token, equals: number): KeyValuePair {
  const { start: wordStart, end: wordEnd } = word.logicalRange;
  const pair: KeyValuePair = {
    key: equals < 0 ? word : instruction.logical.token(wordStart, equals),
    range: word.range,
    logicalRange: word.logicalRange,
  };
  if (equals >= 0) pair.value = instruction.logical.token(equals + 1, wordEnd);
  return pair;
}

/** FROM [--platform=...] image [AS name] */
function fromDetails(instruction: Instruction): void {
  const logical = instruction.logical;
  const from: NonNullable<Instruction['from']> = {};
  instruction.from = from;
  for (const flag of instruction.flags) {
    if (flag.name === 'platform') {
      from.platform = flag;
      break;
    }
  }
  // `FROM --platform linux/amd64 alpine`: Docker refuses the flag without its value; the image is the
  // word after the one meant as that value, as the rules should read it (invalid-flag-value says the rest).
  const flags = instruction.flags;
  const args = instruction.args;
  const platformValueMissing = args.length >= 2 && flags.length > 0 && flags[flags.length - 1] === from.platform && from.platform.value === undefined;
  const first = platformValueMissing ? 1 : 0;
  const image = args[first];
  const asKeyword = args[first + 1];
  const stageName = args[first + 2];
  if (!image) return;
  from.image = image;
  const parts = splitImageReference(image.value);
  const base = image.logicalRange.start;
  // Without tag or digest the name is the whole word: the image token itself.
  from.imageName = parts.name[1] === image.value.length ? image : logical.token(base + parts.name[0], base + parts.name[1]);
  if (parts.tag) from.imageTag = logical.token(base + parts.tag[0], base + parts.tag[1]);
  if (parts.digest) from.imageDigest = logical.token(base + parts.digest[0], base + parts.digest[1]);
  if (asKeyword && isAs(asKeyword.value)) {
    from.asKeyword = asKeyword;
    if (stageName) from.stageName = stageName;
  }
}

/** Whether `word` is `AS` in any ASCII case, without a lower-cased copy made to compare. */
function isAs(word: string): boolean {
  return word.length === 2 && (word.charCodeAt(0) | 0x20) === 0x61 && (word.charCodeAt(1) | 0x20) === 0x73;
}

/** HEALTHCHECK [flags] CMD command | NONE */
function healthcheck(instruction: Instruction, context: InstructionParseContext, start: number, end: number): void {
  const text = instruction.logical.text;
  instruction.healthcheck = { command: NONE };
  if (start >= end) return;
  let typeEnd = start;
  while (typeEnd < end && !isUnicodeSpace(text.charCodeAt(typeEnd))) typeEnd++;
  const type = argToken(instruction, start, typeEnd);
  instruction.healthcheck.type = type;
  const commandStart = skipUnicodeSpaces(text, typeEnd, end);
  const command = commandStart < end ? maybeJson(instruction, context, commandStart, end, false) : NONE;
  instruction.healthcheck.command = command;
  instruction.args = command.length === 1 ? [type, command[0]!] : [type, ...command];
}

/** ONBUILD: the rest is an instruction of its own. */
function onbuild(instruction: Instruction, context: InstructionParseContext, start: number, end: number, depth: number): void {
  if (start >= end) return;
  instruction.args = [argToken(instruction, start, end)];
  if (depth >= MAX_ONBUILD_DEPTH) {
    problem(context, 'onbuild-too-deep', 'ONBUILD triggers nested too deeply', instruction.logical.sourceRange(start, end));
    return;
  }
  instruction.trigger = parseInstructionText(instruction.logical, start, end, context, depth + 1);
}

/** A character as Go's encoding/json quotes it in a syntax error message. */
function goQuoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  const quoted = JSON.stringify(char);
  return `'${quoted.slice(1, -1)}'`;
}
