// The daemon against a real Podman (its Docker-compatible API on a private
// socket) as its only engine: health and product, the live model fed by
// Podman's events, exec with a TTY, logs and stats.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import type { ContainerSummary, EngineInfo, ImageSummary, StateChange, StatsSample, StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL } from '../support/engine';
import { repoRoot } from '../support/paths';
import { PodmanService, podmanSkipReason } from '../support/podman';

describe('the daemon on Podman', () => {
  let skipReason: string | undefined;
  let podman: PodmanService | undefined;
  let client: EngineHttpClient;
  let session: DaemonSession;
  const changes: StateChange[] = [];
  /** Text by stream id, and by `streamId/channel`. */
  const output = new Map<string, string>();
  const samples = new Map<string, StatsSample[]>();
  const ends = new Map<string, StreamEnd>();

  before(async () => {
    skipReason = podmanSkipReason();
    if (skipReason) return;
    podman = await PodmanService.start();
    client = podman.client();
    await client.negotiate();
    session = await startDaemonSession('on-podman', [podman.endpoint()]);
    session.connection.onNotification('state.changed', (change: StateChange) => changes.push(change));
    session.connection.onNotification('stream.data', (message: StreamData) => {
      if (message.channel === 'stats') samples.set(message.streamId, [...(samples.get(message.streamId) ?? []), message.data]);
      if (message.channel !== 'stdout' && message.channel !== 'stderr') return;
      for (const key of [message.streamId, `${message.streamId}/${message.channel}`]) output.set(key, (output.get(key) ?? '') + Buffer.from(message.data, 'base64').toString('utf8'));
    });
    session.connection.onNotification('stream.end', (message: StreamEnd) => ends.set(message.streamId, message));
    await session.connection.request('state.subscribe', { kinds: ['container', 'image'] });
  });

  after(async () => {
    await session?.stop();
    client?.dispose();
    await podman?.stop();
  });

  const skipped = (t: { skip(message: string): void }) => {
    if (skipReason) t.skip(skipReason);
    return Boolean(skipReason);
  };

  async function until<T>(test: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = test();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Created through Podman's own API, not the daemon's; no network, so nothing is set up on the host. */
  async function createContainer(cmd: string[]): Promise<string> {
    const created = await client.json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: cmd, Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } });
    return created.Id;
  }

  it('reports the Podman socket ready, as Podman with its version, and its images', async (t) => {
    if (skipped(t)) return;
    const engines: EngineInfo[] = await session.connection.request('engines.list', {});
    assert.equal(engines.length, 1);
    const [engine] = engines;
    assert.equal(engine.id, 'podman');
    assert.equal(engine.endpoint, podman!.url);
    assert.equal(engine.health.state, 'ready', JSON.stringify(engine.health));
    if (engine.health.state !== 'ready') return;
    const installed = podman!.podman(['version', '--format', '{{.Server.Version}}']).trim();
    assert.equal(engine.health.product, 'Podman');
    assert.equal(engine.health.version, installed);
    assert.match(engine.health.apiVersion, /^1\.\d+$/);
    // Podman names images it imported without a registry under localhost/.
    const images: ImageSummary[] = await session.connection.request('images.list', {});
    assert.deepEqual(images.flatMap((image) => image.repoTags), [`localhost/${BASE_IMAGE}`]);
  });

  it('lists a container created through Podman and follows it starting and stopping', async (t) => {
    if (skipped(t)) return;
    const id = await createContainer(['sleep', '300']);
    const stateOf = (want: string) => () => changes.find((change) => change.id === id && (change.item as ContainerSummary | undefined)?.state === want);
    await until(stateOf('created'), 'state.changed for the created container');
    const listed: ContainerSummary[] = await session.connection.request('containers.list', { all: true });
    const row = listed.find((container) => container.id === id);
    assert.ok(row, 'containers.list has the container');
    assert.equal(row.image, `localhost/${BASE_IMAGE}`);
    assert.equal(row.labels[TEST_LABEL], '1');

    await client.json('POST', `/containers/${id}/start`);
    await until(stateOf('running'), 'state.changed to running from Podman’s events');
    await client.json('POST', `/containers/${id}/stop?t=0`);
    await until(stateOf('exited'), 'state.changed to exited from Podman’s events');
    const relisted: ContainerSummary[] = await session.connection.request('containers.list', { all: true });
    assert.equal(relisted.find((container) => container.id === id)?.state, 'exited');
  });

  it('runs sh in a TTY and reads what it prints', async (t) => {
    if (skipped(t)) return;
    const id = await createContainer(['sleep', '300']);
    await client.json('POST', `/containers/${id}/start`);
    const { streamId, tty } = await session.connection.request('container.exec', { id, cmd: ['sh'], tty: true, cols: 80, rows: 24 });
    assert.equal(tty, true);
    await session.connection.request('stream.write', { streamId, data: 'echo podman-$((6*7))\n' });
    await until(() => /podman-42/.test(output.get(streamId) ?? ''), 'the TTY echoing podman-42');
    await session.connection.request('stream.write', { streamId, data: 'stty size\n' });
    await until(() => /\r\n24 80\r\n/.test(output.get(streamId) ?? ''), 'stty size 24 80');
    await session.connection.request('stream.write', { streamId, data: 'exit 3\n' });
    const end = await until(() => ends.get(streamId), 'the end of the exec');
    assert.deepEqual(end, { streamId, reason: 'ended', exitCode: 3 });
  });

  it('reads the logs of a finished container, stdout and stderr apart', async (t) => {
    if (skipped(t)) return;
    const id = await createContainer(['sh', '-c', 'echo out-1; sleep 0.1; echo err-1 >&2; sleep 0.1; echo out-2']);
    await client.json('POST', `/containers/${id}/start`);
    await client.json('POST', `/containers/${id}/wait`);
    const { streamId } = await session.connection.request('container.logs', { id });
    const end = await until(() => ends.get(streamId), 'the end of the logs');
    assert.equal(end.reason, 'ended');
    assert.equal(output.get(`${streamId}/stdout`), 'out-1\nout-2\n');
    assert.equal(output.get(`${streamId}/stderr`), 'err-1\n');
  });

  it('tags an image, and the live model shows the new name', async (t) => {
    if (skipped(t)) return;
    // Podman answers a tag with a lone newline where dockerd sends nothing.
    await session.connection.request('image.tag', { id: BASE_IMAGE, repository: 'berth-test/podman-tagged', tag: 'v1' });
    // Its Docker-compatible API qualifies a short name as dockerd would (docker.io/), unlike `podman tag` (localhost/).
    const tagged = 'docker.io/berth-test/podman-tagged:v1';
    await until(() => changes.find((change) => change.kind === 'image' && (change.item as ImageSummary | undefined)?.repoTags.includes(tagged)), 'state.changed for the tagged image');
    const images: ImageSummary[] = await session.connection.request('images.list', {});
    assert.deepEqual(images.flatMap((image) => image.repoTags).sort(), [tagged, `localhost/${BASE_IMAGE}`]);
  });

  it('streams stats samples of a running container, and ends them when it stops', async (t) => {
    if (skipped(t)) return;
    const id = await createContainer(['sleep', '300']);
    await client.json('POST', `/containers/${id}/start`);
    const { streamId, kind } = await session.connection.request('container.stats', { id });
    assert.equal(kind, 'stats');
    const [sample] = await until(() => samples.get(streamId), 'a stats sample');
    assert.ok(sample!.memoryUsage > 0, `memory usage ${sample!.memoryUsage}`);
    assert.ok(sample!.memoryLimit >= sample!.memoryUsage, `limit ${sample!.memoryLimit} below usage ${sample!.memoryUsage}`);
    assert.ok(sample!.pids >= 1, `pids ${sample!.pids}`);
    assert.ok(sample!.onlineCpus >= 1, `online CPUs ${sample!.onlineCpus}`);
    assert.ok(!Number.isNaN(Date.parse(sample!.time)), `time ${sample!.time}`);
    await client.json('POST', `/containers/${id}/kill`);
    const end = await until(() => ends.get(streamId), 'the end of the stats stream');
    assert.equal(end.reason, 'ended', JSON.stringify(end));
  });

  it('ends a failing multi-stage build with the Dockerfile line of the failing instruction', async (t) => {
    if (skipped(t)) return;
    const { streamId } = await session.connection.request('image.build', { context: join(repoRoot, 'test/fixtures/build-stages'), network: 'none' });
    const end = await session.progress.end(streamId);
    assert.equal(end.reason, 'failed');
    // Podman numbers steps within a stage: `[2/2] STEP 2/3: RUN echo two …` is the RUN on line 6.
    assert.match(session.progress.text(streamId), /^\[2\/2\] STEP 2\/3: RUN echo two/m);
    assert.equal(end.line, 6, `progress:\n${session.progress.text(streamId)}`);
  });
});
