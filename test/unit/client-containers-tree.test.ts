import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../runtime/src/protocol/types';
import { DEFAULT_ARRANGEMENT, arrangeContainers, containerLabel, matchesFilter, type ContainerNode } from '../../client/src/views/containerTree';
import { composeFilesOf, projectNameOf } from '../../client/src/compose/composeProject';

function container(name: string, state: string, created: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return { id: `${name}-0123456789abcdef`, name, image: `${name}-image:1`, imageId: 'sha256:x', command: 'sh', state, status: state === 'running' ? 'Up 1 minute' : state === 'paused' ? 'Up 1 minute (Paused)' : 'Exited (0) 1 minute ago', created, ports: [], labels: {}, mounts: [], networks: [], ...extra };
}

const web = container('web', 'running', '2026-01-03T00:00:00Z', { composeProject: 'shop', composeService: 'web' });
const db = container('db', 'exited', '2026-01-01T00:00:00Z', { composeProject: 'shop', composeService: 'db' });
const alpha = container('alpha', 'exited', '2026-01-05T00:00:00Z');
const zeta = container('zeta', 'running', '2026-01-02T00:00:00Z');
const paused = container('mid', 'paused', '2026-01-04T00:00:00Z');
const all = [alpha, web, zeta, db, paused];

const names = (nodes: ContainerNode[]) => nodes.map((node) => (node.kind === 'project' ? `${node.project}[${node.containers.map((c) => c.name).join(',')}]` : node.container.name));

describe('Containers view arrangement', () => {
  it('groups compose projects first, running containers before stopped ones, by name', () => {
    assert.deepEqual(names(arrangeContainers(all, DEFAULT_ARRANGEMENT)), ['shop[web,db]', 'zeta', 'alpha', 'mid']);
  });

  it('sorts newest first, or by state, as berth.containers.sortBy says', () => {
    assert.deepEqual(names(arrangeContainers(all, { ...DEFAULT_ARRANGEMENT, groupBy: 'none', sortBy: 'created' })), ['alpha', 'mid', 'web', 'zeta', 'db']);
    assert.deepEqual(names(arrangeContainers(all, { ...DEFAULT_ARRANGEMENT, groupBy: 'none', sortBy: 'status' })), ['web', 'zeta', 'mid', 'alpha', 'db']);
  });

  it('shows only what matches the filter, in any field a user reads', () => {
    assert.deepEqual(names(arrangeContainers(all, { ...DEFAULT_ARRANGEMENT, filter: 'SHOP' })), ['shop[web,db]']);
    assert.deepEqual(names(arrangeContainers(all, { ...DEFAULT_ARRANGEMENT, filter: 'zeta-image' })), ['zeta']);
    assert.deepEqual(names(arrangeContainers(all, { ...DEFAULT_ARRANGEMENT, filter: 'exited' })), ['shop[db]', 'alpha']);
    assert.equal(matchesFilter(alpha, '  '), true);
    assert.equal(matchesFilter(alpha, 'nothing-like-it'), false);
  });

  it('labels rows by name (service inside a project), image or short id', () => {
    assert.equal(containerLabel(web, 'name', true), 'web');
    assert.equal(containerLabel({ ...web, name: 'shop-web-1' }, 'name', true), 'web');
    assert.equal(containerLabel({ ...web, name: 'shop-web-1' }, 'name', false), 'shop-web-1');
    assert.equal(containerLabel(web, 'image', true), 'web-image:1');
    assert.equal(containerLabel(web, 'id', true), 'web-01234567');
  });
});

describe('compose project of a file or a container', () => {
  it('reads the compose files from the labels compose sets, relative ones against the working dir', () => {
    assert.deepEqual(composeFilesOf({ 'com.docker.compose.project.config_files': '/srv/app/compose.yaml,/srv/app/compose.override.yaml' }), ['/srv/app/compose.yaml', '/srv/app/compose.override.yaml']);
    assert.deepEqual(composeFilesOf({ 'com.docker.compose.project.config_files': 'docker-compose.yml', 'com.docker.compose.project.working_dir': '/srv/app' }), ['/srv/app/docker-compose.yml']);
    assert.deepEqual(composeFilesOf({}), []);
  });

  it('names a project as compose does: its name key, else its folder', () => {
    assert.equal(projectNameOf('/x/My App/compose.yaml', 'name: shop\nservices: {}\n'), 'shop');
    assert.equal(projectNameOf('/x/My App/compose.yaml', 'name: "quoted" # why\n'), 'quoted');
    assert.equal(projectNameOf('/x/My.App_1/compose.yaml', 'services:\n  name: {}\n'), 'myapp_1');
  });
});
