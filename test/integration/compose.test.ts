import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { COMPOSE_INSTALL, findComposeTool } from '../../runtime/src/operations/compose';
import { RuntimeErrorCode, type ContainerSummary, type StateChange } from '../../runtime/src/protocol/types';
import { refusal, startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { useEngine } from '../support/engine';
import { repoRoot } from '../support/paths';

const FILE = join(repoRoot, 'test/fixtures/compose-up/compose.yaml');

describe('compose through the user’s tool, seen in the live model', () => {
  const engine = useEngine();
  let session: DaemonSession;
  const projectName = `berth-test-${process.pid}-${Date.now() % 100000}`;
  const composeContainers = new Map<string, ContainerSummary>();

  before(async () => {
    if (!engine.client()) return;
    session = await startDaemonSession('compose');
    session.connection.onNotification('state.changed', (change) => {
      if (change.kind !== 'container') return;
      const item = (change as StateChange<'container'>).item;
      if (item && item.composeProject === projectName) composeContainers.set(change.id, item);
      if (change.action === 'removed') composeContainers.delete(change.id);
    });
    await session.connection.request('state.subscribe', { kinds: ['container'] });
  });
  after(async () => {
    // Whatever a failed test left: the project's containers and network, by compose's own labels.
    const client = engine.client();
    if (client) {
      const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${projectName}`] }));
      for (const container of await client.json<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${filters}`)) await client.json('DELETE', `/containers/${container.Id}?force=1`).catch(() => undefined);
      for (const network of await client.json<{ Id: string }[]>('GET', `/networks?filters=${filters}`)) await client.json('DELETE', `/networks/${network.Id}`).catch(() => undefined);
    }
    await session?.stop();
  });

  const until = async (test: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the model has ${JSON.stringify([...composeContainers.values()].map((c) => [c.composeService, c.state]))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('names the compose tool it found', async (t) => {
    if (engine.missing(t)) return;
    const answer = await session.connection.request('compose.tool', {});
    assert.ok(answer.tool !== null, 'this machine has docker-compose');
    const expected = answer.tool === 'docker-compose' ? execFileSync('docker-compose', ['version', '--short'], { encoding: 'utf8' }).trim() : answer.version;
    assert.equal(answer.version, expected);
  });

  it('says what to install when no compose tool is on PATH', async () => {
    assert.equal(await findComposeTool({ PATH: '/nonexistent' }), undefined);
    assert.match(COMPOSE_INSTALL, /install the Docker Compose plugin \(`docker compose`/);
  });

  it('brings a project up, streams its output and logs, and takes it down; the model follows by compose project', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const up = await connection.request('compose.up', { file: FILE, projectName });
    assert.equal(up.kind, 'tool');
    const upEnd = await progress.end(up.streamId);
    assert.equal(upEnd.reason, 'completed', `${upEnd.error}\n${progress.text(up.streamId)}`);
    assert.equal(upEnd.exitCode, 0);
    assert.match(progress.text(up.streamId), new RegExp(`${projectName}[_-]web[_-]1`));

    await until(() => [...composeContainers.values()].filter((c) => c.state === 'running').length === 2, 'both services running');
    assert.deepEqual([...composeContainers.values()].map((c) => c.composeService).sort(), ['web', 'worker']);
    const models = await connection.request('containers.list', {});
    assert.equal(models.filter((c) => c.composeProject === projectName).length, 2);

    const logs = await connection.request('compose.logs', { file: FILE, projectName, services: ['worker'] });
    assert.equal((await progress.end(logs.streamId)).reason, 'completed');
    assert.match(progress.text(logs.streamId), /worker ready/);

    const down = await connection.request('compose.down', { file: FILE, projectName });
    const downEnd = await progress.end(down.streamId);
    assert.equal(downEnd.reason, 'completed', `${downEnd.error}\n${progress.text(down.streamId)}`);
    await until(() => composeContainers.size === 0, 'the project’s containers to leave the model');
  });

  it('ends with the tool’s exit code and last words when it fails, and refuses bad params', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const restart = await connection.request('compose.restart', { file: FILE, projectName, services: ['nosuch'] });
    const end = await progress.end(restart.streamId);
    assert.equal(end.reason, 'failed');
    assert.ok((end.exitCode ?? 0) !== 0);
    assert.match(end.error ?? '', /nosuch/);

    const relative = await refusal(connection.request('compose.up', { file: 'compose.yaml' }));
    assert.equal(relative.code, RuntimeErrorCode.InvalidParams);
    assert.match(relative.message, /param "file" must be an absolute path/);
    const injected = await refusal(connection.request('compose.up', { file: FILE, services: ['web; rm -rf /'] }));
    assert.match(injected.message, /param "services": "web; rm -rf \/" is not a service name/);
  });
});
