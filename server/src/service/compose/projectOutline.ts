/**
 * A compose file cut down to what the editing features read of its project
 * (names of services and resources, a service's image, build and profiles,
 * the interpolation environment), for loading the project again after every
 * keystroke: the loader then interpolates and merges a few nodes per service
 * instead of the whole file. Since the same loader reads the outlines
 * (includes, extends, `!reset`, override files and `.env` included), what it
 * says about those parts is exactly what the full project says.
 */

import type { ComposeMap, ComposeNode, ComposePair, ParsedComposeFile } from '../../compose';
import { makeMap, withValue } from '../../compose/nodes';
import { NODE_UNKNOWN } from '../../compose/types';
import { MemoSlot } from '../../compose/memo';

/** Top-level keys kept: the project's name, includes, and every section names are declared in. */
const TOP_LEVEL_KEPT = new Set(['name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models']);
/** Keys of a service kept: what completion details, hovers and `build.target` stages read; `extends` for the loader. */
const SERVICE_KEPT = new Set(['image', 'build', 'profiles', 'extends']);

const outlines = new MemoSlot<ParsedComposeFile>();

/** The outline of a parsed file (kept as long as the parse is). */
export function composeOutline(parsed: ParsedComposeFile): ParsedComposeFile {
  let outline = outlines.get(parsed);
  if (!outline) {
    outline = { ...parsed, documents: parsed.documents.map((document) => ({ root: outlineRoot(document.root) })), incremental: undefined, memo: undefined };
    outlines.set(parsed, outline);
  }
  return outline;
}

function keep(map: ComposeMap, kept: (pair: ComposePair) => ComposePair | undefined): ComposeMap {
  const pairs: ComposePair[] = [];
  for (const pair of map.pairs) {
    const result = kept(pair);
    if (result) pairs.push(result);
  }
  // The flags of the whole stay true of a part (they say what the subtree may contain).
  return makeMap(map.file, map.range, pairs, map.flags ?? NODE_UNKNOWN, map.tag);
}

function outlineRoot(root: ComposeNode | undefined): ComposeNode | undefined {
  if (root?.kind !== 'map') return root;
  return keep(root, (pair) => {
    if (!TOP_LEVEL_KEPT.has(pair.key)) return undefined;
    if (pair.key !== 'services' || pair.value.kind !== 'map') return pair;
    return withValue(
      pair,
      keep(pair.value, (service) => (service.value.kind === 'map' ? withValue(service, keep(service.value, (entry) => (SERVICE_KEPT.has(entry.key) ? entry : undefined))) : service)),
    );
  });
}
