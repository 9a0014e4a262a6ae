import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import { RuntimeErrorCode } from '../../../runtime/src/protocol/types';
import { connectionOf, followStream, type StreamOutcome } from '../runtime/daemonCalls';
import type { RuntimeState } from '../runtime/runtimeState';
import { buildErrorCode, failingLineFromLog } from '../run/buildFailure';
import { imageTagFor } from '../run/imageTag';
import { browserUrl, describePorts, exposedPorts, portRequests, reachablePorts } from '../run/ports';
import { openLogsTerminal, openShellTerminal } from '../terminals/containerTerminals';

/** The label a run puts on its container, so the next run of the same Dockerfile replaces it. */
export const DOCKERFILE_LABEL = 'berth.dockerfile';

/** Labels from `berth.labels`, put on everything Berth builds and runs. */
export function extraLabels(): Record<string, string> {
  const configured = vscode.workspace.getConfiguration('berth').get<Record<string, unknown>>('labels', {}) ?? {};
  return Object.fromEntries(Object.entries(configured).map(([key, value]) => [key, String(value)]));
}

/**
 * "Build & Run" on a Dockerfile (CodeLens on its first line, from
 * codeLenses.ts; editor title button; palette): build with live progress,
 * tag, replace the container the previous run of this Dockerfile made, run
 * with every EXPOSEd port on a free host port (the engine's pick on a remote
 * engine), open a shell (or the logs), offer the first port in a browser. A
 * failed build puts a diagnostic on the failing instruction.
 */
export function registerBuildAndRun(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('berth-build');
  let channel: vscode.OutputChannel | undefined;
  const buildLog = () => (channel ??= vscode.window.createOutputChannel('Berth Build'));
  const running = new Set<string>();

  const dockerfileOf = (uri: unknown): vscode.Uri | undefined => {
    if (uri instanceof vscode.Uri) return uri;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'dockerfile') return editor.document.uri;
    void vscode.window.showInformationMessage('Berth: open a Dockerfile first (or use the command on one in the Explorer).');
    return undefined;
  };

  async function buildAndRun(uri: vscode.Uri, run: boolean): Promise<void> {
    if (uri.scheme !== 'file') throw new Error('only Dockerfiles on this machine can be built');
    const path = uri.fsPath;
    if (running.has(path)) {
      void vscode.window.showInformationMessage(`Berth: ${basename(path)} is already being built.`);
      return;
    }
    running.add(path);
    try {
      const connection = connectionOf(state);
      const engine = state.activeEngine?.id;
      const document = await vscode.workspace.openTextDocument(uri);
      if (document.isDirty) await document.save();
      const folder = dirname(path);
      const tag = imageTagFor(vscode.workspace.getConfiguration('berth', uri).get<string>('build.tag', '${folder}:dev'), basename(folder));
      const labels = extraLabels();

      diagnostics.delete(uri);
      const output = buildLog();
      output.clear();
      output.appendLine(`Building ${tag} from ${path}`);
      let text = '';
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Building ${tag}`, cancellable: true },
        (progress, token) =>
          followStream(
            connection,
            () => connection.request('image.build', { engine, context: folder, dockerfile: basename(path), tags: [tag], labels }),
            (chunk) => {
              output.append(chunk);
              text += chunk;
              const step = [...chunk.matchAll(/^Step \d+\/\d+ : .*$/gm)].at(-1)?.[0];
              if (step) progress.report({ message: step.length > 90 ? `${step.slice(0, 89)}…` : step });
            },
            token,
          ),
      );
      if (outcome.reason !== 'completed') {
        reportFailure(uri, document, outcome, text, tag);
        return;
      }
      output.appendLine(`Built ${tag}${outcome.imageId ? ` (${outcome.imageId.replace(/^sha256:/, '').slice(0, 12)})` : ''}`);
      if (!run) {
        void vscode.window.showInformationMessage(`Berth: built ${tag}.`);
        return;
      }
      await runImage(connection, engine, path, tag, labels, output);
    } finally {
      running.delete(path);
    }
  }

  function reportFailure(uri: vscode.Uri, document: vscode.TextDocument, outcome: StreamOutcome, text: string, tag: string): void {
    const error = outcome.error ?? outcome.message ?? (outcome.reason === 'closed' ? 'cancelled' : `the build ended: ${outcome.reason}`);
    buildLog().appendLine(`\nBuild failed: ${error}`);
    if (outcome.reason === 'closed') return;
    const line = outcome.line !== undefined ? outcome.line - 1 : failingLineFromLog(text, document.getText());
    if (line !== undefined && line >= 0 && line < document.lineCount) {
      const range = document.lineAt(line).range;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(range.start.line, document.lineAt(line).firstNonWhitespaceCharacterIndex, range.end.line, range.end.character), `Build failed: ${error}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'berth build';
      diagnostic.code = buildErrorCode(error);
      diagnostics.set(uri, [diagnostic]);
    }
    // Not awaited: the next build may start while the message is shown.
    void vscode.window.showErrorMessage(`Berth: building ${tag} failed: ${error}`, ...(line !== undefined ? ['Go to Instruction'] : []), 'Show Build Log').then((answer) => {
      if (answer === 'Show Build Log') buildLog().show(true);
      if (answer === 'Go to Instruction' && line !== undefined) void vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0) });
    });
  }

  async function runImage(connection: RuntimeConnection, engine: string | undefined, path: string, tag: string, labels: Record<string, string>, output: vscode.OutputChannel): Promise<void> {
    const endpoint = state.engines.find((candidate) => candidate.id === engine)?.endpoint;
    const inspect = await connection.request('image.inspect', { engine, id: tag });
    const ports = await portRequests(exposedPorts(inspect), endpoint);
    // The container the previous run of this Dockerfile made (and only that) gives way to the new one.
    const previous = (await connection.request('containers.list', { engine, all: true })).filter((container) => container.labels[DOCKERFILE_LABEL] === path);
    for (const container of previous) {
      output.appendLine(`Removing ${container.name}, the container of the previous run`);
      await connection.request('container.remove', { engine, id: container.id, force: true });
    }
    const created = await connection.request('container.create', {
      engine,
      image: tag,
      ports,
      labels: { ...labels, [DOCKERFILE_LABEL]: path },
      start: true,
    });
    for (const warning of created.warnings) output.appendLine(`Warning: ${warning}`);
    const details = (await connection.request('container.inspect', { engine, id: created.id })) as { Name?: string };
    const name = (details.Name ?? created.id.slice(0, 12)).replace(/^\//, '');
    // What the engine bound: it picks the host ports on a remote engine.
    const published = ports.length ? reachablePorts(await connection.request('container.ports', { engine, id: created.id }), endpoint) : [];
    output.appendLine(`Started ${name}${published.length ? `: ${describePorts(published)}` : ''}`);
    log(`build & run: ${tag} started as ${name}`);

    const target = { connection, engine, id: created.id, name, log };
    if (await hasShell(connection, engine, created.id)) openShellTerminal(target);
    else openLogsTerminal(target);

    const url = browserUrl(published);
    const first = published.find((port) => port.url === url);
    // Not awaited: the flow is over, and another run may start while the offer is shown.
    if (url && first)
      void vscode.window.showInformationMessage(`Berth: ${name} is running; port ${first.container} is published on ${first.address}.`, 'Open in Browser').then((answer) => {
        if (answer) void vscode.env.openExternal(vscode.Uri.parse(url));
      });
  }

  context.subscriptions.push(
    diagnostics,
    { dispose: () => channel?.dispose() },
    // Editing the Dockerfile makes an old build failure stale.
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length && diagnostics.has(event.document.uri)) diagnostics.delete(event.document.uri);
    }),
    vscode.commands.registerCommand('berth.dockerfile.buildAndRun', (uri?: vscode.Uri) => {
      const target = dockerfileOf(uri);
      return target && buildAndRun(target, true).catch((error: Error) => showError(error, log));
    }),
    vscode.commands.registerCommand('berth.dockerfile.build', (uri?: vscode.Uri) => {
      const target = dockerfileOf(uri);
      return target && buildAndRun(target, false).catch((error: Error) => showError(error, log));
    }),
  );
}

/** Whether the container has /bin/sh to exec (asked through the file API; assumed when the daemon cannot say). */
async function hasShell(connection: RuntimeConnection, engine: string | undefined, id: string): Promise<boolean> {
  try {
    await connection.request('container.files.stat', { engine, id, path: '/bin/sh' });
    return true;
  } catch (error) {
    return (error as { code?: number }).code !== RuntimeErrorCode.FileNotFound;
  }
}

function showError(error: Error, log: (line: string) => void): void {
  log(`build & run failed: ${error.message}`);
  void vscode.window.showErrorMessage(`Berth: ${error.message}`);
}
