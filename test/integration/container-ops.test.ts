import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeErrorCode, type ContainerSummary, type StateChange } from '../../runtime/src/protocol/types';
import { refusal, startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

interface Inspected {
  Config: { Env: string[]; Labels: Record<string, string>; Tty: boolean; WorkingDir: string };
  HostConfig: { Binds: string[] | null; PortBindings: Record<string, { HostIp: string; HostPort: string }[]> };
  Mounts: { Type: string; Name?: string; Destination: string; RW: boolean }[];
}

describe('container create, ports, diff, commit, networks and image archives through the daemon', () => {
  const engine = useEngine();
  let session: DaemonSession;
  const unique = `${process.pid}-${Date.now()}`;
  const network = `berth-test-net-${unique}`;
  const volume = `berth-test-vol-${unique}`;
  const committed = `berth-test/committed:${unique}`;
  const unreachable = `localhost:1/berth-test/pushed:${unique}`;
  const containers: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'berth-images-'));

  before(async () => {
    if (!engine.client()) return;
    session = await startDaemonSession('container-ops');
    await session.connection.request('state.subscribe', { kinds: ['container'] });
    // A network of our own: published ports need a bridge, and the default one may be busy with other tests.
    await engine.client().json('POST', '/networks/create', { Name: network, Labels: { [TEST_LABEL]: '1' }, CheckDuplicate: true });
    await engine.client().json('POST', '/volumes/create', { Name: volume, Labels: { [TEST_LABEL]: '1' } });
  });
  after(async () => {
    const client = engine.client();
    if (client) {
      for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      for (const image of [committed, unreachable]) await client.json('DELETE', `/images/${encodeURIComponent(image)}?force=1`).catch(() => undefined);
      await client.json('DELETE', `/networks/${network}`).catch(() => undefined);
      await client.json('DELETE', `/volumes/${volume}`).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
    await session?.stop();
  });

  it('creates and starts a container with ports, env, volumes and labels; its ports are listed', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const running = new Promise<ContainerSummary>((resolve) => {
      const stop = connection.onNotification('state.changed', (change) => {
        const item = (change as StateChange<'container'>).item;
        if (change.kind === 'container' && item?.labels[TEST_LABEL] === unique && item.state === 'running') {
          stop();
          resolve(item);
        }
      });
    });
    const { id, warnings } = await connection.request('container.create', {
      image: BASE_IMAGE,
      name: `berth-test-create-${unique}`,
      cmd: ['sleep', '300'],
      env: ['GREETING=hello there'],
      ports: [{ container: '80', hostIp: '127.0.0.1', hostPort: 0 }, { container: '53/udp' }],
      volumes: [`${volume}:/data`, `${dir}:/host:ro`],
      labels: { [TEST_LABEL]: unique },
      workdir: '/data',
      network,
      start: true,
    });
    containers.push(id);
    assert.deepEqual(warnings, []);
    const inModel = await running;
    assert.equal(inModel.id, id);
    assert.deepEqual(inModel.networks, [network]);

    const inspected = await engine.client().json<Inspected>('GET', `/containers/${id}/json`);
    assert.ok(inspected.Config.Env.includes('GREETING=hello there'));
    assert.equal(inspected.Config.WorkingDir, '/data');
    assert.deepEqual(
      inspected.Mounts.map((mount) => [mount.Type, mount.Destination, mount.RW]).sort(),
      [
        ['bind', '/host', false],
        ['volume', '/data', true],
      ],
    );

    const ports = await connection.request('container.ports', { id });
    assert.equal(ports.length, 1, `only the published port: ${JSON.stringify(ports)}`);
    assert.equal(ports[0]!.container, '80/tcp');
    assert.equal(ports[0]!.hostIp, '127.0.0.1');
    assert.ok(ports[0]!.hostPort > 0, 'the engine chose a free host port');
  });

  it('refuses malformed ports and volumes, naming the entry', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const port = await refusal(connection.request('container.create', { image: BASE_IMAGE, ports: [{ container: '80/tcp' }, { container: 'http' }] }));
    assert.equal(port.code, RuntimeErrorCode.InvalidParams);
    assert.match(port.message, /param "ports\[1\]"\.container must be a port/);
    const volumeSpec = await refusal(connection.request('container.create', { image: BASE_IMAGE, volumes: ['just-a-name'] }));
    assert.match(volumeSpec.message, /param "volumes\[0\]" must be "source:\/container\/path\[:ro\]"/);
    const missingImage = await refusal(connection.request('container.create', { image: `berth-test/absent:${unique}` }));
    assert.equal(missingImage.code, RuntimeErrorCode.EngineError);
  });

  it('shows a container’s filesystem changes and commits them to a labelled image', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const { id } = await connection.request('container.create', { image: BASE_IMAGE, cmd: ['sh', '-c', 'echo made > /made.txt && rm /etc/group'], labels: { [TEST_LABEL]: '1' }, network: 'none' });
    containers.push(id);
    await connection.request('container.start', { id });
    await engine.client().json('POST', `/containers/${id}/wait`, undefined, 30_000);
    const diff = await connection.request('container.diff', { id });
    assert.ok(diff.some((change) => change.path === '/made.txt' && change.kind === 'added'), JSON.stringify(diff));
    assert.ok(diff.some((change) => change.path === '/etc/group' && change.kind === 'deleted'), JSON.stringify(diff));

    const [repo, tag] = committed.split(':') as [string, string];
    const { imageId } = await connection.request('container.commit', { id, repo, tag, message: 'made by the test', labels: { [TEST_LABEL]: '1' } });
    const image = await engine.client().json<{ Id: string; Comment: string; Config: { Labels: Record<string, string> } }>('GET', `/images/${encodeURIComponent(committed)}/json`);
    assert.equal(image.Id, imageId);
    assert.equal(image.Comment, 'made by the test');
    assert.equal(image.Config.Labels[TEST_LABEL], '1');
  });

  it('saves an image to a file atomically and loads it back', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const path = join(dir, 'saved.tar');
    const saved = await connection.request('image.save', { refs: [committed], path });
    assert.equal(saved.path, path);
    assert.ok(saved.bytes > 1024);
    assert.deepEqual(readdirSync(dir), ['saved.tar'], 'no temporary file left beside it');
    await engine.client().json('DELETE', `/images/${encodeURIComponent(committed)}`);
    const loaded = await connection.request('image.load', { path });
    assert.deepEqual(loaded.images, [committed]);
    await engine.client().json('GET', `/images/${encodeURIComponent(committed)}/json`);

    const noFolder = await refusal(connection.request('image.save', { refs: [committed], path: join(dir, 'missing', 'x.tar') }));
    assert.match(noFolder.message, /param "path": no folder/);
    const noImage = await refusal(connection.request('image.save', { refs: [`berth-test/absent:${unique}`], path: join(dir, 'absent.tar') }));
    assert.equal(noImage.code, RuntimeErrorCode.EngineError);
    assert.equal(existsSync(join(dir, 'absent.tar')), false);
  });

  it('connects a container to a network and disconnects it', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const { id } = await connection.request('container.create', { image: BASE_IMAGE, cmd: ['sleep', '300'], labels: { [TEST_LABEL]: '1' } });
    containers.push(id);
    const networksOf = async () => Object.keys((await engine.client().json<{ NetworkSettings: { Networks: Record<string, unknown> } }>('GET', `/containers/${id}/json`)).NetworkSettings.Networks).sort();
    await connection.request('network.connect', { network, container: id });
    assert.deepEqual(await networksOf(), ['bridge', network].sort());
    await connection.request('network.disconnect', { network, container: id, force: true });
    assert.deepEqual(await networksOf(), ['bridge']);
    const both = await refusal(connection.request('network.connect', { network, id: network, container: id }));
    assert.match(both.message, /give param "network" or "id", not both/);
  });

  it('ends a pull or push that cannot reach its registry with the engine’s reason', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const pull = await connection.request('image.pull', { ref: `localhost:1/berth-test/absent:${unique}` });
    assert.equal(pull.kind, 'pull');
    const pulled = await progress.end(pull.streamId, 60_000);
    assert.equal(pulled.reason, 'failed');
    assert.match(pulled.error ?? '', /localhost:1/);

    await engine.client().json('POST', `/images/${encodeURIComponent(BASE_IMAGE)}/tag?repo=${encodeURIComponent(unreachable.split(':').slice(0, 2).join(':'))}&tag=${unique}`);
    const push = await connection.request('image.push', { ref: unreachable });
    const pushed = await progress.end(push.streamId, 60_000);
    assert.equal(pushed.reason, 'failed');
    assert.match(pushed.error ?? '', /localhost:1|connection refused/);
    assert.match(progress.text(push.streamId), /ERROR: /);

    const bad = await refusal(connection.request('image.pull', { ref: 'Not A Ref' }));
    assert.match(bad.message, /param "ref" "Not A Ref" is not an image reference/);
  });
});
