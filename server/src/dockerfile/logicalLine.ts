/**
 * A logical line: the text Docker builds by joining an instruction's physical
 * lines (escape character and skipped lines removed), with a map from every
 * logical index back to its document offset.
 *
 * The map is a list of segments (one per contributing physical line), so
 * lookups are a binary search: linear-time parsing stays linear even for an
 * instruction continued over 100,000 lines.
 */

import type { TextRange, Token } from './types';

export class LogicalLine {
  private constructor(
    /** The joined text. */
    readonly text: string,
    /** Document offset of text[0] when the line is one plain slice (the common case), else -1. */
    private readonly sliceStart: number,
    /** Per piece, three numbers: where it starts in `text`, where in the document, and its length (one array per line, not three). */
    private readonly pieces: readonly number[],
  ) {}

  /** A logical line that is a plain slice of the document. */
  static fromSlice(source: string, start: number, end: number): LogicalLine {
    return new LogicalLine(source.slice(start, end), start, NO_SEGMENTS);
  }

  /** Joins document slices [start, end) into one logical line. */
  static build(source: string, segments: ReadonlyArray<readonly [number, number]>): LogicalLine {
    return LogicalLine.join(
      source,
      segments.map((segment) => segment[0]),
      segments.map((segment) => segment[1]),
      segments.length,
    );
  }

  /** Joins document slices [starts[i], ends[i]) for i < count into one logical line (the arrays are only read: a caller may reuse them). */
  static join(source: string, starts: ArrayLike<number>, ends: ArrayLike<number>, count: number): LogicalLine {
    if (count === 0) return LogicalLine.fromSlice(source, 0, 0);
    if (count === 1) return LogicalLine.fromSlice(source, starts[0]!, ends[0]!);
    let text = '';
    let logical = 0;
    for (let i = 0; i < count; i++) {
      const start = starts[i]!;
      const length = ends[i]! - start;
      text += source.slice(start, start + length);
      SCRATCH_PIECES[3 * i] = logical;
      SCRATCH_PIECES[3 * i + 1] = start;
      SCRATCH_PIECES[3 * i + 2] = length;
      logical += length;
    }
    // A copy of the right length (an array grown by pushes keeps room for more, several times what a line needs).
    const line = new LogicalLine(text, -1, SCRATCH_PIECES.slice(0, 3 * count));
    // An instruction continued over thousands of lines: do not hold on to that much scratch space.
    if (count > SCRATCH_KEPT) SCRATCH_PIECES.length = 0;
    return line;
  }

  /** The same line for a document where its text starts `shift` code units later. */
  shifted(shift: number): LogicalLine {
    if (this.sliceStart >= 0) return new LogicalLine(this.text, this.sliceStart + shift, NO_SEGMENTS);
    const pieces = this.pieces.slice();
    for (let i = 1; i < pieces.length; i += 3) pieces[i]! += shift;
    return new LogicalLine(this.text, -1, pieces);
  }

  /**
   * How the text from logical index `base` on maps to the document, in the form
   * the shell parser takes (`parseShell`'s `offsets`): a document offset when the
   * line is one slice, else its pieces. Maps exactly as `sourceOffset(base + i)`,
   * without a function call per offset.
   */
  offsetsFrom(base: number): number | { scriptStart: number; docStart: number; length: number }[] {
    if (this.sliceStart >= 0) return this.sliceStart + base;
    const pieces = this.pieces;
    const offsets: { scriptStart: number; docStart: number; length: number }[] = [];
    for (let i = 0; i < pieces.length; i += 3) offsets.push({ scriptStart: pieces[i]! - base, docStart: pieces[i + 1]!, length: pieces[i + 2]! });
    return offsets;
  }

  /** Number of physical line pieces this line was joined from. */
  get segmentCount(): number {
    return this.sliceStart >= 0 ? 1 : this.pieces.length / 3;
  }

  /** Document offset of the character at logical `index` (for range starts). */
  sourceOffset(index: number): number {
    const i = this.clamp(index);
    if (this.sliceStart >= 0) return this.sliceStart + i;
    // Last segment starting at or before i: at a boundary this picks the next
    // line's piece, which is where the character at i really is.
    const pieces = this.pieces;
    let low = 0;
    let high = pieces.length / 3 - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (pieces[3 * mid]! <= i) low = mid;
      else high = mid - 1;
    }
    return pieces[3 * low + 1]! + Math.min(i - pieces[3 * low]!, pieces[3 * low + 2]!);
  }

  /** Document offset just after the character at logical `index - 1` (for range ends). */
  sourceEnd(index: number): number {
    const i = this.clamp(index);
    if (this.sliceStart >= 0) return this.sliceStart + i;
    // First segment ending at or after i: at a boundary this stays on the
    // earlier line, so a range never swallows the continuation that follows it.
    const pieces = this.pieces;
    let low = 0;
    let high = pieces.length / 3 - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pieces[3 * mid]! + pieces[3 * mid + 2]! >= i) high = mid;
      else low = mid + 1;
    }
    return pieces[3 * low + 1]! + Math.max(0, Math.min(i - pieces[3 * low]!, pieces[3 * low + 2]!));
  }

  /** Document range of logical [start, end). Empty ranges stick to the preceding text. */
  sourceRange(start: number, end: number): TextRange {
    // The usual case, a range inside a line that is one slice of the document, without the lookups below.
    if (this.sliceStart >= 0 && start >= 0 && start < end && end <= this.text.length) return { start: this.sliceStart + start, end: this.sliceStart + end };
    if (end <= start) {
      const offset = this.sourceEnd(start);
      return { start: offset, end: offset };
    }
    return { start: this.sourceOffset(start), end: this.sourceEnd(end) };
  }

  /** A token for logical [start, end); `value` defaults to the logical text. */
  token(start: number, end: number, value?: string): Token {
    return {
      value: value ?? this.text.slice(start, end),
      range: this.sourceRange(start, end),
      logicalRange: { start, end },
    };
  }

  private clamp(index: number): number {
    return index < 0 ? 0 : index > this.text.length ? this.text.length : index;
  }
}

const NO_SEGMENTS: readonly number[] = [];
/** Where `join` writes a line's pieces before copying them out; kept between calls up to `SCRATCH_KEPT` pieces. */
const SCRATCH_KEPT = 1024;
const SCRATCH_PIECES: number[] = [];
