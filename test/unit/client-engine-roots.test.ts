// The client's mirror and the views' engine roots, with the VS Code API shimmed
// (test/support/vscodeShim.ts): which engine the views show, several engines
// side by side, and why an engine shows nothing.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineInfo, VolumeSummary } from '../../runtime/src/protocol/types';
import { installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
// Loaded after the shim, so their `import 'vscode'` gets it.
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { EngineRootsTree } = require('../../client/src/views/engineRoots') as typeof import('../../client/src/views/engineRoots');
const { VolumesView } = require('../../client/src/views/resourceViews') as typeof import('../../client/src/views/resourceViews');
const { ContainersView } = require('../../client/src/views/containersView') as typeof import('../../client/src/views/containersView');
const vscode = require('vscode') as typeof import('vscode');

const ready = (id: string): EngineInfo => ({ id, endpoint: `unix:///run/${id}.sock`, source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } });
const unreachable = (id: string, reason: string): EngineInfo => ({ id, endpoint: `ssh://${id}`, source: 'added by the user', added: true, health: { state: 'unreachable', reason } });
const volume = (name: string): VolumeSummary => ({ id: name, name, driver: 'local', mountpoint: `/var/lib/docker/volumes/${name}`, labels: {}, usedBy: [] });

type Row = { kind?: string; name?: string; engine?: EngineInfo };
type Item = { id?: string; label?: unknown; contextValue?: string };

function setUp(engines: EngineInfo[]) {
  const state = new RuntimeState();
  state.setDaemon({ kind: 'connected', connection: {} as never });
  state.setEngines(engines);
  state.resync({ engine: 'local', kind: 'volume', items: [volume('local-data')] });
  state.resync({ engine: 'remote', kind: 'volume', items: [volume('remote-data'), volume('remote-cache')] });
  const tree = new EngineRootsTree<object>(state, new VolumesView(state) as never);
  const children = (node?: object) => tree.getChildren(node as never) as (Row & object)[];
  const item = (node: object) => tree.getTreeItem(node as never) as Item;
  return { state, tree, children, item };
}

describe('Engines in the views', () => {
  beforeEach(() => record.settings.clear());

  it('shows the first ready engine until the user picks another, then that one', () => {
    const { state, children } = setUp([ready('local'), ready('remote')]);
    assert.deepEqual(children().map((row) => row.name), ['local-data']);
    state.chooseEngine('remote');
    assert.equal(state.activeEngine?.id, 'remote');
    assert.deepEqual(children().map((row) => row.name), ['remote-cache', 'remote-data']);
  });

  it('makes each engine a root with its own objects when berth.engines.showAll is on', () => {
    record.settings.set('berth.engines.showAll', true);
    const { children, item } = setUp([ready('local'), ready('remote')]);
    const roots = children();
    assert.deepEqual(roots.map((row) => row.kind === 'engineRoot' && row.engine?.id), ['local', 'remote']);
    assert.deepEqual(children(roots[1]).map((row) => row.name), ['remote-cache', 'remote-data']);
    assert.match(String(item(roots[0]!).contextValue), /^engineRoot\.active$/);
    // Rows of another engine than the active one are distinct, keep their actions, and say which engine they belong to.
    const remoteVolume = children(roots[1])[0]!;
    const remoteRow = item(remoteVolume);
    assert.equal(remoteRow.id, 'remote/remote-cache');
    assert.equal(remoteRow.contextValue, 'volume');
    assert.equal((remoteVolume as { engine?: string }).engine, 'remote');
    assert.equal((children(roots[0])[0] as { engine?: string }).engine, 'local');
    assert.equal(item(children(roots[0])[0]!).contextValue, 'volume');
  });

  it('makes the engine of a selected row the active one, so the palette and status bar follow it', () => {
    record.settings.set('berth.engines.showAll', true);
    const { state, tree, children, item } = setUp([ready('local'), ready('remote')]);
    const selection = new vscode.EventEmitter<{ selection: object[] }>();
    const view = { message: undefined, onDidChangeSelection: selection.event } as unknown as Parameters<typeof tree.attach>[0];
    tree.attach(view);
    const remoteVolume = children(children()[1])[0]!;
    selection.fire({ selection: [remoteVolume] });
    assert.equal(state.activeEngine?.id, 'remote');
    assert.equal(item(remoteVolume).contextValue, 'volume');
  });

  it('says under an engine root why that engine shows nothing', () => {
    record.settings.set('berth.engines.showAll', true);
    const { children, item } = setUp([ready('local'), unreachable('remote', 'ssh: Could not resolve hostname remote')]);
    const [trouble] = children(children()[1]);
    assert.equal(item(trouble!).label, 'unreachable: ssh: Could not resolve hostname remote');
  });

  it('with an unreachable active engine, names it and the reason in one row (alone, leaves the view to its welcome text)', () => {
    const { state, children, item } = setUp([ready('local'), unreachable('remote', 'connection refused')]);
    state.chooseEngine('remote');
    assert.equal(state.summary(), 'unreachable');
    const rows = children();
    assert.equal(rows.length, 1);
    const row = item(rows[0]!) as Item & { command?: { command: string } };
    assert.equal(row.label, 'remote (ssh://remote) is unreachable: connection refused');
    assert.equal(row.command?.command, 'berth.engines.switch');
    state.chooseEngine('local');
    assert.deepEqual(children().map((child) => child.name), ['local-data']);
    const alone = setUp([unreachable('remote', 'connection refused')]);
    alone.state.chooseEngine('remote');
    assert.deepEqual(alone.children(), []);
  });

  it('falls back to the first ready engine when the picked one is no longer served', () => {
    const { state, children } = setUp([ready('local'), ready('remote')]);
    state.chooseEngine('remote');
    state.setEngines([ready('local')]);
    assert.equal(state.activeEngine?.id, 'local');
    assert.deepEqual(children().map((row) => row.name), ['local-data']);
    assert.equal(record.contexts.get('berth.runtime'), 'ready');
  });

  /** Every engine shown (local and remote), a running container on the remote one, and the Containers view under its engine roots. */
  function everyEngineShownWithARemoteContainer() {
    record.settings.set('berth.engines.showAll', true);
    const state = new RuntimeState();
    state.setDaemon({ kind: 'connected', connection: {} as never });
    state.setEngines([ready('local'), ready('remote')]);
    const container = { id: 'c'.repeat(64), name: 'app', image: 'app:dev', imageId: 'sha256:1', command: 'httpd', state: 'running', status: 'Up 1 minute', created: new Date().toISOString(), ports: [], labels: {}, mounts: [], networks: [] };
    state.resync({ engine: 'remote', kind: 'container', items: [container] });
    const view = new ContainersView(state);
    return { container, view, tree: new EngineRootsTree<object>(state, view as never) };
  }

  it('leads Browse Files to a container of any shown engine: parents up to that engine’s root, which is drawn alike', () => {
    const { container, view, tree } = everyEngineShownWithARemoteContainer();
    // Never drawn yet: the palette's Browse Files names a row the tree has not shown.
    const files = view.filesRowOf('remote', container);
    const row = tree.getParent(files as never) as { kind?: string; container?: { id: string } };
    assert.equal(row.kind, 'container');
    assert.equal(row.container?.id, container.id);
    const root = tree.getParent(row as never) as Row;
    assert.equal(root.kind, 'engineRoot');
    assert.equal(root.engine?.id, 'remote');
    assert.equal(tree.getParent(root as never), undefined);
    assert.equal((tree.getTreeItem(root as never) as Item).id, 'engine:remote', 'the id VS Code knows the drawn root by');
    assert.equal((tree.getTreeItem(files as never) as Item).id, `remote/files:remote/${container.id}:/`, 'as drawn under the root');
    view.dispose();
  });

  it('gives a container row its tooltip when hovered under its engine’s root; views without hover tooltips are not asked on hover', async () => {
    const { view, tree } = everyEngineShownWithARemoteContainer();
    const remote = (tree.getChildren() as Row[]).find((root) => root.engine?.id === 'remote')!;
    const [row] = tree.getChildren(remote as never) as object[];
    const item = tree.getTreeItem(row as never) as import('vscode').TreeItem;
    const hovered = await tree.resolveTreeItem!(item, row as never, {} as never);
    assert.match((hovered?.tooltip as { value: string }).value, /Image: `app:dev`/);
    assert.equal(setUp([ready('local')]).tree.resolveTreeItem, undefined);
    view.dispose();
  });
});
