// The client's RuntimeState fed by a daemon connection, as the extension feeds
// it, for integration tests of client commands against a real daemon.
// Type imports only: the client's modules load `vscode`, which each test shims first.
import type { RuntimeState } from '../../client/src/runtime/runtimeState';
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../runtime/src/protocol/types';

/** Follows the daemon's engines and state notifications into `state`; resolves once `ready` holds of the engines (at once by default). */
export async function mirrorDaemon(state: RuntimeState, connection: RuntimeConnection, ready: (engines: EngineInfo[]) => boolean = () => true): Promise<void> {
  let markReady: () => void = () => undefined;
  const readyLater = new Promise<void>((resolve) => (markReady = resolve));
  // A list pushed while the answer to engines.list was on its way is newer than
  // that answer: both can arrive in one read, the push handled first.
  let pushed = false;
  connection.onNotification('engines.changed', (list: EngineInfo[]) => {
    pushed = true;
    state.setEngines(list);
    if (ready(list)) markReady();
  });
  connection.onNotification('state.resync', (message) => state.resync(message));
  connection.onNotification('state.changed', (change) => state.apply(change));
  state.setDaemon({ kind: 'connected', connection });
  const list = await connection.request('engines.list', {});
  if (pushed) return readyLater;
  state.setEngines(list);
  if (!ready(list)) await readyLater;
}

/** Resolves once `test` holds of the mirror (checked at each change of it); rejects after `timeoutMs`, naming `what`. */
export function untilMirror(state: RuntimeState, test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (test()) return resolve();
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const subscription = state.onDidChangeKind(() => {
      if (!test()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/** `ready` for `mirrorDaemon`: every one of `count` engines answers. */
export const enginesReady = (count: number) => (engines: EngineInfo[]) => engines.filter((info) => info.health.state === 'ready').length === count;
