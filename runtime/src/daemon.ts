import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Engine } from './engine/engine';
import { defaultEngineEndpoint, type EngineEndpoint } from './engine/endpoint';
import { discoveryFilePath, readDiscoveryFile, removeDiscoveryFile, runtimeDirectory, writeDiscoveryFile } from './protocol/discoveryFile';
import { PROTOCOL_VERSION, RuntimeErrorCode, type RuntimeDiscovery } from './protocol/types';
import { newToken } from './server/auth';
import { RpcError, RpcServer } from './server/rpcServer';

declare const BERTH_VERSION: string;
export const DAEMON_VERSION = typeof BERTH_VERSION === 'string' ? BERTH_VERSION : '0.0.0-dev';

export interface DaemonOptions {
  /** `unix` (default) listens on a 0600 socket beside the discovery file. */
  listen: { kind: 'unix'; socketPath?: string } | { kind: 'tcp'; host: string; port: number };
  discoveryPath?: string;
  engines?: EngineEndpoint[];
  /** Exit after this long with no client connected; 0 keeps running. */
  idleExitMs?: number;
  log?: (line: string) => void;
}

export interface RunningDaemon {
  discovery: RuntimeDiscovery;
  discoveryPath: string;
  stop(): Promise<void>;
  /** Settles once the daemon has stopped, whoever stopped it (a signal, idle exit). */
  stopped: Promise<void>;
}

const EVENT_COALESCE_MS = 100;

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
  const engines = new Map<string, Engine>();
  for (const [index, endpoint] of (options.engines ?? [defaultEngineEndpoint()]).entries()) {
    engines.set(`engine-${index + 1}`, new Engine(`engine-${index + 1}`, endpoint));
  }
  const engineList = () => [...engines.values()].map((engine) => engine.info());

  rpc.handle('runtime.hello', () => ({ version: DAEMON_VERSION, protocol: PROTOCOL_VERSION, pid: process.pid }));
  rpc.handle('engines.list', () => engineList());
  const engineFor = (params: unknown): Engine => {
    const engineId = (params as { engineId?: unknown }).engineId;
    const engine = typeof engineId === 'string' ? engines.get(engineId) : undefined;
    if (!engine) throw new RpcError(RuntimeErrorCode.UnknownEngine, `no engine with id ${JSON.stringify(engineId)}`);
    return engine;
  };
  const asEngineError = (error: Error): never => {
    throw new RpcError(RuntimeErrorCode.EngineError, error.message);
  };
  rpc.handle('containers.list', (params) => engineFor(params).listContainers().catch(asEngineError));
  rpc.handle('images.list', (params) => engineFor(params).listImages().catch(asEngineError));

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

  for (const engine of engines.values()) {
    engine.on('health', (info) => {
      log(`engine ${info.id} (${info.endpoint}): ${info.health.state}${info.health.state === 'unreachable' ? `: ${info.health.reason}` : ''}`);
      rpc.broadcast('engines.changed', engineList());
    });
    let burst: NodeJS.Timeout | undefined;
    const kinds = new Set<string>();
    engine.on('event', (kind: string) => {
      kinds.add(kind);
      // Engines emit bursts (a compose up is dozens of events); tell clients once per burst.
      burst ??= setTimeout(() => {
        burst = undefined;
        rpc.broadcast('state.changed', { engineId: engine.id, kinds: [...kinds].sort() });
        kinds.clear();
      }, EVENT_COALESCE_MS);
    });
    engine.start();
  }

  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(idleTimer);
      for (const engine of engines.values()) engine.dispose();
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
