// The Berth status bar item (client/src/views/statusBar.ts), with the VS Code
// API shimmed: hidden until the workspace has Docker files or the side bar is
// opened, then the active engine and its running containers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, EngineInfo } from '../../runtime/src/protocol/types';
import { installVscodeShim } from '../support/vscodeShim';

installVscodeShim();
// Loaded after the shim, so their `import 'vscode'` gets it.
const vscode = require('vscode') as typeof import('vscode');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { StatusBar } = require('../../client/src/views/statusBar') as typeof import('../../client/src/views/statusBar');

const ready = (id: string): EngineInfo => ({ id, endpoint: `unix:///run/${id}.sock`, source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } });
const running = (id: string): ContainerSummary => ({ id, name: id, image: 'busybox', imageId: 'sha256:1', command: 'sh', state: 'running', status: 'Up', created: '2026-01-01T00:00:00Z', ports: [], labels: {}, mounts: [], networks: [] });

/** The item the StatusBar makes, as it stands. */
function setUp(engines: EngineInfo[]) {
  const item = { text: '', tooltip: '', shown: false, show() { this.shown = true; }, hide() { this.shown = false; }, dispose() {} };
  (vscode.window as unknown as Record<string, unknown>).createStatusBarItem = () => item;
  const state = new RuntimeState();
  state.setDaemon({ kind: 'connected', connection: {} as never });
  state.setEngines(engines);
  state.resync({ engine: engines[0]!.id, kind: 'container', items: [running('a'), running('b')] });
  const bar = new StatusBar(state);
  return { item, state, bar };
}

describe('the status bar item', () => {
  it('stays hidden until the side bar is opened (no Docker files in the workspace)', async () => {
    const { item, bar } = setUp([ready('local')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(item.shown, false);
    bar.show();
    assert.equal(item.shown, true);
    bar.dispose();
  });

  it('counts the running containers of the engine, and follows a change', () => {
    const { item, state, bar } = setUp([ready('local')]);
    bar.show();
    assert.equal(item.text, '$(vm-running) 2');
    assert.match(item.tooltip, /Docker 20\.10\.24 at unix:\/\/\/run\/local\.sock: 2 containers running/);
    state.apply({ engine: 'local', kind: 'container', id: 'c', action: 'added', item: running('c') });
    assert.equal(item.text, '$(vm-running) 3');
    bar.dispose();
  });

  it('names the active engine when there are several to tell apart', () => {
    const { item, state, bar } = setUp([ready('local'), ready('remote')]);
    bar.show();
    assert.equal(item.text, '$(vm-running) 2 · local');
    state.chooseEngine('remote');
    assert.equal(item.text, '$(vm-running) 0 · remote');
    bar.dispose();
  });
});
