/**
 * A compose project as compose loads it, with every element keeping the file
 * and range it came from:
 *
 * 1. The interpolation environment: the process environment given by the
 *    caller, plus the `.env` file of the project directory (or the files given
 *    as `envFiles`, like `--env-file`, which replace it); the process
 *    environment wins. `COMPOSE_PROJECT_NAME` is set to the project name
 *    unless the environment sets it. (A service's `env_file` is not used for
 *    interpolation: compose only passes it to the container.)
 * 2. Each file, in order, and each YAML document of a file, is a layer:
 *    interpolated, then its `include` entries are loaded (each with its own
 *    project directory and environment: the includer's environment plus the
 *    included project's `.env` or `env_file`, the includer's values winning)
 *    and imported (the including file's definitions merged over them), then
 *    its services' `extends` are resolved (`file:` relative to the file's
 *    working directory; the base service merged under the extending one;
 *    cycles stopped), then the layer is merged onto the previous ones with
 *    compose's merge rules (see merge.ts, including `!reset` / `!override`).
 * 3. Relative paths of a node resolve against the working directory of the
 *    node's file: the project directory for the top-level files, the included
 *    project's directory for included files, the file's own directory for
 *    files read through `extends.file`.
 *
 * Files are read through the injected host (`readFile`), so the loader is pure
 * and works on unsaved editor buffers. It never throws.
 */

import { posix, win32 } from 'node:path';
import { parseEnvFile } from './dotenv';
import { interpolateTree, type EnvLookup } from './interpolation';
import { mergeNodes, normalizeLayer } from './merge';
import { MemoSlot, type Memoized } from './memo';
import { makeMap, makePair, withValue } from './nodes';
import { parseComposeFile, type ParsedComposeFile } from './parse';
import { get, getPair, itemsOf, stringValue } from './tree';
import type { ComposeFinding, ComposeMap, ComposeNode, ComposePair } from './types';

export interface ComposeHost {
  /** The text of a file, or undefined when it cannot be read (missing, a directory, unreadable). */
  readFile(path: string): string | undefined;
  /** Whether a file or directory exists; by default, whether `readFile` returns text. */
  exists?(path: string): boolean;
}

export interface LoadComposeProjectOptions {
  /** The compose files in order, like repeated `-f` (absolute paths). */
  files: readonly string[];
  host: ComposeHost;
  /**
   * The process environment used for interpolation. A Map is used as it is and
   * taken to stay so (the project's environment made from it is reused by the
   * next load): pass a new one for a changed environment.
   */
  environment?: Readonly<Record<string, string | undefined>> | ReadonlyMap<string, string>;
  /** Like `--env-file`: these files replace the project directory's `.env`. */
  envFiles?: readonly string[];
  /** Like `--project-directory`; by default the directory of the first file. */
  projectDirectory?: string;
  /** Like `--project-name`. */
  projectName?: string;
  /** Parses a file (a cache can be plugged in here); `parseComposeFile` by default. */
  parse?: (path: string, text: string) => ParsedComposeFile;
}

export type FileRole = 'main' | 'include' | 'extends';

export interface LoadedComposeFile {
  path: string;
  parsed: ParsedComposeFile;
  role: FileRole;
  /** The directory relative paths written in this file resolve against. */
  workingDir: string;
  /** The file's documents interpolated (with the environment the file was first loaded with), before any merging. */
  interpolated: (ComposeNode | undefined)[];
}

export interface LoadedEnvFile {
  path: string;
  text: string | undefined;
  values: Map<string, string>;
}

export interface IncludeRecord {
  /** The including file. */
  file: string;
  /** The path as written (a scalar of the `include` entry). */
  node: ComposeNode;
  /** The resolved path. */
  path: string;
  found: boolean;
  /** The file is already being loaded (an include cycle). */
  cycle: boolean;
}

export interface EnvFileReference {
  file: string;
  node: ComposeNode;
  path: string;
  found: boolean;
}

export interface ExtendsRecord {
  /** The file of the extending service. */
  file: string;
  service: string;
  /** The `extends` value. */
  node: ComposeNode;
  /** The base service's name and the node naming it. */
  base: string;
  baseNode: ComposeNode;
  /** `extends.file`, resolved. */
  baseFile?: { path: string; node: ComposeNode; found: boolean };
  problem?: 'file-missing' | 'service-missing' | 'cycle';
  /** For a cycle: the services in it, `file#service`. */
  chain?: string[];
}

export interface ComposeProject extends Memoized {
  name: string;
  projectDirectory: string;
  /** Every compose file read (top-level, included, extended), by path. */
  files: Map<string, LoadedComposeFile>;
  /** The top-level files, in order. */
  mainFiles: string[];
  /** The merged model; an empty mapping when nothing could be read. */
  model: ComposeMap;
  /** The interpolation environment of the top-level files. */
  environment: Map<string, string>;
  envFiles: LoadedEnvFile[];
  includes: IncludeRecord[];
  includeEnvFiles: EnvFileReference[];
  extends: ExtendsRecord[];
  /** Findings made while loading: `yaml-syntax`, `duplicate-key`, `invalid-interpolation`, `env-file-syntax`. */
  findings: ComposeFinding[];
  host: ComposeHost;
  /** Resolves a path written in `file` (relative to that file's working directory). */
  resolvePath(file: string, path: string): string;
  /** `path` resolved against `base` (unless absolute), with the project's path flavour (POSIX or Windows). */
  joinPath(base: string, path: string): string;
  /** Whether a path exists, through the host (asked once per path). */
  exists(path: string): boolean;
  /** A file's text through the host (read once per path), or undefined. */
  readFile(path: string): string | undefined;
}

const RESOURCE_KEYS = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'];

function pathApi(path: string) {
  return /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\') ? win32 : posix;
}

/** compose's normalisation of project names: lower case, [a-z0-9_-] only, no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  if (name === lastName.written) return lastName.normalized;
  const normalized = name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  lastName = { written: name, normalized };
  return normalized;
}

/** The last name normalised: the project is loaded again after every keystroke, with the same name. */
let lastName = { written: '', normalized: '' };

function emptyMap(file: string): ComposeMap {
  return makeMap(file, { start: 0, end: 0 }, []);
}

/**
 * Paths resolved so far per flavour and base, kept across loads (resolving is
 * pure): after a keystroke the checks of every build ask again for the same
 * few hundred paths. Bounded: forgotten all at once past `RESOLVED_KEPT`.
 */
const resolvedPaths = new Map<typeof posix, Map<string, Map<string, string>>>();
const RESOLVED_KEPT = 20_000;
let resolvedCount = 0;

function resolvePath(api: typeof posix, base: string, path: string): string {
  let byBase = resolvedPaths.get(api);
  if (!byBase) resolvedPaths.set(api, (byBase = new Map()));
  let byPath = byBase.get(base);
  if (!byPath) byBase.set(base, (byPath = new Map()));
  let result = byPath.get(path);
  if (result === undefined) {
    result = api.isAbsolute(path) ? api.normalize(path) : api.join(base, path);
    if (++resolvedCount > RESOLVED_KEPT) {
      resolvedPaths.clear();
      resolvedCount = 0;
    } else byPath.set(path, result);
  }
  return result;
}

const environmentKeys = new WeakMap<Map<string, string>, string>();

/** The last environment keyed (a copy) and its key: the next load of a project usually has the same variables. */
let lastKeyed: { variables: Map<string, string>; key: string } | undefined;

/** The same string for environments with the same variables and values (what interpolation's reuse is keyed by). */
function environmentKeyOf(environment: Map<string, string>): string {
  let key = environmentKeys.get(environment);
  if (key === undefined) {
    if (lastKeyed && sameVariables(lastKeyed.variables, environment)) key = lastKeyed.key;
    else {
      key = JSON.stringify([...environment].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
      lastKeyed = { variables: new Map(environment), key };
    }
    environmentKeys.set(environment, key);
  }
  return key;
}

function sameVariables(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of b) if (a.get(name) !== value) return false;
  return true;
}

/**
 * `.env` files parsed before, by text, with the variables their values looked
 * up and what they were: the project is loaded again after every keystroke in
 * a compose file, and its `.env` rarely changes. Bounded: forgotten all at
 * once past `ENV_TEXTS_KEPT` texts. Shared: not to be changed.
 */
const parsedEnvFiles = new Map<string, { parsed: ReturnType<typeof parseEnvFile>; lookups: (string | undefined)[] }>();
const ENV_TEXTS_KEPT = 64;

function parsedEnvFile(text: string, lookup: EnvLookup): ReturnType<typeof parseEnvFile> {
  const known = parsedEnvFiles.get(text);
  if (known) {
    let same = true;
    for (let i = 0; i < known.lookups.length && same; i += 2) same = lookup(known.lookups[i]!) === known.lookups[i + 1];
    if (same) return known.parsed;
  }
  const lookups: (string | undefined)[] = [];
  const parsed = parseEnvFile(text, (key) => {
    const value = lookup(key);
    lookups.push(key, value);
    return value;
  });
  if (parsedEnvFiles.size >= ENV_TEXTS_KEPT) parsedEnvFiles.clear();
  parsedEnvFiles.set(text, { parsed, lookups });
  return parsed;
}

/** The environment given to the loader as a Map: a Map is used as it is (and never changed), a record is copied. */
function processEnvironment(given: LoadComposeProjectOptions['environment']): ReadonlyMap<string, string> {
  if (given instanceof Map) return given;
  const copy = new Map<string, string>();
  if (given) for (const [key, value] of Object.entries(given)) if (typeof value === 'string') copy.set(key, value);
  return copy;
}

/**
 * The last project environment made, and what from: the project is loaded
 * again after every keystroke, from the same process environment, `.env`
 * values (`parsedEnvFile` gives the same object for the same text) and name,
 * so the same Map is handed out again, which also keeps interpolation's reuse
 * keyed at once (`environmentKeyOf`). Shared: not to be changed.
 */
let lastEnvironment: { processEnv: ReadonlyMap<string, string>; envValues: Map<string, string>[]; name: string; environment: Map<string, string> } | undefined;

/** The process environment, then each env file's variables it does not set (the first file giving one wins), then `COMPOSE_PROJECT_NAME` unless set. */
function projectEnvironment(processEnv: ReadonlyMap<string, string>, envFiles: readonly LoadedEnvFile[], name: string): Map<string, string> {
  const last = lastEnvironment;
  if (last && last.processEnv === processEnv && last.name === name && last.envValues.length === envFiles.length && envFiles.every((file, index) => file.values === last.envValues[index])) {
    return last.environment;
  }
  const environment = new Map(processEnv);
  for (const file of envFiles) for (const [key, value] of file.values) if (!environment.has(key)) environment.set(key, value);
  if (!environment.has('COMPOSE_PROJECT_NAME') && name) environment.set('COMPOSE_PROJECT_NAME', name);
  lastEnvironment = { processEnv, envValues: envFiles.map((file) => file.values), name, environment };
  return environment;
}

export function loadComposeProject(options: LoadComposeProjectOptions): ComposeProject {
  return new Loader(options).load();
}

class Loader {
  private readonly api: typeof posix;
  private readonly host: ComposeHost;
  private readonly findings: ComposeFinding[] = [];
  private readonly files = new Map<string, LoadedComposeFile>();
  private readonly includes: IncludeRecord[] = [];
  private readonly includeEnvFiles: EnvFileReference[] = [];
  private readonly extendsRecords: ExtendsRecord[] = [];
  private readonly texts = new Map<string, string | undefined>();
  private readonly parsed = new Map<string, ParsedComposeFile>();
  /** Interpolated documents per file and environment. */
  private readonly interpolated = new Map<string, Map<Map<string, string>, (ComposeNode | undefined)[]>>();
  private readonly reportedParse = new Set<string>();
  private readonly reportedEnv = new Set<string>();
  private readonly workingDirs = new Map<string, string>();
  private readonly parse: (path: string, text: string) => ParsedComposeFile;

  constructor(private readonly options: LoadComposeProjectOptions) {
    const first = options.files?.[0] ?? options.projectDirectory ?? '/';
    this.api = pathApi(first);
    this.host = options.host;
    this.parse = options.parse ?? ((path, text) => parseComposeFile(text, path));
  }

  load(): ComposeProject {
    const files = (this.options.files ?? []).filter((file) => typeof file === 'string' && file !== '');
    const projectDirectory = this.options.projectDirectory ?? (files[0] ? this.api.dirname(files[0]) : '.');
    const processEnv = processEnvironment(this.options.environment);

    // .env (or --env-file) for interpolation; the process environment wins, then the first file giving a variable.
    const envPaths = this.options.envFiles ? this.options.envFiles.map((path) => this.resolve(projectDirectory, path)) : [this.resolve(projectDirectory, '.env')];
    const envFiles = this.loadEnvFiles(envPaths, processEnv, !this.options.envFiles);
    const lookup: EnvLookup = (key) => {
      const value = processEnv.get(key);
      if (value !== undefined) return value;
      for (const file of envFiles) {
        const fromFile = file.values.get(key);
        if (fromFile !== undefined) return fromFile;
      }
      return undefined;
    };

    // The project name: given, or `name:` of the files (interpolated), or the directory.
    let name = this.options.projectName ?? '';
    if (!name) {
      for (const file of files) {
        const text = this.read(file);
        if (text === undefined) continue;
        for (const document of this.parsedFile(file, text).documents) {
          const node = get(document.root, 'name');
          if (node?.kind === 'scalar' && typeof node.raw === 'string' && node.raw !== '') {
            // Most names have no variable: nothing to interpolate.
            const interpolated = node.raw.includes('$') ? interpolateTree(node, { lookup, text, findings: [] }) : node;
            name = stringValue(interpolated) ?? name;
          }
        }
      }
      name = normalizeProjectName(name) || normalizeProjectName(this.api.basename(projectDirectory));
    }
    const environment = projectEnvironment(processEnv, envFiles, name);

    for (const file of files) this.workingDirs.set(file, projectDirectory);
    const model = this.loadModel(files, projectDirectory, environment, [], 'main') ?? emptyMap(files[0] ?? '');

    const project: ComposeProject = {
      name,
      projectDirectory,
      files: this.files,
      mainFiles: files,
      model,
      environment,
      envFiles,
      includes: this.includes,
      includeEnvFiles: this.includeEnvFiles,
      extends: this.extendsRecords,
      findings: this.findings,
      host: this.host,
      resolvePath: (file, path) => this.resolve(this.workingDirs.get(file) ?? this.api.dirname(file), path),
      joinPath: (base, path) => this.resolve(base, path),
      exists: (path) => this.exists(path),
      readFile: (path) => this.read(path),
      memo: undefined,
    };
    return project;
  }

  // ------------------------------------------------------------ host access

  private read(path: string): string | undefined {
    if (this.texts.has(path)) return this.texts.get(path);
    let text: string | undefined;
    try {
      const result = this.host.readFile(path);
      text = typeof result === 'string' ? result : undefined;
    } catch {
      text = undefined;
    }
    this.texts.set(path, text);
    return text;
  }

  private readonly existing = new Map<string, boolean>();

  private exists(path: string): boolean {
    let known = this.existing.get(path);
    if (known === undefined) {
      try {
        known = this.host.exists ? this.host.exists(path) === true : this.read(path) !== undefined;
      } catch {
        known = false;
      }
      this.existing.set(path, known);
    }
    return known;
  }

  private resolve(base: string, path: string): string {
    return resolvePath(this.api, base, path);
  }

  private parsedFile(path: string, text: string): ParsedComposeFile {
    let parsed = this.parsed.get(path);
    if (!parsed) {
      try {
        parsed = this.parse(path, text);
      } catch {
        parsed = parseComposeFile(text, path);
      }
      this.parsed.set(path, parsed);
    }
    return parsed;
  }

  /** Reads, parses and interpolates a compose file; undefined when it cannot be read. */
  private documents(path: string, environment: Map<string, string>, role: FileRole, workingDir: string): (ComposeNode | undefined)[] | undefined {
    const text = this.read(path);
    if (text === undefined) return undefined;
    const parsed = this.parsedFile(path, text);
    if (!this.files.has(path)) this.files.set(path, { path, parsed, role, workingDir, interpolated: [] });
    if (!this.workingDirs.has(path)) this.workingDirs.set(path, workingDir);
    if (!this.reportedParse.has(path)) {
      this.reportedParse.add(path);
      this.findings.push(...parsed.problems);
    }
    let byEnv = this.interpolated.get(path);
    if (!byEnv) {
      byEnv = new Map();
      this.interpolated.set(path, byEnv);
    }
    const known = byEnv.get(environment);
    if (known) return known;
    const lookup: EnvLookup = (key) => environment.get(key);
    const memo = new Map<ComposeNode, ComposeNode>();
    const findings: ComposeFinding[] = [];
    const environmentKey = environmentKeyOf(environment);
    const roots = parsed.documents.map((document) => (document.root ? interpolateTree(document.root, { lookup, text, findings, memo, environmentKey }) : undefined));
    // The same file read with several environments reports each problem once.
    for (const finding of findings) {
      const key = `${finding.file}:${finding.range.start}:${finding.range.end}:${finding.message}`;
      if (this.reportedEnv.has(key)) continue;
      this.reportedEnv.add(key);
      this.findings.push(finding);
    }
    byEnv.set(environment, roots);
    const loaded = this.files.get(path);
    if (loaded && loaded.interpolated.length === 0) loaded.interpolated = roots;
    return roots;
  }

  private loadEnvFiles(paths: readonly string[], lookupEnv: ReadonlyMap<string, string>, optional: boolean): LoadedEnvFile[] {
    const loaded: LoadedEnvFile[] = [];
    const values = new Map<string, string>();
    for (let index = 0; index < paths.length; index++) {
      const path = paths[index]!;
      const text = this.read(path);
      if (text === undefined) {
        if (!optional) loaded.push({ path, text, values: new Map() });
        continue;
      }
      // Earlier files' values first, then the environment (compose's GetEnvFromFile).
      const parsed = parsedEnvFile(text, (key) => values.get(key) ?? lookupEnv.get(key));
      if (parsed.problems.length > 0 && !this.reportedEnv.has(`env:${path}`)) {
        this.reportedEnv.add(`env:${path}`);
        for (const problem of parsed.problems) this.findings.push({ code: 'env-file-syntax', severity: 'error', file: path, range: problem.range, message: `${this.api.basename(path)}: ${problem.message}` });
      }
      // Only the files after this one look values up in it.
      if (index < paths.length - 1) for (const [key, value] of parsed.values) values.set(key, value);
      loaded.push({ path, text, values: parsed.values });
    }
    return loaded;
  }

  // ------------------------------------------------------------ layers

  /** Loads files as consecutive layers (compose's loadYamlModel). */
  private loadModel(paths: readonly string[], workingDir: string, environment: Map<string, string>, stack: string[], role: FileRole): ComposeMap | undefined {
    let model: ComposeMap | undefined;
    for (const path of paths) {
      const roots = this.documents(path, environment, role, workingDir);
      if (!roots) continue;
      for (const root of roots) {
        if (root?.kind !== 'map') continue;
        let layer: ComposeMap = root;
        layer = this.applyIncludes(layer, path, workingDir, environment, [...stack, path]);
        layer = this.applyExtends(layer, path, workingDir, environment);
        const merged = mergeNodes(model, layer, []);
        model = merged?.kind === 'map' ? merged : model;
      }
    }
    return model;
  }

  private applyIncludes(layer: ComposeMap, file: string, workingDir: string, environment: Map<string, string>, stack: string[]): ComposeMap {
    const includePair = getPair(layer, 'include');
    if (!includePair) return layer;
    let result: ComposeMap = makeMap(layer.file, layer.range, layer.pairs.filter((pair) => pair !== includePair));
    for (const entry of itemsOf(includePair.value)) {
      let pathNodes: ComposeNode[];
      let projectDirNode: ComposeNode | undefined;
      let envFileNode: ComposeNode | undefined;
      if (entry.kind === 'scalar') pathNodes = [entry];
      else if (entry.kind === 'map') {
        pathNodes = itemsOf(get(entry, 'path'));
        projectDirNode = get(entry, 'project_directory');
        envFileNode = get(entry, 'env_file');
      } else continue;
      const paths: string[] = [];
      let usable = pathNodes.length > 0;
      for (const node of pathNodes) {
        const written = stringValue(node);
        if (written === undefined || written === '' || (node.kind === 'scalar' && node.unresolved)) {
          usable = false;
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written) || written.startsWith('git@')) {
          // A remote resource (oci://, git): not read.
          usable = false;
          continue;
        }
        const path = this.resolve(workingDir, written);
        const cycle = stack.includes(path);
        const found = !cycle && this.read(path) !== undefined;
        this.includes.push({ file, node, path, found: cycle || found, cycle });
        if (cycle || !found) usable = false;
        paths.push(path);
      }
      if (!usable || paths.length === 0) continue;
      const projectDirWritten = stringValue(projectDirNode);
      const projectDirectory = projectDirWritten ? this.resolve(workingDir, projectDirWritten) : this.api.dirname(paths[0]!);
      // The included project's environment: its env_file (or .env), under the includer's.
      let envPaths: string[] = [];
      if (envFileNode) {
        for (const node of itemsOf(envFileNode)) {
          const written = stringValue(node);
          if (!written || written === '/dev/null') continue;
          const path = this.resolve(workingDir, written);
          const found = this.read(path) !== undefined;
          this.includeEnvFiles.push({ file, node, path, found });
          if (found) envPaths.push(path);
        }
      } else envPaths = [this.resolve(projectDirectory, '.env')];
      const envFiles = this.loadEnvFiles(envPaths, environment, true);
      const includedEnv = new Map(environment);
      for (const envFile of envFiles) for (const [key, value] of envFile.values) if (!includedEnv.has(key)) includedEnv.set(key, value);
      for (const path of paths) if (!this.workingDirs.has(path)) this.workingDirs.set(path, projectDirectory);
      const imported = this.loadModel(paths, projectDirectory, includedEnv.size === environment.size ? environment : includedEnv, stack, 'include');
      if (imported) result = importResources(imported, result);
    }
    return result;
  }

  private applyExtends(layer: ComposeMap, file: string, workingDir: string, environment: Map<string, string>): ComposeMap {
    const servicesPair = getPair(layer, 'services');
    if (servicesPair?.value.kind !== 'map') return layer;
    const services = servicesPair.value;
    if (!services.pairs.some((pair) => pair.value.kind === 'map' && extendsSomething(pair.value))) return layer;
    const context = new ExtendsContext(this, environment);
    const pairs = services.pairs.map((pair) => {
      const resolved = context.resolve(pair.key, services, file, workingDir, []);
      return resolved === pair.value ? pair : withValue(pair, resolved);
    });
    const newServices = makeMap(services.file, services.range, pairs);
    return makeMap(layer.file, layer.range, layer.pairs.map((pair) => (pair === servicesPair ? withValue(pair, newServices) : pair)));
  }

  // Used by ExtendsContext.
  recordExtends(record: ExtendsRecord): void {
    this.extendsRecords.push(record);
  }

  resolvePathFrom(base: string, path: string): string {
    return this.resolve(base, path);
  }

  dirname(path: string): string {
    return this.api.dirname(path);
  }

  /** The services of a file read through `extends.file` (its documents merged, no includes, no extends). */
  servicesOf(path: string, environment: Map<string, string>): ComposeMap | undefined | null {
    const workingDir = this.api.dirname(path);
    const roots = this.documents(path, environment, 'extends', workingDir);
    if (!roots) return null;
    let model: ComposeNode | undefined;
    for (const root of roots) if (root?.kind === 'map') model = mergeNodes(model, root, []);
    const services = get(model, 'services');
    return services?.kind === 'map' ? services : undefined;
  }
}

/** Per service node (the same node while a service is not edited): whether it has `extends`, asked of every service after each keystroke. */
const extending = new MemoSlot<boolean>();

function extendsSomething(service: ComposeMap): boolean {
  return extending.get(service) ?? extending.set(service, getPair(service, 'extends') !== undefined);
}

/** Resolves `extends` for the services of one layer, memoised and cycle-safe. */
class ExtendsContext {
  private readonly done = new Map<string, ComposeNode>();
  private readonly fileServices = new Map<string, ComposeMap | undefined | null>();

  constructor(
    private readonly loader: Loader,
    private readonly environment: Map<string, string>,
  ) {}

  resolve(name: string, services: ComposeMap, file: string, workingDir: string, chain: string[]): ComposeNode {
    const id = `${file}#${name}`;
    const known = this.done.get(id);
    if (known) return known;
    const pair = getPair(services, name);
    const service = pair?.value;
    if (service?.kind !== 'map') return service ?? emptyMap(file);
    const extendsPair = getPair(service, 'extends');
    if (!extendsPair) {
      this.done.set(id, service);
      return service;
    }
    const withoutExtends = makeMap(service.file, service.range, service.pairs.filter((p) => p !== extendsPair));
    const extendsNode = extendsPair.value;
    let baseNode: ComposeNode | undefined;
    let fileNode: ComposeNode | undefined;
    if (extendsNode.kind === 'scalar') baseNode = extendsNode;
    else if (extendsNode.kind === 'map') {
      baseNode = get(extendsNode, 'service');
      fileNode = get(extendsNode, 'file');
    }
    const base = stringValue(baseNode);
    if (!baseNode || base === undefined) {
      this.done.set(id, withoutExtends);
      return withoutExtends;
    }
    const record: ExtendsRecord = { file, service: name, node: extendsNode, base, baseNode };
    let baseServices = services;
    let baseFile = file;
    let baseWorkingDir = workingDir;
    const fileWritten = stringValue(fileNode);
    if (fileNode && fileWritten) {
      const path = this.loader.resolvePathFrom(workingDir, fileWritten);
      let loaded = this.fileServices.get(path);
      if (loaded === undefined && !this.fileServices.has(path)) {
        loaded = this.loader.servicesOf(path, this.environment);
        this.fileServices.set(path, loaded);
      }
      record.baseFile = { path, node: fileNode, found: loaded !== null };
      if (loaded === null) {
        record.problem = 'file-missing';
        this.loader.recordExtends(record);
        this.done.set(id, withoutExtends);
        return withoutExtends;
      }
      if (!loaded || !getPair(loaded, base)) {
        record.problem = 'service-missing';
        this.loader.recordExtends(record);
        this.done.set(id, withoutExtends);
        return withoutExtends;
      }
      baseServices = loaded;
      baseFile = path;
      baseWorkingDir = this.loader.dirname(path);
    } else if (!getPair(services, base)) {
      record.problem = 'service-missing';
      this.loader.recordExtends(record);
      this.done.set(id, withoutExtends);
      return withoutExtends;
    }
    const baseId = `${baseFile}#${base}`;
    if (baseId === id || chain.includes(baseId)) {
      record.problem = 'cycle';
      const start = chain.indexOf(baseId);
      record.chain = [...(start >= 0 ? chain.slice(start) : []), id, baseId];
      this.loader.recordExtends(record);
      this.done.set(id, withoutExtends);
      return withoutExtends;
    }
    this.loader.recordExtends(record);
    const resolvedBase = this.resolve(base, baseServices, baseFile, baseWorkingDir, [...chain, id]);
    const merged = resolvedBase.kind === 'map' ? mergeNodes(resolvedBase, withoutExtends, ['services', name]) : normalizeLayer(withoutExtends, ['services', name]);
    const result = merged ?? withoutExtends;
    this.done.set(id, result);
    return result;
  }
}

/** The included model's resources, with the including file's definitions merged over them. */
function importResources(imported: ComposeMap, target: ComposeMap): ComposeMap {
  let pairs = target.pairs;
  for (const key of RESOURCE_KEYS) {
    const from = getPair(imported, key);
    if (from?.value.kind !== 'map') continue;
    const existing = pairs.find((pair) => pair.key === key);
    if (!existing || existing.value.kind !== 'map') {
      pairs = existing ? pairs.map((pair) => (pair === existing ? from : pair)) : [...pairs, from];
      continue;
    }
    const local = existing.value;
    const resources: ComposePair[] = [];
    const localNames = new Set(local.pairs.map((pair) => pair.key));
    for (const pair of from.value.pairs) if (!localNames.has(pair.key)) resources.push(pair);
    for (const pair of local.pairs) {
      const importedPair = getPair(from.value, pair.key);
      if (!importedPair) {
        resources.push(pair);
        continue;
      }
      const merged = mergeNodes(importedPair.value, pair.value, [key, pair.key]);
      if (merged) resources.push(makePair(pair.key, importedPair.keyRange, importedPair.file, merged, [...(importedPair.also ?? []), { file: pair.file, keyRange: pair.keyRange }]));
    }
    const value = makeMap(local.file, local.range, resources);
    pairs = pairs.map((pair) => (pair === existing ? withValue(pair, value) : pair));
  }
  return makeMap(target.file, target.range, pairs);
}
