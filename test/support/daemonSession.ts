// A daemon of its own for an integration test file, a connection to it once
// its engine is ready, and what arrives on its progress streams.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { defaultEngineEndpoint, type EngineEndpoint } from '../../runtime/src/engine/endpoint';
import { RuntimeConnection, type RuntimeRequestError } from '../../runtime/src/protocol/connection';
import type { StreamEnd } from '../../runtime/src/protocol/types';
import { untilEngines } from './engineHealth';

export interface DaemonSession {
  daemon: RunningDaemon;
  connection: RuntimeConnection;
  progress: ProgressCollector;
  stop(): Promise<void>;
}

/** `engines`: the engines it serves (default: the machine's own, as the docker CLI finds it). */
export async function startDaemonSession(prefix: string, engines: EngineEndpoint[] = [defaultEngineEndpoint()]): Promise<DaemonSession> {
  const dir = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
  const daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines });
  const connection = await RuntimeConnection.connect(daemon.discovery);
  await untilEngines(connection, (list) => list.find((engine) => engine.health.state === 'ready'), 'an engine to be ready');
  const progress = new ProgressCollector(connection);
  return {
    daemon,
    connection,
    progress,
    stop: async () => {
      connection.close();
      await daemon.stop();
    },
  };
}

/** Text and ends of progress streams, by stream id. */
export class ProgressCollector {
  private readonly texts = new Map<string, string>();
  private readonly ends = new Map<string, StreamEnd>();
  private readonly waiters = new Set<() => void>();

  constructor(connection: RuntimeConnection) {
    connection.onNotification('stream.data', (message) => {
      if (message.channel !== 'progress') return;
      this.texts.set(message.streamId, (this.texts.get(message.streamId) ?? '') + message.data);
      this.wake();
    });
    connection.onNotification('stream.end', (message) => {
      assert.equal(this.ends.has(message.streamId), false, `a second stream.end for ${message.streamId}`);
      this.ends.set(message.streamId, message);
      this.wake();
    });
  }

  text(streamId: string): string {
    return this.texts.get(streamId) ?? '';
  }

  /** The stream's end, once it comes. */
  end(streamId: string, timeoutMs = 120_000): Promise<StreamEnd> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const end = this.ends.get(streamId);
        if (!end) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(end);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the end of ${streamId}; output so far: ${this.text(streamId).slice(-500)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** The error a request was refused with (fails the test if it succeeded). */
export const refusal = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected an error'), (error: RuntimeRequestError) => error);
