/**
 * Small helpers to read `ComposeNode` trees: lookups by key, typed values, and
 * the strings compose would see.
 */

import type { ComposeMap, ComposeNode, ComposePair, ComposeScalar, ComposeSeq } from './types';

const INDEX_THRESHOLD = 9;

/** The pair for `key` in a mapping (the last one, as duplicates are removed when reading). */
export function getPair(map: ComposeMap | undefined, key: string): ComposePair | undefined {
  if (!map) return undefined;
  const pairs = map.pairs;
  if (pairs.length < INDEX_THRESHOLD) {
    for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]!.key === key) return pairs[i];
    return undefined;
  }
  let index = map.index;
  if (!index || index.size > pairs.length) {
    index = new Map();
    for (const pair of pairs) index.set(pair.key, pair);
    map.index = index;
  }
  return index.get(key);
}

/** The value for `key` in `node` when it is a mapping. */
export function get(node: ComposeNode | undefined, key: string): ComposeNode | undefined {
  return node?.kind === 'map' ? getPair(node, key)?.value : undefined;
}

/** Follows a path of keys through mappings. */
export function getPath(node: ComposeNode | undefined, ...keys: string[]): ComposeNode | undefined {
  let current = node;
  for (const key of keys) current = get(current, key);
  return current;
}

export function asMap(node: ComposeNode | undefined): ComposeMap | undefined {
  return node?.kind === 'map' ? node : undefined;
}

export function asSeq(node: ComposeNode | undefined): ComposeSeq | undefined {
  return node?.kind === 'seq' ? node : undefined;
}

export function asScalar(node: ComposeNode | undefined): ComposeScalar | undefined {
  return node?.kind === 'scalar' ? node : undefined;
}

/** The scalar's value as compose reads a string field (numbers and booleans in their YAML spelling); undefined for null, collections and absent nodes. */
export function stringValue(node: ComposeNode | undefined): string | undefined {
  if (node?.kind !== 'scalar') return undefined;
  const value = node.value;
  if (value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Like `stringValue`, but undefined when interpolation left variables without a value (so the value is a guess). */
export function knownString(node: ComposeNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.unresolved) return undefined;
  return stringValue(node);
}

/** The number in a scalar (a YAML number or a numeric string); undefined otherwise or when not known. */
export function numberValue(node: ComposeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.unresolved) return undefined;
  if (typeof node.value === 'number') return node.value;
  if (typeof node.value === 'string' && /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(node.value)) return Number(node.value);
  return undefined;
}

/** True for YAML `true` and the strings compose's loader casts to true. */
export function booleanValue(node: ComposeNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar' || node.unresolved) return undefined;
  const value = node.value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (['true', 'yes', 'y', 'on', '1'].includes(lower)) return true;
    if (['false', 'no', 'n', 'off', '0'].includes(lower)) return false;
  }
  if (typeof value === 'number') return value !== 0;
  return undefined;
}

/** Items of a sequence, or the node itself for a scalar (fields that take "a string or a list"). */
export function itemsOf(node: ComposeNode | undefined): ComposeNode[] {
  if (!node) return [];
  if (node.kind === 'seq') return node.items;
  if (node.kind === 'scalar' && node.value === null) return [];
  return [node];
}

/** A plain JavaScript value for a subtree (interpolated values). */
export function toJS(node: ComposeNode | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJS);
  const out: Record<string, unknown> = {};
  for (const pair of node.pairs) out[pair.key] = toJS(pair.value);
  return out;
}
