/**
 * Where the rest of a compose file uses what an extension field (`x-*`) holds.
 *
 * A fragment under `x-common: &common` means nothing where it is written: it
 * is a service's keys once `<<: *common` merges it, or a service's
 * `environment` once `environment: *env` names it. Hover and completion ask
 * the schema about the path where the fragment is used instead.
 *
 * The readers share nodes instead of copying them: an alias is the very node
 * its anchor names, and a merge key puts the very pairs of the merged mapping
 * into the mapping that merges it. So a use is found by identity.
 */
import { getPair, type ComposeNode, type ComposePair } from '../../compose';
import type { PathSegment } from '../../compose/schema';

/** Whether a path lies inside an extension field at the top of the file. */
export function inExtensionField(path: readonly PathSegment[]): boolean {
  const first = path[0];
  return path.length > 1 && typeof first === 'string' && first.startsWith('x-');
}

/**
 * The path at which the file outside its top-level `x-*` fields reaches
 * `target`: a pair (the path ends with its key), or a node (used as a value
 * or an item, or a mapping whose pairs a merge key brought into another).
 * The first use in document order; undefined when nothing outside uses it.
 */
export function pathOfUse(root: ComposeNode, target: ComposePair | ComposeNode): PathSegment[] | undefined {
  if (root.kind !== 'map') return undefined;
  const targetPairs = 'kind' in target && target.kind === 'map' && target.pairs.length > 0 ? new Set(target.pairs) : undefined;
  const path: PathSegment[] = [];
  // A node shared by many services is searched once: what it holds is where it was first reached.
  const searched = new Set<ComposeNode>();
  const search = (node: ComposeNode): boolean => {
    if (node.kind === 'scalar' || searched.has(node)) return false;
    searched.add(node);
    if (node.kind === 'seq') {
      for (let index = 0; index < node.items.length; index++) {
        path.push(index);
        if (node.items[index] === target || search(node.items[index]!)) return true;
        path.pop();
      }
      return false;
    }
    if (targetPairs && node !== target && node.pairs.some((pair) => targetPairs.has(pair))) return true;
    for (const pair of node.pairs) {
      path.push(pair.key);
      if (pair === target || pair.value === target || search(pair.value)) return true;
      path.pop();
    }
    return false;
  };
  for (const pair of root.pairs) {
    if (pair.key.startsWith('x-')) continue;
    path.push(pair.key);
    if (pair.value === target || search(pair.value)) return path;
    path.pop();
  }
  return undefined;
}

/**
 * `path` with its extension-field part replaced by where that part is used,
 * for a path in an `x-*` field (`['x-common']` is the mapping under it, where
 * a key is being typed); the document's root is asked for only then; `path` itself otherwise, or when the fragment is not
 * used (or `root` does not hold the field).
 */
export function pathAsUsed(rootOf: () => ComposeNode | undefined, path: PathSegment[]): PathSegment[] {
  const first = path[0];
  if (typeof first !== 'string' || !first.startsWith('x-')) return path;
  const root = rootOf();
  if (!root) return path;
  // The deepest node of the tree along `path`: its use, plus the segments the tree does not hold yet (being typed).
  let node: ComposeNode = root;
  let held = 0;
  for (const segment of path) {
    let next: ComposeNode | undefined;
    if (node.kind === 'map' && typeof segment === 'string') next = getPair(node, segment)?.value;
    else if (node.kind === 'seq' && typeof segment === 'number') next = node.items[segment];
    if (!next) break;
    node = next;
    held++;
  }
  if (held === 0) return path;
  const used = pathOfUse(root, node);
  return used ? [...used, ...path.slice(held)] : path;
}
