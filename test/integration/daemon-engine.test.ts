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
  const images: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    const dir = mkdtempSync(join(tmpdir(), 'berth-engine-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 'runtime.sock') }, discoveryPath: join(dir, 'runtime.json') });
    connection = await RuntimeConnection.connect(daemon.discovery);
  });
  after(async () => {
    for (const id of created) await engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    for (const id of images) await engine.client().json('DELETE', `/images/${encodeURIComponent(id)}?force=1`).catch(() => undefined);
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
    const changed = waitFor<{ engineId: string; kinds: string[] }>('state.changed after the container started', (done) => connection.onNotification('state.changed', done));
    const { Id } = await engine.client().json<{ Id: string }>('POST', `/containers/create?name=${name}`, {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '30'],
      Labels: { [TEST_LABEL]: '1' },
    });
    created.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    const notice = await changed;
    assert.equal(notice.engineId, 'engine-1');
    assert.ok(notice.kinds.includes('container'), `kinds: ${notice.kinds}`);

    const containers = await connection.request('containers.list', { engineId: 'engine-1' });
    const container = containers.find((candidate) => candidate.id === Id);
    assert.ok(container, `${name} not listed`);
    assert.equal(container.name, name);
    assert.equal(container.image, BASE_IMAGE);
    assert.equal(container.state, 'running');
  });

  it('lists tagged images with size, creation time and the ports they expose', async (t) => {
    if (engine.missing(t)) return;
    const { Id: container } = await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    created.push(container);
    const tag = `t${process.pid}`;
    const changes = encodeURIComponent('EXPOSE 8080/tcp 9000/udp');
    const { Id: image } = await engine.client().json<{ Id: string }>('POST', `/commit?container=${container}&repo=berth-test/exposed&tag=${tag}&changes=${changes}`, { Labels: { [TEST_LABEL]: '1' } });
    images.push(image);
    const listed = await connection.request('images.list', { engineId: 'engine-1' });
    const exposed = listed.find((candidate) => candidate.id === image);
    assert.ok(exposed, 'the committed image is listed');
    assert.deepEqual(exposed.repoTags, [`berth-test/exposed:${tag}`]);
    assert.deepEqual(exposed.exposedPorts.sort(), ['8080/tcp', '9000/udp']);
    assert.ok(Date.now() - Date.parse(exposed.created) < 10 * 60_000, 'created just now');
    const base = listed.find((candidate) => candidate.repoTags.includes(BASE_IMAGE));
    assert.ok(base && base.size > 100_000, 'the busybox base image is listed with its size');
  });
});
