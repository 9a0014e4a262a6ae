/**
 * What a compose file (or a `.env` file of its project) says to skip, in
 * comments, as `# hadolint ignore=` does for Dockerfiles:
 *
 *   # berth ignore=undefined-service,port-conflict
 *   depends_on: [db]                  ← those codes are not reported on this line
 *
 *   # berth global ignore=obsolete-version   (anywhere: the whole file)
 *
 * The ignore pragma counts in the block of comment lines right above the line
 * a finding starts on (a blank line ends the block). Lines inside block
 * scalars (`|`, `>`) are text, not comments: a finding inside one counts as
 * being on the scalar's first line, and the pragma goes above that line.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { parseComposeFile, type ComposeNode, type ParsedComposeFile } from '../compose';

export interface ComposePragmas {
  /** `# berth global ignore=…`. */
  global: ReadonlySet<string>;
  /** Codes ignored per line (0-based), from the comment block above that line. */
  byLine: ReadonlyMap<number, ReadonlySet<string>>;
  /** Where each line starts (offsets), to turn a finding's offset into its line. */
  lineStarts: readonly number[];
  /** Lines inside block scalars, mapped to the scalar's first line. */
  scalarLines: ReadonlyMap<number, number>;
}

const NONE: ComposePragmas = { global: new Set(), byLine: new Map(), lineStarts: [0], scalarLines: new Map() };
const MENTIONS_BERTH = /#[ \t]*berth\b/i;
const MAY_HAVE_BLOCK_SCALAR = /[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/m;
const IGNORE = /^#[ \t]*berth[ \t]+ignore[ \t]*=[ \t]*([\w \t,-]*?)[ \t]*$/i;
const GLOBAL_IGNORE = /^#[ \t]*berth[ \t]+global[ \t]+ignore[ \t]*=[ \t]*([\w \t,-]*?)[ \t]*$/i;

function codes(list: string): string[] {
  return list
    .split(/[\s,]+/)
    .map((code) => code.trim())
    .filter(Boolean);
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The 0-based line of an offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Lines (0-based) inside block scalars, where `#` is text, each mapped to the
 * scalar's first line: a finding inside one is silenced by a pragma above that line.
 */
function blockScalarLines(documents: readonly { root: ComposeNode | undefined }[], lineStarts: readonly number[]): Map<number, number> {
  const lines = new Map<number, number>();
  const seen = new Set<ComposeNode>();
  const visit = (node: ComposeNode | undefined): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'scalar') {
      if (node.style !== 'literal' && node.style !== 'folded') return;
      const first = lineOf(lineStarts, node.range.start);
      const last = lineOf(lineStarts, Math.max(node.range.start, node.range.end - 1));
      for (let line = first + 1; line <= last; line++) lines.set(line, first);
    } else if (node.kind === 'map') for (const pair of node.pairs) visit(pair.value);
    else for (const item of node.items) visit(item);
  };
  for (const document of documents) visit(document.root);
  return lines;
}

/** Reads the pragmas of a file; `parsed` (for a compose file) tells block scalars from comments. */
export function readComposePragmas(text: string, parsed?: Pick<ParsedComposeFile, 'documents'>): ComposePragmas {
  // Most files have none: one search, no line splitting.
  if (!MENTIONS_BERTH.test(text)) return NONE;
  const lineStarts = lineStartsOf(text);
  const scalarLines = parsed ? blockScalarLines(parsed.documents, lineStarts) : new Map<number, number>();
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  let pending: Set<string> | undefined;
  for (let line = 0; line < lineStarts.length; line++) {
    if (scalarLines.has(line)) continue;
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! - 1 : text.length;
    const content = text.slice(lineStarts[line], end).trim();
    if (content === '') {
      pending = undefined;
      continue;
    }
    if (content.startsWith('#')) {
      const globalMatch = GLOBAL_IGNORE.exec(content);
      if (globalMatch) for (const code of codes(globalMatch[1]!)) global.add(code);
      const local = globalMatch ? undefined : IGNORE.exec(content);
      if (local) for (const code of codes(local[1]!)) (pending ??= new Set()).add(code);
      continue;
    }
    if (pending) byLine.set(line, pending);
    pending = undefined;
  }
  return { global, byLine, lineStarts, scalarLines };
}

/** Whether a finding with `code` starting at `offset` is silenced by the file's pragmas. */
export function isSuppressed(pragmas: ComposePragmas, code: string, offset: number): boolean {
  if (pragmas === NONE) return false;
  if (pragmas.global.has(code)) return true;
  if (pragmas.byLine.size === 0) return false;
  const line = lineOf(pragmas.lineStarts, offset);
  return pragmas.byLine.get(pragmas.scalarLines.get(line) ?? line)?.has(code) === true;
}

/**
 * The edit that silences `code`: on the line the diagnostic starts on
 * (`scope: 'line'`: a `# berth ignore=` comment above it, indented like it, or
 * the code added to such a comment already there) or in the whole file
 * (`scope: 'file'`: `# berth global ignore=` on the first line, or added to
 * the one the file has). For compose quick fixes.
 */
export function composeSuppressionEdits(text: string, diagnosticRange: Range, code: string, scope: 'line' | 'file'): TextEdit[] {
  const lineStarts = lineStartsOf(text);
  const lineText = (line: number) => {
    const start = lineStarts[line] ?? text.length;
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! - 1 : text.length;
    return text.slice(start, end).replace(/\r$/, '');
  };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  /** Adds the code at the end of an existing pragma's list. */
  const extend = (line: number, list: string): TextEdit[] => {
    const existing = codes(list);
    if (existing.includes(code)) return [];
    const at = { line, character: lineText(line).trimEnd().length };
    return [{ range: { start: at, end: at }, newText: `${existing.length === 0 ? '' : ','}${code}` }];
  };
  if (scope === 'file') {
    for (let line = 0; line < lineStarts.length; line++) {
      const content = lineText(line).trim();
      const match = GLOBAL_IGNORE.exec(content);
      if (match) return extend(line, match[1]!);
    }
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# berth global ignore=${code}${newline}` }];
  }
  const line = Math.min(Math.max(diagnosticRange.start.line, 0), lineStarts.length - 1);
  // Inside a block scalar a comment would be text: the pragma goes above the scalar's first line.
  const target = MAY_HAVE_BLOCK_SCALAR.test(text) ? (blockScalarLines(parseComposeFile(text).documents, lineStarts).get(line) ?? line) : line;
  for (let line = target - 1; line >= 0; line--) {
    const content = lineText(line).trim();
    if (!content.startsWith('#')) break;
    const match = IGNORE.exec(content);
    if (match) return extend(line, match[1]!);
  }
  const indent = /^[ \t]*/.exec(lineText(target))![0];
  return [{ range: { start: { line: target, character: 0 }, end: { line: target, character: 0 } }, newText: `${indent}# berth ignore=${code}${newline}` }];
}
