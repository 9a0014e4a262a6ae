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
    if (segments.length === 0) return LogicalLine.fromSlice(source, 0, 0);
    if (segments.length === 1) return LogicalLine.fromSlice(source, segments[0][0], segments[0][1]);
    const parts: string[] = [];
    const logicalStarts: number[] = [];
    const sourceStarts: number[] = [];
    const lengths: number[] = [];
    let logical = 0;
    for (const [start, end] of segments) {
      parts.push(source.slice(start, end));
      logicalStarts.push(logical);
      sourceStarts.push(start);
      lengths.push(end - start);
      logical += end - start;
    }
    return new LogicalLine(parts.join(''), -1, logicalStarts, sourceStarts, lengths);
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
