import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../runtime/src/protocol/types';

type ContainerNode = { kind: 'container'; container: ContainerSummary };
import type { RuntimeState } from '../runtime/runtimeState';

/**
 * The Containers view, drawn from the client's mirror of the daemon's model;
 * when no engine is ready it is empty so the welcome view can say why.
 */
export class ContainersView implements vscode.TreeDataProvider<ContainerNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly state: RuntimeState) {
    state.onDidChange(() => this.changed.fire());
    state.onDidChangeKind((kind) => {
      if (kind === 'container') this.changed.fire();
    });
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(): ContainerNode[] {
    // Running containers first, then by name: the ones a user acts on most.
    return this.state
      .items('container')
      .sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name))
      .map((container) => ({ kind: 'container', container }));
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    const { container } = node;
    const item = new vscode.TreeItem(container.name);
    item.id = container.id;
    item.description = `${container.image} · ${container.status}`;
    item.tooltip = `${container.name}\n${container.image}\n${container.status}\n${container.id.slice(0, 12)}`;
    item.contextValue = `container.${container.state}`;
    item.iconPath = new vscode.ThemeIcon(container.state === 'running' ? 'vm-running' : 'vm-outline');
    return item;
  }
}
