// The Swarm view over the client's mirror, with the VS Code API shimmed
// (test/support/vscodeShim.ts): it shows while the active engine is a Swarm
// manager and follows the daemon's state.changed for the Swarm kinds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineInfo, NodeSummary, ServiceSummary } from '../../runtime/src/protocol/types';
import { installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { SwarmView } = require('../../client/src/views/swarmView') as typeof import('../../client/src/views/swarmView');

const engine: EngineInfo = { id: 'docker', endpoint: 'unix:///var/run/docker.sock', source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
const node: NodeSummary = { id: 'n1', hostname: 'alpha', role: 'manager', availability: 'active', state: 'ready', leader: true, labels: {} };
const web: ServiceSummary = { id: 's1', name: 'shop_web', image: 'web:1', mode: 'replicated', replicas: 2, runningTasks: 1, stack: 'shop', labels: {}, ports: [], updatedAt: '2026-01-01T00:00:00Z' };

type Item = { id?: string; label?: unknown; description?: string; contextValue?: string };

describe('Swarm view', () => {
  it('shows while the active engine is a Swarm manager, and follows its services live', () => {
    const state = new RuntimeState();
    state.setDaemon({ kind: 'connected', connection: {} as never });
    state.setEngines([engine]);
    const view = new SwarmView(state);
    let redraws = 0;
    view.onDidChangeTreeData(() => redraws++);
    assert.equal(record.contexts.get('berth.swarmManager'), false);
    assert.deepEqual(view.getChildren(), []);

    state.resync({ engine: 'docker', kind: 'node', items: [node] });
    state.resync({ engine: 'docker', kind: 'service', items: [web] });
    assert.equal(record.contexts.get('berth.swarmManager'), true);
    const [services] = view.getChildren();
    const [row] = view.getChildren(services);
    const item = view.getTreeItem(row!) as Item;
    assert.equal(item.label, 'shop_web');
    assert.equal(item.description, 'replicated · 1/2 · web:1');
    assert.equal(item.contextValue, 'swarmService.replicated');

    const before = redraws;
    state.apply({ engine: 'docker', kind: 'service', id: 's1', action: 'updated', item: { ...web, runningTasks: 2 } });
    assert.ok(redraws > before, 'a state.changed for a service redraws the view');
    assert.equal((view.getTreeItem(view.getChildren(view.getChildren()[0])[0]!) as Item).description, 'replicated · 2/2 · web:1');

    // Leaving the swarm: the daemon resyncs the kinds empty.
    state.resync({ engine: 'docker', kind: 'node', items: [] });
    assert.equal(record.contexts.get('berth.swarmManager'), false);
    assert.deepEqual(view.getChildren(), []);
    view.dispose();
  });
});
