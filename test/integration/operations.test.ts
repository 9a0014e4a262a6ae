import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection, RuntimeRequestError } from '../../runtime/src/protocol/connection';
import { RuntimeErrorCode, type ContainerSummary, type StateChange } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { engineIn, untilEngines } from '../support/engineHealth';

describe('operations through the daemon, seen in its live model', () => {
  const engine = useEngine();
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;
  const unique = `${process.pid}-${Date.now()}`;
  let container = '';

  /** The container as the model shows it once `test` holds (the model learns from engine events). */
  const containerWhen = (test: (item: ContainerSummary) => boolean, what: string) =>
    new Promise<ContainerSummary>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for the container to be ${what}`)), 10_000);
      const stop = connection.onNotification('state.changed', (change) => {
        const item = (change as StateChange<'container'>).item;
        if (change.kind !== 'container' || change.id !== container || !item || !test(item)) return;
        clearTimeout(timer);
        stop();
        resolve(item);
      });
    });

  before(async () => {
    if (!engine.client()) return;
    const dir = mkdtempSync(join(tmpdir(), 'berth-ops-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json') });
    connection = await RuntimeConnection.connect(daemon.discovery);
    await untilEngines(connection, engineIn('ready'), 'the engine to be ready');
    await connection.request('state.subscribe', { kinds: ['container', 'image', 'volume', 'network'] });
    container = (await engine.client().json<{ Id: string }>('POST', `/containers/create?name=berth-test-ops-${unique}`, { Image: BASE_IMAGE, Cmd: ['sleep', '300'], Labels: { [TEST_LABEL]: '1' } })).Id;
  });
  after(async () => {
    const client = engine.client();
    if (client && container) await client.json('DELETE', `/containers/${container}?force=1`).catch(() => undefined);
    if (client) await client.json('DELETE', `/images/berth-test/tagged:${unique}`).catch(() => undefined);
    connection?.close();
    await daemon?.stop();
  });

  it('starts, pauses, unpauses, stops and restarts a container', async (t) => {
    if (engine.missing(t)) return;
    let seen = containerWhen((item) => item.state === 'running', 'running');
    await connection.request('container.start', { id: container });
    await seen;
    seen = containerWhen((item) => item.state === 'paused', 'paused');
    await connection.request('container.pause', { id: container });
    await seen;
    seen = containerWhen((item) => item.state === 'running', 'running again');
    await connection.request('container.unpause', { id: container });
    await seen;
    seen = containerWhen((item) => item.state === 'exited', 'exited');
    await connection.request('container.stop', { id: container, timeout: 0 });
    await seen;
    seen = containerWhen((item) => item.state === 'running', 'restarted');
    await connection.request('container.restart', { id: container });
    await seen;
  });

  it('renames, inspects and lists processes', async (t) => {
    if (engine.missing(t)) return;
    const renamed = containerWhen((item) => item.name === `berth-test-renamed-${unique}`, 'renamed');
    await connection.request('container.rename', { id: container, name: `berth-test-renamed-${unique}` });
    await renamed;
    const inspected = (await connection.request('container.inspect', { id: container })) as { Id: string; Config: { Labels: Record<string, string> } };
    assert.equal(inspected.Id, container);
    assert.equal(inspected.Config.Labels[TEST_LABEL], '1');
    const top = await connection.request('container.top', { id: container });
    assert.ok(top.titles.includes('PID'));
    assert.ok(top.processes.some((row) => row.join(' ').includes('sleep 300')), JSON.stringify(top.processes));
  });

  it('creates, connects, disconnects and removes a network', async (t) => {
    if (engine.missing(t)) return;
    const { id } = await connection.request('network.create', { name: `berth-test-${unique}` });
    const attached = new Promise<void>((resolve) =>
      connection.onNotification('state.changed', (change) => change.kind === 'network' && change.id === id && ((change as StateChange<'network'>).item?.containers.includes(container) ?? false) && resolve()),
    );
    await connection.request('network.connect', { id, container });
    await attached;
    await connection.request('network.disconnect', { id, container });
    const gone = new Promise<void>((resolve) => connection.onNotification('state.changed', (change) => change.kind === 'network' && change.id === id && change.action === 'removed' && resolve()));
    await connection.request('network.remove', { id });
    await gone;
  });

  it('tags an image, shows its history, and removes the tag', async (t) => {
    if (engine.missing(t)) return;
    await connection.request('image.tag', { id: BASE_IMAGE, repository: 'berth-test/tagged', tag: unique });
    const history = await connection.request('image.history', { id: `berth-test/tagged:${unique}` });
    assert.ok(history.length >= 1 && history[0]!.size > 0, JSON.stringify(history));
    const { untagged } = await connection.request('image.remove', { id: `berth-test/tagged:${unique}` });
    assert.deepEqual(untagged, [`berth-test/tagged:${unique}`]);
  });

  it('creates a volume, and prunes only what carries the given label, reporting it', async (t) => {
    if (engine.missing(t)) return;
    const labelled = `berth.test.prune=${unique}`;
    await engine.client().json('POST', '/volumes/create', { Name: `berth-test-prune-${unique}`, Labels: { [TEST_LABEL]: '1', 'berth.test.prune': unique } });
    const { name } = await connection.request('volume.create', { name: `berth-test-keep-${unique}` });
    try {
      const result = await connection.request('system.prune', { kinds: ['volumes'], label: labelled });
      assert.deepEqual(result.volumes!.removed, [`berth-test-prune-${unique}`]);
      assert.equal((await engine.client().json<{ Name: string }>('GET', `/volumes/${name}`)).Name, name, 'an unlabelled volume is left alone');
    } finally {
      await connection.request('volume.remove', { id: name });
    }
  });

  it('kills a running container with the signal asked for, and refuses a signal that is not one', async (t) => {
    if (engine.missing(t)) return;
    // PID 1 ignores signals it has no handler for, so the shell traps SIGUSR1 and exits 42 on it.
    const trapping = (await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['sh', '-c', 'trap "exit 42" USR1; while :; do sleep 1; done'], Labels: { [TEST_LABEL]: '1' } })).Id;
    const exited = new Promise<ContainerSummary>((resolve) => {
      const stop = connection.onNotification('state.changed', (change) => {
        const item = (change as StateChange<'container'>).item;
        if (change.id === trapping && item?.state === 'exited') resolve(item), stop();
      });
    });
    try {
      await connection.request('container.start', { id: trapping });
      await connection.request('container.kill', { id: trapping, signal: 'SIGUSR1' });
      await exited;
      assert.equal((await engine.client().json<{ State: { ExitCode: number } }>('GET', `/containers/${trapping}/json`)).State.ExitCode, 42, 'ended by its SIGUSR1 trap, not SIGKILL');
      const refused = await connection.request('container.kill', { id: trapping, signal: 'USR1; reboot' }).catch((failure: RuntimeRequestError) => failure);
      assert.equal((refused as RuntimeRequestError).code, RuntimeErrorCode.InvalidParams);
      assert.match((refused as RuntimeRequestError).message, /param "signal" must be a signal name or number/);
    } finally {
      await engine.client().json('DELETE', `/containers/${trapping}?force=1`).catch(() => undefined);
    }
  });

  it('inspects an image, a volume and a network, answering the engine\'s documents', async (t) => {
    if (engine.missing(t)) return;
    const image = (await connection.request('image.inspect', { id: BASE_IMAGE })) as { Id: string; RepoTags: string[] };
    assert.ok(image.RepoTags.includes(BASE_IMAGE), JSON.stringify(image.RepoTags));
    assert.match(image.Id, /^sha256:[0-9a-f]{64}$/);
    const { name } = await connection.request('volume.create', { name: `berth-test-inspect-${unique}` });
    const { id: network } = await connection.request('network.create', { name: `berth-test-inspect-${unique}` });
    try {
      assert.equal(((await connection.request('volume.inspect', { id: name })) as { Name: string }).Name, name);
      const inspected = (await connection.request('network.inspect', { id: network })) as { Id: string; Name: string };
      assert.deepEqual([inspected.Id, inspected.Name], [network, `berth-test-inspect-${unique}`]);
      const missing = await connection.request('volume.inspect', { id: `berth-test-no-such-${unique}` }).catch((failure: RuntimeRequestError) => failure);
      assert.equal((missing as RuntimeRequestError).code, RuntimeErrorCode.EngineError);
      assert.deepEqual((missing as RuntimeRequestError).data, { status: 404 });
    } finally {
      await connection.request('volume.remove', { id: name });
      await connection.request('network.remove', { id: network });
    }
  });

  it('prunes stopped containers and unused networks carrying a label, answering what went and the space reclaimed', async (t) => {
    if (engine.missing(t)) return;
    const labels = { [TEST_LABEL]: '1', 'berth.test.prune': unique };
    const stopped = (await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['true'], Labels: labels })).Id;
    const network = (await engine.client().json<{ Id: string }>('POST', '/networks/create', { Name: `berth-test-prune-${unique}`, Labels: labels })).Id;
    try {
      const result = await connection.request('system.prune', { kinds: ['containers', 'networks'], label: `berth.test.prune=${unique}` });
      assert.deepEqual(result.containers!.removed, [stopped]);
      assert.equal(typeof result.containers!.spaceReclaimed, 'number');
      assert.deepEqual(result.networks!.removed, [`berth-test-prune-${unique}`]);
      assert.equal((await engine.client().json<{ Id: string }>('GET', `/containers/${container}/json`)).Id, container, 'an unlabelled container is left alone');
    } finally {
      await engine.client().json('DELETE', `/containers/${stopped}?force=1`).catch(() => undefined);
      await engine.client().json('DELETE', `/networks/${network}`).catch(() => undefined);
    }
  });

  it('answers engine errors with the engine\'s message and status', async (t) => {
    if (engine.missing(t)) return;
    const error = await connection.request('container.start', { id: 'no-such-container-berth' }).then(
      () => assert.fail('expected an error'),
      (failure: RuntimeRequestError) => failure,
    );
    assert.equal(error.code, RuntimeErrorCode.EngineError);
    assert.match(error.message, /container\.start: .*no such container/i);
    assert.deepEqual(error.data, { status: 404 });
    // @ts-expect-error: deliberately missing the required id
    assert.match((await connection.request('container.stop', {}).catch((failure: Error) => failure)).message, /param "id" is required/);
  });

  it('says why a tag failed in the engine\'s words, named by the operation, not as an escaped request', async (t) => {
    if (engine.missing(t)) return;
    const missing = `berth-test/no-such-image-${unique}`;
    const error = await connection.request('image.tag', { id: missing, repository: 'registry.example.com:5000/team/app', tag: 'v1' }).then(
      () => assert.fail('expected an error'),
      (failure: RuntimeRequestError) => failure,
    );
    assert.equal(error.message, `image.tag: No such image: ${missing}:latest`);
    assert.doesNotMatch(error.message, /%2F|%3A|POST/);
    assert.deepEqual(error.data, { status: 404 });
  });
});
