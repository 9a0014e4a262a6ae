// What the Containers, Images, Volumes and Networks views show of the client's
// mirror, with the VS Code API shimmed (test/support/vscodeShim.ts): rows,
// descriptions, tooltips and icons, and how they follow a state change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, EngineInfo, ImageSummary, NetworkSummary, VolumeSummary } from '../../runtime/src/protocol/types';
import { installVscodeShim } from '../support/vscodeShim';

installVscodeShim();
// Loaded after the shim, so their `import 'vscode'` gets it.
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { ImagesView, VolumesView, NetworksView } = require('../../client/src/views/resourceViews') as typeof import('../../client/src/views/resourceViews');
const { ContainersView } = require('../../client/src/views/containersView') as typeof import('../../client/src/views/containersView');

const engine: EngineInfo = { id: 'local', endpoint: 'unix:///var/run/docker.sock', source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const web: ContainerSummary = {
  id: 'a'.repeat(64),
  name: 'shop-web-1',
  image: 'nginx:1.27',
  imageId: 'sha256:1',
  command: 'nginx -g daemon off;',
  state: 'running',
  status: 'Up 2 hours (unhealthy)',
  health: 'unhealthy',
  created: hoursAgo(2),
  ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' }],
  labels: {},
  composeProject: 'shop',
  composeService: 'web',
  mounts: [{ type: 'volume', name: 'shop-data', source: '/var/lib/docker/volumes/shop-data/_data', destination: '/data', readOnly: true }],
  networks: ['shop_default'],
};
const image = (id: string, repoTags: string[], extra: Partial<ImageSummary> = {}): ImageSummary => ({ id, repoTags, size: 187_654_321, created: hoursAgo(3), exposedPorts: [], dangling: repoTags.length === 0, usedBy: [], ...extra });
const volume = (name: string, usedBy: string[]): VolumeSummary => ({ id: name, name, driver: 'local', mountpoint: `/var/lib/docker/volumes/${name}/_data`, labels: {}, usedBy });
const network = (name: string, containers: string[], extra: Partial<NetworkSummary> = {}): NetworkSummary => ({ id: `${name}-id-0123456789`, name, driver: 'bridge', scope: 'local', internal: false, labels: {}, containers, ...extra });

function mirror() {
  const state = new RuntimeState();
  state.setDaemon({ kind: 'connected', connection: {} as never });
  state.setEngines([engine]);
  state.resync({ engine: 'local', kind: 'container', items: [web] });
  return state;
}

type Item = { label?: unknown; description?: string; tooltip?: unknown; contextValue?: string; iconPath?: { id?: string }; collapsibleState?: number };

describe('the resource views', () => {
  it('Images: by repository with its tags, each with size and age; in-use and dangling marked', () => {
    const state = mirror();
    state.resync({
      engine: 'local',
      kind: 'image',
      items: [image('sha256:1', ['nginx:1.27', 'nginx:latest'], { usedBy: [web.id], exposedPorts: ['80/tcp'] }), image('sha256:2', ['alpine:3.20']), image('sha256:3333333333333333', [])],
    });
    const view = new ImagesView(state);
    const roots = view.getChildren();
    assert.deepEqual(roots.map((row) => (row.kind === 'dangling' ? '<none>' : row.kind === 'repository' ? row.repository : '')), ['alpine', 'nginx', '<none>']);
    const nginx = roots[1]!;
    assert.equal((view.getTreeItem(nginx) as Item).description, '2 tags');
    const tags = view.getChildren(nginx);
    assert.deepEqual(tags.map((row) => (row.kind === 'tag' ? row.tag : '')), ['1.27', 'latest']);
    const inUse = view.getTreeItem(tags[0]!) as Item;
    assert.equal(inUse.description, '188 MB · 3 hours ago · in use by 1');
    assert.equal(inUse.contextValue, 'image.inUse');
    assert.match(String(inUse.tooltip), /Exposes 80\/tcp/);
    const dangling = view.getTreeItem(roots[2]!) as Item;
    assert.match(String(dangling.label), /^<none> 3333333333/);
    assert.match(dangling.description ?? '', /dangling$/);
    assert.equal(dangling.contextValue, 'image.dangling');
  });

  it('Images: the filter keeps only repositories with a matching tag, whatever the case', () => {
    const state = mirror();
    state.resync({ engine: 'local', kind: 'image', items: [image('sha256:1', ['nginx:1.27']), image('sha256:2', ['alpine:3.20'])] });
    const view = new ImagesView(state);
    view.setFilter('NGI');
    assert.deepEqual(view.getChildren().map((row) => (row.kind === 'repository' ? row.repository : '')), ['nginx']);
  });

  it('Volumes: each with the names of the containers using it, or unused', () => {
    const state = mirror();
    state.resync({ engine: 'local', kind: 'volume', items: [volume('shop-data', [web.id]), volume('old-cache', [])] });
    const view = new VolumesView(state);
    const rows = view.getChildren();
    assert.deepEqual(rows.map((row) => row.name), ['old-cache', 'shop-data']);
    assert.equal((view.getTreeItem(rows[0]!) as Item).description, 'local · unused');
    assert.equal((view.getTreeItem(rows[1]!) as Item).description, 'local · used by shop-web-1');
    assert.equal((view.getTreeItem(rows[1]!) as Item).contextValue, 'volume.inUse');
  });

  it('Networks: driver, scope and attached containers by name; the engine’s own networks cannot be removed', () => {
    const state = mirror();
    state.resync({ engine: 'local', kind: 'network', items: [network('shop_default', [web.id]), network('bridge', []), network('backend', [], { internal: true })] });
    const view = new NetworksView(state);
    const rows = view.getChildren();
    assert.deepEqual(rows.map((row) => row.name), ['backend', 'bridge', 'shop_default']);
    assert.equal((view.getTreeItem(rows[2]!) as Item).description, 'bridge · local · shop-web-1');
    assert.equal((view.getTreeItem(rows[0]!) as Item).description, 'bridge · local · no containers · internal');
    assert.equal((view.getTreeItem(rows[1]!) as Item).contextValue, 'network.builtin');
  });

  it('Containers: status and published ports in the description; image, command, created, mounts and networks in the tooltip; health in the icon', () => {
    const state = mirror();
    const view = new ContainersView(state);
    const [project] = view.getChildren();
    assert.equal(project?.kind, 'project');
    const [row] = view.getChildren(project);
    const item = view.getTreeItem(row!) as Item;
    assert.equal(item.label, 'web', 'a compose container is named by its service inside its project');
    assert.equal(item.description, 'Up 2 hours (unhealthy) · 8080→80');
    // VS Code asks for the tooltip when the row is hovered.
    const tooltip = (view.resolveTreeItem(item as never, row!).tooltip as { value: string }).value;
    for (const part of ['Image: `nginx:1.27`', 'Command: `nginx -g daemon off;`', 'Created: 2 hours ago', 'Mounts: shop-data → /data (read-only)', 'Networks: shop_default']) assert.ok(tooltip.includes(part), `${part} in ${tooltip}`);
    assert.equal(item.iconPath?.id, 'vm-outline');
    assert.equal((item.iconPath as { color?: { id: string } }).color?.id, 'testing.iconFailed', 'an unhealthy container is marked as failing');
    view.dispose();
  });

  it('Containers: a running container opens to its Files, a stopped one does not; each row knows its parent (for Browse Files to reveal it)', () => {
    const state = mirror();
    const stopped: ContainerSummary = { ...web, id: 'b'.repeat(64), name: 'old', state: 'exited', status: 'Exited (0) 1 hour ago', health: undefined, composeProject: undefined, composeService: undefined };
    state.resync({ engine: 'local', kind: 'container', items: [web, stopped] });
    const view = new ContainersView(state);
    const [project, old] = view.getChildren();
    const [running] = view.getChildren(project as never);
    assert.equal((view.getTreeItem(running!) as Item).collapsibleState, 1, 'collapsed: nothing is listed until the user opens it');
    assert.equal((view.getTreeItem(old!) as Item).collapsibleState, 0);
    assert.deepEqual(view.getChildren(old as never), []);
    const [files] = view.getChildren(running as never) as { kind: string }[];
    assert.equal(files?.kind, 'files');
    const filesItem = view.getTreeItem(files as never) as Item & { id?: string };
    assert.equal(filesItem.label, 'Files');
    assert.equal(filesItem.contextValue, 'containerFiles');
    assert.equal(filesItem.id, `files:local/${web.id}:/`);
    assert.strictEqual(view.getChildren(running as never)[0], files, 'the same Files row on every redraw');
    assert.strictEqual(view.filesRowOf('local', web), files, 'Browse Files reveals the row drawn');
    assert.strictEqual(view.getParent(files as never), running, 'Files sits under its container');
    assert.equal((view.getParent(running!) as { kind: string; project?: string } | undefined)?.project, 'shop', 'a compose container under its project');
    assert.equal(view.getParent(old!), undefined, 'a loose container at the top');
    view.dispose();
  });

  it('redraw from a state change alone, without listing again', () => {
    const state = mirror();
    const view = new VolumesView(state);
    let redraws = 0;
    view.onDidChangeTreeData(() => redraws++);
    state.apply({ engine: 'local', kind: 'volume', id: 'fresh', action: 'added', item: volume('fresh', []) });
    assert.equal(redraws, 1);
    assert.deepEqual(view.getChildren().map((row) => row.name), ['fresh']);
  });
});
