// Every engine the daemon serves: those discovered at start, those the user
// saved, and those added or removed at run time (engines.add / engines.remove).
import { EventEmitter } from 'node:events';
import type { EngineInfo } from '../protocol/types';
import { sanitizeId, withUniqueIds } from './discovery';
import { EndpointError, parseEngineUrl, type EngineEndpoint } from './endpoint';
import { Engine } from './engine';
import { readUserEngines, userEngineEndpoint, USER_ENGINES_SOURCE, writeUserEngines, type UserEngine } from './userEngines';

export class EngineRegistryError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'unknown' | 'conflict',
  ) {
    super(message);
  }
}

interface RegistryEvents {
  added: [Engine];
  removed: [Engine];
}

export class EngineRegistry extends EventEmitter<RegistryEvents> {
  private readonly engines = new Map<string, Engine>();
  /** Engines added by the user: their id here → their id in the saved file (they differ when a discovered engine took the name first). */
  private readonly added = new Map<string, string>();
  private saved: UserEngine[] = [];
  /** Set when the saved engines file is broken: it is then left alone rather than overwritten. */
  private savedProblem?: string;

  /** `userEnginesFile`: where engines.add saves; without it, added engines last as long as the daemon. */
  constructor(private readonly userEnginesFile?: string) {
    super();
  }

  /** Serves the discovered engines and the saved ones; emits `added` for each. */
  load(discovered: EngineEndpoint[]): void {
    const endpoints = discovered.map((endpoint, index) => ({ ...endpoint, id: endpoint.id ?? `engine-${index + 1}` }));
    for (const endpoint of withUniqueIds(endpoints)) this.serve(endpoint);
    if (!this.userEnginesFile) return;
    const { engines, problem } = readUserEngines(this.userEnginesFile);
    this.saved = engines;
    if (problem) {
      this.savedProblem = problem;
      const [endpoint] = withUniqueIds([{ id: 'saved-engines', url: this.userEnginesFile, source: USER_ENGINES_SOURCE, problem }], this.engines.keys());
      this.serve(endpoint!);
    }
    for (const engine of engines) {
      const [endpoint] = withUniqueIds([userEngineEndpoint(engine)], this.engines.keys());
      this.serve(endpoint!, engine.id);
    }
  }

  get(id: string): Engine | undefined {
    return this.engines.get(id);
  }

  ids(): string[] {
    return [...this.engines.keys()];
  }

  values(): IterableIterator<Engine> {
    return this.engines.values();
  }

  list(): EngineInfo[] {
    return [...this.engines.values()].map((engine) => ({ ...engine.info(), ...(this.added.has(engine.id) ? { added: true } : {}) }));
  }

  /** engines.add: checks the URL, serves the engine, and saves it. */
  add(request: { url: string; name?: string; tls?: { certPath?: string; verify?: boolean } }): Engine {
    try {
      parseEngineUrl(request.url, 'engines.add: param "url"');
    } catch (error) {
      if (error instanceof EndpointError) throw new EngineRegistryError(error.message, 'invalid');
      throw error;
    }
    if (request.tls && !request.url.startsWith('tcp://')) throw new EngineRegistryError(`engines.add: param "tls" is for tcp:// engines, not "${request.url}"`, 'invalid');
    const same = [...this.engines.values()].find((engine) => engine.endpoint.url === request.url);
    if (same) throw new EngineRegistryError(`engines.add: ${request.url} is already served as engine "${same.id}"`, 'conflict');
    if (request.name !== undefined && sanitizeId(request.name) !== request.name) {
      throw new EngineRegistryError(`engines.add: param "name" must be lowercase letters, digits, ".", "_" or "-" (such as "${sanitizeId(request.name)}")`, 'invalid');
    }
    if (request.name !== undefined && this.engines.has(request.name)) throw new EngineRegistryError(`engines.add: an engine named "${request.name}" exists already`, 'conflict');
    if (this.savedProblem) throw new EngineRegistryError(`engines.add: cannot save the engine: ${this.savedProblem}`, 'conflict');
    const id = request.name ?? withUniqueIds([{ id: nameFromUrl(request.url), url: request.url, source: '' }], this.engines.keys())[0]!.id!;
    const saved: UserEngine = { id, url: request.url, ...(request.tls ? { tls: request.tls } : {}) };
    this.saved = [...this.saved.filter((engine) => engine.id !== id), saved];
    if (this.userEnginesFile) writeUserEngines(this.userEnginesFile, this.saved);
    return this.serve(userEngineEndpoint(saved), id);
  }

  /** engines.remove: only engines added by the user; discovered ones come back at the next start anyway. */
  remove(id: string): void {
    const engine = this.engines.get(id);
    if (!engine) throw new EngineRegistryError(`engines.remove: no engine "${id}" (known: ${this.ids().join(', ') || 'none'})`, 'unknown');
    const savedId = this.added.get(id);
    if (savedId === undefined) {
      throw new EngineRegistryError(`engines.remove: engine "${id}" was found by ${engine.endpoint.source}, not added with engines.add; only added engines can be removed`, 'invalid');
    }
    this.saved = this.saved.filter((saved) => saved.id !== savedId);
    if (this.userEnginesFile) writeUserEngines(this.userEnginesFile, this.saved);
    this.engines.delete(id);
    this.added.delete(id);
    engine.remove('engine removed (engines.remove)');
    this.emit('removed', engine);
  }

  dispose(): void {
    for (const engine of this.engines.values()) engine.dispose();
  }

  /** `savedId`: the engine's id in the saved file, for engines the user added. */
  private serve(endpoint: EngineEndpoint, savedId?: string): Engine {
    const engine = new Engine(endpoint.id!, endpoint);
    this.engines.set(engine.id, engine);
    if (savedId !== undefined) this.added.set(engine.id, savedId);
    this.emit('added', engine);
    return engine;
  }
}

/** A readable id for an added engine: its host, or its socket's file name. */
function nameFromUrl(url: string): string {
  const host = /^(?:tcp|ssh):\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)/.exec(url)?.[1];
  if (host) return sanitizeId(host);
  return sanitizeId(url.split('/').pop()!.replace(/\.sock$/, ''));
}
