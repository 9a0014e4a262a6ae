import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../runtime/src/protocol/types';
import { feedKnownImages } from './knownImages';
import { RuntimeState } from './runtime/runtimeState';
import { ContainersView, type ContainersViewNode } from './views/containersView';
import { EnginesView } from './views/enginesView';
import { ImagesView, NetworksView, VolumesView } from './views/resourceViews';
import { registerCodeLenses } from './commands/codeLenses';
import { registerInspectDocuments } from './commands/inspectDocuments';
import { registerLazyCommands } from './commands/lazyCommands';
import { registerLogsDocument } from './commands/logsDocument';
import { ContainerFileSystem, registerContainerFiles } from './fileSystem/containerFileSystem';
import { keepTerminalSessions, restoreTerminalSessions } from './terminals/terminalSessions';
import { StatusBar } from './views/statusBar';
import { EngineRootsTree } from './views/engineRoots';
import { SwarmView } from './views/swarmView';
import { SWARM_KINDS } from '../../runtime/src/protocol/types';

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
  const containerFiles = new ContainerFileSystem(state);
  const containers = new ContainersView(state, containerFiles);
  const statusBar = new StatusBar(state);
  const images = new ImagesView(state);
  // With berth.engines.showAll and several engines, each engine is a root of these views.
  const [containersRoots, imagesRoots, volumesRoots, networksRoots] = [containers, images, new VolumesView(state), new NetworksView(state)].map(
    (view) => new EngineRootsTree<object>(state, view as vscode.TreeDataProvider<object>),
  ) as [EngineRootsTree<object>, EngineRootsTree<object>, EngineRootsTree<object>, EngineRootsTree<object>];
  const swarm = new SwarmView(state);
  const containersTree = vscode.window.createTreeView('berth.containers', { treeDataProvider: containersRoots, canSelectMany: true });
  const imagesTree = vscode.window.createTreeView('berth.images', { treeDataProvider: imagesRoots, canSelectMany: true });
  const volumesTree = vscode.window.createTreeView('berth.volumes', { treeDataProvider: volumesRoots });
  const networksTree = vscode.window.createTreeView('berth.networks', { treeDataProvider: networksRoots });
  containers.stats.setVisible(containersTree.visible);
  const trees = [
    containersTree,
    vscode.window.createTreeView('berth.engines', { treeDataProvider: new EnginesView(state) }),
    imagesTree,
    volumesTree,
    networksTree,
    vscode.window.createTreeView('berth.swarm', { treeDataProvider: swarm }),
  ];
  if (trees.some((tree) => tree.visible)) statusBar.show();
  context.subscriptions.push(
    containers,
    statusBar,
    swarm,
    containersRoots,
    imagesRoots,
    volumesRoots,
    networksRoots,
    containersRoots.attach(containersTree),
    imagesRoots.attach(imagesTree),
    volumesRoots.attach(volumesTree),
    networksRoots.attach(networksTree),
    containersTree.onDidChangeVisibility((event) => containers.stats.setVisible(event.visible)),
    containersTree.onDidExpandElement((event) => containers.expanded(event.element as ContainersViewNode)),
    containersTree.onDidCollapseElement((event) => containers.collapsed(event.element as ContainersViewNode)),
    registerFilter('berth.containers.filter', 'berth.containers.clearFilter', containersTree, containers, 'containers'),
    registerFilter('berth.images.filter', 'berth.images.clearFilter', imagesTree, images, 'images'),
    ...trees,
    ...trees.map((tree) => tree.onDidChangeVisibility((event) => event.visible && statusBar.show())),
    vscode.commands.registerCommand('berth.refresh', () => containers.refresh()),
    vscode.commands.registerCommand('berth.showLog', () => output.show()),
    vscode.commands.registerCommand('berth.openDaemonLog', () => vscode.window.showTextDocument(vscode.Uri.file(daemonLauncher().daemonLogPath()))),
    vscode.commands.registerCommand('berth.reconnect', () => startRuntime(context, state, log, true)),
  );

  // Most commands' code loads on first use (commands/lazyCommands.ts); what VS Code may
  // ask for before any command runs (CodeLenses, documents and files a reload restores) is here.
  registerLazyCommands(context, state, log);
  registerCodeLenses(context);
  registerInspectDocuments(context, state);
  registerLogsDocument(context, state, log);
  registerContainerFiles(
    context,
    state,
    containerFiles,
    async (engine, container) => {
      // A filter hiding the container would leave nothing to reveal.
      if (!containers.shows(container)) await vscode.commands.executeCommand('berth.containers.clearFilter');
      await containersTree.reveal(containers.filesRowOf(engine, container), { expand: true, select: true, focus: true });
    },
    log,
  );
  const terminalSessions = keepTerminalSessions(context.workspaceState);

  // Started once activate has returned: VS Code counts activate's own work as the extension's activation time.
  setImmediate(() => {
    // Its own bundle (scripts/build.mjs): vscode-languageclient is loaded here, not with extension.js.
    const { startLanguageClient } = require('./languageClient') as typeof import('./languageClient');
    const languageClient = startLanguageClient(context);
    languageClient.then(
      () => log('language server started'),
      (error: Error) => {
        log(`language server failed to start: ${error.message}`);
        void vscode.window.showErrorMessage(`Berth: the language server failed to start: ${error.message}`);
      },
    );
    feedKnownImages(state, languageClient, log);
    startRuntime(context, state, log);
    // Shells and attach sessions of this workspace's last window, taken back after a reload.
    restoreTerminalSessions(state, terminalSessions, log).catch((error: Error) => log(`terminal sessions not restored: ${error.message}`));
  });
}

/**
 * A filter for a view: the command asks for text, the view shows only what
 * matches and says so in its message, with a context key for the clear button.
 */
function registerFilter(
  command: string,
  clearCommand: string,
  tree: vscode.TreeView<unknown>,
  view: { filterText: string; setFilter(text: string): void },
  what: string,
): vscode.Disposable {
  const apply = (text: string) => {
    view.setFilter(text);
    tree.message = view.filterText ? `Showing ${what} matching "${view.filterText}"` : undefined;
    tree.description = view.filterText ? `filter: ${view.filterText}` : undefined;
    void vscode.commands.executeCommand('setContext', `${command}.active`, Boolean(view.filterText));
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(command, async () => {
      const text = await vscode.window.showInputBox({ prompt: `Show only ${what} containing this text (empty shows all)`, value: view.filterText });
      if (text !== undefined) apply(text);
    }),
    vscode.commands.registerCommand(clearCommand, () => apply('')),
  );
}

/** The daemon launcher and its WebSocket client: a bundle of its own (scripts/build.mjs), loaded after activation. */
function daemonLauncher(): typeof import('../../runtime/src/protocol/launcher') {
  return require('../../runtime/src/protocol/launcher') as typeof import('../../runtime/src/protocol/launcher');
}

/** The connection in use; a newer one replaces it, and events of an old one are ignored. */
let current: RuntimeConnection | undefined;

function startRuntime(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void, askedByUser = false): void {
  if (!askedByUser && !vscode.workspace.getConfiguration('berth').get<boolean>('runtime.autoStart', true)) {
    state.setDaemon({ kind: 'failed', reason: 'berth.runtime.autoStart is off' });
    return;
  }
  const previous = current;
  current = undefined;
  previous?.close();
  state.setDaemon({ kind: 'starting' });
  const discover = vscode.workspace.getConfiguration('berth').get<boolean>('engines.discover', true);
  daemonLauncher().connectToDaemon(context.asAbsolutePath('out/runtime/daemon.js'), log, { discover }).then(
    async (connection) => {
      current = connection;
      context.subscriptions.push({ dispose: () => connection.close() });
      connection.on('error', (error: Error) => log(`daemon connection: ${error.message}`));
      connection.once('close', () => {
        if (current !== connection) return;
        log('the connection to the Berth daemon closed');
        state.setDaemon({ kind: 'failed', reason: 'the connection to the daemon closed; run "Berth: Reconnect to the Daemon"' });
      });
      const showEngines = (engines: EngineInfo[]) => {
        for (const engine of engines) {
          const health = engine.health.state === 'unreachable' ? `unreachable: ${engine.health.reason}` : engine.health.state;
          log(`engine ${engine.endpoint} (from ${engine.source}): ${health}`);
        }
        state.setEngines(engines);
      };
      connection.onNotification('engines.changed', showEngines);
      connection.onNotification('state.resync', (message) => state.resync(message));
      connection.onNotification('state.changed', (change) => state.apply(change));
      state.setDaemon({ kind: 'connected', connection });
      // A health change pushed while the list was on its way is newer than the list.
      let pushed = false;
      connection.onNotification('engines.changed', () => (pushed = true));
      const engines = await connection.request('engines.list', {});
      if (!pushed) showEngines(engines);
      await connection.request('state.subscribe', { kinds: ['container', 'image', 'volume', 'network', ...SWARM_KINDS] });
    },
    (error: Error) => {
      log(`could not start or reach the Berth daemon: ${error.message}`);
      state.setDaemon({ kind: 'failed', reason: error.message });
    },
  );
}

export function deactivate(): void {
  // Subscriptions stop the language client and close the daemon connection; the
  // daemon itself stays up for other windows and exits when idle.
}
