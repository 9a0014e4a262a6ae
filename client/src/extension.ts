import * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';
import { connectToDaemon, daemonLogPath } from './runtime/daemonLauncher';
import { RuntimeState } from './runtime/runtimeState';
import { ContainersView } from './views/containersView';
import { EnginesView } from './views/enginesView';

/**
 * Activation registers everything synchronously and starts the language server
 * and the daemon in the background: nothing here waits for an engine.
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Berth', { log: true });
  context.subscriptions.push(output);
  const log = (line: string) => output.info(line);

  const state = new RuntimeState();
  context.subscriptions.push(state);
  const containers = new ContainersView(state, log);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('berth.containers', containers),
    vscode.window.registerTreeDataProvider('berth.engines', new EnginesView(state)),
    vscode.window.registerTreeDataProvider('berth.images', emptyView()),
    vscode.window.registerTreeDataProvider('berth.volumes', emptyView()),
    vscode.window.registerTreeDataProvider('berth.networks', emptyView()),
    vscode.commands.registerCommand('berth.refresh', () => containers.refresh()),
    vscode.commands.registerCommand('berth.showLog', () => output.show()),
    vscode.commands.registerCommand('berth.openDaemonLog', () => vscode.window.showTextDocument(vscode.Uri.file(daemonLogPath()))),
    vscode.commands.registerCommand('berth.reconnect', () => startRuntime(context, state, log)),
  );

  startLanguageClient(context).then(
    () => log('language server started'),
    (error: Error) => {
      log(`language server failed to start: ${error.message}`);
      void vscode.window.showErrorMessage(`Berth: the language server failed to start: ${error.message}`);
    },
  );
  startRuntime(context, state, log);
}

function startRuntime(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  if (!vscode.workspace.getConfiguration('berth').get<boolean>('runtime.autoStart', true)) {
    state.setDaemon({ kind: 'failed', reason: 'berth.runtime.autoStart is off' });
    return;
  }
  state.setDaemon({ kind: 'starting' });
  connectToDaemon(context.asAbsolutePath('out/runtime/daemon.js'), log).then(
    async (connection) => {
      context.subscriptions.push({ dispose: () => connection.close() });
      connection.on('error', (error: Error) => log(`daemon connection: ${error.message}`));
      connection.once('close', () => {
        log('the connection to the Berth daemon closed');
        state.setDaemon({ kind: 'failed', reason: 'the connection to the daemon closed; run "Berth: Reconnect to the Daemon"' });
      });
      connection.onNotification('engines.changed', (engines) => state.setEngines(engines));
      connection.onNotification('state.changed', () => state.setEngines([...state.engines]));
      state.setDaemon({ kind: 'connected', connection });
      state.setEngines(await connection.request('engines.list', {}));
    },
    (error: Error) => {
      log(`could not start or reach the Berth daemon: ${error.message}`);
      state.setDaemon({ kind: 'failed', reason: error.message });
    },
  );
}

function emptyView(): vscode.TreeDataProvider<never> {
  return { getChildren: () => [], getTreeItem: (node) => node };
}

export function deactivate(): void {
  // Subscriptions stop the language client and close the daemon connection; the
  // daemon itself stays up for other windows and exits when idle.
}
