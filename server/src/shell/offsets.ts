/**
 * Mapping script offsets back to document offsets.
 *
 * The script the shell parser sees is rarely a verbatim slice of the document:
 * the Dockerfile parser drops `\` + newline continuations (and comment lines
 * inside them) when it joins a RUN instruction. The caller describes where each
 * script character came from with one of:
 *
 * - nothing: the script *is* the document (offsets are equal);
 * - a number: the script is one verbatim slice starting at that document offset
 *   (a one-line RUN, a heredoc body);
 * - segments: verbatim stretches `{ scriptStart, docStart, length }`, usually
 *   built with `ScriptBuilder` while joining lines;
 * - a function: anything else.
 *
 * Range ends map through their last character (`map(end - 1) + 1`) so that a
 * range ending at a join does not swallow the removed continuation.
 */
import type { Range } from './ast';

/** A stretch of the script copied verbatim from the document. */
export interface OffsetSegment {
  scriptStart: number;
  docStart: number;
  length: number;
}

export type OffsetMapping = number | readonly OffsetSegment[] | ((scriptOffset: number) => number);

export type OffsetMapper = (scriptOffset: number) => number;

const identity: OffsetMapper = (offset) => offset;

export function createOffsetMapper(mapping: OffsetMapping | undefined): OffsetMapper {
  const mapper = createRangeMapper(mapping);
  return mapper === IDENTITY ? identity : (offset) => mapper.offset(offset);
}

/** Maps a script range; empty ranges map their start. Without a mapping the range itself is returned. */
export function mapRange(mapper: OffsetMapper, range: Range): Range {
  if (mapper === identity) return range;
  const start = mapper(range.start);
  const end = range.end > range.start ? mapper(range.end - 1) + 1 : start;
  return { start, end: Math.max(start, end) };
}

/**
 * What the parser maps with: `mapRange` and the mapper in one object per
 * mapping kind, so that mapping a range makes no call through a closure.
 */
export interface RangeMapper {
  offset(scriptOffset: number): number;
  /** As `mapRange` maps. */
  range(range: Range): Range;
}

const IDENTITY: RangeMapper = {
  offset: (offset) => offset,
  range: (range) => range,
};

export function createRangeMapper(mapping: OffsetMapping | undefined): RangeMapper {
  if (mapping === undefined) return IDENTITY;
  if (typeof mapping === 'number') return mapping === 0 ? IDENTITY : new ShiftMapper(mapping);
  if (typeof mapping === 'function') return new FunctionMapper(mapping);
  return mapping.length === 0 ? IDENTITY : new SegmentMapper(mapping);
}

/** One verbatim slice. */
class ShiftMapper implements RangeMapper {
  constructor(private readonly base: number) {}

  offset(offset: number): number {
    return this.base + offset;
  }

  range(range: Range): Range {
    const start = this.base + range.start;
    return { start, end: range.end > range.start ? this.base + range.end : start };
  }
}

/** A caller's function must not break the never-throwing parser: fall back to the script offset. */
class FunctionMapper implements RangeMapper {
  constructor(private readonly map: OffsetMapper) {}

  offset(offset: number): number {
    try {
      const mapped = this.map(offset);
      return Number.isFinite(mapped) ? mapped : offset;
    } catch {
      return offset;
    }
  }

  range(range: Range): Range {
    return rangeThrough(this, range);
  }
}

function rangeThrough(mapper: RangeMapper, range: Range): Range {
  const start = mapper.offset(range.start);
  const end = range.end > range.start ? mapper.offset(range.end - 1) + 1 : start;
  return { start, end: Math.max(start, end) };
}

/**
 * Offsets inside a segment map linearly; offsets past a segment's end (the end of
 * the script, or a gap the caller left) map to that segment's end; offsets before
 * the first segment map to its start.
 */
class SegmentMapper implements RangeMapper {
  private readonly segments: readonly OffsetSegment[];
  /** Parsers ask in roughly increasing order, so the previous answer is tried first. */
  private last = 0;

  constructor(input: readonly OffsetSegment[]) {
    // Callers pass them in order as a rule; copy and sort only when they are not.
    let ordered = true;
    for (let i = 1; i < input.length && ordered; i++) ordered = input[i - 1]!.scriptStart <= input[i]!.scriptStart;
    this.segments = ordered ? input : [...input].sort((a, b) => a.scriptStart - b.scriptStart);
  }

  offset(offset: number): number {
    const segment = this.segments[this.find(offset)]!;
    const delta = Math.min(Math.max(offset - segment.scriptStart, 0), segment.length);
    return segment.docStart + delta;
  }

  range(range: Range): Range {
    // As `rangeThrough`, with both ends looked up from the start's segment.
    const segments = this.segments;
    const first = this.find(range.start);
    const segment = segments[first]!;
    const start = segment.docStart + Math.min(Math.max(range.start - segment.scriptStart, 0), segment.length);
    if (range.end <= range.start) return { start, end: start };
    const last = range.end - 1;
    const next = segments[first + 1];
    const endSegment = next === undefined || last < next.scriptStart ? segment : segments[this.find(last)]!;
    const end = endSegment.docStart + Math.min(Math.max(last - endSegment.scriptStart, 0), endSegment.length) + 1;
    return { start, end: Math.max(start, end) };
  }

  private find(offset: number): number {
    const segments = this.segments;
    const last = this.last;
    const cached = segments[last]!;
    const next = segments[last + 1];
    if (offset >= cached.scriptStart && (next === undefined || offset < next.scriptStart)) return last;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid]!.scriptStart <= offset) low = mid;
      else high = mid - 1;
    }
    this.last = low;
    return low;
  }
}

/**
 * Builds a script from document pieces while recording where each came from,
 * e.g. one `append(lineText, lineStartOffset)` per physical line of a RUN.
 */
export class ScriptBuilder {
  private text = '';
  private readonly segments: OffsetSegment[] = [];

  append(piece: string, docStart: number): this {
    if (piece.length === 0) return this;
    const previous = this.segments[this.segments.length - 1];
    if (previous && previous.docStart + previous.length === docStart && previous.scriptStart + previous.length === this.text.length) {
      previous.length += piece.length;
    } else {
      this.segments.push({ scriptStart: this.text.length, docStart, length: piece.length });
    }
    this.text += piece;
    return this;
  }

  build(): { script: string; segments: OffsetSegment[] } {
    return { script: this.text, segments: this.segments.map((segment) => ({ ...segment })) };
  }
}
