import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { EngineInfo, ResourceKind, ResourceOf, StateChange, StateResync } from '../../../runtime/src/protocol/types';

export type DaemonState = { kind: 'starting' } | { kind: 'connected'; connection: RuntimeConnection } | { kind: 'failed'; reason: string };

/**
 * What the client knows about the daemon, its engines and their objects: a
 * mirror kept current by the daemon's state.resync and state.changed
 * notifications. Views render from it and never ask the daemon to re-list.
 */
export class RuntimeState implements vscode.Disposable {
  private daemon: DaemonState = { kind: 'starting' };
  private engineList: EngineInfo[] = [];
  private readonly objects = new Map<string, Map<string, unknown>>();
  /** The engine the user picked (Engines view, "Switch Engine"); see activeEngine. */
  private chosenEngine: string | undefined;
  /** While a view draws one engine's subtree (several engines shown at once), `items` reads that engine. */
  private scopedEngine: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly kindChanged = new vscode.EventEmitter<ResourceKind>();
  private readonly removed = new vscode.EventEmitter<{ engine: string; kind: ResourceKind }>();
  /** The daemon or an engine's health changed. */
  readonly onDidChange = this.changed.event;
  /** Objects of a kind were added, changed or removed in some engine. */
  readonly onDidChangeKind = this.kindChanged.event;
  /**
   * Objects of a kind may have left an engine: one was removed, or the daemon
   * listed them afresh (`items` then holds all the engine has). Not fired when
   * the mirror sets an engine's objects aside while it is not ready: they have
   * not left it, and its next resync says what did.
   */
  readonly onDidRemove = this.removed.event;

  get daemonState(): DaemonState {
    return this.daemon;
  }

  get engines(): readonly EngineInfo[] {
    return this.engineList;
  }

  /**
   * The engine views show and commands act on: the one the user picked while
   * the daemon serves it (whatever its health, so its trouble is shown rather
   * than another engine's objects), else the first ready engine.
   */
  get activeEngine(): EngineInfo | undefined {
    return this.engineList.find((engine) => engine.id === this.chosenEngine) ?? this.engineList.find((engine) => engine.health.state === 'ready');
  }

  /** The engine picked by the user (undefined: follow the first ready one). */
  get chosenEngineId(): string | undefined {
    return this.chosenEngine;
  }

  chooseEngine(engine: string | undefined): void {
    if (engine === this.chosenEngine) return;
    this.chosenEngine = engine;
    this.publish();
  }

  /** Runs `draw` with `items` reading `engine` instead of the active one (synchronous drawing only). */
  withEngine<T>(engine: string, draw: () => T): T {
    const outer = this.scopedEngine;
    this.scopedEngine = engine;
    try {
      return draw();
    } finally {
      this.scopedEngine = outer;
    }
  }

  /** The engine `items` reads now: the one a view is drawing (several engines shown), else the active one. */
  get shownEngineId(): string | undefined {
    return this.scopedEngine ?? this.activeEngine?.id;
  }

  items<K extends ResourceKind>(kind: K, engine = this.shownEngineId): ResourceOf[K][] {
    if (!engine) return [];
    return [...((this.objects.get(`${engine}/${kind}`) as Map<string, ResourceOf[K]> | undefined)?.values() ?? [])];
  }

  setDaemon(state: DaemonState): void {
    this.daemon = state;
    if (state.kind !== 'connected') {
      this.engineList = [];
      this.objects.clear();
    }
    this.publish();
  }

  setEngines(engines: EngineInfo[]): void {
    this.engineList = engines;
    // An engine that is not ready holds nothing we can trust; its resync will refill it.
    for (const engine of engines) {
      if (engine.health.state !== 'ready') for (const key of [...this.objects.keys()]) if (key.startsWith(`${engine.id}/`)) this.objects.delete(key);
    }
    this.publish();
  }

  resync(message: StateResync): void {
    this.objects.set(`${message.engine}/${message.kind}`, new Map(message.items.map((item) => [item.id, item])));
    this.removed.fire({ engine: message.engine, kind: message.kind });
    this.kindChanged.fire(message.kind);
  }

  apply(change: StateChange): void {
    const key = `${change.engine}/${change.kind}`;
    let map = this.objects.get(key);
    if (!map) this.objects.set(key, (map = new Map()));
    if (change.action === 'removed' || !change.item) {
      map.delete(change.id);
      this.removed.fire({ engine: change.engine, kind: change.kind });
    } else map.set(change.id, change.item);
    this.kindChanged.fire(change.kind);
  }

  dispose(): void {
    this.changed.dispose();
    this.kindChanged.dispose();
    this.removed.dispose();
  }

  /** A single word for `when` clauses of the welcome views. */
  summary(): 'starting' | 'daemonFailed' | 'ready' | 'unreachable' | 'connecting' {
    if (this.daemon.kind !== 'connected') return this.daemon.kind === 'failed' ? 'daemonFailed' : 'starting';
    const chosen = this.engineList.find((engine) => engine.id === this.chosenEngine);
    if (chosen) return chosen.health.state;
    if (this.engineList.some((engine) => engine.health.state === 'ready')) return 'ready';
    if (this.engineList.length > 0 && this.engineList.every((engine) => engine.health.state === 'unreachable')) return 'unreachable';
    return 'connecting';
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', 'berth.runtime', this.summary());
    this.changed.fire();
  }
}
