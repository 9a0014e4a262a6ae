import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

function waitFor<T>(what: string, subscribe: (done: (value: T) => void) => void, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('runtime daemon against the real engine', () => {
  const engine = useEngine();
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;
  const created: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    const dir = mkdtempSync(join(tmpdir(), 'berth-engine-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 'runtime.sock') }, discoveryPath: join(dir, 'runtime.json') });
    connection = await RuntimeConnection.connect(daemon.discovery);
  });
  after(async () => {
    for (const id of created) await engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    connection?.close();
    await daemon?.stop();
  });

  it('finds the engine ready, with its version', async (t) => {
    if (engine.missing(t)) return;
    let [info] = await connection.request('engines.list', {});
    if (info!.health.state !== 'ready') {
      [info] = await waitFor<EngineInfo[]>('the engine to be ready', (done) =>
        connection.onNotification('engines.changed', (engines) => engines[0]!.health.state === 'ready' && done(engines)),
      );
    }
    assert.equal(info!.health.state, 'ready');
    assert.match(info!.health.state === 'ready' ? info!.health.apiVersion : '', /^1\.\d+$/);
  });

  it('tells clients when a container starts, and lists it running', async (t) => {
    if (engine.missing(t)) return;
    const name = `berth-test-${process.pid}-${Date.now()}`;
    const changed = waitFor('state.changed after the container started', (done) => connection.onNotification('state.changed', done));
    const { Id } = await engine.client().json<{ Id: string }>('POST', `/containers/create?name=${name}`, {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '30'],
      Labels: { [TEST_LABEL]: '1' },
    });
    created.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    assert.deepEqual(await changed, { engineId: 'engine-1' });

    const containers = await connection.request('containers.list', { engineId: 'engine-1' });
    const container = containers.find((candidate) => candidate.id === Id);
    assert.ok(container, `${name} not listed`);
    assert.equal(container.name, name);
    assert.equal(container.image, BASE_IMAGE);
    assert.equal(container.state, 'running');
  });
});
