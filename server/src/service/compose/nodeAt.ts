/**
 * The parsed node under an offset, with its path: for hover and other
 * features that point at text already written (completion, which works on
 * text being written, uses cursor.ts).
 */

import type { ParsedComposeFile } from '../../compose';
import type { PathSegment } from '../../compose/schema';
import type { ComposeNode, ComposePair } from '../../compose/types';

/** The root of the YAML document holding `offset` (the last one starting before it). */
export function rootAt(parsed: ParsedComposeFile, offset: number): ComposeNode | undefined {
  let found: ComposeNode | undefined;
  for (const document of parsed.documents) {
    const root = document.root;
    if (!root) continue;
    if (root.range.start <= offset || found === undefined) found = root;
    if (root.range.start <= offset && offset <= root.range.end) return root;
  }
  return found;
}

export interface NodeAtOffset {
  /** Path of the key or value under the offset. */
  path: PathSegment[];
  /** On a mapping key: its pair. */
  keyOf?: ComposePair;
  /** On a value: the deepest node holding the offset. */
  node?: ComposeNode;
  /** The pair whose value holds the offset (the value's key), when the value is a mapping's. */
  pair?: ComposePair;
}

const within = (range: { start: number; end: number }, offset: number): boolean => range.start <= offset && offset <= range.end;

/**
 * The key or the deepest value under `offset` in `root`. Nodes from other
 * files (merge keys never bring those, but be safe) are skipped: their ranges
 * index another text.
 */
export function nodeAtOffset(root: ComposeNode | undefined, offset: number, file: string): NodeAtOffset | undefined {
  if (!root || !within(root.range, offset)) return undefined;
  const path: PathSegment[] = [];
  let node: ComposeNode = root;
  let pair: ComposePair | undefined;
  for (;;) {
    if (node.kind === 'map') {
      let next: ComposePair | undefined;
      for (const candidate of node.pairs) {
        if (candidate.file !== file) continue;
        if (candidate.keyRange.start <= offset && offset <= candidate.keyRange.end) return { path: [...path, candidate.key], keyOf: candidate };
        if (candidate.value.file === file && within(candidate.value.range, offset) && candidate.value.range.end > candidate.value.range.start) next = candidate;
      }
      if (!next) return { path, node, ...(pair ? { pair } : {}) };
      path.push(next.key);
      pair = next;
      node = next.value;
      continue;
    }
    if (node.kind === 'seq') {
      const index = node.items.findIndex((item) => item.file === file && within(item.range, offset) && item.range.end > item.range.start);
      if (index < 0) return { path, node, ...(pair ? { pair } : {}) };
      path.push(index);
      pair = undefined;
      node = node.items[index]!;
      continue;
    }
    return { path, node, ...(pair ? { pair } : {}) };
  }
}
