// Most commands load their code on first use (client/src/commands/lazyCommands.ts):
// a placeholder per command at activation, the implementations on the first run.
// VS Code refuses a second registration of a command id, so a placeholder left
// behind, or an id registered twice, would break every command at once; an id
// missing from the list would be a menu item that does nothing.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../runtime/src/protocol/types';
import { manifest } from '../support/paths';
import { fakeExtensionContext, installVscodeShim, newShimRecord, type ShimRecord } from '../support/vscodeShim';

const record: ShimRecord = newShimRecord();
installVscodeShim(record);
// As in VS Code: registering an id that is already registered throws.
const vscodeCommands = (require('vscode') as { commands: { registerCommand(id: string, run: (...args: unknown[]) => unknown): { dispose(): void } } }).commands;
const registerLoosely = vscodeCommands.registerCommand;
vscodeCommands.registerCommand = (id, run) => {
  if (record.commands.has(id)) throw new Error(`command '${id}' already exists`);
  return registerLoosely(id, run);
};

const { LAZY_COMMANDS, registerLazyCommands } = require('../../client/src/commands/lazyCommands') as typeof import('../../client/src/commands/lazyCommands');
const { registerCommandImplementations } = require('../../client/src/commands/commandImplementations') as typeof import('../../client/src/commands/commandImplementations');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');

/** A daemon connection that records the requests it is sent. */
function recordingConnection(requests: { method: string; params: unknown }[]): unknown {
  return {
    request: async (method: string, params: unknown) => {
      requests.push({ method, params });
      return undefined;
    },
    on: () => undefined,
    once: () => undefined,
    onNotification: () => () => undefined,
    close: () => undefined,
  };
}

function container(id: string, name: string, state: string): ContainerSummary {
  return { id, name, state, status: state, image: 'berth-test/busybox:latest', labels: {}, ports: [], created: 0 } as unknown as ContainerSummary;
}

describe('commands loaded on first use', () => {
  before(() => record.commands.clear());

  it('the placeholders are exactly the commands the implementations register', () => {
    const context = fakeExtensionContext('/nowhere');
    registerCommandImplementations(context as never, new RuntimeState(), () => undefined);
    const registered = [...record.commands.keys()].sort();
    for (const subscription of context.subscriptions) subscription.dispose();
    record.commands.clear();
    assert.deepEqual(registered, [...LAZY_COMMANDS].sort());
    assert.equal(new Set(LAZY_COMMANDS).size, LAZY_COMMANDS.length, 'no id is listed twice');
  });

  it('every contributed command is registered at activation, with no id registered twice', () => {
    const context = fakeExtensionContext('/nowhere');
    const { activate } = require('../../client/src/extension') as typeof import('../../client/src/extension');
    // Activation starts the language server and the daemon in a setImmediate: not here.
    const realSetImmediate = globalThis.setImmediate;
    globalThis.setImmediate = (() => undefined) as unknown as typeof setImmediate;
    try {
      activate(context as never);
    } finally {
      globalThis.setImmediate = realSetImmediate;
    }
    try {
      const contributed = (manifest as unknown as { contributes: { commands: { command: string }[] } }).contributes.commands.map((entry) => entry.command);
      assert.deepEqual(
        contributed.filter((id) => !record.commands.has(id)),
        [],
      );
      // The first command run swaps every placeholder for its implementation without a clash.
      const before = [...record.commands.keys()].sort();
      assert.doesNotThrow(() => record.commands.get('berth.container.copyId')!());
      assert.deepEqual([...record.commands.keys()].sort(), before);
    } finally {
      for (const subscription of context.subscriptions) subscription.dispose();
      record.commands.clear();
    }
  });

  it('runs the command the user chose, on the row it was run on, the first time and after', async () => {
    const context = fakeExtensionContext('/nowhere');
    const state = new RuntimeState();
    const requests: { method: string; params: unknown }[] = [];
    state.setDaemon({ kind: 'connected', connection: recordingConnection(requests) } as never);
    registerLazyCommands(context as never, state, () => undefined);
    try {
      const stopped = { kind: 'container', container: container('c1', 'web', 'exited'), engine: 'second' };
      await record.commands.get('berth.container.start')!(stopped);
      const running = { kind: 'container', container: container('c2', 'db', 'running'), engine: 'first' };
      await record.commands.get('berth.container.stop')!(running);
      assert.deepEqual(requests, [
        { method: 'container.start', params: { engine: 'second', id: 'c1' } },
        { method: 'container.stop', params: { engine: 'first', id: 'c2' } },
      ]);
    } finally {
      for (const subscription of context.subscriptions) subscription.dispose();
      record.commands.clear();
    }
  });
});
