// Lists are served from a serialization cached per engine and kind: every change
// the engine reports must reach the next list, against the real engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { StateChange } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { engineIn, untilEngines } from '../support/engineHealth';

describe('list cache', () => {
  const engine = useEngine();
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;
  const containers: string[] = [];
  const volumes: string[] = [];
  const changes: StateChange[] = [];

  /** Resolves once the daemon has sent a change matching `test` (the model has it then). */
  const changed = (test: (change: StateChange) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no state.changed for ${what}`)), 15_000);
      const check = () => {
        if (!changes.some(test)) return;
        clearTimeout(timer);
        stop();
        resolve();
      };
      const stop = connection.onNotification('state.changed', check);
      check();
    });

  before(async () => {
    if (!engine.client()) return;
    const dir = mkdtempSync(join(tmpdir(), 'berth-list-cache-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines: [defaultEngineEndpoint()] });
    connection = await RuntimeConnection.connect(daemon.discovery);
    connection.onNotification('state.changed', (change) => changes.push(change));
    await untilEngines(connection, engineIn('ready'), 'the engine to be ready');
    await connection.request('state.subscribe', { kinds: ['container', 'volume'] });
  });
  after(async () => {
    connection?.close();
    await daemon?.stop();
    const client = engine.client();
    for (const id of containers) await client?.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    for (const name of volumes) await client?.json('DELETE', `/volumes/${name}`).catch(() => undefined);
  });

  it('shows a container created, renamed, started and removed in the very next list', async (t) => {
    if (engine.missing(t)) return;
    const client = engine.client();
    const listed = async (all?: boolean) => (await connection.request('containers.list', all === undefined ? {} : { all })).map((container) => `${container.name}:${container.state}`);
    // Twice, so the second is served from the cache.
    const name = `berth-list-cache-${process.pid}`;
    assert.equal((await listed()).includes(`${name}:created`), false);
    assert.deepEqual(await listed(), await listed());

    const { Id } = await client.json<{ Id: string }>('POST', `/containers/create?name=${name}`, { Image: BASE_IMAGE, Cmd: ['sleep', '60'], Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } });
    containers.push(Id);
    await changed((change) => change.id === Id && change.action === 'added', 'the created container');
    assert.ok((await listed()).includes(`${name}:created`), 'created');

    await client.json('POST', `/containers/${Id}/rename?name=${name}-renamed`);
    await changed((change) => change.id === Id && change.item !== undefined && 'name' in change.item && change.item.name === `${name}-renamed`, 'the rename');
    const afterRename = await listed();
    assert.ok(afterRename.includes(`${name}-renamed:created`), 'renamed');
    assert.equal(afterRename.includes(`${name}:created`), false);

    await client.json('POST', `/containers/${Id}/start`);
    await changed((change) => change.id === Id && change.item !== undefined && 'state' in change.item && change.item.state === 'running', 'the start');
    assert.ok((await listed(false)).includes(`${name}-renamed:running`), 'running, in the list of running containers');

    await client.json('DELETE', `/containers/${Id}?force=1`);
    await changed((change) => change.id === Id && change.action === 'removed', 'the removal');
    assert.equal((await listed()).some((entry) => entry.startsWith(`${name}-renamed:`)), false, 'removed');
  });

  it('shows a volume created in the next volumes.list', async (t) => {
    if (engine.missing(t)) return;
    const before = await connection.request('volumes.list', {});
    const name = `berth-list-cache-${process.pid}`;
    await engine.client().json('POST', '/volumes/create', { Name: name, Labels: { [TEST_LABEL]: '1' } });
    volumes.push(name);
    await changed((change) => change.kind === 'volume' && change.action === 'added' && change.id === name, 'the volume');
    const after = await connection.request('volumes.list', {});
    assert.equal(after.length, before.length + 1);
    assert.ok(after.some((volume) => volume.name === name));
  });
});
