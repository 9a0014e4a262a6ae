/**
 * Parsing a compose file again after an edit by re-reading only the entries
 * the edit touched: the edit is found by comparing the texts (common prefix
 * and suffix); starting from the root mapping, while it lies inside one
 * entry's block mapping (one service under `services:`, then one key of that
 * service...) the reading goes down a level; at the deepest such level the
 * entries overlapping the edit are read again from the new text
 * (`fastReadEntries`), and every other entry keeps its tree. Nodes after the
 * edit are moved by the length difference IN PLACE (their range objects are
 * updated), so they stay the same objects from version to version: caches
 * keyed by node hold across keystrokes. The previous parse is therefore
 * consumed: its nodes after the edit belong to the new version, and it is
 * never used as a base again.
 *
 * Whenever the outcome could differ from a fresh parse it gives up
 * (undefined) and the caller parses the whole text: a previous parse that was
 * not the fast reader's, had problems or several documents; an edit outside a
 * block mapping's entries (between the root's keys and the first one, in a
 * flow collection or a block sequence, at a merge key); entries that no
 * longer end where the next one starts; a key now written twice; an anchor
 * defined in the re-read text (before or after the edit) that an alias after
 * it uses; anything the fast reader itself gives up on, or any problem in the
 * re-read text. A test holds the result to a fresh parse over random edits of
 * generated compose files (test/unit/compose-incremental-parse.test.ts).
 */

import { commonPrefix, commonSuffix } from '../../dockerfile/textDiff';
import { makeMap, makePair } from '../nodes';
import type { AnchorMark, ComposeMap, ComposeNode, ComposePair, TextRange } from '../types';
import { firstMarkAt, nodeFlags, NODE_SHARED } from '../types';
import { getPair } from '../tree';
import { hasMergedPairs, MAX_EXPANDED_NODES, type AnchorTarget } from './builder';
import { fastReadEntries, LONE_CR, SUSPICIOUS } from './fastReader';

/** What a fast-read parse keeps for the next version to be read from it. */
export interface IncrementalBase {
  file: string;
  text: string;
  root: ComposeMap;
  anchors: readonly AnchorMark[];
  targets: readonly AnchorTarget[];
  /** Nodes aliases expanded to; after an edit, an upper bound (what the re-read text expanded to is added, what it replaced is not taken off). */
  expanded: number;
  consumed: boolean;
}

export interface IncrementalResult {
  root: ComposeMap;
  anchors: AnchorMark[];
  /** Kept for the version after this one. */
  base: IncrementalBase;
}

/** A block mapping the edit lies inside, and which of its entries holds it. */
interface Level {
  map: ComposeMap;
  /** Index of the entry the next level is the value of. */
  entry: number;
}

/** The previous parse's root after the edit, or undefined when only a fresh parse is certain to be right. */
export function reparseIncrementally(base: IncrementalBase, text: string, file: string): IncrementalResult | undefined {
  if (base.consumed || base.file !== file) return undefined;
  const old = base.text;
  // The edit: old [start, oldEnd) became new [start, newEnd).
  const start = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - start);
  const oldEnd = old.length - suffix;
  const newEnd = text.length - suffix;
  const delta = text.length - old.length;
  const around = text.slice(Math.max(0, start - 1), newEnd + 1);
  if (SUSPICIOUS.test(text.slice(start, newEnd)) || (around.includes('\r') && LONE_CR.test(around))) return undefined;

  // Go down while the edit lies inside one entry's block mapping.
  const path: Level[] = [];
  let map = base.root;
  let regionEnd = old.length;
  let first: number;
  let last: number;
  for (;;) {
    if (hasMergedPairs(map) || map.tag !== undefined) return undefined;
    const pairs = map.pairs;
    if (pairs.length === 0) return undefined;
    // Entries i..j-1 overlap the edit: i is the last entry starting at or before it, j the first starting after it.
    first = lastStartingAtOrBefore(pairs, start);
    if (first < 0) return undefined;
    // An entry is kept only if its line, indentation included, is after the edit.
    last = first + 1;
    while (last < pairs.length && lineStartOf(old, pairs[last]!.keyRange.start) < oldEnd) last++;
    if (last !== first + 1) break;
    const pair = pairs[first]!;
    const value = pair.value;
    const entryEnd = last < pairs.length ? pairs[last]!.keyRange.start : regionEnd;
    if (!isInnerBlockMap(value, pair, old, base.anchors) || start < value.pairs[0]!.keyRange.start || value.range.end > entryEnd) break;
    path.push({ map, entry: first });
    map = value;
    regionEnd = entryEnd;
  }
  const pairs = map.pairs;
  const from = pairs[first]!.keyRange.start;
  const until = last < pairs.length ? pairs[last]!.keyRange.start : regionEnd;
  if (until < oldEnd) return undefined;
  if (until < old.length) {
    // The line of what follows must still start where it did.
    const lineStart = lineStartOf(old, until);
    if (lineStart < oldEnd || (lineStart === oldEnd && lineStart > 0 && text.charCodeAt(lineStart + delta - 1) !== 0x0a)) return undefined;
  }
  const indent = from - lineStartOf(old, from);

  // Anchors: those defined before the re-read text, as it starts; the re-read ones must not be used after it.
  const marks = base.anchors;
  const firstAfter = firstMarkAt(marks, until);
  const oldNames = anchorNames(marks, firstMarkAt(marks, from), firstAfter);
  const anchors = new Map<string, ComposeNode>();
  for (const target of base.targets) if (target.start < from) anchors.set(target.name, target.node);
  const read = fastReadEntries(text, file, { from, lineStart: from - indent, indent, until: until + delta, depth: path.length + 1, anchors, expanded: base.expanded });
  if (!read || read.expanded > MAX_EXPANDED_NODES) return undefined;
  const newNames = anchorNames(read.marks, 0, read.marks.length);
  if (oldNames.size > 0 || newNames.size > 0) {
    for (let i = firstAfter; i < marks.length; i++) {
      const mark = marks[i]!;
      if (mark.kind === 'alias' && (oldNames.has(mark.name) || newNames.has(mark.name))) return undefined;
    }
  }
  const replaced = pairs.slice(first, last);
  if (!keysStayUnique(map, replaced, read.pairs)) return undefined;
  // Without entries left at the end, where the mapping ends is not known here.
  if (read.pairs.length === 0 && last === pairs.length) return undefined;

  // From here on the previous parse is changed: nodes after the edit move.
  base.consumed = true;
  const mover = new Mover(oldEnd, delta, firstAfter < marks.length && marks.slice(firstAfter).some((mark) => mark.kind === 'anchor'));
  const kept = pairs.slice(last);
  for (const pair of kept) mover.pair(pair);
  let node = rebuilt([...pairs.slice(0, first), ...read.pairs, ...kept], last === pairs.length ? read.end : map.range.end + delta, file);
  for (let level = path.length - 1; level >= 0; level--) {
    const { map: parent, entry } = path[level]!;
    const parentPairs = parent.pairs;
    const after = parentPairs.slice(entry + 1);
    for (const pair of after) mover.pair(pair);
    const own = parentPairs[entry]!;
    const newPairs = [...parentPairs.slice(0, entry), makePair(own.key, own.keyRange, own.file, node, own.also), ...after];
    node = rebuilt(newPairs, after.length === 0 ? Math.max(own.keyRange.end, node.range.end) : parent.range.end + delta, file);
  }

  const anchorsAfter = marks.slice(firstAfter).map((mark) => ({ kind: mark.kind, name: mark.name, range: { start: mark.range.start + delta, end: mark.range.end + delta }, document: mark.document }));
  const newMarks = [...marks.slice(0, firstMarkAt(marks, from)), ...read.marks, ...anchorsAfter];
  const targets: AnchorTarget[] = [];
  for (const target of base.targets) if (target.start < from) targets.push(target);
  targets.push(...read.targets);
  for (const target of base.targets) if (target.start >= until) targets.push({ name: target.name, start: target.start + delta, node: target.node });
  const root = node;
  return {
    root,
    anchors: newMarks,
    base: { file, text, root, anchors: newMarks, targets, expanded: read.expanded, consumed: false },
  };
}

/** A block mapping written in the entry's own text, with at least two entries, no anchor, no tag and no alias to it. */
function isInnerBlockMap(value: ComposeNode, pair: ComposePair, text: string, marks: readonly AnchorMark[]): value is ComposeMap {
  if (value.kind !== 'map' || value.tag !== undefined || value.pairs.length < 2 || ((value.flags ?? 0) & NODE_SHARED) !== 0) return false;
  if (value.range.start < pair.keyRange.end) return false;
  const opening = text.charCodeAt(value.range.start);
  if (opening === 0x7b /* { */ || opening === 0x5b /* [ */) return false;
  // No `&anchor` between the key and the mapping.
  const mark = marks[firstMarkAt(marks, pair.keyRange.end)];
  return !mark || mark.range.start >= value.range.start;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lastStartingAtOrBefore(pairs: readonly ComposePair[], offset: number): number {
  let low = 0;
  let high = pairs.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (pairs[mid]!.keyRange.start <= offset) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function anchorNames(marks: readonly AnchorMark[], from: number, to: number): Set<string> {
  const names = new Set<string>();
  for (let i = from; i < to; i++) if (marks[i]!.kind === 'anchor') names.add(marks[i]!.name);
  return names;
}

/** The new entries' keys are distinct and written nowhere else in the mapping. */
function keysStayUnique(map: ComposeMap, replaced: readonly ComposePair[], added: readonly ComposePair[]): boolean {
  const seen = new Set<string>();
  // With every entry replaced (an edit over all of them), no other entry is left to clash with.
  const others = replaced.length === map.pairs.length ? undefined : new Set<ComposePair>(replaced);
  for (const pair of added) {
    if (seen.has(pair.key)) return false;
    seen.add(pair.key);
    if (!others) continue;
    // The previous mapping had no duplicates (its parse had no problems), so this is the only pair with the key.
    const existing = getPair(map, pair.key);
    if (existing && !others.has(existing)) return false;
  }
  return true;
}


/** The mapping as the reader builds it from these pairs (no merges, no duplicates, no tag). */
function rebuilt(pairs: ComposePair[], end: number, file: string): ComposeMap {
  let flags = 0;
  for (const pair of pairs) flags |= nodeFlags(pair.value);
  return makeMap(file, { start: pairs[0]!.keyRange.start, end }, pairs, flags);
}

/**
 * Moves the ranges of nodes written after the edit by `delta`, in place. A
 * node reached through an alias whose anchor is before the edit is not moved
 * (nor is anything in it); when anchors are written after the edit, a node
 * can be reached twice, so moved ranges are remembered.
 */
class Mover {
  private readonly moved: Set<TextRange> | undefined;

  constructor(
    private readonly after: number,
    private readonly delta: number,
    shared: boolean,
  ) {
    this.moved = shared ? new Set() : undefined;
  }

  pair(pair: ComposePair): void {
    if (this.delta === 0) return;
    this.range(pair.keyRange);
    this.node(pair.value);
  }

  private range(range: TextRange): boolean {
    if (range.start < this.after) return false;
    if (this.moved) {
      if (this.moved.has(range)) return false;
      this.moved.add(range);
    }
    range.start += this.delta;
    range.end += this.delta;
    return true;
  }

  private node(node: ComposeNode): void {
    // A node starting before the edit (an alias's anchor) and all in it stay.
    if (!this.range(node.range)) return;
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        this.range(pair.keyRange);
        this.node(pair.value);
      }
    } else if (node.kind === 'seq') {
      for (const item of node.items) this.node(item);
    }
  }
}
