import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { RuntimeErrorCode } from '../../runtime/src/protocol/types';
import { refusal, startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { repoRoot } from '../support/paths';
import { SecondEngine, secondEngineUnavailable } from '../support/secondEngine';

const STACK_FILE = join(repoRoot, 'test/fixtures/stack/stack.yaml');

/** Polls the daemon (the test's side, not the daemon's) until `test` holds. */
async function until<T>(read: () => Promise<T>, test: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A single-node swarm on a private second dockerd: the machine's main engine, which other tests use, is left alone.
describe('Swarm: the live model’s services, tasks, nodes, secrets and configs, and their operations', () => {
  const engine = useEngine();
  const unavailable = secondEngineUnavailable();
  let second: SecondEngine | undefined;
  let swarmClient: EngineHttpClient;
  let session: DaemonSession;
  let serviceId = '';
  const stack = `berthstack${process.pid}`;

  const skip = (t: { skip(message: string): void }) => {
    if (engine.missing(t)) return true;
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`CI=true but Swarm tests cannot run: ${unavailable}`);
      t.skip(unavailable);
      return true;
    }
    return false;
  };

  before(async () => {
    if (!engine.client() || unavailable) return;
    second = new SecondEngine();
    await second.start();
    second.loadImage();
    swarmClient = second.client();
    await swarmClient.negotiate();
    session = await startDaemonSession('swarm', [second.endpoint()]);
    await session.connection.request('state.subscribe', { kinds: ['service', 'task', 'node', 'secret', 'config'] });
  });
  after(async () => {
    await session?.stop();
    if (second) {
      // Nothing outlives the private engine: leaving its swarm and removing it takes everything with it.
      await swarmClient.json('POST', '/swarm/leave?force=1').catch(() => undefined);
      swarmClient.dispose();
      await second.dispose();
    }
  });

  it('lists nothing before the swarm exists, then the node once `swarm init` happens', async (t) => {
    if (skip(t)) return;
    const { connection } = session;
    assert.deepEqual(await connection.request('nodes.list', {}), []);
    const port = 20000 + (process.pid % 20000);
    await swarmClient.json('POST', '/swarm/init', { ListenAddr: `127.0.0.1:${port}`, AdvertiseAddr: `127.0.0.1:${port}`, DataPathPort: 4790 + (process.pid % 1000) }, 60_000);
    const nodes = await until(() => connection.request('nodes.list', {}), (list) => list.length === 1, 'the node in the model after swarm init');
    assert.deepEqual([nodes[0]!.role, nodes[0]!.availability, nodes[0]!.state, nodes[0]!.leader], ['manager', 'active', 'ready', true]);
  });

  it('creates and removes secrets and configs, whose data never enters the model', async (t) => {
    if (skip(t)) return;
    const { connection } = session;
    const secret = await connection.request('secret.create', { name: 'berth-test-secret', data: Buffer.from('hunter2').toString('base64'), labels: { [TEST_LABEL]: '1' } });
    const config = await connection.request('config.create', { name: 'berth-test-config', data: Buffer.from('key=value').toString('base64'), labels: { [TEST_LABEL]: '1' } });
    const secrets = await until(() => connection.request('secrets.list', {}), (list) => list.some((item) => item.id === secret.id), 'the secret in the model');
    assert.equal(secrets.find((item) => item.id === secret.id)?.labels[TEST_LABEL], '1');
    assert.ok(!JSON.stringify(secrets).includes(Buffer.from('hunter2').toString('base64')));
    await until(() => connection.request('configs.list', {}), (list) => list.some((item) => item.id === config.id && item.name === 'berth-test-config'), 'the config in the model');
    await connection.request('secret.remove', { id: secret.id });
    await connection.request('config.remove', { id: config.id });
    await until(() => connection.request('secrets.list', {}), (list) => list.length === 0, 'the secret gone from the model');
    await until(() => connection.request('configs.list', {}), (list) => list.length === 0, 'the config gone from the model');
    const bad = await refusal(connection.request('secret.create', { name: 'x', data: 'not base64!' }));
    assert.match(bad.message, /param "data" must be base64/);
  });

  it('scales a service, updates its image, rolls it back, shows its tasks and logs, and removes it', async (t) => {
    if (skip(t)) return;
    const { connection } = session;
    await swarmClient.json('POST', `/images/${encodeURIComponent(BASE_IMAGE)}/tag?repo=berth-test/busybox&tag=other`);
    const created = await swarmClient.json<{ ID: string }>('POST', '/services/create', {
      Name: 'berth-test-svc',
      Labels: { [TEST_LABEL]: '1', 'com.docker.stack.namespace': 'berth-test-labelled' },
      TaskTemplate: { ContainerSpec: { Image: BASE_IMAGE, Command: ['sh', '-c', 'echo task says hello; sleep 300'] } },
      Mode: { Replicated: { Replicas: 1 } },
    });
    serviceId = created.ID;
    await until(() => connection.request('services.list', {}), (list) => list.some((s) => s.id === serviceId && s.runningTasks === 1), 'one running task');
    assert.deepEqual(await connection.request('stacks.list', {}), [{ name: 'berth-test-labelled', services: 1 }]);

    await connection.request('service.scale', { id: serviceId, replicas: 2 });
    const scaled = await until(() => connection.request('services.list', {}), (list) => list.some((s) => s.id === serviceId && s.replicas === 2 && s.runningTasks === 2), 'two running tasks');
    assert.equal(scaled[0]!.image, BASE_IMAGE);
    const tasks = await connection.request('tasks.list', {});
    assert.deepEqual(tasks.filter((task) => task.state === 'running').map((task) => task.name).sort(), ['berth-test-svc.1', 'berth-test-svc.2']);
    assert.ok(tasks.every((task) => task.serviceName === 'berth-test-svc' && task.nodeId));

    // Listening before asking: the first output may arrive in the same read as the answer.
    const output = new Map<string, string>();
    const stop = connection.onNotification('stream.data', (message) => {
      if (message.channel === 'stdout') output.set(message.streamId, (output.get(message.streamId) ?? '') + Buffer.from(message.data, 'base64').toString('utf8'));
    });
    const logs = await connection.request('service.logs', { id: serviceId, follow: false });
    assert.equal(logs.kind, 'logs');
    assert.equal((await session.progress.end(logs.streamId, 30_000)).reason, 'ended');
    stop();
    assert.match(output.get(logs.streamId) ?? '', /task says hello/);

    await connection.request('service.update', { id: serviceId, image: 'berth-test/busybox:other' });
    await until(() => connection.request('services.list', {}), (list) => list.some((s) => s.id === serviceId && s.image === 'berth-test/busybox:other' && s.updateState === 'completed'), 'the update to finish', 60_000);
    await connection.request('service.rollback', { id: serviceId });
    await until(() => connection.request('services.list', {}), (list) => list.some((s) => s.id === serviceId && s.image === BASE_IMAGE), 'the image rolled back', 60_000);

    const negative = await refusal(connection.request('service.scale', { id: serviceId, replicas: -1 }));
    assert.equal(negative.code, RuntimeErrorCode.InvalidParams);
    await connection.request('service.remove', { id: serviceId });
    await until(() => connection.request('services.list', {}), (list) => list.length === 0, 'the service gone from the model');
  });

  it('drains the node and makes it active again', async (t) => {
    if (skip(t)) return;
    const { connection } = session;
    const [node] = await connection.request('nodes.list', {});
    await connection.request('node.update', { id: node!.id, availability: 'drain' });
    await until(() => connection.request('nodes.list', {}), (list) => list[0]?.availability === 'drain', 'the node drained');
    await connection.request('node.update', { id: node!.id, availability: 'active' });
    await until(() => connection.request('nodes.list', {}), (list) => list[0]?.availability === 'active', 'the node active');
    const bad = await refusal(connection.request('node.update', { id: node!.id, availability: 'asleep' as 'drain' }));
    assert.match(bad.message, /param "availability" must be "active", "pause" or "drain"/);
  });

  it('deploys and removes a stack with the docker CLI, streaming its output', async (t) => {
    if (skip(t)) return;
    const { connection, progress } = session;
    const deploy = await connection.request('stack.deploy', { file: STACK_FILE, name: stack });
    const deployed = await progress.end(deploy.streamId);
    assert.equal(deployed.reason, 'completed', `${deployed.error}\n${progress.text(deploy.streamId)}`);
    assert.match(progress.text(deploy.streamId), new RegExp(`Creating service ${stack}_idle`));
    await until(() => connection.request('stacks.list', {}), (list) => list.some((s) => s.name === stack && s.services === 1), 'the stack in the model');
    // Removing a stack whose task is still being set up races the engine's own network removal (docker stack rm then fails); a user removes a settled stack.
    await until(() => connection.request('tasks.list', {}), (list) => list.some((task) => task.serviceName === `${stack}_idle` && task.state === 'running'), 'the stack’s task running');
    const remove = await connection.request('stack.remove', { name: stack });
    const removed = await progress.end(remove.streamId);
    assert.equal(removed.reason, 'completed', `${removed.error}\n${progress.text(remove.streamId)}`);
    await until(() => connection.request('stacks.list', {}), (list) => list.every((s) => s.name !== stack), 'the stack gone from the model');
  });
});
