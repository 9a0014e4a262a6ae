/**
 * Conversion between document offsets (the parser's primary range
 * representation) and LSP-style `{ line, character }` positions.
 *
 * Lines are broken at `\r\n`, `\r` and `\n`, exactly like LSP text documents
 * (vscode-languageserver-textdocument), so positions agree with the editor even
 * though Docker itself only splits lines at `\n`. Characters are UTF-16 code
 * units, LSP's default position encoding.
 */

import type { TextRange } from './types';

export interface Position {
  line: number;
  character: number;
}

export interface PositionRange {
  start: Position;
  end: Position;
}

export class LineIndex {
  /**
   * `starts`: where each line starts, when the caller has found that already
   * (the parser's own line split, see `PhysicalLines.lspLineStarts`).
   */
  constructor(
    private readonly text: string,
    private starts?: number[],
  ) {}

  /** Computed on first use when the caller did not give them. */
  private get lineStarts(): number[] {
    return (this.starts ??= lineStartsOf(this.text));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of the first character of `line` (clamped to the document). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    return this.lineStarts[line];
  }

  /** Offset just before the line break of `line` (clamped to the document). */
  lineEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length - 1) return this.text.length;
    return this.beforeLineBreak(this.lineStarts[line + 1], this.lineStarts[line]);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    // Read once: a getter call per step of the search costs more than the search.
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }

  /** Offset of a position; characters past the end of a line clamp to before its line break. */
  offsetAt(position: Position): number {
    const starts = this.lineStarts;
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = starts[position.line]!;
    if (position.character <= 0) return lineStart;
    const nextLineStart = position.line + 1 < starts.length ? starts[position.line + 1]! : this.text.length;
    const offset = Math.min(lineStart + position.character, nextLineStart);
    return this.beforeLineBreak(offset, lineStart);
  }

  toPositionRange(range: TextRange): PositionRange {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  toTextRange(range: PositionRange): TextRange {
    return { start: this.offsetAt(range.start), end: this.offsetAt(range.end) };
  }

  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const code = this.text.charCodeAt(offset - 1);
      if (code !== 0x0a && code !== 0x0d) break;
      offset--;
    }
    return offset;
  }
}

/** Where each line starts: after `\r\n`, `\r` or `\n`. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    // The usual case: one native search per line rather than a look at every character.
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    } else if (code === 0x0a) {
      starts.push(i + 1);
    }
  }
  return starts;
}
