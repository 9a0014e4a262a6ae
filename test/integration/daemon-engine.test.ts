import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection, RuntimeRequestError } from '../../runtime/src/protocol/connection';
import { RuntimeErrorCode, type EngineInfo, type StateChange, type StateResync } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

/** Resolves with the first notification that satisfies `test`, or fails after `timeoutMs`. */
function next<T>(connection: RuntimeConnection, method: 'state.changed' | 'state.resync' | 'engines.changed', test: (params: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const stop = connection.onNotification(method, (params) => {
      if (!test(params as T)) return;
      clearTimeout(timer);
      stop();
      resolve(params as T);
    });
  });
}

describe('runtime daemon against the real engine', () => {
  const engine = useEngine();
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;
  const created: { containers: string[]; images: string[]; volumes: string[]; networks: string[] } = { containers: [], images: [], volumes: [], networks: [] };
  const unique = `${process.pid}-${Date.now()}`;

  before(async () => {
    if (!engine.client()) return;
    const dir = mkdtempSync(join(tmpdir(), 'berth-engine-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 'runtime.sock') }, discoveryPath: join(dir, 'runtime.json') });
    connection = await RuntimeConnection.connect(daemon.discovery);
  });
  after(async () => {
    const client = engine.client();
    if (client) {
      for (const id of created.containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      for (const id of created.images) await client.json('DELETE', `/images/${encodeURIComponent(id)}?force=1`).catch(() => undefined);
      for (const name of created.volumes) await client.json('DELETE', `/volumes/${name}`).catch(() => undefined);
      for (const id of created.networks) await client.json('DELETE', `/networks/${id}`).catch(() => undefined);
    }
    connection?.close();
    await daemon?.stop();
  });

  it('finds the engine ready, with its version, and says so in hello', async (t) => {
    if (engine.missing(t)) return;
    let { engines } = await connection.request('runtime.hello', { client: 'test' });
    if (engines[0]!.health.state !== 'ready') {
      engines = await next<EngineInfo[]>(connection, 'engines.changed', (list) => list[0]!.health.state === 'ready', 'the engine to be ready');
    }
    assert.equal(engines[0]!.health.state, 'ready');
    assert.match(engines[0]!.health.state === 'ready' ? engines[0]!.health.apiVersion : '', /^1\.\d+$/);
    // dockerd is Docker, with the version it reports itself.
    const { Version } = await engine.client().json<{ Version: string }>('GET', '/version');
    assert.deepEqual(engines[0]!.health.state === 'ready' && [engines[0]!.health.product, engines[0]!.health.version], ['Docker', Version]);
  });

  it('sends the current containers on subscribe, then each change as it happens', async (t) => {
    if (engine.missing(t)) return;
    const resync = next<StateResync>(connection, 'state.resync', (message) => message.kind === 'container', 'the container resync');
    await connection.request('state.subscribe', { kinds: ['container', 'volume', 'network', 'image'] });
    const before = await resync;
    assert.deepEqual(
      before.items.map((item) => item.id).sort(),
      (await engine.client().json<{ Id: string }[]>('GET', '/containers/json?all=1')).map((container) => container.Id).sort(),
      'the resync matches what the engine lists',
    );

    const name = `berth-test-${unique}`;
    const running = next<StateChange<'container'>>(connection, 'state.changed', (change) => change.kind === 'container' && change.item?.name === name && change.item.state === 'running', `${name} running`);
    const { Id } = await engine.client().json<{ Id: string }>('POST', `/containers/create?name=${name}`, {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '30'],
      Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' },
    });
    created.containers.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    const change = await running;
    assert.equal(change.id, Id);
    assert.equal(change.item!.image, BASE_IMAGE);
    assert.equal(change.item!.composeProject, 'shop');
    assert.equal(change.item!.composeService, 'web');
    assert.deepEqual(change.item!.networks, ['bridge']);

    const listed = await connection.request('containers.list', {});
    assert.equal(listed.find((container) => container.id === Id)?.state, 'running', 'containers.list answers from the live model');
    assert.equal((await connection.request('containers.list', { all: false })).every((container) => container.state === 'running'), true);

    const removed = next<StateChange>(connection, 'state.changed', (c) => c.kind === 'container' && c.id === Id && c.action === 'removed', `${name} removed`);
    await engine.client().json('DELETE', `/containers/${Id}?force=1`);
    assert.equal((await removed).item, undefined);
  });

  it('shows a container that runs briefly and exits on its own as exited, never stuck at running', async (t) => {
    if (engine.missing(t)) return;
    await connection.request('state.subscribe', { kinds: ['container'] });
    for (let round = 0; round < 5; round++) {
      const name = `berth-test-brief-${unique}-${round}`;
      const { Id } = await engine.client().json<{ Id: string }>('POST', `/containers/create?name=${name}`, {
        Image: BASE_IMAGE,
        Cmd: ['sh', '-c', 'sleep 0.02'],
        Labels: { [TEST_LABEL]: '1' },
        HostConfig: { NetworkMode: 'none' },
      });
      created.containers.push(Id);
      const exited = next<StateChange<'container'>>(connection, 'state.changed', (c) => c.kind === 'container' && c.id === Id && c.item?.state === 'exited', `${name} exited`, 10_000);
      await engine.client().json('POST', `/containers/${Id}/start`);
      await engine.client().json('POST', `/containers/${Id}/wait`);
      await exited;
      // The last word the model has must be the engine's: no late re-read may bring back "running".
      await new Promise((resolve) => setTimeout(resolve, 300));
      const listed = (await connection.request('containers.list', {})).find((container) => container.id === Id);
      assert.equal(listed?.state, 'exited', `round ${round}: the model says ${listed?.state}`);
    }
  });

  it('follows volumes and networks as they are created', async (t) => {
    if (engine.missing(t)) return;
    const volumeName = `berth-test-${unique}`;
    const volumeAdded = next<StateChange<'volume'>>(connection, 'state.changed', (c) => c.kind === 'volume' && c.id === volumeName && c.action === 'added', 'the volume');
    await engine.client().json('POST', '/volumes/create', { Name: volumeName, Labels: { [TEST_LABEL]: '1' } });
    created.volumes.push(volumeName);
    assert.equal((await volumeAdded).item!.driver, 'local');

    const networkAdded = next<StateChange<'network'>>(connection, 'state.changed', (c) => c.kind === 'network' && c.item?.name === `berth-test-${unique}`, 'the network');
    const { Id } = await engine.client().json<{ Id: string }>('POST', '/networks/create', { Name: `berth-test-${unique}`, Labels: { [TEST_LABEL]: '1' } });
    created.networks.push(Id);
    assert.equal((await networkAdded).id, Id);
    assert.ok((await connection.request('networks.list', {})).some((network) => network.id === Id));
  });

  it('lists tagged images with size, creation time and the ports they expose', async (t) => {
    if (engine.missing(t)) return;
    const { Id: container } = await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    created.containers.push(container);
    const tag = `t${process.pid}`;
    const imageAdded = next<StateChange<'image'>>(connection, 'state.changed', (c) => c.kind === 'image' && (c.item?.repoTags.includes(`berth-test/exposed:${tag}`) ?? false), 'the committed image');
    const changes = encodeURIComponent('EXPOSE 8080/tcp 9000/udp');
    const { Id: image } = await engine.client().json<{ Id: string }>('POST', `/commit?container=${container}&repo=berth-test/exposed&tag=${tag}&changes=${changes}`, { Labels: { [TEST_LABEL]: '1' } });
    created.images.push(image);
    const exposed = (await imageAdded).item!;
    assert.equal(exposed.id, image);
    assert.deepEqual(exposed.exposedPorts, ['8080/tcp', '9000/udp']);
    assert.equal(exposed.dangling, false);
    assert.ok(Date.now() - Date.parse(exposed.created) < 10 * 60_000, 'created just now');
    const base = (await connection.request('images.list', {})).find((candidate) => candidate.repoTags.includes(BASE_IMAGE));
    assert.ok(base && base.size > 100_000, 'the busybox base image is listed with its size');
    assert.ok(base.usedBy.includes(container), 'and marked as used by the container made from it');
  });

  it('shows a container\'s health, published ports and mounts, and the volume it uses as used by it', async (t) => {
    if (engine.missing(t)) return;
    await connection.request('state.subscribe', { kinds: ['container', 'volume'] });
    const volume = `berth-test-used-${unique}`;
    await engine.client().json('POST', '/volumes/create', { Name: volume, Labels: { [TEST_LABEL]: '1' } });
    created.volumes.push(volume);
    const { Id } = await engine.client().json<{ Id: string }>('POST', '/containers/create', {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '60'],
      Labels: { [TEST_LABEL]: '1' },
      ExposedPorts: { '8080/tcp': {} },
      // Health checks every 0.2 s: the engine reports healthy after the first that passes.
      Healthcheck: { Test: ['CMD', 'true'], Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 1 },
      HostConfig: { Binds: [`${volume}:/data:ro`], PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
    });
    created.containers.push(Id);
    const healthy = next<StateChange<'container'>>(connection, 'state.changed', (c) => c.kind === 'container' && c.id === Id && c.item?.health === 'healthy', 'the container to be healthy', 15_000);
    const used = next<StateChange<'volume'>>(connection, 'state.changed', (c) => c.kind === 'volume' && c.id === volume && (c.item?.usedBy.includes(Id) ?? false), 'the volume to be used by the container');
    await engine.client().json('POST', `/containers/${Id}/start`);
    const [container] = await Promise.all([healthy, used]);
    assert.deepEqual(
      container.item!.mounts.map(({ type, name, destination, readOnly }) => ({ type, name, destination, readOnly })),
      [{ type: 'volume', name: volume, destination: '/data', readOnly: true }],
    );
    const published = container.item!.ports.find((port) => port.privatePort === 8080);
    assert.equal(published?.ip, '127.0.0.1');
    assert.ok(published?.publicPort && published.publicPort > 0, JSON.stringify(container.item!.ports));
    assert.match(container.item!.status, /healthy/);
  });

  it('refuses bad params with a message naming the field', async (t) => {
    if (engine.missing(t)) return;
    const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected an error'), (error: RuntimeRequestError) => error);
    // @ts-expect-error: deliberately the wrong type
    const wrongType = await failure(connection.request('containers.list', { all: 'yes' }));
    assert.equal(wrongType.code, RuntimeErrorCode.InvalidParams);
    assert.match(wrongType.message, /param "all" must be a boolean/);
    // @ts-expect-error: deliberately an unknown kind
    assert.match((await failure(connection.request('state.subscribe', { kinds: ['pods'] }))).message, /unknown kind "pods"/);
    assert.equal((await failure(connection.request('images.list', { engine: 'nope' }))).code, RuntimeErrorCode.UnknownEngine);
  });
});
