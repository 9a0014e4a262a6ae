/**
 * Dockerfile formatting: whole document, a range, and on-type (Enter after a
 * line continuation).
 *
 * What changes:
 * - known instruction keywords (ONBUILD triggers included), `AS` in FROM and
 *   the `CMD`/`NONE` of HEALTHCHECK are upper-cased;
 * - an instruction's first line starts at column 0, and one space separates
 *   the keyword from what follows it on that line;
 * - continuation lines are indented by one unit (`tabSize` spaces, or a tab
 *   when `insertSpaces` is false); lines that were indented deeper than the
 *   shallowest continuation line of their instruction keep their nesting,
 *   each distinct deeper indentation becoming one more unit, so an indented
 *   package list or `if ... fi` stays readable;
 * - trailing spaces and tabs are removed, and whitespace-only lines emptied.
 * What never changes: comments and parser directives (byte for byte), heredoc
 * bodies and their terminators (byte for byte), the shell text itself, and
 * anything whose whitespace Docker or the shell would see: a continuation line
 * is only re-indented where it joins its instruction between two words (not
 * inside a quoted string, a JSON string, a shell word, a flag or a single-value
 * argument such as WORKDIR's), so the instruction means the same afterwards.
 *
 * Edits are minimal (one per changed spot) and formatting is idempotent.
 * The physical lines are walked exactly as the parser walks them, then checked
 * against the parsed instruction; an instruction that does not match is left
 * untouched rather than guessed at.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormattingOptions, Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileAst, DockerfileModel, Instruction, TextRange } from '../dockerfile';
import { continuationEscapeIndex, skipUnicodeSpaces } from '../dockerfile/characters';
import { PhysicalLines } from '../dockerfile/physicalLines';
import { splitRawShellWords } from '../dockerfile/words';
import { parseShell } from '../shell';

/** Replacement of document offsets [start, end) by `newText`. */
interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

interface Indentation {
  /** Width of one level in columns. */
  unitWidth: number;
  tabSize: number;
  insertSpaces: boolean;
}

type LineKind = 'first' | 'segment' | 'comment' | 'empty';

interface LineInfo {
  kind: LineKind;
  /** Physical line number (lines split at `\n`, as Docker splits them). */
  line: number;
  start: number;
  /** Before the trailing `\r`s and the `\n`. */
  contentEnd: number;
  /** The piece this line contributes to the logical line ('first' and 'segment' only). */
  segStart: number;
  segEnd: number;
  /** Index of `segStart` in the logical text. */
  logicalStart: number;
  /** Index of the escape character continuing the line, or -1. */
  escape: number;
}

interface InstructionLayout {
  instruction: Instruction;
  /** Its physical lines up to (not including) any heredoc body. */
  lines: LineInfo[];
  /** From the first line's start to the end of its last line (heredoc bodies included). */
  extent: TextRange;
  /** The walk agrees with the parsed instruction. */
  consistent: boolean;
}

interface DocumentLayout {
  instructions: InstructionLayout[];
  /** Whitespace-only lines outside instructions. */
  blankLines: LineInfo[];
  physical: PhysicalLines;
}

const MAX_TAB_SIZE = 64;
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
/** Deeper nesting is written at this level, so output stays small whatever the input. */
const MAX_NESTING = 16;

/** Formats the whole document. */
export function formatDockerfile(document: TextDocument, model: DockerfileModel, options: FormattingOptions): TextEdit[] {
  const layout = documentLayout(document, model);
  if (!layout) return [];
  const indentation = indentationOf(options);
  const edits: OffsetEdit[] = [];
  for (const entry of layout.instructions) instructionEdits(model.ast, entry, indentation, edits);
  for (const blank of layout.blankLines) pushTrailing(model.ast.text, blank, edits);
  return toTextEdits(document, edits);
}

/** Formats the instructions that intersect `range` (and whitespace-only lines inside it). */
export function formatDockerfileRange(
  document: TextDocument,
  model: DockerfileModel,
  range: Range,
  options: FormattingOptions,
): TextEdit[] {
  const layout = documentLayout(document, model);
  if (!layout) return [];
  const indentation = indentationOf(options);
  let start = document.offsetAt(range.start);
  let end = document.offsetAt(range.end);
  if (end < start) [start, end] = [end, start];
  const intersects = (extent: TextRange) =>
    start === end ? extent.start <= start && start <= extent.end : extent.start < end && start < extent.end;
  const edits: OffsetEdit[] = [];
  for (const entry of layout.instructions) {
    if (intersects(entry.extent)) instructionEdits(model.ast, entry, indentation, edits);
  }
  for (const blank of layout.blankLines) {
    if (intersects({ start: blank.start, end: blank.contentEnd })) pushTrailing(model.ast.text, blank, edits);
  }
  return toTextEdits(document, edits);
}

/**
 * On-type formatting for `\n`: when the line above ends with the escape
 * character and so continues an instruction, indents the new line like a
 * continuation line (one unit under the instruction's first line, or as deep
 * as the continuation line above it).
 */
export function formatDockerfileOnType(
  document: TextDocument,
  model: DockerfileModel,
  position: Position,
  ch: string,
  options: FormattingOptions,
): TextEdit[] {
  if (ch !== '\n' || position.line < 1) return [];
  const layout = documentLayout(document, model);
  if (!layout) return [];
  const text = model.ast.text;
  const lineOffset = document.offsetAt({ line: position.line, character: 0 });
  // Docker only breaks lines at `\n` (a lone `\r` is a line break for the editor only).
  if (lineOffset < 1 || text.charCodeAt(lineOffset - 1) !== 0x0a) return [];
  const previousLine = lineAt(layout.physical, lineOffset - 1);
  const indentation = indentationOf(options);
  for (const entry of layout.instructions) {
    if (!entry.consistent) continue;
    const index = entry.lines.findIndex((info) => info.line === previousLine);
    if (index < 0) continue;
    const previous = entry.lines[index];
    if ((previous.kind !== 'first' && previous.kind !== 'segment') || previous.escape < 0) return [];
    const width =
      previous.kind === 'first'
        ? indentation.unitWidth
        : Math.max(indentation.unitWidth, indentWidth(text, previous.start, leadingBlankEnd(text, previous.start, previous.segEnd), indentation.tabSize));
    const wanted = renderIndent(width, indentation);
    const current = entry.lines[index + 1];
    if (!current) {
      // The new line is the empty last line of the document.
      return lineOffset === text.length ? toTextEdits(document, [{ start: lineOffset, end: lineOffset, newText: wanted }]) : [];
    }
    if (current.kind === 'segment') {
      const blankEnd = leadingBlankEnd(text, current.start, current.segEnd);
      if (!joinIsSafe(entry, current, blankEnd - current.start, new Map())) return [];
      return toTextEdits(document, replaceIfChanged(text, current.start, blankEnd, wanted));
    }
    if (current.kind === 'empty') {
      // Whitespace-only: Docker skips the line, so its whitespace never matters.
      return toTextEdits(document, replaceIfChanged(text, current.start, current.contentEnd, wanted));
    }
    return [];
  }
  return [];
}

// ---------------------------------------------------------------------------
// Walking the document

function documentLayout(document: TextDocument, model: DockerfileModel): DocumentLayout | undefined {
  const ast = model.ast;
  if (document.getText() !== ast.text) return undefined; // a model of another version
  if (ast.problems.some((problem) => problem.code === 'internal-error')) return undefined;
  const text = ast.text;
  const physical = new PhysicalLines(text);
  const instructions: InstructionLayout[] = [];
  const blankLines: LineInfo[] = [];
  let next = 0;
  let line = 0;
  while (line < physical.count) {
    const start = physical.starts[line];
    const end = physical.contentEnds[line];
    const contentStart = skipUnicodeSpaces(text, start, end);
    // Comments and parser directives both start with `#`; neither is touched.
    if (contentStart < end && text.charCodeAt(contentStart) === 0x23) {
      line++;
      continue;
    }
    if (contentStart >= end) {
      blankLines.push(lineInfo('empty', line, start, end));
      line++;
      continue;
    }
    const instruction = ast.instructions[next++];
    const walked = walkInstruction(ast, physical, line, contentStart);
    if (!instruction) {
      // The parser saw fewer instructions than lines that start one: leave the rest alone.
      break;
    }
    const consistent = isConsistent(instruction, walked.lines, text);
    const nextLine = consistent ? afterHeredocs(instruction, physical, walked.nextLine) : walked.nextLine;
    const lastLine = Math.max(line, nextLine - 1);
    instructions.push({
      instruction,
      lines: walked.lines,
      extent: { start, end: physical.contentEnds[Math.min(lastLine, physical.count - 1)] },
      consistent,
    });
    if (!consistent) break; // the walk and the parser disagree: stop formatting from here on
    line = nextLine;
  }
  return { instructions, blankLines, physical };
}

function lineInfo(kind: LineKind, line: number, start: number, contentEnd: number): LineInfo {
  return { kind, line, start, contentEnd, segStart: start, segEnd: start, logicalStart: 0, escape: -1 };
}

/** The parser's continuation loop (parser.ts), recording what each physical line is. */
function walkInstruction(
  ast: DockerfileAst,
  physical: PhysicalLines,
  firstLine: number,
  contentStart: number,
): { lines: LineInfo[]; nextLine: number } {
  const text = ast.text;
  const escape = ast.escapeChar.charCodeAt(0);
  const lines: LineInfo[] = [];
  let logical = 0;
  let end = physical.contentEnds[firstLine];
  let continuation = continuationEscapeIndex(text, contentStart, end, escape);
  const first = lineInfo('first', firstLine, physical.starts[firstLine], end);
  first.segStart = contentStart;
  first.segEnd = continuation >= 0 ? continuation : end;
  first.escape = continuation;
  lines.push(first);
  logical += first.segEnd - first.segStart;
  let line = firstLine + 1;
  while (continuation >= 0 && line < physical.count) {
    const lineStart = physical.starts[line];
    end = physical.contentEnds[line];
    const firstNonSpace = skipUnicodeSpaces(text, lineStart, end);
    if (firstNonSpace < end && text.charCodeAt(firstNonSpace) === 0x23) {
      lines.push(lineInfo('comment', line, lineStart, end));
    } else if (firstNonSpace >= end) {
      lines.push(lineInfo('empty', line, lineStart, end));
    } else {
      continuation = continuationEscapeIndex(text, lineStart, end, escape);
      const segment = lineInfo('segment', line, lineStart, end);
      segment.segEnd = continuation >= 0 ? continuation : end;
      segment.escape = continuation;
      segment.logicalStart = logical;
      logical += segment.segEnd - segment.segStart;
      lines.push(segment);
    }
    line++;
  }
  return { lines, nextLine: line };
}

function isConsistent(instruction: Instruction, lines: LineInfo[], text: string): boolean {
  let joined = '';
  for (const info of lines) if (info.kind === 'first' || info.kind === 'segment') joined += text.slice(info.segStart, info.segEnd);
  const first = lines[0];
  return joined === instruction.logical.text && instruction.keywordRange.start >= first.start;
}

/** The line after the instruction's heredoc bodies (the parser reads them right after its last line). */
function afterHeredocs(instruction: Instruction, physical: PhysicalLines, nextLine: number): number {
  const owner = instruction.name === 'ONBUILD' ? instruction.trigger : instruction;
  const last = owner?.heredocs.at(-1);
  if (!last) return nextLine;
  if (!last.terminatorRange) return physical.count;
  return Math.max(nextLine, lineAt(physical, last.terminatorRange.start) + 1);
}

/** Physical line containing `offset`. */
function lineAt(physical: PhysicalLines, offset: number): number {
  let low = 0;
  let high = physical.count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (physical.starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

// ---------------------------------------------------------------------------
// Edits of one instruction

function instructionEdits(ast: DockerfileAst, entry: InstructionLayout, indentation: Indentation, edits: OffsetEdit[]): void {
  if (!entry.consistent) return;
  const text = ast.text;
  const { instruction, lines } = entry;
  const first = lines[0];

  // The first line starts at column 0 (Docker ignores leading whitespace there).
  edits.push(...replaceIfChanged(text, first.start, first.segStart, ''));

  // Keywords, and the space after each (ONBUILD, then its trigger...).
  for (let current: Instruction | undefined = instruction; current; current = current.trigger) {
    if (!current.known) break; // an unknown keyword is left as written, and so is what follows it
    edits.push(...keywordEdits(text, current));
    edits.push(...keywordSpacing(text, current, lines));
  }

  // Continuation lines: re-indented where the join is between words.
  const cache: OpaqueCache = new Map();
  const candidates: Array<{ info: LineInfo; blankEnd: number; width: number }> = [];
  for (const info of lines) {
    if (info.kind !== 'segment') continue;
    const blankEnd = leadingBlankEnd(text, info.start, info.segEnd);
    if (!joinIsSafe(entry, info, blankEnd - info.start, cache)) continue;
    candidates.push({ info, blankEnd, width: indentWidth(text, info.start, blankEnd, indentation.tabSize) });
  }
  // Nesting: each distinct indentation (shallowest first) is one more level.
  const levels = new Map<number, number>();
  for (const width of [...new Set(candidates.map((candidate) => candidate.width))].sort((a, b) => a - b)) levels.set(width, levels.size);
  for (const { info, blankEnd, width } of candidates) {
    const level = Math.min(MAX_NESTING, levels.get(width) ?? 0);
    edits.push(...replaceIfChanged(text, info.start, blankEnd, renderIndent(indentation.unitWidth * (level + 1), indentation)));
  }

  for (const info of lines) {
    if (info.kind !== 'comment') pushTrailing(text, info, edits);
  }
}

/** Upper-cases the keyword (known instructions only), FROM's `AS` and HEALTHCHECK's `CMD`/`NONE`. */
function keywordEdits(text: string, instruction: Instruction): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  const upperCase = (range: TextRange, written: string, wanted: string) => {
    // A word split over a continuation is left alone: its slice is not the word.
    if (written !== wanted && text.slice(range.start, range.end) === written) edits.push({ start: range.start, end: range.end, newText: wanted });
  };
  upperCase(instruction.keywordRange, instruction.keyword, instruction.name);
  const as = instruction.from?.asKeyword;
  if (as) upperCase(as.range, as.value, 'AS');
  const type = instruction.healthcheck?.type;
  if (type) {
    const wanted = type.value.toUpperCase();
    if (wanted === 'CMD' || wanted === 'NONE') upperCase(type.range, type.value, wanted);
  }
  return edits;
}

/** One space between a keyword and what follows it on the same line. */
function keywordSpacing(text: string, instruction: Instruction, lines: LineInfo[]): OffsetEdit[] {
  const keywordEnd = instruction.keywordRange.end;
  const index = lines.findIndex(
    (info) => (info.kind === 'first' || info.kind === 'segment') && info.segStart <= keywordEnd && keywordEnd <= info.segEnd,
  );
  if (index < 0 || instruction.keywordRange.start === keywordEnd) return [];
  const info = lines[index];
  let runEnd = keywordEnd;
  while (runEnd < info.segEnd && isBlank(text.charCodeAt(runEnd))) runEnd++;
  if (runEnd < info.segEnd) {
    // Something follows on this line (a separator other than space/tab is left as written).
    return runEnd > keywordEnd ? replaceIfChanged(text, keywordEnd, runEnd, ' ') : [];
  }
  if (info.escape < 0) return []; // only trailing whitespace follows: removed with it
  if (runEnd > keywordEnd) return replaceIfChanged(text, keywordEnd, runEnd, ' ');
  // `RUN\`: a space before the escape only when the next piece starts with a
  // blank anyway (otherwise Docker reads one word across the lines).
  const next = lines.slice(index + 1).find((candidate) => candidate.kind === 'segment');
  if (next && !isBlank(text.charCodeAt(next.segStart))) return [];
  return [{ start: keywordEnd, end: keywordEnd, newText: ' ' }];
}

/** Per instruction: its opaque ranges, sorted and merged, computed on first use. */
type OpaqueCache = Map<Instruction, TextRange[]>;

/**
 * Whether the blanks at the start of a continuation line can be changed (to a
 * non-empty indentation) without changing the instruction: the join must fall
 * between two words of the instruction, with a blank on at least one side.
 */
function joinIsSafe(entry: InstructionLayout, info: LineInfo, blankLength: number, cache: OpaqueCache): boolean {
  const logical = entry.instruction.logical.text;
  const join = info.logicalStart;
  const blankBefore = join > 0 && isBlank(logical.charCodeAt(join - 1));
  if (blankLength === 0 && !blankBefore) return false;
  let ranges = cache.get(entry.instruction);
  if (!ranges) {
    ranges = mergeRanges(opaqueRanges(entry.instruction, []));
    cache.set(entry.instruction, ranges);
  }
  // The first range ending after the join; with blanks it must not cover any
  // of them, without blanks it must not straddle the join.
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ranges[mid].end > join) high = mid;
    else low = mid + 1;
  }
  return low >= ranges.length || ranges[low].start >= join + blankLength;
}

/** Sorted, with overlapping ranges joined (touching ones are kept apart). */
function mergeRanges(ranges: TextRange[]): TextRange[] {
  const sorted = ranges.filter((range) => range.end > range.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/**
 * Logical ranges whose whitespace is part of what Docker or the shell reads:
 * keywords, flags, and the argument words (for a shell-form command, the
 * shell's own words, comments and here-documents). Appended to `ranges`.
 */
function opaqueRanges(instruction: Instruction, ranges: TextRange[]): TextRange[] {
  const start = instruction.logicalRange.start;
  ranges.push({ start, end: start + instruction.keyword.length });
  for (const flag of instruction.flags) ranges.push(flag.logicalRange);
  const logical = instruction.logical.text;
  if (HEREDOC_INSTRUCTIONS.has(instruction.name) && logical.includes('<<')) {
    // Docker looks for heredoc markers in the line's raw shell words (`C:\ <<EOF` is one word, so no heredoc).
    const words = splitRawShellWords(logical, 0, logical.length);
    if (words) for (const [wordStart, wordEnd] of words) ranges.push({ start: wordStart, end: wordEnd });
    else ranges.push({ start: 0, end: logical.length });
  }
  if (instruction.name === 'ONBUILD' && instruction.trigger) return opaqueRanges(instruction.trigger, ranges);
  const shellCommand = shellFormCommand(instruction);
  for (const arg of instruction.args) {
    if (arg === shellCommand) {
      const offset = arg.logicalRange.start;
      for (const range of shellRanges(arg.value)) ranges.push({ start: offset + range.start, end: offset + range.end });
    } else {
      ranges.push(arg.logicalRange);
    }
  }
  if (instruction.json?.trailing) ranges.push(instruction.json.trailing.logicalRange);
  if (instruction.json && !instruction.json.valid) {
    // Malformed JSON: a change of blanks could make it well-formed (a tab in a string is not allowed, a space is).
    const first = instruction.healthcheck ? instruction.healthcheck.command[0] : instruction.args[0];
    if (first) ranges.push({ start: first.logicalRange.start, end: instruction.logicalRange.end });
  }
  return ranges;
}

/** The single shell-form command token of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD. */
function shellFormCommand(instruction: Instruction) {
  if (instruction.form === 'exec') return undefined;
  switch (instruction.name) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
      return instruction.args.length === 1 ? instruction.args[0] : undefined;
    case 'HEALTHCHECK': {
      const command = instruction.healthcheck?.command;
      return command && command.length === 1 ? command[0] : undefined;
    }
    default:
      return undefined;
  }
}

/** Ranges of a shell script that must not change: every word, comment, here-document and problem. */
function shellRanges(script: string): TextRange[] {
  const parsed = parseShell(script);
  const ranges: TextRange[] = [];
  for (const comment of parsed.comments) ranges.push(comment.range);
  for (const problem of parsed.problems) ranges.push(problem.range);
  const seen = new Set<object>();
  const pending: unknown[] = [parsed.lists];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) pending.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    const range = record.range as TextRange | undefined;
    const isRange = typeof range === 'object' && range !== null && typeof range.start === 'number' && typeof range.end === 'number';
    if (isRange && (typeof record.raw === 'string' || typeof record.delimiter === 'string')) {
      ranges.push(range); // a word or a here-document: everything in it is inside this range
      continue;
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'context' && key !== 'range' && key !== 'docRange') pending.push(value);
    }
  }
  return ranges;
}

/** Removes trailing spaces and tabs of a line (not after a lone `\r`, which would then end the line for Docker). */
function pushTrailing(text: string, info: LineInfo, edits: OffsetEdit[]): void {
  let start = info.contentEnd;
  while (start > info.start && isBlank(text.charCodeAt(start - 1))) start--;
  if (start === info.contentEnd) return;
  if (start > info.start && text.charCodeAt(start - 1) === 0x0d) return;
  edits.push({ start, end: info.contentEnd, newText: '' });
}

// ---------------------------------------------------------------------------
// Helpers

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function leadingBlankEnd(text: string, start: number, end: number): number {
  let pos = start;
  while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Columns taken by leading spaces and tabs (a tab advances to the next tab stop). */
function indentWidth(text: string, start: number, end: number, tabSize: number): number {
  let width = 0;
  for (let pos = start; pos < end; pos++) width = text.charCodeAt(pos) === 0x09 ? width + tabSize - (width % tabSize) : width + 1;
  return width;
}

function renderIndent(width: number, indentation: Indentation): string {
  if (indentation.insertSpaces) return ' '.repeat(width);
  return '\t'.repeat(Math.floor(width / indentation.tabSize)) + ' '.repeat(width % indentation.tabSize);
}

function indentationOf(options: FormattingOptions | undefined): Indentation {
  const rawTabSize = options?.tabSize;
  const tabSize =
    typeof rawTabSize === 'number' && Number.isFinite(rawTabSize) && rawTabSize >= 1 ? Math.min(MAX_TAB_SIZE, Math.floor(rawTabSize)) : 4;
  const insertSpaces = options?.insertSpaces !== false;
  return { unitWidth: tabSize, tabSize, insertSpaces };
}

function replaceIfChanged(text: string, start: number, end: number, newText: string): OffsetEdit[] {
  return text.slice(start, end) === newText ? [] : [{ start, end, newText }];
}

function toTextEdits(document: TextDocument, edits: OffsetEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const result: TextEdit[] = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    // Edits are disjoint by construction; an overlap would be a bug, so drop it rather than corrupt the text.
    if (edit.start < lastEnd) continue;
    lastEnd = edit.end;
    result.push({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText });
  }
  return result;
}
