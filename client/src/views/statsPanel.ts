import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { ContainerSummary, StatsSample, StreamData, StreamEnd } from '../../../runtime/src/protocol/types';
import { pickContainer } from '../commands/pickers';
import { connectionOf } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import type { ContainerNode } from './containersView';
import { keepRecent, statsPicture, type StatsPanelRequest, type StatsPanelUpdate } from './statsSeries';

/** The webview page's script, bundled by scripts/build.mjs from client/src/webview/stats.ts. */
const SCRIPT = ['out', 'client', 'statsWebview.js'];

/**
 * "Show Stats" on a running container: a webview panel per container with
 * small live charts of its last minute. Its daemon stats stream is open from
 * when the panel opens until it closes; when the container stops (the live
 * model says so, or its samples turn empty) or the stream ends, the panel
 * says why and stops, keeping the charts it had, and
 * Reconnect (or Show Stats again) opens a new stream.
 */
export function registerStatsPanel(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  const panels = new Map<string, StatsPanel>();
  context.subscriptions.push(
    vscode.commands.registerCommand('berth.container.showStats', async (node?: ContainerNode) => {
      try {
        const container = await pickContainer(state, node, (candidate) => candidate.state === 'running');
        const engine = engineOf(state, node);
        if (!container || !engine) return;
        const key = `${engine}/${container.id}`;
        const open = panels.get(key);
        if (open) return open.reveal();
        const panel = new StatsPanel(context.extensionUri, state, engine, container, log);
        panels.set(key, panel);
        panel.onDidDispose(() => panels.delete(key));
      } catch (error) {
        log(`berth.container.showStats failed: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Berth: ${(error as Error).message}`);
      }
    }),
    { dispose: () => [...panels.values()].forEach((panel) => panel.dispose()) },
  );
}

interface OpenStream {
  connection: RuntimeConnection;
  /** Undefined until the daemon answers; notifications that come first wait in `early`. */
  streamId?: string;
  early: (StreamData | StreamEnd)[];
  unsubscribe: (() => void)[];
}

class StatsPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private samples: StatsSample[] = [];
  private stream?: OpenStream;
  private status = { live: true, text: 'waiting for the first sample…' };
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;
  readonly onDidDispose: vscode.Event<void>;

  constructor(
    extensionUri: vscode.Uri,
    private readonly state: RuntimeState,
    private readonly engine: string,
    private readonly container: ContainerSummary,
    private readonly log: (line: string) => void,
  ) {
    this.panel = vscode.window.createWebviewPanel('berth.containerStats', `${container.name} (stats)`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, ...SCRIPT.slice(0, -1))],
    });
    this.panel.webview.html = page(this.panel.webview, vscode.Uri.joinPath(extensionUri, ...SCRIPT), container.name);
    this.onDidDispose = this.panel.onDidDispose;
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((message: StatsPanelRequest) => {
        if (message.kind === 'ready') this.post();
        else if (message.kind === 'reconnect') this.resume();
      }),
      // A page hidden and shown again is a new page: it says `ready` and gets everything.
      state.onDidChangeKind((kind) => kind === 'container' && this.watchContainer()),
      state.onDidChange(() => this.watchConnection()),
    );
    this.resume();
  }

  reveal(): void {
    this.panel.reveal();
    if (!this.stream) this.resume();
  }

  private current(): ContainerSummary | undefined {
    return this.state.items('container', this.engine).find((candidate) => candidate.id === this.container.id);
  }

  /** Opens a stats stream if the container runs; otherwise says it does not. */
  private resume(): void {
    if (this.stream) return;
    const container = this.current();
    if (!container || container.state !== 'running') return this.stop(container ? `${this.container.name} is not running (${container.status}).` : `${this.container.name} is gone.`);
    let connection: RuntimeConnection;
    try {
      connection = connectionOf(this.state);
    } catch (error) {
      return this.stop((error as Error).message);
    }
    const stream: OpenStream = { connection, early: [], unsubscribe: [] };
    this.stream = stream;
    this.setStatus(true, this.samples.length ? 'reconnected, waiting for a sample…' : 'waiting for the first sample…');
    const take = (message: StreamData | StreamEnd) => {
      if ('channel' in message && message.channel !== 'stats') return;
      if (stream.streamId === undefined) stream.early.push(message);
      else if (message.streamId === stream.streamId) this.receive(stream, message);
    };
    stream.unsubscribe.push(connection.onNotification('stream.data', take), connection.onNotification('stream.end', take));
    connection.request('container.stats', { engine: this.engine, id: this.container.id }).then(
      ({ streamId }) => {
        if (this.stream !== stream) return void connection.request('stream.close', { streamId }).catch(() => undefined);
        stream.streamId = streamId;
        for (const message of stream.early.splice(0)) if (message.streamId === streamId) this.receive(stream, message);
      },
      (error: Error) => {
        if (this.stream !== stream) return;
        this.log(`container.stats ${this.container.name}: ${error.message}`);
        this.stop(`could not read its stats: ${error.message}`);
      },
    );
  }

  private receive(stream: OpenStream, message: StreamData | StreamEnd): void {
    if (this.stream !== stream) return;
    if ('reason' in message) {
      this.stream = undefined; // ended by the daemon: nothing to close
      for (const stop of stream.unsubscribe) stop();
      // The daemon ends a stats stream cleanly when its container stops, often before the live model hears of it.
      return this.stop(message.reason === 'ended' ? `${this.container.name} stopped.` : endText(message));
    }
    if (message.channel !== 'stats') return;
    this.samples = keepRecent(this.samples, message.data);
    this.setStatus(true, 'live');
  }

  /** The live model may say the container stopped or went before the daemon ends its stats stream. */
  private watchContainer(): void {
    if (!this.stream) return;
    const container = this.current();
    if (!container) this.stop(`${this.container.name} was removed.`);
    else if (container.state !== 'running') this.stop(`${this.container.name} stopped (${container.status}).`);
  }

  private watchConnection(): void {
    const daemon = this.state.daemonState;
    if (this.stream && (daemon.kind !== 'connected' || daemon.connection !== this.stream.connection)) this.stop('the connection to the Berth daemon closed.');
  }

  /** Closes the stream (if open) and keeps the charts as they were, saying why they stopped. */
  private stop(reason: string): void {
    this.closeStream();
    this.setStatus(false, `Stopped: ${reason}`);
  }

  private closeStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return;
    for (const stop of stream.unsubscribe) stop();
    if (stream.streamId !== undefined) stream.connection.request('stream.close', { streamId: stream.streamId }).catch(() => undefined);
  }

  private setStatus(live: boolean, text: string): void {
    this.status = { live, text };
    this.post();
  }

  /** Sends the whole picture; a hidden page gets it when it is shown again (it says `ready`). */
  private post(): void {
    if (this.disposed || !this.panel.visible) return;
    const update: StatsPanelUpdate = { kind: 'update', container: this.container.name, picture: statsPicture(this.samples), status: this.status };
    void this.panel.webview.postMessage(update);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closeStream();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}

function endText(end: StreamEnd): string {
  const detail = end.message ? `: ${end.message}` : '';
  switch (end.reason) {
    case 'engine unreachable':
      return `the engine is unreachable${detail}.`;
    case 'daemon stopping':
      return 'the Berth daemon is stopping.';
    default:
      return `the stats stream ended (${end.reason}${detail}).`;
  }
}

/** The page: a strict Content-Security-Policy (nothing remote, only our nonce's script and style). */
function page(webview: vscode.Webview, script: vscode.Uri, container: string): string {
  const nonce = randomBytes(18).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(container)} (stats)</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
  header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
  h1 { font-size: 1.4em; font-weight: 600; margin: 12px 0 4px; }
  #status { color: var(--vscode-descriptionForeground); }
  #status.stopped { color: var(--vscode-errorForeground); }
  #updated { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; cursor: pointer; font: inherit; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  #charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; margin-top: 12px; }
  .chart { border: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.35)); border-radius: 4px; padding: 8px 10px; }
  .chart h2 { font-size: 0.85em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; margin: 0; color: var(--vscode-descriptionForeground); }
  .figure { font-size: 1.5em; font-variant-numeric: tabular-nums; margin: 2px 0; }
  .detail, .legend { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
  svg { display: block; width: 100%; height: 80px; margin: 6px 0 2px; background: var(--vscode-editorWidget-background, transparent); }
  .line { fill: none; stroke-width: 1.5; stroke-linejoin: round; }
  .line-0 { stroke: var(--vscode-charts-blue, #3794ff); }
  .line-1 { stroke: var(--vscode-charts-orange, #d18616); }
  .legend { display: flex; gap: 10px; }
  .scale { margin-right: auto; }
  .key::before { content: ''; display: inline-block; width: 10px; height: 2px; margin: 0 4px 3px 0; vertical-align: middle; }
  .key-0::before { background: var(--vscode-charts-blue, #3794ff); }
  .key-1::before { background: var(--vscode-charts-orange, #d18616); }
</style>
</head>
<body>
<header><h1 id="container">${escapeHtml(container)}</h1><span id="status"></span><button id="reconnect" hidden>Reconnect</button><span id="updated"></span></header>
<main id="charts"></main>
<script nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
