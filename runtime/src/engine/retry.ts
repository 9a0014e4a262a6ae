// When an engine is unreachable the daemon tries again with a capped
// exponential backoff; for a unix-socket engine it also watches the socket's
// directory, so an engine that comes back is noticed as its socket appears
// rather than at the next tick of the backoff.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { EngineEndpoint } from './endpoint';

export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 30_000;
/** A socket file appears a moment before its engine answers on it. */
const SOCKET_SETTLE_MS = 100;

/** The wait before attempt `failures + 1`: 0.5 s, 1 s, 2 s, … capped at 30 s. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures));
}

/** Calls `retry` once, after the backoff or as soon as the engine's socket appears; returns a cancel function. */
export function scheduleRetry(endpoint: EngineEndpoint, failures: number, retry: () => void): () => void {
  let watcher: FSWatcher | undefined;
  let settle: NodeJS.Timeout | undefined;
  const fire = () => {
    cancel();
    retry();
  };
  const timer = setTimeout(fire, retryDelay(failures));
  timer.unref();
  const socketPath = endpoint.socketPath;
  if (socketPath) {
    try {
      watcher = watch(dirname(socketPath), (_event, name) => {
        if (settle || (name !== null && name !== basename(socketPath)) || !existsSync(socketPath)) return;
        settle = setTimeout(fire, SOCKET_SETTLE_MS);
      });
      watcher.on('error', () => watcher?.close());
      watcher.unref();
    } catch {
      // No directory to watch (yet): the backoff alone will do.
    }
  }
  const cancel = () => {
    clearTimeout(timer);
    clearTimeout(settle);
    watcher?.close();
  };
  return cancel;
}
