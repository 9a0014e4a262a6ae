// Waiting for a daemon's engines to reach a state, for integration tests.
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../runtime/src/protocol/types';

/**
 * What `settled` makes of the first list of engines, asked for or pushed, for
 * which it returns something; rejects after `timeoutMs`, naming `what`. It
 * listens before it asks: the push that settles it can arrive in the same read
 * as the answer, and is handled before the answer's await resumes.
 */
export async function untilEngines<T>(connection: RuntimeConnection, settled: (list: EngineInfo[]) => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  let unsubscribe = () => undefined as void;
  let timer: NodeJS.Timeout | undefined;
  const pushed = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    unsubscribe = connection.onNotification('engines.changed', (list: EngineInfo[]) => {
      const result = settled(list);
      if (result !== undefined) resolve(result);
    });
  });
  try {
    return settled(await connection.request('engines.list', {})) ?? (await pushed);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

/** `settled` for `untilEngines`: engine `id` (the first engine by default) once its health is `state`. */
export const engineIn =
  (state: EngineInfo['health']['state'], id?: string) =>
  (list: EngineInfo[]): EngineInfo | undefined => {
    const engine = id === undefined ? list[0] : list.find((item) => item.id === id);
    return engine?.health.state === state ? engine : undefined;
  };
