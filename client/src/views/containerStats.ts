import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StatsSample } from '../../../runtime/src/protocol/types';
import { engineRoots } from '../engines/engineChoice';
import type { RuntimeState } from '../runtime/runtimeState';

/**
 * Live CPU and memory of the running containers, for the Containers view's
 * descriptions: one daemon stats stream per running container of each engine
 * the view shows (every ready engine while they are roots), open only
 * while the view is visible, closed when it is hidden or collapsed, when a
 * container stops, or when the daemon connection changes. Redraws are
 * batched to at most one a second.
 */
export class ContainerStats implements vscode.Disposable {
  /** By `engine/id`: the same id could name containers of two engines. */
  private readonly latest = new Map<string, StatsSample>();
  private readonly streams = new Map<string, string | 'opening'>();
  private connection?: RuntimeConnection;
  private unsubscribe: (() => void)[] = [];
  private visible = false;
  private redraw?: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly state: RuntimeState,
    private readonly onUpdate: () => void,
  ) {
    this.subscriptions.push(
      state.onDidChange(() => this.sync()),
      state.onDidChangeKind((kind) => kind === 'container' && this.sync()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('berth.engines.showAll') && this.sync()),
    );
  }

  sample(engine: string | undefined, id: string): StatsSample | undefined {
    return this.latest.get(`${engine}/${id}`);
  }

  /** The engines whose containers the view shows now. */
  private shownEngines(): string[] {
    const roots = engineRoots(this.state.engines, vscode.workspace.getConfiguration('berth').get<boolean>('engines.showAll', false));
    if (!roots) return this.state.activeEngine ? [this.state.activeEngine.id] : [];
    return roots.filter((engine) => engine.health.state === 'ready').map((engine) => engine.id);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.sync();
  }

  /** Streams for exactly the running containers while visible; none otherwise. */
  private sync(): void {
    const daemon = this.state.daemonState;
    const connection = daemon.kind === 'connected' ? daemon.connection : undefined;
    if (connection !== this.connection) this.detach();
    const wanted = new Map<string, { engine: string; id: string }>();
    if (this.visible && connection) {
      for (const engine of this.shownEngines()) {
        for (const container of this.state.items('container', engine)) if (container.state === 'running') wanted.set(`${engine}/${container.id}`, { engine, id: container.id });
      }
    }
    for (const [key, streamId] of this.streams) {
      if (wanted.has(key)) continue;
      this.streams.delete(key);
      this.latest.delete(key);
      if (streamId !== 'opening') this.connection?.request('stream.close', { streamId }).catch(() => undefined);
    }
    if (!connection || wanted.size === 0) return;
    if (!this.connection) this.attach(connection);
    for (const [key, { engine, id }] of wanted) {
      if (this.streams.has(key)) continue;
      this.streams.set(key, 'opening');
      connection.request('container.stats', { engine, id }).then(
        ({ streamId }) => {
          if (this.streams.get(key) === 'opening' && this.connection === connection) this.streams.set(key, streamId);
          else connection.request('stream.close', { streamId }).catch(() => undefined);
        },
        () => this.streams.delete(key),
      );
    }
  }

  private attach(connection: RuntimeConnection): void {
    this.connection = connection;
    const owner = (streamId: string) => [...this.streams].find(([, candidate]) => candidate === streamId)?.[0];
    this.unsubscribe.push(
      connection.onNotification('stream.data', (message) => {
        if (message.channel !== 'stats') return;
        const key = owner(message.streamId);
        if (!key) return;
        this.latest.set(key, message.data);
        this.scheduleRedraw();
      }),
      connection.onNotification('stream.end', (end) => {
        const key = owner(end.streamId);
        if (!key) return;
        this.streams.delete(key);
        this.latest.delete(key);
        this.scheduleRedraw();
      }),
    );
  }

  private detach(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const streamId of this.streams.values()) if (streamId !== 'opening') this.connection?.request('stream.close', { streamId }).catch(() => undefined);
    this.streams.clear();
    this.latest.clear();
    this.connection = undefined;
  }

  private scheduleRedraw(): void {
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      this.onUpdate();
    }, 1000);
  }

  dispose(): void {
    clearTimeout(this.redraw);
    this.visible = false;
    this.detach();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
