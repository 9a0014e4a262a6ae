/**
 * Constructors for tree nodes. Every node of a kind is built here with the same
 * properties in the same order, so the JavaScript engine sees one object shape
 * per kind and property reads stay fast in the hot loops (readers, merging,
 * checks); optional properties are present and `undefined` when unused,
 * `memo` (memo.ts) included.
 */

import { NODE_UNKNOWN, type ComposeMap, type ComposeNode, type ComposePair, type ComposeScalar, type ComposeSeq, type ScalarStyle, type ScalarValue, type TextRange } from './types';

export function makeScalar(file: string, range: TextRange, raw: ScalarValue, value: ScalarValue, style: ScalarStyle, tag?: string, empty?: true, unresolved?: string[]): ComposeScalar {
  return { kind: 'scalar', file, range, tag, raw, value, style, empty, unresolved, memo: undefined };
}

export function makeMap(file: string, range: TextRange, pairs: ComposePair[], flags: number = NODE_UNKNOWN, tag?: string): ComposeMap {
  return { kind: 'map', file, range, tag, pairs, index: undefined, flags, memo: undefined };
}

export function makeSeq(file: string, range: TextRange, items: ComposeNode[], flags: number = NODE_UNKNOWN, tag?: string): ComposeSeq {
  return { kind: 'seq', file, range, tag, items, flags, memo: undefined };
}

export function makePair(key: string, keyRange: TextRange, file: string, value: ComposeNode, also?: { file: string; keyRange: TextRange }[]): ComposePair {
  return { key, keyRange, file, value, also };
}

/** A pair with another value (same key and origin). */
export function withValue(pair: ComposePair, value: ComposeNode): ComposePair {
  return { key: pair.key, keyRange: pair.keyRange, file: pair.file, value, also: pair.also };
}
