/**
 * Merging compose layers (later files, later documents, `extends` and
 * `include`) the way compose does (compose-go's override.Merge followed by
 * EnforceUnicity):
 *
 * - mappings merge key by key, recursively; scalars are replaced;
 * - sequences are appended, then entries with the same identity are collapsed
 *   (the later one taking the earlier one's place): `ports` by their full
 *   spelling (long syntax: host IP, published, target, protocol), `volumes` and
 *   `devices` by container path, `secrets`/`configs` by mount target,
 *   `expose`, `cap_add`, `cap_drop`, `dns`, `links`, `profiles`… by value;
 * - `environment`, `labels`, `annotations`, `build.args`, `extra_hosts`,
 *   `sysctls`, `env_file`, `tmpfs`… (lists or mappings) merge entry by entry;
 *   `depends_on` and service `networks` merge as mappings (a list means the
 *   names with default settings);
 * - `command`, `entrypoint` and `healthcheck.test` are replaced, not appended;
 * - `build: path` is `build: { context: path }`; `logging` with another driver
 *   is replaced;
 * - `!reset` removes what earlier layers set; `!override` replaces it
 *   instead of merging.
 *
 * Every node keeps its file and range; a merged pair keeps its first
 * definition and lists the later ones in `also`.
 */

import { parseVolumeSpec } from './volumes';
import { makeMap, makePair, makeScalar, makeSeq, withValue } from './nodes';
import { NODE_HAS_TAG, nodeFlags, type ComposeMap, type ComposeNode, type ComposePair, type ComposeSeq } from './types';
import { getPair, stringValue } from './tree';
import { MemoSlot } from './memo';

type Path = readonly string[];

const compiled = new Map<string, string[]>();

/** Path as a pattern over the keys so far (`*` for names). */
function matches(path: Path, pattern: string): boolean {
  let parts = compiled.get(pattern);
  if (!parts) {
    parts = pattern.split('.');
    compiled.set(pattern, parts);
  }
  if (parts.length !== path.length) return false;
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '*' && parts[i] !== path[i]) return false;
  return true;
}

/** Only paths under services, networks and volumes have merge rules. */
function hasRules(path: Path): boolean {
  const first = path[0];
  return (first === 'services' || first === 'networks' || first === 'volumes') && path.length >= 3;
}

const KEYED_LISTS = [
  'services.*.environment',
  'services.*.labels',
  'services.*.annotations',
  'services.*.build.args',
  'services.*.build.labels',
  'services.*.build.additional_contexts',
  'services.*.build.extra_hosts',
  'services.*.deploy.labels',
  'services.*.extra_hosts',
  'services.*.sysctls',
  'services.*.env_file',
  'services.*.label_file',
  'services.*.tmpfs',
  'services.*.dns',
  'services.*.dns_opt',
  'services.*.dns_search',
  'services.*.volumes.*.volume.labels',
  'networks.*.labels',
  'volumes.*.labels',
];

const REPLACED = ['services.*.command', 'services.*.entrypoint', 'services.*.healthcheck.test'];
const MAP_FROM_LIST = ['services.*.depends_on', 'services.*.networks'];

type Indexer = (node: ComposeNode) => string;

function valueIndexer(node: ComposeNode): string {
  if (node.kind === 'scalar') return `s:${String(node.value)}`;
  return `n:${JSON.stringify(plain(node))}`;
}

function plain(node: ComposeNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.pairs.map((pair) => [pair.key, plain(pair.value)]));
}

function portIndexer(node: ComposeNode): string {
  if (node.kind === 'scalar') return `s:${String(node.value)}`;
  if (node.kind === 'map') {
    const target = stringValue(getPair(node, 'target')?.value);
    const published = stringValue(getPair(node, 'published')?.value);
    if (published === undefined) return `t:${target}`;
    const hostIp = stringValue(getPair(node, 'host_ip')?.value) ?? '0.0.0.0';
    const protocol = stringValue(getPair(node, 'protocol')?.value) ?? 'tcp';
    return `m:${hostIp}:${published}:${target}/${protocol}`;
  }
  return valueIndexer(node);
}

function volumeIndexer(node: ComposeNode): string {
  if (node.kind === 'scalar') {
    const spec = parseVolumeSpec(String(node.value ?? ''));
    return 'error' in spec ? valueIndexer(node) : `t:${spec.target}`;
  }
  if (node.kind === 'map') return `t:${stringValue(getPair(node, 'target')?.value) ?? ''}`;
  return valueIndexer(node);
}

function mountIndexer(defaultDir: string): Indexer {
  return (node) => {
    if (node.kind === 'scalar') return `t:${defaultDir}/${String(node.value)}`;
    if (node.kind === 'map') {
      const target = stringValue(getPair(node, 'target')?.value);
      const source = stringValue(getPair(node, 'source')?.value) ?? '';
      if (target === undefined) return `t:${defaultDir}/${source}`;
      return `t:${target.startsWith('/') ? target : `${defaultDir}/${target}`}`;
    }
    return valueIndexer(node);
  };
}

function deviceIndexer(node: ComposeNode): string {
  if (node.kind === 'scalar') {
    const parts = String(node.value).split(':');
    return `t:${parts[1] ?? parts[0]}`;
  }
  if (node.kind === 'map') return `t:${stringValue(getPair(node, 'target')?.value) ?? ''}`;
  return valueIndexer(node);
}

const UNIQUE: [string, Indexer][] = [
  ['services.*.ports', portIndexer],
  ['services.*.volumes', volumeIndexer],
  ['services.*.devices', deviceIndexer],
  ['services.*.secrets', mountIndexer('/run/secrets')],
  ['services.*.configs', mountIndexer('')],
  ['services.*.expose', valueIndexer],
  ['services.*.cap_add', valueIndexer],
  ['services.*.cap_drop', valueIndexer],
  ['services.*.links', valueIndexer],
  ['services.*.profiles', valueIndexer],
  ['services.*.build.tags', valueIndexer],
  ['services.*.build.platforms', valueIndexer],
  ['services.*.networks.*.aliases', valueIndexer],
  ['services.*.networks.*.link_local_ips', valueIndexer],
  ['networks.*.ipam.options', valueIndexer],
];

function uniqueIndexer(path: Path): Indexer | undefined {
  if (!hasRules(path)) return undefined;
  for (const [pattern, indexer] of UNIQUE) if (matches(path, pattern)) return indexer;
  return undefined;
}

/** Collapses entries with the same identity, the later taking the earlier's place. */
function enforceUnique(seq: ComposeSeq, indexer: Indexer): ComposeSeq {
  if (seq.items.length < 2) return seq;
  if (seq.items.length === 2 && indexer(seq.items[0]!) !== indexer(seq.items[1]!)) return seq;
  const keys = new Map<string, number>();
  const items: ComposeNode[] = [];
  let changed = false;
  for (const item of seq.items) {
    const key = indexer(item);
    const at = keys.get(key);
    if (at !== undefined) {
      items[at] = item;
      changed = true;
    } else {
      keys.set(key, items.length);
      items.push(item);
    }
  }
  return changed ? withItems(seq, items) : seq;
}

function withItems(seq: ComposeSeq, items: ComposeNode[]): ComposeSeq {
  return makeSeq(seq.file, seq.range, items);
}

function withPairs(map: ComposeMap, pairs: ComposePair[]): ComposeMap {
  return makeMap(map.file, map.range, pairs);
}

/** The key of an entry of a list that merges by key (`KEY=value`, `host:ip`, a path). */
function entryKey(node: ComposeNode, path: Path): string {
  if (node.kind === 'map') {
    const p = stringValue(getPair(node, 'path')?.value);
    if (p !== undefined) return p;
    return JSON.stringify(plain(node));
  }
  const text = stringValue(node) ?? '';
  const last = path[path.length - 1];
  if (last === 'extra_hosts') {
    const eq = text.indexOf('=');
    const colon = text.indexOf(':');
    const cut = eq >= 0 ? eq : colon;
    return cut >= 0 ? text.slice(0, cut) : text;
  }
  if (last === 'env_file' || last === 'label_file' || last === 'tmpfs' || last === 'dns' || last === 'dns_opt' || last === 'dns_search') return text;
  const eq = text.indexOf('=');
  return eq >= 0 ? text.slice(0, eq) : text;
}

/** A list (or mapping) that merges by key, as a mapping; list entries become pairs whose value is the entry. */
function keyedPairs(node: ComposeNode, path: Path): ComposePair[] {
  if (node.kind === 'map') return node.pairs;
  if (node.kind === 'seq') return node.items.map((item) => makePair(entryKey(item, path), item.range, item.file, item));
  if (node.kind === 'scalar' && node.value !== null) return [makePair(entryKey(node, path), node.range, node.file, node)];
  return [];
}

function mergeKeyed(base: ComposeNode, over: ComposeNode, path: Path): ComposeNode {
  if (base.kind === 'seq' && over.kind === 'seq') {
    // Both lists: entries with the same key collapse, the later one in the earlier one's place.
    const keys = new Map<string, number>();
    const items: ComposeNode[] = [];
    for (const item of [...base.items, ...over.items]) {
      const key = entryKey(item, path);
      const at = keys.get(key);
      if (at !== undefined) items[at] = item;
      else {
        keys.set(key, items.length);
        items.push(item);
      }
    }
    return withItems(over, items);
  }
  const anchor: ComposeMap = base.kind === 'map' ? base : over.kind === 'map' ? over : makeMap(over.file, over.range, []);
  const pairs = new Map<string, ComposePair>();
  for (const pair of keyedPairs(base, path)) pairs.set(pair.key, pair);
  for (const pair of keyedPairs(over, path)) {
    if (over.kind === 'map' && isReset(pair.value)) {
      pairs.delete(pair.key);
      continue;
    }
    const previous = pairs.get(pair.key);
    pairs.set(pair.key, previous ? makePair(pair.key, previous.keyRange, previous.file, pair.value, [...(previous.also ?? []), { file: pair.file, keyRange: pair.keyRange }]) : pair);
  }
  return withPairs(anchor, [...pairs.values()]);
}

/** A short-form list (`depends_on: [db]`) as the mapping it stands for. */
function listAsMap(node: ComposeNode): ComposeNode {
  if (node.kind !== 'seq') return node;
  const pairs: ComposePair[] = node.items.map((item) => makePair(stringValue(item) ?? '', item.range, item.file, makeScalar(item.file, { start: item.range.end, end: item.range.end }, null, null, 'plain', undefined, true)));
  return makeMap(node.file, node.range, pairs);
}

/** `build: ./dir` as `build: { context: ./dir }`. */
function buildAsMap(node: ComposeNode): ComposeNode {
  if (node.kind !== 'scalar' || node.value === null) return node;
  return makeMap(node.file, node.range, [makePair('context', node.range, node.file, node)]);
}

function isReset(node: ComposeNode): boolean {
  return node.tag === '!reset';
}

/**
 * The unique-list rules as a trie over keys (`*` for any name); leaves are
 * indexers. Children are kept in a Map: every key of every service is looked
 * up here, and keys read from the text are not internalized strings.
 */
interface RuleTrie {
  children: Map<string, RuleTrie | Indexer>;
  /** The child for any other key (`*`). */
  any: RuleTrie | Indexer | undefined;
}

const RULES: RuleTrie = { children: new Map(), any: undefined };
for (const [pattern, indexer] of UNIQUE) {
  const parts = pattern.split('.');
  let node = RULES;
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const existing = part === '*' ? node.any : node.children.get(part);
    const child = last ? indexer : ((existing as RuleTrie | undefined) ?? { children: new Map(), any: undefined });
    if (part === '*') node.any = child;
    else node.children.set(part, child);
    if (!last) node = child as RuleTrie;
  });
}

function ruleAt(trie: RuleTrie | Indexer | undefined, key: string): RuleTrie | Indexer | undefined {
  if (trie === undefined || typeof trie === 'function') return undefined;
  return trie.children.get(key) ?? trie.any;
}

function ruleForPath(path: Path): RuleTrie | Indexer | undefined {
  let trie: RuleTrie | Indexer | undefined = RULES;
  for (const key of path) {
    trie = ruleAt(trie, key);
    if (trie === undefined) return undefined;
  }
  return trie;
}

/**
 * A layer read on its own: `!reset` entries removed, `!override` values taken
 * as they are, lists made unique. Returns the node itself when nothing changes.
 */
export function normalizeLayer(node: ComposeNode, path: string[] = []): ComposeNode | undefined {
  return normalizeWith(node, ruleForPath(path));
}

/**
 * Mappings normalised under a rule before: the result depends on the node and
 * the rule only, and the nodes of unchanged services are the same from one
 * version to the next (parse.ts, interpolation.ts), so after a keystroke only
 * the edited service is normalised again.
 */
const normalized = new MemoSlot<{ rule: RuleTrie; result: ComposeNode | undefined }>();

function normalizeWith(node: ComposeNode, rule: RuleTrie | Indexer | undefined): ComposeNode | undefined {
  if (node.tag === '!reset') return undefined;
  if (node.kind === 'scalar') return node;
  if (node.kind === 'map' && rule !== undefined && typeof rule !== 'function') {
    const known = normalized.get(node);
    if (known && known.rule === rule) return known.result;
    const result = normalizeCollection(node, rule);
    normalized.set(node, { rule, result });
    return result;
  }
  return normalizeCollection(node, rule);
}

function normalizeCollection(node: ComposeMap | ComposeSeq, rule: RuleTrie | Indexer | undefined): ComposeNode | undefined {
  const tagged = (nodeFlags(node) & NODE_HAS_TAG) !== 0;
  if (node.kind === 'seq') {
    const indexer = typeof rule === 'function' ? rule : undefined;
    let result: ComposeSeq = node;
    if (tagged) {
      let items: ComposeNode[] | undefined;
      const list = node.items;
      for (let index = 0; index < list.length; index++) {
        const item = list[index]!;
        const next = item.kind === 'scalar' ? (item.tag === '!reset' ? undefined : item) : normalizeWith(item, undefined);
        if (next !== item) items ??= list.slice(0, index);
        if (items && next) items.push(next);
      }
      if (items) result = withItems(node, items);
    }
    return indexer ? enforceUnique(result, indexer) : result;
  }
  const trie = typeof rule === 'function' ? undefined : rule;
  if (!tagged && trie === undefined) return node;
  let pairs: ComposePair[] | undefined;
  const list = node.pairs;
  for (let index = 0; index < list.length; index++) {
    const pair = list[index]!;
    const value = pair.value;
    let next: ComposeNode | undefined = value;
    if (value.kind === 'scalar') {
      if (value.tag === '!reset') next = undefined;
    } else {
      const childRule = trie === undefined ? undefined : ruleAt(trie, pair.key);
      if (childRule !== undefined || (nodeFlags(value) & NODE_HAS_TAG) !== 0) next = normalizeWith(value, childRule);
    }
    if (next !== value) pairs ??= list.slice(0, index);
    if (pairs && next) pairs.push(next === value ? pair : withValue(pair, next));
  }
  return pairs ? withPairs(node, pairs) : node;
}

/**
 * `over` merged onto `base` at `path` (the keys from the root). Returns
 * undefined when `over` is `!reset`.
 */
export function mergeNodes(base: ComposeNode | undefined, over: ComposeNode, path: string[] = []): ComposeNode | undefined {
  if (isReset(over)) return undefined;
  if (over.tag === '!override' || base === undefined) return normalizeLayer(over, path);
  if (path.length === 2 && path[0] === 'services') return mergeService(base, over, path);
  return mergeAt(base, over, path);
}

/**
 * Services merged before, per node of the earlier layer: the nodes of a
 * service neither layer's edit touched are the same from one version to the
 * next (parse.ts, interpolation.ts), so after a keystroke in `compose.yaml`
 * a service its override file changes is not merged again, and stays the same
 * node for the caches downstream (references, ports, normalising).
 */
const mergedServices = new MemoSlot<{ over: ComposeNode; name: string; result: ComposeNode | undefined }>();

function mergeService(base: ComposeNode, over: ComposeNode, path: string[]): ComposeNode | undefined {
  const name = path[1]!;
  const known = mergedServices.get(base);
  if (known && known.over === over && known.name === name) return known.result;
  const result = mergeAt(base, over, path);
  mergedServices.set(base, { over, name, result });
  return result;
}

function mergeAt(base: ComposeNode, over: ComposeNode, path: string[]): ComposeNode | undefined {
  if (!hasRules(path)) {
    if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, path);
    if (base.kind === 'seq' && over.kind === 'seq') return withItems(base, [...base.items, ...asNormalizedItems(over, path)]);
    if (over.kind === 'scalar' && over.value === null && base.kind !== 'scalar') return base;
    return normalizeLayer(over, path);
  }
  if (REPLACED.some((pattern) => matches(path, pattern))) return normalizeLayer(over, path);
  if (KEYED_LISTS.some((pattern) => matches(path, pattern))) return mergeKeyed(base, over, path);
  if (MAP_FROM_LIST.some((pattern) => matches(path, pattern))) {
    base = listAsMap(base);
    over = listAsMap(over);
  } else if (matches(path, 'services.*.build')) {
    base = buildAsMap(base);
    over = buildAsMap(over);
  } else if (matches(path, 'services.*.logging') && base.kind === 'map' && over.kind === 'map') {
    const baseDriver = stringValue(getPair(base, 'driver')?.value);
    const overDriver = stringValue(getPair(over, 'driver')?.value);
    if (baseDriver !== undefined && overDriver !== undefined && baseDriver !== overDriver) return normalizeLayer(over, path);
  }
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, path);
  if (base.kind === 'seq' && over.kind === 'seq') {
    const appended = withItems(base, [...base.items, ...(asNormalizedItems(over, path))]);
    const indexer = uniqueIndexer(path);
    return indexer ? enforceUnique(appended, indexer) : appended;
  }
  // A scalar, or a different shape: the later layer wins.
  if (over.kind === 'scalar' && over.value === null && base.kind !== 'scalar') return base;
  return normalizeLayer(over, path);
}

function asNormalizedItems(seq: ComposeSeq, path: string[]): ComposeNode[] {
  const normalized = normalizeLayer(seq, path);
  return normalized?.kind === 'seq' ? normalized.items : [];
}

function mergeMaps(base: ComposeMap, over: ComposeMap, path: string[]): ComposeMap {
  const pairs = new Map<string, ComposePair>();
  for (const pair of base.pairs) pairs.set(pair.key, pair);
  for (const pair of over.pairs) {
    const previous = pairs.get(pair.key);
    path.push(pair.key);
    const value = mergeNodes(previous?.value, pair.value, path);
    path.pop();
    if (value === undefined) {
      pairs.delete(pair.key);
      continue;
    }
    if (previous) {
      pairs.set(pair.key, makePair(pair.key, previous.keyRange, previous.file, value, [...(previous.also ?? []), { file: pair.file, keyRange: pair.keyRange }]));
    } else pairs.set(pair.key, value === pair.value ? pair : withValue(pair, value));
  }
  return withPairs(base, [...pairs.values()]);
}
