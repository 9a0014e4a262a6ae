/**
 * Semantic tokens for Dockerfiles, from the parsed model (no re-parsing):
 *
 * | what                                             | type        | modifiers                        |
 * | ------------------------------------------------ | ----------- | -------------------------------- |
 * | instruction keywords, `AS`, HEALTHCHECK CMD/NONE | keyword     |                                  |
 * | `--flag` names                                   | parameter   |                                  |
 * | flag values                                      | string      |                                  |
 * | `--mount` option keys                            | property    |                                  |
 * | `=` in flags and pairs, `,` in `--mount`, `<<`,  | operator    |                                  |
 * |   `${NAME:-...}` modifiers                       |             |                                  |
 * | ARG / ENV names where declared                   | variable    | declaration (+ defaultLibrary,   |
 * |                                                  |             |   readonly for predefined ARGs)  |
 * | `$NAME` / `${NAME}` references                   | variable    | defaultLibrary for predefined    |
 * |                                                  |             |   ARGs, readonly for platform    |
 * |                                                  |             |   ones (TARGETARCH...)           |
 * | LABEL keys                                       | property    | declaration                      |
 * | stage names                                      | class       | declaration after `AS`           |
 * | base images (name without tag), `--from=image`   | namespace   | defaultLibrary for `scratch`     |
 * | quoted values, JSON strings, heredoc delimiters, | string      |                                  |
 * |   parser directive values                        |             |                                  |
 * | comments                                         | comment     |                                  |
 * | parser directive names (`# syntax`)              | macro       |                                  |
 *
 * Shell scripts (RUN/CMD/ENTRYPOINT shell form, heredoc bodies) are left to
 * the TextMate grammar, apart from variable references.
 *
 * Tokens may nest while collected (a variable inside a quoted value); the
 * innermost one wins, and the outer one is cut around it. Tokens are then
 * split at line breaks (a word continued with the escape character becomes
 * one token per line, skipping the escape character and comment lines in
 * between) and encoded as LSP's relative five-integer groups.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { predefinedArg, type DockerfileModel, type Instruction, type InstructionFlag, type PredefinedArg, type StageReference, type TextRange } from '../dockerfile';

export const SEMANTIC_TOKEN_TYPES = [
  'keyword',
  'comment',
  'string',
  'variable',
  'parameter',
  'property',
  'operator',
  'class',
  'namespace',
  'macro',
] as const;

export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/** The legend to advertise in `semanticTokensProvider.legend`. */
export const DOCKERFILE_SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

const T_KEYWORD = 0;
const T_COMMENT = 1;
const T_STRING = 2;
const T_VARIABLE = 3;
const T_PARAMETER = 4;
const T_PROPERTY = 5;
const T_OPERATOR = 6;
const T_CLASS = 7;
const T_NAMESPACE = 8;
const T_MACRO = 9;

const M_DECLARATION = 1 << 0;
const M_READONLY = 1 << 1;
const M_DEFAULT_LIBRARY = 1 << 2;

/** All tokens of the document. */
export function dockerfileSemanticTokens(document: TextDocument, model: DockerfileModel): SemanticTokens {
  return { data: encode(document, model, collect(model, 0, Number.POSITIVE_INFINITY), 0, Number.POSITIVE_INFINITY) };
}

/** Tokens on the lines of `range` (whole tokens of the instructions it touches, clipped to its lines). */
export function dockerfileSemanticTokensRange(document: TextDocument, model: DockerfileModel, range: Range): SemanticTokens {
  const startLine = Math.max(0, range.start.line);
  const endLine = Math.max(startLine, range.end.line);
  const from = document.offsetAt({ line: startLine, character: 0 });
  const to = document.offsetAt({ line: endLine + 1, character: 0 });
  return { data: encode(document, model, collect(model, from, Math.max(to, from)), startLine, endLine) };
}

// ---- collecting -------------------------------------------------------

/**
 * The tokens as collected, in flat typed arrays rather than one object each
 * (a 2,000-line file has thousands): document offsets, possibly overlapping,
 * and `type | modifiers << 8`. Kept in document order, outer before inner,
 * then in collection order (later wins).
 */
class Collector {
  length = 0;
  starts: Int32Array;
  ends: Int32Array;
  kinds: Int32Array;
  /** Stage references by the document offset where their text starts. */
  readonly stageRefs = new Map<number, StageReference>();

  constructor(readonly model: DockerfileModel, capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.kinds = new Int32Array(capacity);
    for (const stage of model.stages) {
      for (const reference of stage.usedBy) this.stageRefs.set(reference.range.start, reference);
    }
  }

  add(start: number, end: number, type: number, modifiers = 0): void {
    if (end <= start) return;
    if (this.length === this.starts.length) this.grow();
    const i = this.length++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.kinds[i] = type | (modifiers << 8);
  }

  range(range: TextRange | undefined, type: number, modifiers = 0): void {
    if (range) this.add(range.start, range.end, type, modifiers);
  }

  private grow(): void {
    const capacity = this.starts.length * 2 + 16;
    const grown = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    this.kinds = grown(this.kinds);
  }

  /** Whether token `a` comes before token `b` (start, then the longer first); equal ones keep their order. */
  private before(a: number, b: number): boolean {
    const starts = this.starts;
    return starts[a] < starts[b] || (starts[a] === starts[b] && this.ends[a] > this.ends[b]);
  }

  /** Sorts the tokens from `from` on, stably (equal tokens keep collection order). */
  sortFrom(from: number): void {
    const count = this.length - from;
    if (count < 2) return;
    let sorted = true;
    for (let i = from + 1; i < this.length && sorted; i++) if (this.before(i, i - 1)) sorted = false;
    if (sorted) return;
    const { starts, ends, kinds } = this;
    if (count <= 32) {
      // Insertion sort: an instruction's tokens are few and nearly in order.
      for (let i = from + 1; i < this.length; i++) {
        const start = starts[i];
        const end = ends[i];
        const kind = kinds[i];
        let j = i - 1;
        while (j >= from && (starts[j] > start || (starts[j] === start && ends[j] < end))) {
          starts[j + 1] = starts[j];
          ends[j + 1] = ends[j];
          kinds[j + 1] = kinds[j];
          j--;
        }
        starts[j + 1] = start;
        ends[j + 1] = end;
        kinds[j + 1] = kind;
      }
      return;
    }
    // Many tokens (a long ENV or heredoc): sort a permutation; Array#sort is stable.
    const order = Array.from({ length: count }, (_, i) => from + i);
    order.sort((a, b) => starts[a] - starts[b] || ends[b] - ends[a] || a - b);
    const oldStarts = starts.slice(from, this.length);
    const oldEnds = ends.slice(from, this.length);
    const oldKinds = kinds.slice(from, this.length);
    for (let i = 0; i < count; i++) {
      const source = order[i] - from;
      starts[from + i] = oldStarts[source];
      ends[from + i] = oldEnds[source];
      kinds[from + i] = oldKinds[source];
    }
  }
}

function collect(model: DockerfileModel, from: number, to: number): Collector {
  const { ast } = model;
  // A few tokens a line: room for most files without growing.
  const collector = new Collector(model, 64 + (ast.text.length >> 3));
  const overlaps = (range: TextRange) => range.end >= from && range.start <= to;

  for (const directive of ast.directives) {
    if (!overlaps(directive.range)) continue;
    if (!directive.active) {
      collector.range(directive.range, T_COMMENT);
      continue;
    }
    collector.add(directive.range.start, directive.nameRange.end, T_MACRO);
    const equals = ast.text.indexOf('=', directive.nameRange.end);
    if (equals >= 0 && equals < directive.valueRange.start) collector.add(equals, equals + 1, T_OPERATOR);
    collector.range(directive.valueRange, T_STRING);
  }

  // Instructions are disjoint and in document order, and so are comments: tokens
  // are sorted per instruction (small sorts) and come out sorted overall.
  const comments = ast.comments;
  let nextComment = 0;
  const commentsBefore = (offset: number) => {
    for (; nextComment < comments.length && comments[nextComment].range.start < offset; nextComment++) {
      const comment = comments[nextComment];
      if (overlaps(comment.range)) collector.range(comment.range, T_COMMENT);
    }
  };
  const instructions = ast.instructions;
  const first = firstEndingAfter(instructions, from);
  // Directives may follow a `#!` comment line: sort the file's head as one group.
  commentsBefore(instructions[first]?.range.start ?? Number.POSITIVE_INFINITY);
  collector.sortFrom(0);
  for (let i = first; i < instructions.length; i++) {
    const instruction = instructions[i];
    if (instruction.range.start > to) break;
    commentsBefore(instruction.range.start);
    const groupStart = collector.length;
    instructionTokens(collector, instruction, instruction);
    commentsBefore(instruction.range.end);
    collector.sortFrom(groupStart);
  }
  commentsBefore(Number.POSITIVE_INFINITY);
  // Cheap insurance for the encoder, which needs document order.
  collector.sortFrom(0);
  return collector;
}

/** Index of the first instruction whose range ends at or after `offset` (ranges are sorted and disjoint). */
function firstEndingAfter(instructions: Instruction[], offset: number): number {
  let low = 0;
  let high = instructions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (instructions[mid].range.end < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `scope` is the top-level instruction, for variable lookups (an ONBUILD trigger resolves there). */
function instructionTokens(collector: Collector, instruction: Instruction, scope: Instruction): void {
  const { model } = collector;
  if (instruction.known) collector.range(instruction.keywordRange, T_KEYWORD);

  for (const flag of instruction.flags) flagTokens(collector, instruction, flag);

  switch (instruction.name) {
    case 'FROM': {
      const from = instruction.from;
      if (!from) break;
      const stage = model.stageOf(instruction);
      const basedOnStage = stage?.from === instruction && stage.base.stage !== undefined;
      if (from.imageName) {
        const scratch = from.imageName.value.toLowerCase() === 'scratch';
        collector.range(from.imageName.range, basedOnStage ? T_CLASS : T_NAMESPACE, scratch ? M_DEFAULT_LIBRARY : 0);
      }
      collector.range(from.asKeyword?.range, T_KEYWORD);
      collector.range(from.stageName?.range, T_CLASS, M_DECLARATION);
      break;
    }
    case 'ARG':
    case 'ENV':
    case 'LABEL': {
      const label = instruction.name === 'LABEL';
      for (const pair of instruction.keyValues ?? []) {
        let modifiers = M_DECLARATION;
        if (instruction.name === 'ARG') modifiers |= predefinedModifiers(predefinedArg(pair.key.value));
        collector.range(pair.key.range, label ? T_PROPERTY : T_VARIABLE, modifiers);
        if (pair.value && instruction.keyValueForm === 'equals') {
          const equals = pair.key.logicalRange.end;
          collector.range(instruction.logical.sourceRange(equals, equals + 1), T_OPERATOR);
        }
        if (pair.value && /["']/.test(pair.value.value)) collector.range(pair.value.range, T_STRING);
      }
      break;
    }
    case 'HEALTHCHECK': {
      const type = instruction.healthcheck?.type;
      if (type && /^(cmd|none)$/i.test(type.value)) collector.range(type.range, T_KEYWORD);
      break;
    }
    default:
      break;
  }

  if (instruction.json) for (const element of instruction.json.elements) collector.range(element.range, T_STRING);

  for (const heredoc of instruction.heredocs) {
    collector.add(heredoc.marker.range.start, heredoc.nameRange.start, T_OPERATOR);
    collector.range(heredoc.nameRange, T_STRING);
    const terminator = heredoc.terminatorRange;
    if (terminator) {
      let start = terminator.start;
      while (start < terminator.end && model.ast.text.charCodeAt(start) === 0x09) start++;
      collector.add(start, terminator.end, T_STRING);
    }
  }

  for (const reference of instruction.variables) {
    // Only a predefined name can resolve to a predefined ARG: skip the lookup for the others.
    const binding = predefinedArg(reference.name) ? model.lookupVariable(reference.name, scope) : undefined;
    collector.range(reference.range, T_VARIABLE, predefinedModifiers(binding?.predefined));
    collector.range(reference.modifierRange, T_OPERATOR);
    collector.range(reference.operand?.range, T_STRING);
  }

  if (instruction.trigger) instructionTokens(collector, instruction.trigger, scope);
}

/** `defaultLibrary` for ARGs Docker defines itself; `readonly` too for the platform ones the builder sets. */
function predefinedModifiers(predefined: PredefinedArg | undefined): number {
  if (!predefined) return 0;
  return M_DEFAULT_LIBRARY | (predefined.category === 'platform' ? M_READONLY : 0);
}

function flagTokens(collector: Collector, instruction: Instruction, flag: InstructionFlag): void {
  const logical = instruction.logical;
  const valueRange = flag.valueLogicalRange;
  if (!valueRange) {
    collector.range(flag.range, T_PARAMETER);
    return;
  }
  collector.add(flag.range.start, flag.nameRange.end, T_PARAMETER);
  const equals = valueRange.start - 1;
  collector.range(logical.sourceRange(equals, equals + 1), T_OPERATOR);
  if (valueRange.end <= valueRange.start) return;
  const name = flag.name.toLowerCase();
  if (name === 'mount' && instruction.name === 'RUN') {
    mountTokens(collector, instruction, valueRange);
    return;
  }
  const range = logical.sourceRange(valueRange.start, valueRange.end);
  if (name === 'from' && (instruction.name === 'COPY' || instruction.name === 'ADD')) {
    const stage = collector.stageRefs.has(range.start) || (flag.value !== undefined && isStageName(collector.model, flag.value));
    collector.range(range, stage ? T_CLASS : T_NAMESPACE);
    return;
  }
  collector.range(range, T_STRING);
}

/** `type=cache,target=/root/.cache,from=build`: keys, `=` and `,` operators, values. */
function mountTokens(collector: Collector, instruction: Instruction, range: TextRange): void {
  const logical = instruction.logical;
  const text = logical.text;
  let fieldStart = range.start;
  let quote = 0;
  for (let i = range.start; i <= range.end; i++) {
    const code = i < range.end ? text.charCodeAt(i) : -1;
    if (quote !== 0) {
      if (code === quote) quote = 0;
      if (code !== -1) continue;
    } else if (code === 0x22 || code === 0x27) {
      quote = code;
      continue;
    }
    if (code !== 0x2c /* , */ && code !== -1) continue;
    let equals = -1;
    for (let j = fieldStart; j < i; j++) {
      if (text.charCodeAt(j) === 0x3d) {
        equals = j;
        break;
      }
    }
    if (equals < 0) {
      // A bare option such as `readonly` or `rw`.
      collector.range(logical.sourceRange(fieldStart, i), T_PROPERTY);
    } else {
      collector.range(logical.sourceRange(fieldStart, equals), T_PROPERTY);
      collector.range(logical.sourceRange(equals, equals + 1), T_OPERATOR);
      const value = logical.sourceRange(equals + 1, i);
      const key = text.slice(fieldStart, equals).trim().toLowerCase();
      const isStage =
        key === 'from' && value.end > value.start && (stageReferenceIn(collector, value) || isStageName(collector.model, unquote(text.slice(equals + 1, i))));
      collector.range(value, isStage ? T_CLASS : T_STRING);
    }
    if (code === 0x2c) collector.range(logical.sourceRange(i, i + 1), T_OPERATOR);
    fieldStart = i + 1;
  }
}

/** A model stage reference starts at the value (or just inside its quotes). */
function stageReferenceIn(collector: Collector, value: TextRange): boolean {
  return collector.stageRefs.has(value.start) || collector.stageRefs.has(value.start + 1);
}

/** A stage of this name or index exists (also catches references the model does not link, such as a stage copying from itself). */
function isStageName(model: DockerfileModel, value: string): boolean {
  return value !== '' && model.findStage(value) !== undefined;
}

function unquote(value: string): string {
  const first = value[0];
  return (first === '"' || first === "'") && value.length >= 2 && value[value.length - 1] === first ? value.slice(1, -1) : value;
}

// ---- resolving overlaps, splitting lines, encoding ---------------------

/**
 * One pass over the sorted tokens: overlapping ones are cut into pieces (the
 * innermost token wins, the outer one continues after it), pieces crossing
 * line breaks are split per line, and each piece is written straight into the
 * LSP array as five relative integers. Lines come from the editor's document,
 * which keeps its line offsets up to date as it is edited (the model's own line
 * index would be computed afresh for every version of the text), unless the
 * model is of another text.
 */
function encode(document: TextDocument, model: DockerfileModel, tokens: Collector, firstLine: number, lastLine: number): number[] {
  const { text } = model.ast;
  const escape = model.ast.escapeChar.charCodeAt(0);
  const { starts, ends, kinds } = tokens;
  const count = tokens.length;
  const data: number[] = new Array<number>(count * 5);
  let size = 0;
  const { lineIndex } = model.ast;
  const sameText = document.getText() === text;
  const lineCount = sameText ? document.lineCount : lineIndex.lineCount;
  const lineStartOf = (line: number) =>
    line >= lineCount ? Number.POSITIVE_INFINITY : sameText ? document.offsetAt({ line, character: 0 }) : lineIndex.lineStart(line);
  let line = 0;
  let lineStart = 0;
  let nextLineStart = lineStartOf(1);
  let previousLine = 0;
  let previousChar = 0;

  const push = (start: number, end: number, kind: number) => {
    if (end <= start || line < firstLine || line > lastLine) return;
    const character = start - lineStart;
    data[size] = line - previousLine;
    data[size + 1] = line === previousLine ? character - previousChar : character;
    data[size + 2] = end - start;
    data[size + 3] = kind & 0xff;
    data[size + 4] = kind >> 8;
    size += 5;
    previousLine = line;
    previousChar = character;
  };
  const emit = (start: number, end: number, kind: number) => {
    while (start >= nextLineStart) {
      line++;
      lineStart = nextLineStart;
      nextLineStart = lineStartOf(line + 1);
    }
    if (end <= lineEndOf(text, lineStart, nextLineStart)) {
      push(start, end, kind);
      return;
    }
    // The piece crosses line breaks: one token per line that carries its text.
    let first = true;
    let pieceStart = start;
    for (;;) {
      const contentEnd = lineEndOf(text, lineStart, nextLineStart);
      let segmentStart = pieceStart;
      let segmentEnd = Math.min(end, contentEnd);
      let skip = false;
      if (!first) {
        let firstNonBlank = lineStart;
        while (firstNonBlank < contentEnd && isBlank(text.charCodeAt(firstNonBlank))) firstNonBlank++;
        // Comment and empty lines between continuation lines are not part of the instruction.
        if (firstNonBlank >= contentEnd || text.charCodeAt(firstNonBlank) === 0x23) skip = true;
        segmentStart = Math.max(segmentStart, firstNonBlank);
      }
      const continues = end > nextLineStart;
      if (continues && !skip) {
        while (segmentEnd > segmentStart && isBlank(text.charCodeAt(segmentEnd - 1))) segmentEnd--;
        if (segmentEnd > segmentStart && text.charCodeAt(segmentEnd - 1) === escape) segmentEnd--;
        while (segmentEnd > segmentStart && isBlank(text.charCodeAt(segmentEnd - 1))) segmentEnd--;
      }
      if (!skip) push(segmentStart, segmentEnd, kind);
      if (!continues) break;
      line++;
      lineStart = nextLineStart;
      nextLineStart = lineStartOf(line + 1);
      pieceStart = lineStart;
      first = false;
    }
  };

  // The tokens that contain the current position, innermost on top (indexes into the arrays).
  const stack: number[] = [];
  let position = 0;
  for (let i = 0; i <= count; i++) {
    const start = i < count ? starts[i] : Number.POSITIVE_INFINITY;
    // Finish the tokens that end before this one starts.
    while (stack.length > 0 && ends[stack[stack.length - 1]] <= start) {
      const top = stack.pop()!;
      if (position < ends[top]) {
        emit(Math.max(position, starts[top]), ends[top], kinds[top]);
        position = ends[top];
      }
    }
    if (i === count) break;
    // The enclosing token's text up to here.
    if (stack.length > 0 && position < start) {
      const top = stack[stack.length - 1];
      emit(Math.max(position, starts[top]), start, kinds[top]);
    }
    if (position < start) position = start;
    stack.push(i);
  }
  data.length = size;
  return data;
}

/** End of a line's content: before its `\n`, `\r\n` or `\r`. */
function lineEndOf(text: string, lineStart: number, nextLineStart: number): number {
  let end = Math.min(nextLineStart, text.length);
  while (end > lineStart && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
  return end;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
