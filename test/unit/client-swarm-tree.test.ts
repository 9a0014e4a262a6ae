import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSummary, ServiceSummary, SwarmDataSummary, TaskSummary } from '../../runtime/src/protocol/types';
import {
  checkImageReference,
  checkReplicas,
  checkStackName,
  checkSwarmObjectName,
  isSwarmManager,
  serviceDescription,
  stackNameFor,
  stackRemovalQuestion,
  swarmChildren,
  taskDescription,
  TASK_HISTORY,
  type SwarmModel,
  type SwarmNode,
} from '../../client/src/swarm/swarmTree';

function service(name: string, extra: Partial<ServiceSummary> = {}): ServiceSummary {
  return { id: `svc-${name}`, name, image: `${name}:1@sha256:${'a'.repeat(64)}`, mode: 'replicated', replicas: 2, runningTasks: 2, labels: {}, ports: [], updatedAt: '2026-01-01T00:00:00Z', ...extra };
}
function task(serviceId: string, slot: number, state: string, desiredState: string, updatedAt: string, extra: Partial<TaskSummary> = {}): TaskSummary {
  return { id: `${serviceId}-${slot}-${updatedAt}`, name: `${serviceId}.${slot}`, serviceId, slot, nodeId: 'node-1', state, desiredState, message: state, image: 'x', updatedAt, ...extra };
}
const manager: NodeSummary = { id: 'node-1', hostname: 'alpha', role: 'manager', availability: 'active', state: 'ready', leader: true, labels: {}, engineVersion: '20.10.24' };
const worker: NodeSummary = { id: 'node-2', hostname: 'beta', role: 'worker', availability: 'drain', state: 'ready', leader: false, labels: {} };
const secret = (name: string, stack?: string): SwarmDataSummary => ({ id: `sec-${name}`, name, labels: {}, ...(stack ? { stack } : {}), created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z' });

const web = service('shop_web', { stack: 'shop', ports: [{ published: 8080, target: 80, protocol: 'tcp' }] });
const db = service('shop_db', { stack: 'shop', replicas: 1, runningTasks: 0 });
const agent = service('agent', { mode: 'global', replicas: undefined, runningTasks: 2 });
const model: SwarmModel = {
  services: [web, agent, db],
  tasks: [
    task('svc-shop_web', 2, 'running', 'running', '2026-01-02T00:00:02Z'),
    task('svc-shop_web', 1, 'running', 'running', '2026-01-02T00:00:01Z'),
    task('svc-shop_web', 1, 'failed', 'shutdown', '2026-01-01T00:00:01Z', { error: 'task: non-zero exit (1)' }),
    ...[1, 2, 3, 4].map((n) => task('svc-shop_web', 1, 'shutdown', 'shutdown', `2025-12-0${n}T00:00:00Z`)),
    task('svc-shop_db', 1, 'preparing', 'running', '2026-01-02T00:00:00Z', { nodeId: 'node-9' }),
  ],
  nodes: [worker, manager],
  secrets: [secret('shop_password', 'shop'), secret('api_key')],
  configs: [],
};

const labels = (nodes: SwarmNode[]) =>
  nodes.map((node) => {
    switch (node.kind) {
      case 'group':
        return `${node.group}(${node.count})`;
      case 'stack':
        return node.stack;
      case 'service':
        return node.service.name;
      case 'task':
        return `${node.task.name}:${node.task.state}`;
      case 'node':
        return node.node.hostname;
      default:
        return node.item.name;
    }
  });

describe('Swarm view tree', () => {
  it('is shown only for a Swarm manager, which lists at least itself as a node', () => {
    assert.equal(isSwarmManager(model), true);
    assert.equal(isSwarmManager({ services: [], tasks: [], nodes: [], secrets: [], configs: [] }), false);
  });

  it('has groups with their counts, stacks taken from the services', () => {
    assert.deepEqual(labels(swarmChildren(undefined, model)), ['services(3)', 'stacks(1)', 'nodes(2)', 'secrets(2)', 'configs(0)']);
    const [services, stacks, nodes, secrets] = swarmChildren(undefined, model);
    assert.deepEqual(labels(swarmChildren(services, model)), ['agent', 'shop_db', 'shop_web']);
    assert.deepEqual(labels(swarmChildren(stacks, model)), ['shop']);
    assert.deepEqual(labels(swarmChildren(swarmChildren(stacks, model)[0], model)), ['shop_db', 'shop_web']);
    assert.deepEqual(labels(swarmChildren(nodes, model)), ['alpha', 'beta'], 'managers first');
    assert.deepEqual(labels(swarmChildren(secrets, model)), ['api_key', 'shop_password']);
  });

  it('lists a service’s live tasks by slot, then only the newest ended ones', () => {
    const tasks = swarmChildren({ kind: 'service', service: web }, model);
    assert.deepEqual(labels(tasks), ['svc-shop_web.1:running', 'svc-shop_web.2:running', 'svc-shop_web.1:failed', 'svc-shop_web.1:shutdown', 'svc-shop_web.1:shutdown']);
    assert.equal(tasks.length, 2 + TASK_HISTORY);
    assert.equal(tasks[0]!.kind === 'task' && tasks[0]!.nodeName, 'alpha');
  });

  it('keeps a service shown under its stack distinct from the same service under Services', () => {
    const [, stacks] = swarmChildren(undefined, model);
    const underStack = swarmChildren(swarmChildren(stacks, model)[0], model)[1]!;
    assert.equal(underStack.kind === 'service' && underStack.via, 'shop');
    const taskUnderStack = swarmChildren(underStack, model)[0]!;
    assert.equal(taskUnderStack.kind === 'task' && taskUnderStack.via, 'shop');
  });

  it('describes services, tasks and nodes as docker service ls / ps and node ls would', () => {
    assert.equal(serviceDescription(web), 'replicated · 2/2 · shop_web:1 · 8080→80/tcp');
    assert.equal(serviceDescription(agent), 'global · 2 running · agent:1');
    assert.equal(serviceDescription({ ...db, updateState: 'rollback_started' }), 'replicated · 0/1 · shop_db:1 · update rollback started');
    const failed = model.tasks.find((candidate) => candidate.state === 'failed')!;
    assert.equal(taskDescription(failed, 'alpha'), 'failed → shutdown · on alpha · task: non-zero exit (1)');
  });

  it('names the services that go when a stack is removed', () => {
    const question = stackRemovalQuestion('shop', [web, db]);
    assert.equal(question.message, 'Remove stack "shop"?');
    assert.match(question.detail, /2 services .*: shop_db, shop_web\./);
  });
});

describe('Swarm command input', () => {
  it('takes whole replica counts only', () => {
    assert.equal(checkReplicas('3'), undefined);
    assert.equal(checkReplicas(' 0 '), undefined);
    assert.match(checkReplicas('-1')!, /not a whole number/);
    assert.match(checkReplicas('2.5')!, /not a whole number/);
    assert.match(checkReplicas('many')!, /"many" is not a whole number/);
    assert.match(checkReplicas('100001')!, /At most/);
  });

  it('checks image references before a rolling update starts', () => {
    for (const good of ['nginx', 'nginx:1.27', 'localhost:5000/team/app:2', `app@sha256:${'b'.repeat(64)}`, 'registry.example.com/a/b_c:v1.2-rc']) assert.equal(checkImageReference(good), undefined, good);
    assert.match(checkImageReference('Nginx:1')!, /not an image name/);
    assert.match(checkImageReference('nginx:1 2')!, /no spaces/);
    assert.match(checkImageReference('nginx:-bad')!, /not a tag/);
    assert.match(checkImageReference('nginx@sha256:12')!, /digest/);
    assert.match(checkImageReference('')!, /Type an image/);
  });

  it('checks secret and config names, and refuses a name in use', () => {
    assert.equal(checkSwarmObjectName('db.password', 'secret', model.secrets), undefined);
    assert.match(checkSwarmObjectName('api_key', 'secret', model.secrets)!, /exists already/);
    assert.match(checkSwarmObjectName('-x', 'config', [])!, /config name/);
  });

  it('proposes the compose file’s folder as the stack name, in the form docker stack accepts', () => {
    assert.equal(stackNameFor('/home/me/My Shop/compose.yaml'), 'my-shop');
    assert.equal(stackNameFor('/srv/.hidden/docker-compose.yml'), 'hidden');
    assert.equal(checkStackName('my-shop'), undefined);
    assert.match(checkStackName('My Shop')!, /lowercase/);
  });
});
