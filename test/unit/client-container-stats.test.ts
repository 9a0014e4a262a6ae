// Live CPU and memory in the Containers view (client/src/views/containerStats.ts):
// a daemon stats stream per running container, open only while the view is
// visible. VS Code is shimmed; the daemon is a stand-in that records requests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, EngineInfo, StatsSample } from '../../runtime/src/protocol/types';
import { installVscodeShim } from '../support/vscodeShim';

installVscodeShim();
// Loaded after the shim, so their `import 'vscode'` gets it.
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { ContainerStats } = require('../../client/src/views/containerStats') as typeof import('../../client/src/views/containerStats');
const { ContainersView } = require('../../client/src/views/containersView') as typeof import('../../client/src/views/containersView');

const engine: EngineInfo = { id: 'local', endpoint: 'unix:///var/run/docker.sock', source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
const container = (id: string, state: string): ContainerSummary => ({
  id,
  name: `c-${id}`,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'sleep 300',
  state,
  status: state,
  created: new Date().toISOString(),
  ports: [],
  labels: {},
  mounts: [],
  networks: [],
});
const sample: StatsSample = { time: '2026-01-01T00:00:00Z', cpuPercent: 12.5, onlineCpus: 2, memoryUsage: 5_000_000, memoryLimit: 1e9, memoryPercent: 0.5, networkRx: 0, networkTx: 0, blockRead: 0, blockWrite: 0, pids: 1 };

function setUp() {
  const requests: { method: string; params: { id?: string; streamId?: string } }[] = [];
  const handlers = new Map<string, ((message: never) => void)[]>();
  let streams = 0;
  const connection = {
    onNotification: (method: string, handler: (message: never) => void) => {
      handlers.set(method, [...(handlers.get(method) ?? []), handler]);
      return () => undefined;
    },
    request: async (method: string, params: { id?: string; streamId?: string }) => {
      requests.push({ method, params });
      return method === 'container.stats' ? { streamId: `stats-${++streams}` } : {};
    },
  };
  const notify = (method: string, message: unknown) => handlers.get(method)?.forEach((handler) => handler(message as never));
  const state = new RuntimeState();
  state.setDaemon({ kind: 'connected', connection: connection as never });
  state.setEngines([engine]);
  state.resync({ engine: 'local', kind: 'container', items: [container('run1', 'running'), container('stop1', 'exited')] });
  const stats = new ContainerStats(state, () => undefined);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const opened = () => requests.filter((entry) => entry.method === 'container.stats').map((entry) => entry.params.id);
  const closed = () => requests.filter((entry) => entry.method === 'stream.close').map((entry) => entry.params.streamId);
  return { state, stats, notify, settle, opened, closed };
}

describe('live CPU and memory of running containers', () => {
  it('opens no stats stream while the Containers view is hidden', async () => {
    const { state, stats, settle, opened } = setUp();
    await settle();
    state.apply({ engine: 'local', kind: 'container', id: 'run2', action: 'updated', item: container('run2', 'running') });
    await settle();
    assert.deepEqual(opened(), []);
    stats.dispose();
  });

  it('streams each running container while the view is visible, and closes the streams when it is hidden', async () => {
    const { stats, notify, settle, opened, closed } = setUp();
    stats.setVisible(true);
    await settle();
    assert.deepEqual(opened(), ['run1'], 'running containers only');
    notify('stream.data', { streamId: 'stats-1', channel: 'stats', data: sample });
    assert.equal(stats.sample('local', 'run1')?.cpuPercent, 12.5);

    stats.setVisible(false);
    await settle();
    assert.deepEqual(closed(), ['stats-1']);
    assert.equal(stats.sample('local', 'run1'), undefined, 'no stale figure is drawn once hidden');
    stats.dispose();
  });

  it('follows containers starting and stopping while visible', async () => {
    const { state, stats, settle, opened, closed } = setUp();
    stats.setVisible(true);
    await settle();
    state.apply({ engine: 'local', kind: 'container', id: 'stop1', action: 'updated', item: container('stop1', 'running') });
    await settle();
    assert.deepEqual(opened(), ['run1', 'stop1']);
    state.apply({ engine: 'local', kind: 'container', id: 'run1', action: 'updated', item: container('run1', 'exited') });
    await settle();
    assert.deepEqual(closed(), ['stats-1']);
    stats.dispose();
  });

  /** A view on run1 and run2, visible, and a way to send both a sample and wait for the redraw it causes. */
  async function viewWithFigures() {
    const { state, stats, notify, settle } = setUp();
    stats.dispose();
    state.resync({ engine: 'local', kind: 'container', items: [container('run1', 'running'), container('run2', 'running')] });
    const view = new ContainersView(state);
    const redrawn: string[][] = [];
    // As VS Code does: each row named is drawn again.
    view.onDidChangeTreeData((rows) => {
      if (!Array.isArray(rows)) return;
      redrawn.push(rows.map((row) => (row.kind === 'container' ? row.container.id : row.kind)));
      for (const row of rows) view.getTreeItem(row);
    });
    const rows = view.getChildren();
    for (const row of rows) view.getTreeItem(row);
    view.stats.setVisible(true);
    await settle();
    /** The rows redrawn by the figures `data` (sent for both containers), sorted by id. */
    const figures = async (data: StatsSample = sample) => {
      redrawn.length = 0;
      for (const streamId of ['stats-1', 'stats-2']) notify('stream.data', { streamId, channel: 'stats', data });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      return redrawn.flat().sort();
    };
    const row = (id: string) => rows.find((candidate) => candidate.kind === 'container' && candidate.container.id === id)!;
    const description = (id: string) => (view.getTreeItem(row(id)) as { description?: string }).description;
    return { view, figures, row, description };
  }

  it('redraws the rows of running containers with new figures, except a row open on its Files (VS Code would forget the file rows under it meanwhile)', { timeout: 10_000 }, async () => {
    const { view, figures, row } = await viewWithFigures();
    assert.deepEqual(await figures(), ['run1', 'run2']);
    view.expanded(row('run1'));
    assert.deepEqual(await figures(), ['run1', 'run2'], 'run1 was drawn with figures before it opened: drawn once more, without them');
    assert.deepEqual(await figures(), ['run2'], 'run1 is open on its Files: left as drawn');
    assert.deepEqual(await figures(), ['run2']);
    view.collapsed(row('run1'));
    assert.deepEqual(await figures(), ['run1', 'run2'], 'collapsed again, it shows new figures again');
    view.dispose();
  });

  it('shows no figures on a row open on its Files, but points to its tooltip; a collapsed row keeps them', { timeout: 10_000 }, async () => {
    const { view, figures, row, description } = await viewWithFigures();
    await figures();
    assert.equal(description('run1'), 'running · 12.5% CPU · 5.0 MB mem');
    view.expanded(row('run1'));
    await figures({ ...sample, cpuPercent: 40 });
    assert.equal(description('run1'), 'running · CPU, mem on hover', 'no figure that would look live while it stays as drawn');
    assert.equal(description('run2'), 'running · 40.0% CPU · 5.0 MB mem');
    view.collapsed(row('run1'));
    assert.equal(description('run1'), 'running · 40.0% CPU · 5.0 MB mem');
    view.dispose();
  });

  it('hovering a running row, open or not, shows the figures read last and when they were read, though the open row was not redrawn since', { timeout: 10_000 }, async () => {
    const { view, figures, row } = await viewWithFigures();
    const tooltip = (id: string) => {
      const item = view.resolveTreeItem(view.getTreeItem(row(id)), row(id));
      return (item.tooltip as { value: string } | undefined)?.value ?? '';
    };
    await figures();
    view.expanded(row('run1'));
    await figures();
    const drawnOpen = view.getTreeItem(row('run1'));
    const later = { ...sample, time: '2026-01-01T00:00:07Z', cpuPercent: 40, memoryUsage: 9_000_000 };
    assert.deepEqual(await figures(later), ['run2'], 'the open row is still not redrawn');
    const readAt = new Date(later.time).toLocaleTimeString();
    const hovered = (view.resolveTreeItem(drawnOpen, row('run1')).tooltip as { value: string }).value;
    assert.ok(hovered.includes(`Usage at ${readAt}: 40.0% CPU · 9.0 MB mem`), hovered);
    assert.ok(hovered.includes('Image: `busybox`'), 'with the container’s details');
    assert.ok(tooltip('run2').includes(`Usage at ${readAt}: 40.0% CPU · 9.0 MB mem`), 'a collapsed row too');
    view.stats.setVisible(false);
    assert.doesNotMatch(tooltip('run1'), /Usage/, 'no figures once the view stopped reading them');
    view.dispose();
  });
});
