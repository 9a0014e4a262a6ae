import * as vscode from 'vscode';
import type { EngineInfo } from '../../../runtime/src/protocol/types';
import type { RuntimeState } from '../runtime/runtimeState';
import { engineContextValue, engineHealthText } from '../engines/engineChoice';

export type EngineNode = { kind: 'engine'; engine: EngineInfo } | { kind: 'message'; text: string; tooltip?: string };

/** The Engines view: every engine the daemon knows, with its health and why. */
export class EnginesView implements vscode.TreeDataProvider<EngineNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly state: RuntimeState) {
    state.onDidChange(() => this.changed.fire());
  }

  getChildren(): EngineNode[] {
    const daemon = this.state.daemonState;
    if (daemon.kind === 'failed') return [{ kind: 'message', text: 'Berth daemon is not running', tooltip: daemon.reason }];
    if (daemon.kind === 'starting') return [{ kind: 'message', text: 'Starting the Berth daemon…' }];
    return this.state.engines.map((engine) => ({ kind: 'engine', engine }));
  }

  getTreeItem(node: EngineNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const { engine } = node;
    const active = engine.id === this.state.activeEngine?.id;
    const item = new vscode.TreeItem(engine.endpoint);
    item.id = engine.id;
    item.contextValue = engineContextValue(engine, active);
    // An added engine's name is what the user typed and what pickers show; found engines are known by their address.
    item.description = [...(engine.added ? [engine.id] : []), ...(active && this.state.engines.length > 1 ? ['active'] : []), engineHealthText(engine)].join(' · ');
    if (!active) item.command = { command: 'berth.engines.switch', title: 'Switch to This Engine', arguments: [node] };
    switch (engine.health.state) {
      case 'ready':
        item.iconPath = new vscode.ThemeIcon(active ? 'pass-filled' : 'pass', new vscode.ThemeColor('testing.iconPassed'));
        break;
      case 'connecting':
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        break;
      case 'unreachable':
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
        break;
    }
    item.tooltip = `${engine.id}: ${engine.endpoint} (from ${engine.source})\n${engineHealthText(engine)}`;
    return item;
  }
}
