import * as vscode from 'vscode';
import type { RuntimeState } from '../runtime/runtimeState';

/**
 * The commands whose code loads on first use: `commandImplementations.ts`
 * registers each of them, and is a bundle of its own (`out/client/commands.js`,
 * scripts/build.mjs), so that activation neither reads nor compiles it.
 * test/unit/client-lazy-commands.test.ts keeps this list equal to what that
 * module registers.
 */
export const LAZY_COMMANDS: readonly string[] = [
  'berth.container.start',
  'berth.container.stop',
  'berth.container.restart',
  'berth.container.pause',
  'berth.container.unpause',
  'berth.container.kill',
  'berth.container.remove',
  'berth.container.attachShell',
  'berth.container.logs',
  'berth.container.rename',
  'berth.container.inspect',
  'berth.container.copyId',
  'berth.container.copyName',
  'berth.container.copyIp',
  'berth.container.openPort',
  'berth.container.diff',
  'berth.container.commit',
  'berth.container.attach',
  'berth.container.top',
  'berth.container.showStats',
  'berth.image.remove',
  'berth.image.tag',
  'berth.image.inspect',
  'berth.image.history',
  'berth.image.run',
  'berth.image.runInteractive',
  'berth.image.pull',
  'berth.image.push',
  'berth.image.save',
  'berth.image.load',
  'berth.volume.remove',
  'berth.volume.inspect',
  'berth.volume.create',
  'berth.network.remove',
  'berth.network.inspect',
  'berth.network.connect',
  'berth.network.disconnect',
  'berth.network.create',
  'berth.prune',
  'berth.dockerfile.buildAndRun',
  'berth.dockerfile.build',
  'berth.compose.up',
  'berth.compose.down',
  'berth.compose.restart',
  'berth.compose.logs',
  'berth.engines.switch',
  'berth.engines.add',
  'berth.engines.remove',
  'berth.swarm.service.scale',
  'berth.swarm.service.updateImage',
  'berth.swarm.service.rollback',
  'berth.swarm.service.logs',
  'berth.swarm.service.remove',
  'berth.swarm.node.drain',
  'berth.swarm.node.activate',
  'berth.swarm.stack.deploy',
  'berth.swarm.stack.remove',
  'berth.swarm.secret.create',
  'berth.swarm.secret.remove',
  'berth.swarm.config.create',
  'berth.swarm.config.remove',
];

/**
 * Registers a placeholder for each lazy command. The first one run loads the
 * implementations, which take the placeholders' places (VS Code refuses a
 * second registration of an id, so the placeholders go first), and runs the
 * real command with the same arguments: tree rows and selections pass through
 * unchanged, as a command run inside the extension host is called directly.
 */
export function registerLazyCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  let placeholders: vscode.Disposable | undefined;
  const load = (): boolean => {
    if (!placeholders) return true;
    try {
      // Its own bundle (scripts/build.mjs): the command code is read and compiled here, not at activation.
      const { registerCommandImplementations } = require('./commandImplementations') as typeof import('./commandImplementations');
      placeholders.dispose();
      placeholders = undefined;
      registerCommandImplementations(context, state, log);
      return true;
    } catch (error) {
      log(`the Berth commands failed to load: ${(error as Error).stack ?? (error as Error).message}`);
      void vscode.window.showErrorMessage(`Berth: the commands failed to load: ${(error as Error).message}`);
      return false;
    }
  };
  placeholders = vscode.Disposable.from(
    ...LAZY_COMMANDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => (load() ? vscode.commands.executeCommand(id, ...args) : undefined))),
  );
  context.subscriptions.push({ dispose: () => placeholders?.dispose() });
}
