/**
 * Queries over a loaded project's merged model: services, top-level resources
 * and every place a service, network, volume, secret or config is referred to,
 * each with the file and range of the text naming it. Shared by the checks and
 * the editor features (definition, references, rename).
 */

import { pathText } from './yaml/builder';
import type { ComposeProject } from './project';
import { get, getPair, itemsOf, stringValue } from './tree';
import type { ComposeMap, ComposeNode, ComposePair, TextRange } from './types';
import { parseVolumeSpec } from './volumes';

export interface Location {
  file: string;
  range: TextRange;
}

export interface ServiceInfo {
  name: string;
  /** The `services.<name>` pair (its key is where the service is first defined). */
  pair: ComposePair;
  /** The service's definition when it is a mapping. */
  node: ComposeMap | undefined;
}

export type ResourceKind = 'networks' | 'volumes' | 'secrets' | 'configs';

export type ServiceReferenceKind = 'depends_on' | 'links' | 'extends' | 'network_mode' | 'volumes_from' | 'additional_contexts' | 'ipc' | 'pid';

export interface ServiceReference {
  kind: ServiceReferenceKind;
  /** The referring service. */
  from: string;
  /** The referred service's name. */
  name: string;
  /** The text naming the service. */
  location: Location;
  /** `services.web.depends_on` … for messages. */
  path: string;
  /** For `extends`: the file the base service is looked up in, when not the referring file. */
  inFile?: string;
}

export interface ResourceReference {
  kind: ResourceKind;
  from: string;
  name: string;
  location: Location;
  path: string;
  /** `build.secrets` rather than `secrets`. */
  build?: boolean;
}

export function locationOf(node: ComposeNode): Location {
  return { file: node.file, range: node.range };
}

export function keyLocation(pair: ComposePair): Location {
  return { file: pair.file, range: pair.keyRange };
}

/** Services of the merged model, in order. */
export function servicesOf(model: ComposeNode | undefined): ServiceInfo[] {
  const services = get(model, 'services');
  if (services?.kind !== 'map') return [];
  let cached = servicesCache.get(services);
  if (!cached) {
    cached = services.pairs.map((pair) => ({ name: pair.key, pair, node: pair.value.kind === 'map' ? pair.value : undefined }));
    servicesCache.set(services, cached);
  }
  return cached;
}

/** Names declared under a top-level section (`networks`, `volumes`, `secrets`, `configs`). */
export function declaredNames(model: ComposeNode | undefined, kind: ResourceKind | 'services'): Set<string> {
  const section = get(model, kind);
  return new Set(section?.kind === 'map' ? section.pairs.map((pair) => pair.key) : []);
}

/**
 * The range of characters `[from, to)` of a scalar's value, when the value is
 * written as is (a plain scalar on one line, or a quoted one without escapes);
 * the whole scalar otherwise.
 */
export function valueRange(project: ComposeProject | undefined, node: ComposeNode, from: number, to: number): TextRange {
  if (node.kind !== 'scalar' || typeof node.raw !== 'string' || node.raw !== node.value) return node.range;
  const text = project?.files.get(node.file)?.parsed.text;
  if (text === undefined) return node.range;
  const raw = node.raw;
  const { start, end } = node.range;
  let base: number | undefined;
  if (node.style === 'plain' && end - start === raw.length && text.startsWith(raw, start)) base = start;
  else if ((node.style === 'single' || node.style === 'double') && end - start - 2 === raw.length && text.startsWith(raw, start + 1)) base = start + 1;
  if (base === undefined) return node.range;
  return { start: base + Math.max(0, from), end: base + Math.min(raw.length, to) };
}

/** Locations made by `partLocation` while one service's references are collected (`recording`), and the scalar each is in. */
let recording = false;
const madeLocations: Location[] = [];
const madeIn: ComposeNode[] = [];

/** Where `name` sits in a scalar whose value is `prefix + name + …`. */
function partLocation(project: ComposeProject | undefined, node: ComposeNode, offset: number, length: number): Location {
  const location = { file: node.file, range: valueRange(project, node, offset, offset + length) };
  if (recording) {
    madeLocations.push(location);
    madeIn.push(node);
  }
  return location;
}

interface KeptReferences {
  references: { location: Location }[];
  /** References whose range was computed inside a scalar (not the node's own range), and where that scalar was then. */
  computed: { range: TextRange; scalar: ComposeNode; start: number }[];
}

/**
 * A service's references, per service node and name: the merged nodes of the
 * services an edit did not touch are the same from one version to the next
 * (parse.ts, interpolation.ts, merge.ts), so after a keystroke only the edited
 * service is read again. The parse moves the nodes written after an edit in
 * place (the previous version's tree is consumed), which moves every range
 * that is a node's own; a range computed inside a scalar is moved here, in
 * place too, by as much as that scalar moved.
 */
const keptReferences = new WeakMap<ComposeMap, { name: string; byKind: Map<string, KeptReferences> }>();

function referencesOfService<T extends { location: Location }>(node: ComposeMap, name: string, kind: string, collect: () => T[]): T[] {
  let kept = keptReferences.get(node);
  if (!kept || kept.name !== name) keptReferences.set(node, (kept = { name, byKind: new Map() }));
  const known = kept.byKind.get(kind);
  if (known) {
    for (const entry of known.computed) {
      const moved = entry.scalar.range.start - entry.start;
      if (moved === 0) continue;
      entry.range.start += moved;
      entry.range.end += moved;
      entry.start += moved;
    }
    return known.references as T[];
  }
  // Collecting never nests, so one list serves every service.
  madeLocations.length = 0;
  madeIn.length = 0;
  recording = true;
  let references: T[];
  try {
    references = collect();
  } finally {
    recording = false;
  }
  const computed: KeptReferences['computed'] = [];
  for (let i = 0; i < madeLocations.length; i++) {
    const location = madeLocations[i]!;
    const scalar = madeIn[i]!;
    if (location.range !== scalar.range && references.some((reference) => reference.location === location)) computed.push({ range: location.range, scalar, start: scalar.range.start });
  }
  kept.byKind.set(kind, { references, computed });
  return references;
}

const serviceCache = new WeakMap<ComposeProject, ServiceReference[]>();
const resourceCache = new WeakMap<ComposeProject, Map<ResourceKind, ResourceReference[]>>();
const servicesCache = new WeakMap<ComposeNode, ServiceInfo[]>();

/** Every reference from a service to another service (computed once per project). */
export function serviceReferences(project: ComposeProject): ServiceReference[] {
  let cached = serviceCache.get(project);
  if (!cached) {
    cached = collectServiceReferences(project);
    serviceCache.set(project, cached);
  }
  return cached;
}

function collectServiceReferences(project: ComposeProject): ServiceReference[] {
  const references: ServiceReference[] = [];
  for (const service of servicesOf(project.model)) {
    const node = service.node;
    if (!node) continue;
    for (const reference of referencesOfService(node, service.name, 'services', () => referencesFromService(project, service.name, node))) references.push(reference);
  }
  // extends, as recorded while loading (the merged model no longer has them).
  for (const record of project.extends) {
    references.push({
      kind: 'extends',
      from: record.service,
      name: record.base,
      location: locationOf(record.baseNode),
      path: pathText(['services', record.service, 'extends']),
      ...(record.baseFile ? { inFile: record.baseFile.path } : {}),
    });
  }
  return references;
}

/** The references written in one service (`extends` aside). */
function referencesFromService(project: ComposeProject, serviceName: string, node: ComposeMap): ServiceReference[] {
  const references: ServiceReference[] = [];
  const from = serviceName;
  const prefix = pathText(['services', from]);
  // depends_on: a list of names, or a mapping of names to conditions.
  const dependsOn = get(node, 'depends_on');
  if (dependsOn?.kind === 'seq') {
    for (const item of dependsOn.items) {
      const name = stringValue(item);
      if (name !== undefined) references.push({ kind: 'depends_on', from, name, location: locationOf(item), path: `${prefix}.depends_on` });
    }
  } else if (dependsOn?.kind === 'map') {
    for (const pair of dependsOn.pairs) references.push({ kind: 'depends_on', from, name: pair.key, location: keyLocation(pair), path: `${prefix}.depends_on` });
  }
  // links: `name` or `name:alias`.
  for (const item of itemsOf(get(node, 'links'))) {
    const text = stringValue(item);
    if (text === undefined) continue;
    const name = text.split(':')[0]!;
    references.push({ kind: 'links', from, name, location: partLocation(project, item, 0, name.length), path: `${prefix}.links` });
  }
  // network_mode / ipc / pid: `service:name`.
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const value = get(node, key);
    const text = stringValue(value);
    if (value && text?.startsWith('service:')) {
      const name = text.slice('service:'.length);
      references.push({ kind: key, from, name, location: partLocation(project, value, 8, name.length), path: `${prefix}.${key}` });
    }
  }
  // volumes_from: `name`, `name:ro`, `container:name` (a container, not a service).
  for (const item of itemsOf(get(node, 'volumes_from'))) {
    const text = stringValue(item);
    if (text === undefined || text === '') continue;
    const name = text.split(':')[0]!;
    if (name === 'container') continue;
    references.push({ kind: 'volumes_from', from, name, location: partLocation(project, item, 0, name.length), path: `${prefix}.volumes_from` });
  }
  // build.additional_contexts: `name: service:other` or `name=service:other`.
  const contexts = get(get(node, 'build'), 'additional_contexts');
  const contextValues: { node: ComposeNode; offset: number; text: string }[] = [];
  if (contexts?.kind === 'map') {
    for (const pair of contexts.pairs) {
      const text = stringValue(pair.value);
      if (text !== undefined) contextValues.push({ node: pair.value, offset: 0, text });
    }
  } else if (contexts?.kind === 'seq') {
    for (const item of contexts.items) {
      const text = stringValue(item);
      const eq = text?.indexOf('=') ?? -1;
      if (text !== undefined && eq >= 0) contextValues.push({ node: item, offset: eq + 1, text: text.slice(eq + 1) });
    }
  }
  for (const entry of contextValues) {
    if (!entry.text.startsWith('service:')) continue;
    const name = entry.text.slice('service:'.length);
    references.push({ kind: 'additional_contexts', from, name, location: partLocation(project, entry.node, entry.offset + 8, name.length), path: `${prefix}.build.additional_contexts` });
  }
  return references;
}

/** Every reference from a service to a top-level network, named volume, secret or config (computed once per project). */
export function resourceReferences(project: ComposeProject, kind: ResourceKind): ResourceReference[] {
  let byKind = resourceCache.get(project);
  if (!byKind) {
    byKind = new Map();
    resourceCache.set(project, byKind);
  }
  let cached = byKind.get(kind);
  if (!cached) {
    cached = collectResourceReferences(project, kind);
    byKind.set(kind, cached);
  }
  return cached;
}

function collectResourceReferences(project: ComposeProject, kind: ResourceKind): ResourceReference[] {
  const references: ResourceReference[] = [];
  for (const service of servicesOf(project.model)) {
    const node = service.node;
    if (!node) continue;
    for (const reference of referencesOfService(node, service.name, kind, () => resourceReferencesFromService(project, kind, service.name, node))) references.push(reference);
  }
  return references;
}

/** The references to top-level resources of one kind written in one service. */
function resourceReferencesFromService(project: ComposeProject, kind: ResourceKind, serviceName: string, node: ComposeMap): ResourceReference[] {
  const references: ResourceReference[] = [];
  const from = serviceName;
  const prefix = pathText(['services', from]);
  const section = get(node, kind);
  if (kind === 'networks') {
    if (section?.kind === 'seq') {
      for (const item of section.items) {
        const name = stringValue(item);
        if (name !== undefined) references.push({ kind, from, name, location: locationOf(item), path: `${prefix}.networks` });
      }
    } else if (section?.kind === 'map') {
      for (const pair of section.pairs) references.push({ kind, from, name: pair.key, location: keyLocation(pair), path: `${prefix}.networks` });
    }
    return references;
  }
  if (kind === 'volumes') {
    for (const item of itemsOf(section)) {
      if (item.kind === 'scalar') {
        if (item.unresolved) continue;
        const text = stringValue(item);
        if (text === undefined) continue;
        const spec = parseVolumeSpec(text);
        if ('error' in spec || spec.type !== 'volume' || spec.source === '') continue;
        references.push({ kind, from, name: spec.source, location: partLocation(project, item, 0, spec.source.length), path: `${prefix}.volumes` });
      } else if (item.kind === 'map') {
        const type = stringValue(get(item, 'type')) ?? 'volume';
        const source = get(item, 'source');
        const name = stringValue(source);
        if (type !== 'volume' || !source || name === undefined || name === '' || (source.kind === 'scalar' && source.unresolved)) continue;
        references.push({ kind, from, name, location: locationOf(source), path: `${prefix}.volumes` });
      }
    }
    return references;
  }
  // secrets / configs: `name` or `{ source: name, target: … }`; secrets also under build.
  const lists: { list: ComposeNode | undefined; build: boolean }[] = [{ list: section, build: false }];
  if (kind === 'secrets') lists.push({ list: get(get(node, 'build'), 'secrets'), build: true });
  for (const { list, build } of lists) {
    for (const item of itemsOf(list)) {
      const nameNode = item.kind === 'map' ? get(item, 'source') : item;
      const name = stringValue(nameNode);
      if (!nameNode || name === undefined) continue;
      references.push({ kind, from, name, location: locationOf(nameNode), path: build ? `${prefix}.build.${kind}` : `${prefix}.${kind}`, ...(build ? { build } : {}) });
    }
  }
  return references;
}

/** The top-level definition of a resource (its key), if declared. */
export function resourceDefinition(model: ComposeNode | undefined, kind: ResourceKind | 'services', name: string): ComposePair | undefined {
  const section = get(model, kind);
  return section?.kind === 'map' ? getPair(section, name) : undefined;
}

/** The profiles a service is enabled by (none: always enabled). */
export function profilesOf(service: ServiceInfo): string[] {
  return itemsOf(get(service.node, 'profiles'))
    .map((item) => stringValue(item))
    .filter((name): name is string => name !== undefined);
}

/** Whether two services can run at the same time as far as profiles tell (both always on, or sharing a profile). */
export function canRunTogether(a: ServiceInfo, b: ServiceInfo): boolean {
  const pa = profilesOf(a);
  const pb = profilesOf(b);
  if (pa.length === 0 || pb.length === 0) return true;
  return pa.some((profile) => pb.includes(profile));
}
