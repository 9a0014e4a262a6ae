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
  if (mapping === undefined) return identity;
  if (typeof mapping === 'number') {
    const base = mapping;
    return base === 0 ? identity : (offset) => base + offset;
  }
  if (typeof mapping === 'function') return guarded(mapping);
  return segmentMapper(mapping);
}

/** A caller's function must not break the never-throwing parser: fall back to the script offset. */
function guarded(map: OffsetMapper): OffsetMapper {
  return (offset) => {
    try {
      const mapped = map(offset);
      return Number.isFinite(mapped) ? mapped : offset;
    } catch {
      return offset;
    }
  };
}

/** Maps a script range; empty ranges map their start. Without a mapping the range itself is returned. */
export function mapRange(mapper: OffsetMapper, range: Range): Range {
  if (mapper === identity) return range;
  const start = mapper(range.start);
  const end = range.end > range.start ? mapper(range.end - 1) + 1 : start;
  return { start, end: Math.max(start, end) };
}

/**
 * Offsets inside a segment map linearly; offsets past a segment's end (the end of
 * the script, or a gap the caller left) map to that segment's end; offsets before
 * the first segment map to its start.
 */
function segmentMapper(input: readonly OffsetSegment[]): OffsetMapper {
  // Callers pass them in order as a rule; copy and sort only when they are not.
  let ordered = true;
  for (let i = 1; i < input.length && ordered; i++) ordered = input[i - 1]!.scriptStart <= input[i]!.scriptStart;
  const segments = ordered ? input : [...input].sort((a, b) => a.scriptStart - b.scriptStart);
  if (segments.length === 0) return identity;
  // Parsers ask in roughly increasing order, so try the previous answer first.
  let last = 0;
  const find = (offset: number): number => {
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
    last = low;
    return low;
  };
  return (offset) => {
    const segment = segments[find(offset)]!;
    const delta = Math.min(Math.max(offset - segment.scriptStart, 0), segment.length);
    return segment.docStart + delta;
  };
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
