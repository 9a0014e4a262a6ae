/**
 * A compose reader's tree as the plain data the schema validator reads:
 * merge keys already applied by the reader, keys tagged `!reset` left out,
 * values as written (`raw`, before interpolation).
 */
import { NODE_SHARED, type ComposeNode } from '../types';

/** Nesting deeper than this is cut (the compose schema never looks that deep). */
const MAX_DEPTH = 512;

/** One conversion: nodes shared through aliases, converted once; and the node given other data, if any. */
interface Conversion {
  memo: Map<ComposeNode, unknown> | undefined;
  replaced: ComposeNode | undefined;
  replacement: unknown;
}

/**
 * The tree as plain data for the validator; a node shared through aliases is
 * converted once. `depth` is the node's depth in its document; `replace` gives
 * one node's data instead of converting it.
 */
export function treeToData(root: ComposeNode, depth = 0, replace?: { node: ComposeNode; data: unknown }): unknown {
  return convert(root, depth, { memo: undefined, replaced: replace?.node, replacement: replace?.data });
}

// A module-level function, not a closure per call: the schema converts each service on its own.
function convert(node: ComposeNode, depth: number, conversion: Conversion): unknown {
  if (node.kind === 'scalar') return node.raw;
  if (depth > MAX_DEPTH) return null;
  if (node === conversion.replaced) return conversion.replacement;
  const shared = ((node.flags ?? 0) & NODE_SHARED) !== 0;
  if (shared && conversion.memo?.has(node)) return conversion.memo.get(node);
  let value: unknown;
  if (node.kind === 'seq') {
    const items = node.items;
    const array: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) array[i] = convert(items[i]!, depth + 1, conversion);
    value = array;
  } else {
    // A plain object (fast properties for the validator); `__proto__` is defined, not assigned.
    const object: Record<string, unknown> = {};
    const pairs = node.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!;
      const child = pair.value;
      if (child.tag === '!reset') continue;
      const key = pair.key;
      // Only `__proto__` is an accessor on plain objects; every other key is assigned as an own property.
      if (key === '__proto__') Object.defineProperty(object, key, { value: convert(child, depth + 1, conversion), writable: true, enumerable: true, configurable: true });
      else object[key] = convert(child, depth + 1, conversion);
    }
    value = object;
  }
  if (shared) (conversion.memo ??= new Map()).set(node, value);
  return value;
}
