import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../../runtime/src/protocol/types';

/** The engine and the kinds of objects (container, image, volume…) that changed in it. */
export interface EngineStateChange {
  engineId: string;
  kinds: string[];
}

export type DaemonState = { kind: 'starting' } | { kind: 'connected'; connection: RuntimeConnection } | { kind: 'failed'; reason: string };

/**
 * What the client knows about the daemon and its engines. Views render from
 * this and refresh on its change event; it never waits on an engine.
 */
export class RuntimeState implements vscode.Disposable {
  private daemon: DaemonState = { kind: 'starting' };
  private engineList: EngineInfo[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly engineStateChanged = new vscode.EventEmitter<EngineStateChange>();
  /** The daemon or an engine's health changed. */
  readonly onDidChange = this.changed.event;
  /** Something inside an engine changed (containers, images…). */
  readonly onDidChangeEngineState = this.engineStateChanged.event;

  get daemonState(): DaemonState {
    return this.daemon;
  }

  get engines(): readonly EngineInfo[] {
    return this.engineList;
  }

  setDaemon(state: DaemonState): void {
    this.daemon = state;
    if (state.kind !== 'connected') this.engineList = [];
    this.publish();
  }

  setEngines(engines: EngineInfo[]): void {
    this.engineList = engines;
    this.publish();
  }

  engineStateChangedIn(change: EngineStateChange): void {
    this.engineStateChanged.fire(change);
  }

  dispose(): void {
    this.changed.dispose();
    this.engineStateChanged.dispose();
  }

  /** A single word for `when` clauses of the welcome views. */
  summary(): 'starting' | 'daemonFailed' | 'ready' | 'unreachable' | 'connecting' {
    if (this.daemon.kind !== 'connected') return this.daemon.kind === 'failed' ? 'daemonFailed' : 'starting';
    if (this.engineList.some((engine) => engine.health.state === 'ready')) return 'ready';
    if (this.engineList.length > 0 && this.engineList.every((engine) => engine.health.state === 'unreachable')) return 'unreachable';
    return 'connecting';
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', 'berth.runtime', this.summary());
    this.changed.fire();
  }
}
