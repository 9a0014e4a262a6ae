import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StatsSample } from '../../../runtime/src/protocol/types';
import type { RuntimeState } from '../runtime/runtimeState';

/**
 * Live CPU and memory of the running containers, for the Containers view's
 * descriptions: one daemon stats stream per running container, open only
 * while the view is visible, closed when it is hidden or collapsed, when a
 * container stops, or when the daemon connection changes. Redraws are
 * batched to at most one a second.
 */
export class ContainerStats implements vscode.Disposable {
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
    );
  }

  sample(id: string): StatsSample | undefined {
    return this.latest.get(id);
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
    const engine = this.state.activeEngine?.id;
    const wanted = new Set(this.visible && connection && engine ? this.state.items('container').filter((c) => c.state === 'running').map((c) => c.id) : []);
    for (const [id, streamId] of this.streams) {
      if (wanted.has(id)) continue;
      this.streams.delete(id);
      this.latest.delete(id);
      if (streamId !== 'opening') this.connection?.request('stream.close', { streamId }).catch(() => undefined);
    }
    if (!connection || wanted.size === 0) return;
    if (!this.connection) this.attach(connection);
    for (const id of wanted) {
      if (this.streams.has(id)) continue;
      this.streams.set(id, 'opening');
      connection.request('container.stats', { engine, id }).then(
        ({ streamId }) => {
          if (this.streams.get(id) === 'opening' && this.connection === connection) this.streams.set(id, streamId);
          else connection.request('stream.close', { streamId }).catch(() => undefined);
        },
        () => this.streams.delete(id),
      );
    }
  }

  private attach(connection: RuntimeConnection): void {
    this.connection = connection;
    const owner = (streamId: string) => [...this.streams].find(([, candidate]) => candidate === streamId)?.[0];
    this.unsubscribe.push(
      connection.onNotification('stream.data', (message) => {
        if (message.channel !== 'stats') return;
        const id = owner(message.streamId);
        if (!id) return;
        this.latest.set(id, message.data);
        this.scheduleRedraw();
      }),
      connection.onNotification('stream.end', (end) => {
        const id = owner(end.streamId);
        if (!id) return;
        this.streams.delete(id);
        this.latest.delete(id);
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
