/**
 * Formatting of compose files by re-indenting lines, never by re-printing
 * YAML: every token stays exactly as written (comments, anchors, tags,
 * quoting, key order, flow collections), so only whitespace can change.
 *
 * - Block collections are indented by the tab size: the entries of a mapping
 *   or sequence nested under a key (or under a `-` on its own line) sit one
 *   tab size deeper than the key; sequences under a key are always indented.
 *   A collection that starts on the line of its `-` (`- name: a`) keeps its
 *   place after the dash.
 * - Lines that continue a value (block scalars, multi-line quoted or plain
 *   scalars, flow collections over several lines) move with the line they
 *   belong to, so their content is unchanged; block scalar lines are kept
 *   byte for byte apart from that move.
 * - A comment on its own line takes the indentation of the entry after it
 *   when it was aligned with it, else of the entry before it when aligned with
 *   that, else moves with the entry after it.
 * - Trailing whitespace is removed (except inside block and quoted scalars),
 *   blank lines are emptied, and the file ends with exactly one newline.
 *
 * Nothing is done for a file with syntax errors, and the result is read back
 * and compared with the original data; if anything differs, no edits are made.
 * Edits are per line, so the editor keeps the cursor and folding elsewhere.
 */

import { isDeepStrictEqual } from 'node:util';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver-types';
import { CST, parseAllDocuments, Parser } from 'yaml';

type LinePlan =
  /** The first token of the line is an entry of a block collection. */
  | { kind: 'entry'; indent: number }
  /** Inside a value that started on an earlier line: moves by `delta`. */
  | { kind: 'inner'; delta: number; keepTrailing: boolean }
  /** Inside a block scalar: moves by `delta`, otherwise byte for byte. */
  | { kind: 'verbatim'; delta: number; contentIndent: number };

export function formatCompose(document: TextDocument, options: FormattingOptions): TextEdit[] {
  const text = document.getText();
  let formatted: string | undefined;
  try {
    formatted = formatComposeText(text, options.tabSize);
  } catch {
    formatted = undefined; // never expected (a fuzz test holds it); formatting is simply skipped
  }
  if (formatted === undefined || formatted === text) return [];
  return lineEdits(document, text, formatted);
}

/** The formatted text, or undefined when the text cannot be formatted safely (syntax errors). */
export function formatComposeText(text: string, tabSize = 2): string | undefined {
  const step = Number.isInteger(tabSize) && tabSize > 0 && tabSize <= 8 ? tabSize : 2;
  const before = readData(text);
  if (!before) return undefined;
  let tokens: CST.Token[];
  try {
    tokens = [...new Parser().parse(text)];
  } catch {
    return undefined;
  }
  const lines = new Lines(text);
  const planner = new Planner(lines, step);
  for (const token of tokens) planner.top(token);
  const result = render(lines, planner);
  if (result === text) return text;
  const after = readData(result);
  // The safety net: only whitespace changed, but the data must say so too.
  if (!after || !isDeepStrictEqual(before, after)) return undefined;
  return result;
}

/** Every document's data, or undefined when the text has errors. */
function readData(text: string): unknown[] | undefined {
  try {
    const documents = parseAllDocuments(text, { uniqueKeys: false });
    if (!Array.isArray(documents)) return (documents as { errors?: unknown[] }).errors?.length ? undefined : [];
    if (documents.some((document) => document.errors.length > 0)) return undefined;
    return documents.map((document) => document.toJS({ maxAliasCount: -1 }));
  } catch {
    return undefined;
  }
}

/** The text's lines, without their line breaks, and offset ↔ line lookups. */
class Lines {
  readonly texts: string[] = [];
  readonly starts: number[] = [];
  /** Whether each line ended with `\r\n`. */
  readonly crlf: boolean[] = [];

  constructor(readonly text: string) {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      const cr = end > start && text.charCodeAt(end - 1) === 13;
      this.starts.push(start);
      this.texts.push(text.slice(start, cr ? stop - 1 : stop));
      this.crlf.push(cr);
      if (end < 0) break;
      start = end + 1;
    }
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  column(offset: number): number {
    return offset - this.starts[this.lineOf(offset)]!;
  }

  /** Whether `offset` is the first non-blank character of its line. */
  firstOnLine(offset: number): boolean {
    const start = this.starts[this.lineOf(offset)]!;
    for (let i = start; i < offset; i++) if (this.text[i] !== ' ') return false;
    return true;
  }
}

const SKIPPED = new Set(['space', 'newline', 'comment']);

class Planner {
  readonly plans = new Map<number, LinePlan>();
  /** Entry lines whose end is inside a quoted scalar. */
  readonly keepTrailingOf = new Set<number>();
  /** Where a block scalar kept with `+` ends: blank lines before it are content. */
  keepUntil = -1;

  constructor(
    private readonly lines: Lines,
    private readonly step: number,
  ) {}

  top(token: CST.Token): void {
    if (token.type !== 'document') return;
    const value = token.value;
    if (!value) return;
    if (value.type === 'block-map' || value.type === 'block-seq') this.collection(value, 0);
    else this.span(value, 0);
  }

  private collection(token: CST.BlockMap | CST.BlockSequence, indent: number): void {
    for (const item of token.items) {
      const start = itemStart(item);
      if (start === undefined) continue;
      const delta = indent - this.lines.column(start);
      if (this.lines.firstOnLine(start)) this.plans.set(this.lines.lineOf(start), { kind: 'entry', indent });
      const key = 'key' in item ? item.key : undefined;
      if (key) this.span(key, delta);
      const value = item.value;
      if (!value) continue;
      if (value.type === 'block-map' || value.type === 'block-seq') {
        const valueStart = firstItemStart(value);
        if (valueStart === undefined) continue;
        const sameLine = this.lines.lineOf(valueStart) === this.lines.lineOf(start);
        this.collection(value, sameLine ? this.lines.column(valueStart) + delta : indent + this.step);
      } else this.span(value, delta);
    }
  }

  /** Lines after the first of a value that is not a block collection move with it. */
  private span(token: CST.Token, delta: number): void {
    const lines = this.lines;
    switch (token.type) {
      case 'block-scalar': {
        const header = token.props.find((prop): prop is CST.SourceToken => prop.type === 'block-scalar-header');
        const newline = token.props.find((prop) => prop.type === 'newline');
        if (!newline) return;
        const contentStart = newline.offset + 1;
        const contentEnd = contentStart + token.source.length;
        const first = lines.lineOf(contentStart);
        const last = lines.lineOf(Math.max(contentStart, contentEnd - 1));
        const contentIndent = blockIndent(lines, first, contentStart === contentEnd ? first - 1 : last);
        for (let line = first; line <= last && contentStart < contentEnd; line++) this.plans.set(line, { kind: 'verbatim', delta, contentIndent });
        if (header?.source.includes('+')) this.keepUntil = Math.max(this.keepUntil, contentEnd);
        return;
      }
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias': {
        const quoted = token.type !== 'scalar' && token.type !== 'alias';
        this.inner(token.offset, token.offset + token.source.length, delta, quoted);
        return;
      }
      case 'flow-collection': {
        const end = token.end.find((part) => part.type === 'flow-map-end' || part.type === 'flow-seq-end');
        const stop = end ? end.offset + 1 : token.offset + CST.stringify(token).length;
        // Quoted scalars inside keep their trailing blanks; everything else in it is inner.
        this.inner(token.start.offset, stop, delta, false);
        CST.visit({ type: 'document', offset: 0, start: [], value: token } as CST.Document, (item) => {
          const value = item.value;
          if (value && (value.type === 'single-quoted-scalar' || value.type === 'double-quoted-scalar')) this.inner(value.offset, value.offset + value.source.length, delta, true);
          const key = item.key;
          if (key && (key.type === 'single-quoted-scalar' || key.type === 'double-quoted-scalar')) this.inner(key.offset, key.offset + key.source.length, delta, true);
        });
        return;
      }
      default:
        return;
    }
  }

  private inner(start: number, end: number, delta: number, keepTrailing: boolean): void {
    const first = this.lines.lineOf(start);
    const last = this.lines.lineOf(Math.max(start, end - 1));
    for (let line = first + 1; line <= last; line++) this.plans.set(line, { kind: 'inner', delta, keepTrailing });
    // The line a quoted scalar starts on ends inside it.
    if (keepTrailing && last > first) {
      const plan = this.plans.get(first);
      if (plan?.kind === 'inner') plan.keepTrailing = true;
      else if (!plan || plan.kind === 'entry') this.keepTrailingOf.add(first);
    }
  }

}

function itemStart(item: { start: CST.SourceToken[]; key?: CST.Token | null; sep?: CST.SourceToken[]; value?: CST.Token }): number | undefined {
  for (const token of item.start) if (!SKIPPED.has(token.type)) return token.offset;
  if (item.key) return tokenOffset(item.key);
  for (const token of item.sep ?? []) if (!SKIPPED.has(token.type)) return token.offset;
  return item.value ? tokenOffset(item.value) : undefined;
}

function firstItemStart(token: CST.BlockMap | CST.BlockSequence): number | undefined {
  for (const item of token.items) {
    const start = itemStart(item);
    if (start !== undefined) return start;
  }
  return undefined;
}

function tokenOffset(token: CST.Token): number {
  if (token.type === 'flow-collection') return token.start.offset;
  if (token.type === 'block-map' || token.type === 'block-seq') return firstItemStart(token) ?? token.offset;
  if (token.type === 'block-scalar') return token.props[0]?.offset ?? token.offset;
  return 'offset' in token ? token.offset : 0;
}

/** The indentation of a block scalar's content: its least indented non-blank line. */
function blockIndent(lines: Lines, first: number, last: number): number {
  let indent = Infinity;
  for (let line = first; line <= last; line++) {
    const text = lines.texts[line]!;
    const spaces = leadingSpaces(text);
    if (spaces < text.length && text.trim() !== '') indent = Math.min(indent, spaces);
  }
  return indent === Infinity ? 0 : indent;
}

function leadingSpaces(text: string): number {
  let count = 0;
  while (count < text.length && text.charCodeAt(count) === 32) count++;
  return count;
}

function trimEnd(text: string): string {
  return text.replace(/[ \t]+$/, '');
}

function render(lines: Lines, planner: Planner): string {
  const count = lines.texts.length;
  const output: (string | undefined)[] = new Array(count);
  const newIndent: (number | undefined)[] = new Array(count);
  const oldIndent: (number | undefined)[] = new Array(count);
  const comments: number[] = [];
  for (let line = 0; line < count; line++) {
    const text = lines.texts[line]!;
    const plan = planner.plans.get(line);
    const spaces = leadingSpaces(text);
    if (!plan) {
      if (text.trim() === '') output[line] = '';
      else if (text[spaces] === '#') comments.push(line);
      else output[line] = trimEnd(text); // document markers and directives
      continue;
    }
    if (plan.kind === 'verbatim') {
      if (plan.delta === 0) output[line] = text;
      else if (text.trim() === '') {
        const kept = spaces > plan.contentIndent ? spaces + plan.delta : Math.min(spaces, plan.contentIndent + plan.delta);
        output[line] = ' '.repeat(Math.max(0, kept)) + text.slice(spaces);
      } else output[line] = ' '.repeat(Math.max(0, spaces + plan.delta)) + text.slice(spaces);
      continue;
    }
    if (text.trim() === '') {
      output[line] = plan.kind === 'inner' && plan.keepTrailing ? text : '';
      continue;
    }
    const indent = plan.kind === 'entry' ? plan.indent : Math.max(0, spaces + plan.delta);
    const rest = text.slice(spaces);
    const keep = (plan.kind === 'inner' && plan.keepTrailing) || planner.keepTrailingOf.has(line);
    output[line] = ' '.repeat(indent) + (keep ? rest : trimEnd(rest));
    oldIndent[line] = spaces;
    newIndent[line] = indent;
  }
  for (const line of comments) {
    const text = lines.texts[line]!;
    const column = leadingSpaces(text);
    let next = line + 1;
    while (next < count && newIndent[next] === undefined) next++;
    let previous = line - 1;
    while (previous >= 0 && newIndent[previous] === undefined) previous--;
    let indent = column;
    if (next < count && oldIndent[next] === column) indent = newIndent[next]!;
    else if (previous >= 0 && oldIndent[previous] === column) indent = newIndent[previous]!;
    else if (next < count) indent = Math.max(0, column + newIndent[next]! - oldIndent[next]!);
    output[line] = ' '.repeat(indent) + trimEnd(text.slice(column));
  }
  // One final newline (blank lines that a `|+` scalar keeps at the end are content).
  const eol = lines.crlf.some((cr) => cr) ? '\r\n' : '\n';
  let end = count;
  const keepBlankTail = planner.keepUntil >= 0 && lines.text.slice(planner.keepUntil).trim() === '';
  if (keepBlankTail) {
    if (output[end - 1] === '') end--; // the empty piece after the last line break
  } else while (end > 0 && output[end - 1] === '') end--;
  let result = '';
  // Lines keep their own line break; the last line of the file gets one.
  for (let line = 0; line < end; line++) result += output[line] + (line < count - 1 ? (lines.crlf[line] ? '\r\n' : '\n') : eol);
  return result;
}

/** Per-line edits turning `text` into `formatted`, which has the same lines up to its end. */
function lineEdits(document: TextDocument, text: string, formatted: string): TextEdit[] {
  const oldLines = new Lines(text);
  const newLines = new Lines(formatted);
  // The formatted text ends with a line break: its last "line" is empty.
  const kept = newLines.texts.length - 1;
  const edits: TextEdit[] = [];
  const common = Math.min(kept, oldLines.texts.length);
  for (let line = 0; line < common; line++) {
    if (oldLines.texts[line] === newLines.texts[line]) continue;
    edits.push({ range: { start: { line, character: 0 }, end: { line, character: oldLines.texts[line]!.length } }, newText: newLines.texts[line]! });
  }
  // The tail: from the end of the last kept line to the end of the document.
  const tailStart = kept === 0 ? 0 : oldLines.starts[kept - 1]! + oldLines.texts[kept - 1]!.length;
  const newTail = kept === 0 ? formatted : formatted.slice(newLines.starts[kept - 1]! + newLines.texts[kept - 1]!.length);
  const oldTail = kept > oldLines.texts.length ? undefined : text.slice(tailStart);
  if (oldTail === undefined) {
    // More lines than before cannot happen (only blank lines are removed); replace everything to be safe.
    return [{ range: { start: document.positionAt(0), end: document.positionAt(text.length) }, newText: formatted }];
  }
  if (oldTail !== newTail) edits.push({ range: { start: document.positionAt(tailStart), end: document.positionAt(text.length) }, newText: newTail });
  return edits;
}
