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
    private readonly logicalStarts: readonly number[],
    private readonly sourceStarts: readonly number[],
    private readonly lengths: readonly number[],
  ) {}

  /** A logical line that is a plain slice of the document. */
  static fromSlice(source: string, start: number, end: number): LogicalLine {
    return new LogicalLine(source.slice(start, end), start, NO_SEGMENTS, NO_SEGMENTS, NO_SEGMENTS);
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
      SCRATCH_LOGICAL_STARTS[i] = logical;
      SCRATCH_SOURCE_STARTS[i] = start;
      SCRATCH_LENGTHS[i] = length;
      logical += length;
    }
    // Copies of the right length (arrays grown by pushes keep room for more, several times what a line needs).
    const line = new LogicalLine(text, -1, SCRATCH_LOGICAL_STARTS.slice(0, count), SCRATCH_SOURCE_STARTS.slice(0, count), SCRATCH_LENGTHS.slice(0, count));
    if (count > SCRATCH_KEPT) {
      // An instruction continued over thousands of lines: do not hold on to that much scratch space.
      SCRATCH_LOGICAL_STARTS.length = SCRATCH_SOURCE_STARTS.length = SCRATCH_LENGTHS.length = 0;
    }
    return line;
  }

  /** The same line for a document where its text starts `shift` code units later. */
  shifted(shift: number): LogicalLine {
    if (this.sliceStart >= 0) return new LogicalLine(this.text, this.sliceStart + shift, NO_SEGMENTS, NO_SEGMENTS, NO_SEGMENTS);
    return new LogicalLine(this.text, -1, this.logicalStarts, this.sourceStarts.map((start) => start + shift), this.lengths);
  }

  /**
   * How the text from logical index `base` on maps to the document, in the form
   * the shell parser takes (`parseShell`'s `offsets`): a document offset when the
   * line is one slice, else its pieces. Maps exactly as `sourceOffset(base + i)`,
   * without a function call per offset.
   */
  offsetsFrom(base: number): number | { scriptStart: number; docStart: number; length: number }[] {
    if (this.sliceStart >= 0) return this.sliceStart + base;
    return this.logicalStarts.map((start, index) => ({ scriptStart: start - base, docStart: this.sourceStarts[index]!, length: this.lengths[index]! }));
  }

  /** Number of physical line pieces this line was joined from. */
  get segmentCount(): number {
    return this.sliceStart >= 0 ? 1 : this.lengths.length;
  }

  /** Document offset of the character at logical `index` (for range starts). */
  sourceOffset(index: number): number {
    const i = this.clamp(index);
    if (this.sliceStart >= 0) return this.sliceStart + i;
    // Last segment starting at or before i: at a boundary this picks the next
    // line's piece, which is where the character at i really is.
    let low = 0;
    let high = this.logicalStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.logicalStarts[mid] <= i) low = mid;
      else high = mid - 1;
    }
    return this.sourceStarts[low] + Math.min(i - this.logicalStarts[low], this.lengths[low]);
  }

  /** Document offset just after the character at logical `index - 1` (for range ends). */
  sourceEnd(index: number): number {
    const i = this.clamp(index);
    if (this.sliceStart >= 0) return this.sliceStart + i;
    // First segment ending at or after i: at a boundary this stays on the
    // earlier line, so a range never swallows the continuation that follows it.
    let low = 0;
    let high = this.logicalStarts.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.logicalStarts[mid] + this.lengths[mid] >= i) high = mid;
      else low = mid + 1;
    }
    return this.sourceStarts[low] + Math.max(0, Math.min(i - this.logicalStarts[low], this.lengths[low]));
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
const SCRATCH_LOGICAL_STARTS: number[] = [];
const SCRATCH_SOURCE_STARTS: number[] = [];
const SCRATCH_LENGTHS: number[] = [];
