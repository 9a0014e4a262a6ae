import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Engine } from './engine/engine';
import type { EngineEndpoint } from './engine/endpoint';
import { discoverEngines } from './engine/discovery';
import { EngineRegistry, EngineRegistryError } from './engine/engineRegistry';
import { userEnginesPath } from './engine/userEngines';
import { discoveryFilePath, readDiscoveryFile, removeDiscoveryFile, runtimeDirectory, writeDiscoveryFile } from './protocol/discoveryFile';
import { PROTOCOL_VERSION, RuntimeErrorCode, type RuntimeDiscovery } from './protocol/types';
import { newToken } from './server/auth';
import { RawJson, RpcError, RpcServer } from './server/rpcServer';
import { readParams } from './server/params';
import { registerOperations } from './operations/operations';
import { registerStreams, type StreamOptions } from './streams/streams';
import { isResourceKind } from './engine/engine';
import { RESOURCE_KINDS, type ResourceKind } from './protocol/types';
import type { WebSocket } from 'ws';

declare const BERTH_VERSION: string;
export const DAEMON_VERSION = typeof BERTH_VERSION === 'string' ? BERTH_VERSION : '0.0.0-dev';

export interface DaemonOptions {
  /** `unix` (default) listens on a 0600 socket beside the discovery file. */
  listen: { kind: 'unix'; socketPath?: string } | { kind: 'tcp'; host: string; port: number };
  discoveryPath?: string;
  /** The engines to serve; by default those found as the docker CLI would (see engine/discovery.ts). */
  engines?: EngineEndpoint[];
  /** Without `engines`: also serve every other engine socket found beside the docker CLI's choice (default true). */
  discoverOtherSockets?: boolean;
  /**
   * Where engines.add saves engines (and whence they are loaded at start).
   * Defaults to ~/.berth/engines.json when `engines` is not given; otherwise added engines are not saved.
   */
  userEnginesFile?: string;
  /** Exit after this long with no client connected; 0 keeps running. */
  idleExitMs?: number;
  /** Logs/exec/attach/stats streams: detach grace, replay size, back-pressure limits. */
  streams?: StreamOptions;
  log?: (line: string) => void;
}

export interface RunningDaemon {
  discovery: RuntimeDiscovery;
  discoveryPath: string;
  stop(): Promise<void>;
  /** Settles once the daemon has stopped, whoever stopped it (a signal, idle exit). */
  stopped: Promise<void>;
}

export class DaemonAlreadyRunningError extends Error {}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? (() => undefined);
  const discoveryPath = options.discoveryPath ?? discoveryFilePath();
  const existing = readDiscoveryFile(discoveryPath);
  if (existing && processIsAlive(existing.pid)) {
    throw new DaemonAlreadyRunningError(`a Berth daemon is already running (pid ${existing.pid}, ${existing.url})`);
  }

  const token = newToken();
  const rpc = new RpcServer(token);
  const engines = new EngineRegistry(options.userEnginesFile ?? (options.engines ? undefined : userEnginesPath()));
  const engineList = () => engines.list();

  /** The engine a request names, else the first ready one. */
  const engineFor = (method: string, requested: string | undefined): Engine => {
    if (requested !== undefined) {
      const engine = engines.get(requested);
      if (!engine) throw new RpcError(RuntimeErrorCode.UnknownEngine, `${method}: no engine "${requested}" (known: ${engines.ids().join(', ') || 'none'})`);
      if (!engine.ready) throw new RpcError(RuntimeErrorCode.EngineUnreachable, `${method}: engine "${requested}" is ${describeHealth(engine)}`);
      return engine;
    }
    const ready = [...engines.values()].find((engine) => engine.ready);
    if (!ready) {
      const reasons = [...engines.values()].map((engine) => `${engine.id}: ${describeHealth(engine)}`).join('; ');
      throw new RpcError(RuntimeErrorCode.NoEngineReady, `${method}: no engine is ready (${reasons || 'none configured'})`);
    }
    return ready;
  };
  const subscriptions = new Map<WebSocket, Set<ResourceKind>>();
  const streams = registerStreams(rpc, engineFor, [], options.streams);
  registerOperations(rpc, engineFor, streams.progress);

  rpc.handle('runtime.hello', (params, client) => {
    const { binaryStreams } = readParams('runtime.hello', params, { client: 'string?', protocol: 'number?', binaryStreams: 'boolean?' });
    if (binaryStreams) streams.sendBytesAsBinary(client);
    return { version: DAEMON_VERSION, protocol: PROTOCOL_VERSION, pid: process.pid, engines: engineList(), binaryStreams: binaryStreams === true };
  });
  rpc.handle('engines.list', (params) => {
    readParams('engines.list', params, {});
    return engineList();
  });
  rpc.handle('engines.add', (params) => {
    const record = params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : undefined;
    const { tls: rawTls, ...rest } = record ?? {};
    const { url, name } = readParams('engines.add', record ? rest : params, { url: 'string', name: 'string?' });
    if (rawTls !== undefined && (rawTls === null || typeof rawTls !== 'object' || Array.isArray(rawTls))) throw new RpcError(RuntimeErrorCode.InvalidParams, 'engines.add: param "tls" must be an object { certPath?, verify? }');
    const tls = rawTls === undefined ? undefined : readParams('engines.add tls', rawTls, { certPath: 'string?', verify: 'boolean?' });
    try {
      return engines.add({ url, ...(name !== undefined ? { name } : {}), ...(tls ? { tls } : {}) }).info();
    } catch (error) {
      throw registryError(error);
    }
  });
  rpc.handle('engines.remove', (params) => {
    const { engine } = readParams('engines.remove', params, { engine: 'string' });
    try {
      engines.remove(engine);
    } catch (error) {
      throw registryError(error);
    }
    return {};
  });
  rpc.handle('containers.list', (params) => {
    const { engine, all } = readParams('containers.list', params, { engine: 'string?', all: 'boolean?' });
    const model = engineFor('containers.list', engine).model;
    // The whole list is served from its cached serialization; only the running subset is encoded afresh.
    return all === false ? model.list('container').filter((container) => container.state === 'running') : new RawJson(model.listJson('container'));
  });
  for (const [method, kind] of [['images.list', 'image'], ['volumes.list', 'volume'], ['networks.list', 'network']] as const) {
    rpc.handle(method, (params) => new RawJson(engineFor(method, readParams(method, params, { engine: 'string?' }).engine).model.listJson(kind)));
  }
  rpc.handle('state.subscribe', (params, client) => {
    const { kinds } = readParams('state.subscribe', params, { kinds: 'string[]' });
    const unknown = kinds.find((kind) => !isResourceKind(kind));
    if (unknown !== undefined) throw new RpcError(RuntimeErrorCode.InvalidParams, `state.subscribe: unknown kind "${unknown}" (expected ${RESOURCE_KINDS.join(', ')})`);
    const subscribed = subscriptions.get(client) ?? new Set<ResourceKind>();
    subscriptions.set(client, subscribed);
    client.once('close', () => subscriptions.delete(client));
    for (const kind of kinds as ResourceKind[]) {
      subscribed.add(kind);
      // What the client has missed so far: the current list, engine by engine.
      for (const engine of engines.values()) if (engine.ready) rpc.notify(client, 'state.resync', { engine: engine.id, kind, items: engine.model.list(kind) });
    }
    return { kinds: [...subscribed] };
  });

  let socketPath: string | undefined;
  let url: string;
  if (options.listen.kind === 'unix') {
    socketPath = options.listen.socketPath ?? join(runtimeDirectory(), 'runtime.sock');
    // A socket left by a daemon that died would make listen fail with EADDRINUSE.
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    rmSync(socketPath, { force: true });
    await listen(rpc, socketPath);
    chmodSync(socketPath, 0o600);
    url = `ws+unix://${socketPath}`;
  } else {
    await listen(rpc, options.listen.port, options.listen.host);
    const address = rpc.http.address() as AddressInfo;
    url = `ws://${options.listen.host}:${address.port}`;
  }

  const discovery: RuntimeDiscovery = { pid: process.pid, version: DAEMON_VERSION, protocol: PROTOCOL_VERSION, url, token };
  writeDiscoveryFile(discoveryPath, discovery);
  log(`Berth daemon ${DAEMON_VERSION} listening on ${url}`);

  const serve = (engine: Engine) => {
    streams.watchEngine(engine);
    engine.on('health', (info) => {
      log(`engine ${info.id} (${info.endpoint}): ${info.health.state}${info.health.state === 'unreachable' ? `: ${info.health.reason}` : ''}`);
      rpc.broadcast('engines.changed', engineList());
      // Back from unreachable: subscribers get the whole current state again.
      if (engine.ready) for (const [client, kinds] of subscriptions) for (const kind of kinds) rpc.notify(client, 'state.resync', { engine: engine.id, kind, items: engine.model.list(kind) });
    });
    engine.on('change', (change) => {
      for (const [client, kinds] of subscriptions) if (kinds.has(change.kind)) rpc.notify(client, 'state.changed', change);
    });
    engine.start();
    rpc.broadcast('engines.changed', engineList());
  };
  engines.on('added', serve);
  engines.on('removed', (engine) => {
    log(`engine ${engine.id} (${engine.endpoint.url}) removed`);
    rpc.broadcast('engines.changed', engineList());
    // Subscribers drop what they held of it.
    for (const [client, kinds] of subscriptions) for (const kind of kinds) rpc.notify(client, 'state.resync', { engine: engine.id, kind, items: [] });
  });
  engines.load(options.engines ?? discoverEngines({ otherSockets: options.discoverOtherSockets ?? true }));

  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(idleTimer);
      streams.dispose();
      engines.dispose();
      await rpc.close();
      removeDiscoveryFile(discoveryPath, process.pid);
      if (socketPath) rmSync(socketPath, { force: true });
      log('Berth daemon stopped');
      markStopped();
    })());

  const idleExitMs = options.idleExitMs ?? 0;
  if (idleExitMs > 0) {
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      if (rpc.clientCount === 0) idleTimer = setTimeout(() => void stop(), idleExitMs);
    };
    rpc.http.on('upgrade', () => clearTimeout(idleTimer));
    rpc.http.on('connection', (socket) => socket.on('close', () => setImmediate(armIdleTimer)));
    armIdleTimer();
  }

  return { discovery, discoveryPath, stop, stopped };
}

export class DaemonListenError extends Error {}

function listen(rpc: RpcServer, pathOrPort: string | number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const where = typeof pathOrPort === 'string' ? pathOrPort : `${host}:${pathOrPort}`;
    const fail = (error: NodeJS.ErrnoException) => reject(new DaemonListenError(`cannot listen on ${where}: ${error.code ?? error.message}`));
    rpc.http.once('error', fail);
    const done = () => {
      rpc.http.off('error', fail);
      resolve();
    };
    if (typeof pathOrPort === 'string') rpc.http.listen(pathOrPort, done);
    else rpc.http.listen(pathOrPort, host, done);
  });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A refused engines.add/remove as the JSON-RPC error it deserves. */
function registryError(error: unknown): unknown {
  if (!(error instanceof EngineRegistryError)) return error;
  return new RpcError(error.kind === 'unknown' ? RuntimeErrorCode.UnknownEngine : RuntimeErrorCode.InvalidParams, error.message);
}

function describeHealth(engine: Engine): string {
  const health = engine.info().health;
  return health.state === 'unreachable' ? `unreachable: ${health.reason}` : health.state;
}
