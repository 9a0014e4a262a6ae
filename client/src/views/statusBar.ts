import * as vscode from 'vscode';
import type { RuntimeState } from '../runtime/runtimeState';
import { engineProductText } from '../engines/engineChoice';

const DOCKER_FILES = '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*,compose.yml,compose.yaml,compose.*.yml,compose.*.yaml,docker-compose*.yml,docker-compose*.yaml}';

/**
 * The status bar item: the active engine and how many containers run on it;
 * a click offers the common actions. Shown once the workspace is known to hold
 * Docker files or the Berth side bar has been opened, so a window that only
 * happened to activate the extension stays uncluttered.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('berth.status', vscode.StatusBarAlignment.Left, 10);
  private wanted = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly state: RuntimeState) {
    this.item.name = 'Berth';
    this.item.command = 'berth.statusBar.actions';
    this.subscriptions.push(
      state.onDidChange(() => this.render()),
      state.onDidChangeKind((kind) => {
        if (kind === 'container') this.render();
      }),
      vscode.commands.registerCommand('berth.statusBar.actions', () => this.showActions()),
    );
    // Looked up after activation, off its path; one match is enough. Only local
    // folders are searched: a container's folder (berth-container:) has no search.
    setTimeout(() => {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        vscode.workspace.findFiles(new vscode.RelativePattern(folder, DOCKER_FILES), '**/node_modules/**', 1).then(
          (found) => {
            if (found.length) this.show();
          },
          () => undefined,
        );
      }
    }, 0);
  }

  /** The side bar was opened: show the item from now on. */
  show(): void {
    this.wanted = true;
    this.render();
  }

  private render(): void {
    if (!this.wanted) return;
    const engine = this.state.activeEngine;
    const daemon = this.state.daemonState;
    if (daemon.kind === 'failed') {
      this.item.text = '$(vm-outline) Berth: daemon stopped';
      this.item.tooltip = `The Berth daemon is not running: ${daemon.reason}`;
    } else if (!engine) {
      const unreachable = this.state.engines.find((candidate) => candidate.health.state === 'unreachable');
      this.item.text = unreachable ? '$(vm-outline) no engine' : '$(sync~spin) Berth';
      this.item.tooltip = unreachable && unreachable.health.state === 'unreachable' ? `${unreachable.endpoint}: ${unreachable.health.reason}` : 'Connecting to the container engine…';
    } else {
      const running = this.state.items('container').filter((container) => container.state === 'running').length;
      const version = engineProductText(engine) ?? engine.endpoint;
      // With several engines the text names the active one: the count is of its containers.
      this.item.text = `$(vm-running) ${running}${this.state.engines.length > 1 ? ` · ${engine.id}` : ''}`;
      this.item.tooltip = `${version} at ${engine.endpoint}: ${running} container${running === 1 ? '' : 's'} running. Click for Berth actions.`;
      this.item.accessibilityInformation = { label: `Berth: ${running} container${running === 1 ? '' : 's'} running on ${version}` };
    }
    this.item.show();
  }

  private async showActions(): Promise<void> {
    const editor = vscode.window.activeTextEditor?.document;
    const actions: (vscode.QuickPickItem & { command: string; args?: unknown[] })[] = [
      ...(editor?.languageId === 'dockerfile' ? [{ label: '$(play) Build & Run this Dockerfile', command: 'berth.dockerfile.buildAndRun', args: [editor.uri] }] : []),
      ...(editor?.languageId === 'dockercompose' ? [{ label: '$(run-all) Compose Up this file', command: 'berth.compose.up', args: [editor.uri] }] : []),
      { label: '$(list-tree) Show Containers', command: 'berth.containers.focus' },
      { label: '$(terminal) Attach Shell…', command: 'berth.container.attachShell' },
      { label: '$(output) View Logs…', command: 'berth.container.logs' },
      { label: '$(run-all) Compose Up…', command: 'berth.compose.up' },
      { label: '$(clear-all) Prune Unused Objects…', command: 'berth.prune' },
      { label: '$(server-environment) Show Engines', command: 'berth.engines.focus' },
      { label: '$(output) Show Berth Log', command: 'berth.showLog' },
    ];
    const picked = await vscode.window.showQuickPick(actions, { placeHolder: 'Berth' });
    if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
