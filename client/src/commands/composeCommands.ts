import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StreamInfo } from '../../../runtime/src/protocol/types';
import { PROJECT_LABEL, composeFilesOf, projectNameOf } from '../compose/composeProject';
import { connectionOf, followStream } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { StreamTerminal } from '../terminals/streamTerminal';
import type { ContainerNode } from '../views/containersView';

/** A compose project to act on: its file, its name when known from running containers, and the engine it runs on. */
interface Target {
  file: string;
  project: string;
  engine: string | undefined;
}

/**
 * Compose up, down, restart and logs through the daemon (which runs the
 * user's compose tool): from a CodeLens on the file and on each service
 * (codeLenses.ts), the Explorer and editor menus, and a project node in the
 * Containers view.
 * Output streams into the "Berth Compose" channel; logs follow in a terminal.
 * Down keeps volumes unless the user chooses to remove them, and then names them.
 */
export function registerComposeCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  let channel: vscode.OutputChannel | undefined;
  const output = () => (channel ??= vscode.window.createOutputChannel('Berth Compose'));

  /** The project of a file: the name its running containers carry, else the one compose would give it. */
  const targetOfFile = async (uri: vscode.Uri): Promise<Target> => {
    const file = uri.fsPath;
    const engine = engineOf(state, undefined);
    const running = state.items('container', engine).find((container) => composeFilesOf(container.labels).includes(file));
    if (running?.composeProject) return { file, project: running.composeProject, engine };
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    return { file, project: projectNameOf(file, text), engine };
  };

  const targetOf = async (argument: unknown): Promise<Target | undefined> => {
    const node = argument as ContainerNode | undefined;
    if (node && typeof node === 'object' && 'kind' in node && node.kind === 'project') {
      const file = node.containers.flatMap((container) => composeFilesOf(container.labels))[0];
      if (!file) {
        void vscode.window.showErrorMessage(`Berth: the containers of ${node.project} do not say which compose file started them.`);
        return undefined;
      }
      return { file, project: node.project, engine: engineOf(state, node) };
    }
    if (argument instanceof vscode.Uri) return targetOfFile(argument);
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'dockercompose') return targetOfFile(editor.document.uri);
    const local = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const found = await Promise.all(local.map((folder) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/{compose,docker-compose}*.{yml,yaml}'), '**/node_modules/**', 50)));
    const files = found.flat();
    if (files.length === 0) {
      void vscode.window.showInformationMessage('Berth: no compose file in this workspace.');
      return undefined;
    }
    const picked = files.length === 1 ? files[0] : (await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { placeHolder: 'Compose file' }))?.uri;
    return picked && targetOfFile(picked);
  };

  /** Params every compose method takes: the engine, the file, and the project name when compose would accept it. */
  const base = (target: Target) => ({
    engine: target.engine,
    file: target.file,
    // A name compose would not accept is left to the tool, which derives its own.
    ...(/^[a-z0-9][a-z0-9_-]*$/.test(target.project) ? { projectName: target.project } : {}),
  });

  /** Runs one compose method (`open`), streaming its output into the channel with a notification naming the latest line. */
  async function runCompose(title: string, file: string, open: (connection: RuntimeConnection) => Promise<StreamInfo>): Promise<void> {
    const connection = connectionOf(state);
    const channelNow = output();
    channelNow.appendLine(`\n▶ ${title} (${file})`);
    channelNow.show(true);
    log(`${title}: ${file}`);
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
      followStream(
        connection,
        () => open(connection),
        (text) => {
          channelNow.append(text);
          const last = text.trim().split('\n').at(-1)?.trim();
          if (last) progress.report({ message: last.length > 90 ? `${last.slice(0, 89)}…` : last });
        },
        token,
      ),
    );
    if (outcome.reason === 'completed' || (outcome.reason === 'ended' && !outcome.exitCode)) {
      channelNow.appendLine(`✔ ${title}: done`);
      return;
    }
    const why = outcome.error ?? outcome.message ?? (outcome.exitCode !== undefined ? `exit code ${outcome.exitCode}` : outcome.reason);
    channelNow.appendLine(`✘ ${title}: ${why}`);
    const answer = await vscode.window.showErrorMessage(`Berth: ${title} failed: ${why}`, 'Show Output');
    if (answer) channelNow.show();
  }

  const guard =
    <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
    (...args: A) =>
      action(...args).catch((error: Error) => {
        log(`compose: ${error.message}`);
        void vscode.window.showErrorMessage(`Berth: ${error.message}`);
      });

  const up = guard(async (argument?: unknown, services?: string[]) => {
    const target = await targetOf(argument);
    if (!target) return;
    const which = services?.length ? services.join(', ') : basename(target.file);
    await runCompose(`Compose up ${which}`, target.file, (connection) => connection.request('compose.up', { ...base(target), build: true, ...(services?.length ? { services } : {}) }));
  });

  const down = guard(async (argument?: unknown) => {
    const target = await targetOf(argument);
    if (!target) return;
    const containers = state.items('container', target.engine).filter((container) => container.composeProject === target.project);
    const volumes = state.items('volume', target.engine).filter((volume) => volume.labels[PROJECT_LABEL] === target.project);
    const removeVolumes = volumes.length ? `Down and Remove ${volumes.length} Volume${volumes.length === 1 ? '' : 's'}` : undefined;
    const answer = await vscode.window.showWarningMessage(
      `Take down compose project "${target.project}"?`,
      {
        modal: true,
        detail: `${containers.length ? `Its ${containers.length} container${containers.length === 1 ? ' is' : 's are'} stopped and removed (${containers.map((c) => c.name).join(', ')}), with what was written inside them. ` : ''}Its networks are removed. Volumes are kept unless you choose to remove them.`,
      },
      'Down',
      ...(removeVolumes ? [removeVolumes] : []),
    );
    if (!answer) return;
    let withVolumes = false;
    if (answer === removeVolumes) {
      const confirm = await vscode.window.showWarningMessage(
        `Delete the volumes of "${target.project}": ${volumes.map((volume) => volume.name).join(', ')}?`,
        { modal: true, detail: 'Everything stored in them is deleted for good.' },
        'Delete Volumes',
      );
      if (!confirm) return;
      withVolumes = true;
    }
    await runCompose(`Compose down ${target.project}`, target.file, (connection) => connection.request('compose.down', { ...base(target), volumes: withVolumes }));
  });

  const restart = guard(async (argument?: unknown, services?: string[]) => {
    const target = await targetOf(argument);
    if (target) await runCompose(`Compose restart ${target.project}`, target.file, (connection) => connection.request('compose.restart', { ...base(target), ...(services?.length ? { services } : {}) }));
  });

  const logs = guard(async (argument?: unknown) => {
    const target = await targetOf(argument);
    if (!target) return;
    const connection: RuntimeConnection = connectionOf(state);
    const terminal = vscode.window.createTerminal({
      name: `${target.project} (compose logs)`,
      iconPath: new vscode.ThemeIcon('output'),
      pty: new StreamTerminal({
        connection,
        interactive: false,
        log,
        open: () => connection.request('compose.logs', { ...base(target), follow: true }),
      }),
    });
    terminal.show();
  });

  context.subscriptions.push(
    { dispose: () => channel?.dispose() },
    vscode.commands.registerCommand('berth.compose.up', up),
    vscode.commands.registerCommand('berth.compose.down', down),
    vscode.commands.registerCommand('berth.compose.restart', restart),
    vscode.commands.registerCommand('berth.compose.logs', logs),
  );
}
