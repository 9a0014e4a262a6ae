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
import { MemoSlot } from './memo';

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

const NO_NAMES: ReadonlySet<string> = new Set();
/** Per section node: a section an edit did not touch is the same node in the next version. */
const namesCache = new MemoSlot<ReadonlySet<string>>();

/** Names declared under a top-level section (`networks`, `volumes`, `secrets`, `configs`). Shared: not to be changed. */
export function declaredNames(model: ComposeNode | undefined, kind: ResourceKind | 'services'): ReadonlySet<string> {
  const section = get(model, kind);
  if (section?.kind !== 'map') return NO_NAMES;
  let names = namesCache.get(section);
  if (!names) {
    const set = new Set<string>();
    for (const pair of section.pairs) set.add(pair.key);
    namesCache.set(section, (names = set));
  }
  return names;
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

/**
 * A reference as the checks and editor features read it. Its `path` and
 * `location` are only used in messages and by editor features, so they are
 * made when read (most references never are: a project of a thousand
 * services has thousands of references, each kept as long as its service
 * node); one class for every kind keeps one object shape in the hot loops.
 */
class Reference {
  constructor(
    readonly kind: ServiceReferenceKind & ResourceKind,
    readonly from: string,
    readonly name: string,
    private readonly file: string,
    /** The range of the text naming it (a node's own, moved with it by the next parse). */
    private readonly range: TextRange,
    /** The path below `services.<from>`. */
    private readonly under: string,
    readonly inFile: string | undefined,
    readonly build: true | undefined,
  ) {}

  get location(): Location {
    return { file: this.file, range: this.range };
  }

  get path(): string {
    return `${pathText(['services', this.from])}.${this.under}`;
  }
}

function serviceReference(kind: ServiceReferenceKind, from: string, name: string, file: string, range: TextRange, under: string, inFile?: string): ServiceReference {
  return new Reference(kind as ServiceReferenceKind & ResourceKind, from, name, file, range, under, inFile, undefined);
}

function resourceReference(kind: ResourceKind, from: string, name: string, file: string, range: TextRange, under: string, build?: true): ResourceReference {
  return new Reference(kind as ServiceReferenceKind & ResourceKind, from, name, file, range, under, undefined, build);
}

/** A range computed inside a scalar (not the node's own range), and where that scalar was then. */
interface ComputedRange {
  range: TextRange;
  scalar: ComposeNode;
  start: number;
}

/** Every reference written in one service, of every kind, read in one walk. */
export interface ServiceReferenceSet {
  name: string;
  services: readonly ServiceReference[];
  networks: readonly ResourceReference[];
  volumes: readonly ResourceReference[];
  secrets: readonly ResourceReference[];
  configs: readonly ResourceReference[];
  computed: ComputedRange[] | undefined;
}

const NONE: readonly never[] = [];

/**
 * A service's references, per service node and name: the merged nodes of the
 * services an edit did not touch are the same from one version to the next
 * (parse.ts, interpolation.ts, merge.ts), so after a keystroke only the edited
 * service is read again. The parse moves the nodes written after an edit in
 * place (the previous version's tree is consumed), which moves every range
 * that is a node's own; a range computed inside a scalar is moved here, in
 * place too, by as much as that scalar moved.
 */
const keptReferences = new MemoSlot<ServiceReferenceSet>();

function referencesOfService(project: ComposeProject, name: string, node: ComposeMap): ServiceReferenceSet {
  const kept = keptReferences.get(node);
  if (kept && kept.name === name) {
    if (kept.computed) {
      for (const entry of kept.computed) {
        const moved = entry.scalar.range.start - entry.start;
        if (moved === 0) continue;
        entry.range.start += moved;
        entry.range.end += moved;
        entry.start += moved;
      }
    }
    return kept;
  }
  const set = new ServiceReferenceCollector(project, name).read(node);
  keptReferences.set(node, set);
  return set;
}

/** The references of every kind in one project, in service order (computed once per project). */
interface ProjectReferences {
  services: ServiceReference[];
  networks: ResourceReference[];
  volumes: ResourceReference[];
  secrets: ResourceReference[];
  configs: ResourceReference[];
}

const projectCache = new MemoSlot<ProjectReferences>();
const setsCache = new MemoSlot<readonly (ServiceReferenceSet | undefined)[]>();

/**
 * The references written in each service (`extends` aside: see
 * `project.extends`), in the order of `servicesOf(project.model)`, undefined
 * for a service that is no mapping. A set is the same object from one version
 * to the next while its service is (computed once per project).
 */
export function serviceReferenceSets(project: ComposeProject): readonly (ServiceReferenceSet | undefined)[] {
  let sets = setsCache.get(project);
  if (!sets) {
    sets = servicesOf(project.model).map((service) => (service.node ? referencesOfService(project, service.name, service.node) : undefined));
    setsCache.set(project, sets);
  }
  return sets;
}
const servicesCache = new MemoSlot<ServiceInfo[]>();

function projectReferences(project: ComposeProject): ProjectReferences {
  let cached = projectCache.get(project);
  if (cached) return cached;
  cached = { services: [], networks: [], volumes: [], secrets: [], configs: [] };
  for (const set of serviceReferenceSets(project)) {
    if (!set) continue;
    for (const reference of set.services) cached.services.push(reference);
    for (const reference of set.networks) cached.networks.push(reference);
    for (const reference of set.volumes) cached.volumes.push(reference);
    for (const reference of set.secrets) cached.secrets.push(reference);
    for (const reference of set.configs) cached.configs.push(reference);
  }
  // extends, as recorded while loading (the merged model no longer has them).
  for (const record of project.extends) cached.services.push(serviceReference('extends', record.service, record.base, record.baseNode.file, record.baseNode.range, 'extends', record.baseFile?.path));
  projectCache.set(project, cached);
  return cached;
}

/** Every reference from a service to another service (computed once per project). */
export function serviceReferences(project: ComposeProject): ServiceReference[] {
  return projectReferences(project).services;
}

/** Every reference from a service to a top-level network, named volume, secret or config (computed once per project). */
export function resourceReferences(project: ComposeProject, kind: ResourceKind): ResourceReference[] {
  return projectReferences(project)[kind];
}

/** Reads the references written in one service (`extends` aside), every kind at once. */
class ServiceReferenceCollector {
  private services: ServiceReference[] | undefined;
  private resources: Record<ResourceKind, ResourceReference[] | undefined> = { networks: undefined, volumes: undefined, secrets: undefined, configs: undefined };
  private computed: ComputedRange[] | undefined;

  constructor(
    private readonly project: ComposeProject,
    private readonly from: string,
  ) {}

  read(node: ComposeMap): ServiceReferenceSet {
    // One pass over the service's keys finds every value read here (the last of a key, as `get` does).
    let dependsOn: ComposeNode | undefined;
    let links: ComposeNode | undefined;
    let networkMode: ComposeNode | undefined;
    let ipc: ComposeNode | undefined;
    let pid: ComposeNode | undefined;
    let volumesFrom: ComposeNode | undefined;
    let build: ComposeNode | undefined;
    let networks: ComposeNode | undefined;
    let volumes: ComposeNode | undefined;
    let secrets: ComposeNode | undefined;
    let configs: ComposeNode | undefined;
    for (const pair of node.pairs) {
      switch (pair.key) {
        case 'depends_on':
          dependsOn = pair.value;
          break;
        case 'links':
          links = pair.value;
          break;
        case 'network_mode':
          networkMode = pair.value;
          break;
        case 'ipc':
          ipc = pair.value;
          break;
        case 'pid':
          pid = pair.value;
          break;
        case 'volumes_from':
          volumesFrom = pair.value;
          break;
        case 'build':
          build = pair.value;
          break;
        case 'networks':
          networks = pair.value;
          break;
        case 'volumes':
          volumes = pair.value;
          break;
        case 'secrets':
          secrets = pair.value;
          break;
        case 'configs':
          configs = pair.value;
          break;
      }
    }
    this.dependsOn(dependsOn);
    if (links) this.links(links);
    if (networkMode) this.serviceMode('network_mode', networkMode);
    if (ipc) this.serviceMode('ipc', ipc);
    if (pid) this.serviceMode('pid', pid);
    if (volumesFrom) this.volumesFrom(volumesFrom);
    if (build) this.additionalContexts(get(build, 'additional_contexts'));
    this.networks(networks);
    this.volumes(volumes);
    this.mounts('secrets', secrets, false);
    if (build) this.mounts('secrets', get(build, 'secrets'), true);
    this.mounts('configs', configs, false);
    const resources = this.resources;
    // Kept as long as the service node: lists of their exact length (grown by `push`, a list keeps room to spare).
    return {
      name: this.from,
      services: this.services?.slice() ?? NONE,
      networks: resources.networks?.slice() ?? NONE,
      volumes: resources.volumes?.slice() ?? NONE,
      secrets: resources.secrets?.slice() ?? NONE,
      configs: resources.configs?.slice() ?? NONE,
      computed: this.computed?.slice(),
    };
  }

  /** A name read by `forEachName`. */
  name(kind: 'depends_on' | 'networks', name: string, file: string, range: TextRange): void {
    if (kind === 'depends_on') this.service(kind, name, file, range, kind);
    else this.resource(kind, name, file, range, kind);
  }

  private service(kind: ServiceReferenceKind, name: string, file: string, range: TextRange, under: string): void {
    (this.services ??= []).push(serviceReference(kind, this.from, name, file, range, under));
  }

  private resource(kind: ResourceKind, name: string, file: string, range: TextRange, under: string, build?: true): void {
    (this.resources[kind] ??= []).push(resourceReference(kind, this.from, name, file, range, under, build));
  }

  /** Where `name` sits in a scalar whose value is `prefix + name + …` (in the scalar's file); kept to be moved when the scalar moves. */
  private partRange(node: ComposeNode, offset: number, length: number): TextRange {
    const range = valueRange(this.project, node, offset, offset + length);
    if (range !== node.range) (this.computed ??= []).push({ range, scalar: node, start: node.range.start });
    return range;
  }

  /** depends_on: a list of names, or a mapping of names to conditions. */
  private dependsOn(dependsOn: ComposeNode | undefined): void {
    forEachName(dependsOn, this, 'depends_on');
  }

  /** links: `name` or `name:alias`. */
  private links(links: ComposeNode): void {
    for (const item of itemsOf(links)) {
      const text = stringValue(item);
      if (text === undefined) continue;
      const name = text.split(':')[0]!;
      this.service('links', name, item.file, this.partRange(item, 0, name.length), 'links');
    }
  }

  /** network_mode / ipc / pid: `service:name`. */
  private serviceMode(key: 'network_mode' | 'ipc' | 'pid', value: ComposeNode): void {
    const text = stringValue(value);
    if (!text?.startsWith('service:')) return;
    const name = text.slice('service:'.length);
    this.service(key, name, value.file, this.partRange(value, 8, name.length), key);
  }

  /** volumes_from: `name`, `name:ro`, `container:name` (a container, not a service). */
  private volumesFrom(volumesFrom: ComposeNode): void {
    for (const item of itemsOf(volumesFrom)) {
      const text = stringValue(item);
      if (text === undefined || text === '') continue;
      const name = text.split(':')[0]!;
      if (name === 'container') continue;
      this.service('volumes_from', name, item.file, this.partRange(item, 0, name.length), 'volumes_from');
    }
  }

  /** build.additional_contexts: `name: service:other` or `name=service:other`. */
  private additionalContexts(contexts: ComposeNode | undefined): void {
    if (contexts?.kind === 'map') {
      for (const pair of contexts.pairs) {
        const text = stringValue(pair.value);
        if (text !== undefined) this.additionalContext(pair.value, 0, text);
      }
    } else if (contexts?.kind === 'seq') {
      for (const item of contexts.items) {
        const text = stringValue(item);
        const eq = text?.indexOf('=') ?? -1;
        if (text !== undefined && eq >= 0) this.additionalContext(item, eq + 1, text.slice(eq + 1));
      }
    }
  }

  private additionalContext(node: ComposeNode, offset: number, text: string): void {
    if (!text.startsWith('service:')) return;
    const name = text.slice('service:'.length);
    this.service('additional_contexts', name, node.file, this.partRange(node, offset + 8, name.length), 'build.additional_contexts');
  }

  private networks(section: ComposeNode | undefined): void {
    forEachName(section, this, 'networks');
  }

  private volumes(section: ComposeNode | undefined): void {
    if (!section) return;
    for (const item of itemsOf(section)) {
      if (item.kind === 'scalar') {
        if (item.unresolved) continue;
        const text = stringValue(item);
        if (text === undefined) continue;
        const spec = parseVolumeSpec(text);
        if ('error' in spec || spec.type !== 'volume' || spec.source === '') continue;
        this.resource('volumes', spec.source, item.file, this.partRange(item, 0, spec.source.length), 'volumes');
      } else if (item.kind === 'map') {
        const type = stringValue(get(item, 'type')) ?? 'volume';
        const source = get(item, 'source');
        const name = stringValue(source);
        if (type !== 'volume' || !source || name === undefined || name === '' || (source.kind === 'scalar' && source.unresolved)) continue;
        this.resource('volumes', name, source.file, source.range, 'volumes');
      }
    }
  }

  /** secrets / configs: `name` or `{ source: name, target: … }`; secrets also under build. */
  private mounts(kind: 'secrets' | 'configs', list: ComposeNode | undefined, build: boolean): void {
    if (!list) return;
    for (const item of itemsOf(list)) {
      const nameNode = item.kind === 'map' ? get(item, 'source') : item;
      const name = stringValue(nameNode);
      if (!nameNode || name === undefined) continue;
      this.resource(kind, name, nameNode.file, nameNode.range, build ? `build.${kind}` : kind, build ? true : undefined);
    }
  }
}

/** The top-level definition of a resource (its key), if declared. */
export function resourceDefinition(model: ComposeNode | undefined, kind: ResourceKind | 'services', name: string): ComposePair | undefined {
  const section = get(model, kind);
  return section?.kind === 'map' ? getPair(section, name) : undefined;
}

const profilesCache = new MemoSlot<readonly string[]>();

/** The profiles a service is enabled by (none: always enabled), per service node. Shared: not to be changed. */
export function profilesOf(service: ServiceInfo): readonly string[] {
  const node = service.node;
  if (!node) return NONE;
  let profiles = profilesCache.get(node);
  if (!profiles) {
    const written = get(node, 'profiles');
    profiles = written ? itemsOf(written).map((item) => stringValue(item)).filter((name): name is string => name !== undefined) : NONE;
    profilesCache.set(node, profiles);
  }
  return profiles;
}

/** Whether two services can run at the same time as far as profiles tell (both always on, or sharing a profile). */
export function canRunTogether(a: ServiceInfo, b: ServiceInfo): boolean {
  const pa = profilesOf(a);
  const pb = profilesOf(b);
  if (pa.length === 0 || pb.length === 0) return true;
  return pa.some((profile) => pb.includes(profile));
}

/** The names of a list of names, or the keys of a mapping (`depends_on`, a service's `networks`), with where each is written, as references of `kind`. */
function forEachName(section: ComposeNode | undefined, collector: ServiceReferenceCollector, kind: 'depends_on' | 'networks'): void {
  if (section?.kind === 'seq') {
    for (const item of section.items) {
      const name = stringValue(item);
      if (name !== undefined) collector.name(kind, name, item.file, item.range);
    }
  } else if (section?.kind === 'map') {
    for (const pair of section.pairs) collector.name(kind, pair.key, pair.file, pair.keyRange);
  }
}
