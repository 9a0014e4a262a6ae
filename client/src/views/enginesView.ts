import * as vscode from 'vscode';
import type { EngineInfo } from '../../../runtime/src/protocol/types';
import type { RuntimeState } from '../runtime/runtimeState';

type EngineNode = { kind: 'engine'; engine: EngineInfo } | { kind: 'message'; text: string; tooltip?: string };

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
    const item = new vscode.TreeItem(engine.endpoint);
    item.id = engine.id;
    item.contextValue = `engine.${engine.health.state}`;
    switch (engine.health.state) {
      case 'ready':
        item.description = `ready · Docker ${engine.health.version} (API ${engine.health.apiVersion})`;
        item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        break;
      case 'connecting':
        item.description = 'connecting…';
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        break;
      case 'unreachable':
        item.description = `unreachable: ${engine.health.reason}`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
        break;
    }
    item.tooltip = `${engine.endpoint} (from ${engine.source})\n${item.description}`;
    return item;
  }
}
