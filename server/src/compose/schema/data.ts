/**
 * A parsed compose document as compose's loader sees it before validation, and
 * the way back from a path in that data to the YAML node it came from.
 *
 * The conversion is yaml's `toJS()` with compose's rules instead of the
 * document's own options, so the result does not depend on how the caller parsed:
 * - merge keys (`<<: *base`, `<<: [*a, *b]`) always apply, as in compose: keys
 *   written in the mapping win over merged ones, and earlier merge sources win
 *   over later ones; a merge source that is not a mapping is ignored;
 * - a key whose value is tagged `!reset` is left out (compose removes it);
 *   `!override` values are taken as written;
 * - a duplicate key: the last one wins (as in yaml's toJS);
 * - an alias to a missing anchor is null; an alias cycle stops at null;
 * - `__proto__` is an ordinary key (defined, never assigned).
 * It never throws, resolves every alias once (no quadratic anchor look-ups), and
 * reports when aliases would expand the data past a limit (alias bombs), in
 * which case the document is not validated.
 */
import * as YAML from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { PathSegment, TextRange } from './types';

// Read once: bundled, `import { isMap } from 'yaml'` becomes a getter call on every use.
const { isAlias, isMap, isPair, isScalar, isSeq } = YAML;

/** Past this many values after expanding aliases and merges, a document is not validated. */
export const MAX_EXPANDED_VALUES = 2_000_000;
/** Nesting deeper than this is cut (the compose schema never looks that deep). */
const MAX_DEPTH = 512;

type AnyNode = Node | Pair | null | undefined;

export interface DocumentIndex {
  document: Document;
  /** Every alias, resolved as YAML resolves it: to the last node with that anchor before the alias. Built on first use. */
  aliasTargets?: Map<Alias, Node | undefined>;
  /** Keys of the mappings searched so far (per index, so an edited document is never read stale). */
  mapKeys?: Map<YAMLMap, MapKeys>;
}

export function indexDocument(document: Document): DocumentIndex {
  return { document };
}

/** One pass in document order (yaml's `visit` is several times slower for this). */
function buildAliasTargets(document: Document): Map<Alias, Node | undefined> {
  const aliasTargets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      aliasTargets.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string') anchors.set(anchor, node as Node);
    if (isMap(node) || isSeq(node)) {
      const items = (node as { items: unknown[] }).items;
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return aliasTargets;
}

function resolveAlias(index: DocumentIndex, node: AnyNode): AnyNode {
  let current = node;
  for (let hops = 0; current && isAlias(current); hops++) {
    if (hops > 64) return undefined;
    index.aliasTargets ??= buildAliasTargets(index.document);
    current = index.aliasTargets.get(current);
  }
  return current;
}

function isTagged(node: AnyNode, tag: string): boolean {
  return !!node && !isPair(node) && (node as { tag?: string }).tag === tag;
}

/** Whether a pair's key is a merge key (`<<` written plain, or yaml's merge symbol). */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const value = (key as Scalar).value;
  if (typeof value === 'symbol') return value.description === '<<';
  return value === '<<' && ((key as Scalar).type === 'PLAIN' || (key as Scalar).type === undefined);
}

/** The string a key becomes in the data, as in yaml's toJS. */
export function keyString(key: unknown, index?: DocumentIndex): string {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return scalarKey((key as Scalar).value);
  if (isAlias(key) && index) return keyString(resolveAlias(index, key as Alias), index);
  if (isMap(key) || isSeq(key)) {
    try {
      return String(key);
    } catch {
      return '';
    }
  }
  return scalarKey(key);
}

function scalarKey(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'symbol') return value.description ?? '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function scalarValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'symbol':
      return value.description ?? '';
    default:
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Uint8Array) return '';
      return String(value);
  }
}

/** Merge sources of a `<<` value: one mapping or a sequence of them (aliases resolved). */
function mergeSources(index: DocumentIndex, value: AnyNode): YAMLMap[] {
  const resolved = resolveAlias(index, value);
  const items = isSeq(resolved) ? resolved.items.map((item) => resolveAlias(index, item as AnyNode)) : [resolved];
  return items.filter((item): item is YAMLMap => isMap(item));
}

export interface ComposeData {
  /** The document as plain data, or undefined when it has no content. */
  value: unknown;
  /** True when aliases expand past MAX_EXPANDED_VALUES: `value` is then undefined. */
  overflow: boolean;
}

class Overflow extends Error {}

const hasOwn = Object.prototype.hasOwnProperty;

function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

export function documentToData(index: DocumentIndex): ComposeData {
  const contents = index.document.contents as AnyNode;
  if (contents === null || contents === undefined) return { value: undefined, overflow: false };
  // Only anchored nodes can be met twice (through aliases): those are converted
  // once and their expanded size remembered, which keeps conversion linear and
  // lets `total` count the data as if every alias were expanded. Conversion
  // runs in document order, so an alias is resolved against the anchors seen so
  // far, as YAML defines it, without a separate pass over the document.
  const memo = new Map<Node, { value: unknown; size: number }>();
  const active = new Set<Node>();
  const anchors = new Map<string, Node>();
  let total = 0;

  const target = (node: AnyNode): AnyNode => (isAlias(node) ? anchors.get(node.source) : node);

  /** Registers the anchors in a subtree that is not converted (a `!reset` value, a complex key). */
  const registerAnchors = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > MAX_DEPTH || isAlias(node)) return;
    if (isPair(node)) {
      registerAnchors(node.key, depth);
      registerAnchors(node.value, depth);
      return;
    }
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string') anchors.set(anchor, node as Node);
    if (isMap(node) || isSeq(node)) for (const item of (node as { items: unknown[] }).items) registerAnchors(item, depth + 1);
  };

  const convert = (node: AnyNode, depth: number): unknown => {
    const resolved = target(node);
    if (!resolved || depth > MAX_DEPTH) {
      total++;
      return null;
    }
    const anchor = (resolved as { anchor?: unknown }).anchor;
    if (typeof anchor !== 'string') return convertNode(resolved, depth);
    const known = memo.get(resolved as Node);
    if (known) {
      total += known.size;
      if (total > MAX_EXPANDED_VALUES) throw new Overflow();
      return known.value;
    }
    if (active.has(resolved as Node)) {
      total++;
      return null;
    }
    if (resolved === node) anchors.set(anchor, resolved as Node);
    active.add(resolved as Node);
    const before = total;
    const value = convertNode(resolved, depth);
    active.delete(resolved as Node);
    memo.set(resolved as Node, { value, size: total - before });
    return value;
  };

  const convertNode = (node: Node | Pair, depth: number): unknown => {
    if (++total > MAX_EXPANDED_VALUES) throw new Overflow();
    if (isScalar(node)) return scalarValue(node.value);
    if (isMap(node)) return convertMap(node, depth);
    if (isSeq(node)) {
      const items = node.items;
      const array: unknown[] = new Array(items.length);
      for (let i = 0; i < items.length; i++) array[i] = convert(items[i] as AnyNode, depth + 1);
      return array;
    }
    return null;
  };

  const keyOf = (keyNode: unknown): string => {
    if (isScalar(keyNode)) {
      const anchor = (keyNode as { anchor?: unknown }).anchor;
      if (typeof anchor === 'string') anchors.set(anchor, keyNode as Node);
      return typeof keyNode.value === 'string' ? keyNode.value : keyString(keyNode);
    }
    if (isAlias(keyNode)) return keyString(anchors.get(keyNode.source));
    registerAnchors(keyNode, 0);
    return keyString(keyNode);
  };

  const convertMap = (map: YAMLMap, depth: number): unknown => {
    // A plain object (fast properties for the validator); `__proto__` is defined, not assigned.
    const object: Record<string, unknown> = {};
    let reset: Set<string> | undefined;
    let merged: unknown[] | undefined;
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (isMergeKey(keyNode)) {
        // Converted here, in document order; applied after the keys written in the mapping.
        (merged ??= []).push(convert(pair.value as AnyNode, depth));
        continue;
      }
      const key = keyOf(keyNode);
      const valueNode = pair.value as AnyNode;
      if (valueNode && (valueNode as { tag?: string }).tag === '!reset' && !isPair(valueNode)) {
        registerAnchors(valueNode, depth + 1);
        (reset ??= new Set()).add(key);
        delete object[key];
        continue;
      }
      reset?.delete(key);
      setKey(object, key, convert(valueNode, depth + 1));
    }
    if (merged) {
      for (const value of merged) {
        for (const source of Array.isArray(value) ? value : [value]) {
          if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
          for (const key of Object.keys(source)) {
            if (hasOwn.call(object, key) || reset?.has(key)) continue;
            setKey(object, key, (source as Record<string, unknown>)[key]);
          }
        }
      }
    }
    return object;
  };

  try {
    return { value: convert(contents, 0), overflow: false };
  } catch (error) {
    if (error instanceof Overflow || error instanceof RangeError) return { value: undefined, overflow: true };
    return { value: undefined, overflow: false };
  }
}

/** Where a path of the data was written. */
export interface NodeLocation {
  /** The value node as written at the path (an alias stays an alias); undefined when the value is implicit null. */
  value: AnyNode;
  /** The key node of the last mapping step, if the path ends in a mapping key. */
  key: AnyNode;
  /** The nearest node that was found when the path could not be followed to its end. */
  nearest: AnyNode;
  /** Whether the whole path was followed. */
  found: boolean;
}

/** A mapping's own keys (the last of duplicates; null for a `!reset` key) and its merge values, in order. */
interface MapKeys {
  pairs: Map<string, Pair | null>;
  merges: AnyNode[];
}

function mapKeys(index: DocumentIndex, map: YAMLMap): MapKeys {
  const cache = (index.mapKeys ??= new Map());
  let keys = cache.get(map);
  if (!keys) {
    keys = { pairs: new Map(), merges: [] };
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) keys.merges.push(pair.value as AnyNode);
      else keys.pairs.set(keyString(pair.key, index), isTagged(pair.value as AnyNode, '!reset') ? null : pair);
    }
    cache.set(map, keys);
  }
  return keys;
}

/** The pair that gives `key` its value in `map`, following merge keys as the conversion does. */
function findPair(index: DocumentIndex, map: YAMLMap, key: string, seen: Set<YAMLMap>): Pair | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  const { pairs, merges } = mapKeys(index, map);
  const own = pairs.get(key);
  if (own !== undefined) return own ?? undefined;
  for (const merge of merges) {
    for (const source of mergeSources(index, merge)) {
      const found = findPair(index, source, key, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/** Follows `path` through the document: mapping keys (merge-key aware), sequence indexes and aliases. */
export function locate(index: DocumentIndex, path: readonly PathSegment[]): NodeLocation {
  let value: AnyNode = index.document.contents as AnyNode;
  let key: AnyNode = undefined;
  for (const segment of path) {
    const container = resolveAlias(index, value);
    if (isMap(container)) {
      const pair = findPair(index, container, String(segment), new Set());
      if (!pair) return { value, key, nearest: value ?? key, found: false };
      key = pair.key as AnyNode;
      value = pair.value as AnyNode;
    } else if (isSeq(container)) {
      const position = typeof segment === 'number' ? segment : Number(segment);
      const item = Number.isInteger(position) ? container.items[position] : undefined;
      if (item === undefined) return { value, key, nearest: value ?? key, found: false };
      key = undefined;
      value = item as AnyNode;
    } else {
      return { value, key, nearest: value ?? key, found: false };
    }
  }
  return { value, key, nearest: value ?? key, found: true };
}

/** The written range of a node: [start, end of its value) (so a block value's trailing comments are left out). */
export function nodeRange(node: AnyNode): TextRange | undefined {
  const range = node && !isPair(node) ? (node as { range?: [number, number, number] | null }).range : undefined;
  if (!range) return undefined;
  return { start: range[0], end: range[1] };
}

/** The JSON type of a data value, with 'integer' for whole numbers. */
export function dataType(value: unknown): 'null' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

/** The value at a JSON pointer's segments in the data, and the segments typed (numbers for sequence indexes). */
export function dataAt(data: unknown, segments: readonly string[]): { value: unknown; path: PathSegment[]; found: boolean } {
  let value = data;
  const path: PathSegment[] = [];
  for (const segment of segments) {
    if (Array.isArray(value)) {
      const position = Number(segment);
      path.push(Number.isInteger(position) ? position : segment);
      value = value[position];
    } else if (value && typeof value === 'object') {
      path.push(segment);
      value = (value as Record<string, unknown>)[segment];
    } else {
      path.push(segment);
      return { value: undefined, path, found: false };
    }
  }
  return { value, path, found: true };
}

/** The segments of an ajv instancePath (a JSON pointer). */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
