import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../runtime/src/protocol/types';

type ContainerNode = { kind: 'container'; container: ContainerSummary } | { kind: 'error'; message: string };
import type { RuntimeState } from '../runtime/runtimeState';

/**
 * The Containers view. Lists through the daemon; when no engine is ready it is
 * empty so the welcome view can say why.
 */
export class ContainersView implements vscode.TreeDataProvider<ContainerNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly state: RuntimeState,
    private readonly log: (line: string) => void,
  ) {
    state.onDidChange(() => this.changed.fire());
    state.onDidChangeEngineState((change) => {
      if (change.kinds.includes('container')) this.changed.fire();
    });
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(): Promise<ContainerNode[]> {
    const daemon = this.state.daemonState;
    const engine = this.state.engines.find((candidate) => candidate.health.state === 'ready');
    if (daemon.kind !== 'connected' || !engine) return [];
    try {
      const containers = await daemon.connection.request('containers.list', { engineId: engine.id });
      // Running containers first, then by name: the ones a user acts on most.
      return containers
        .sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name))
        .map((container) => ({ kind: 'container', container }));
    } catch (error) {
      // An empty list would read as "no containers"; say what went wrong instead.
      const message = (error as Error).message;
      this.log(`listing containers failed: ${message}`);
      return [{ kind: 'error', message }];
    }
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    if (node.kind === 'error') {
      const item = new vscode.TreeItem('Could not list containers');
      item.description = node.message;
      item.tooltip = node.message;
      item.iconPath = new vscode.ThemeIcon('error');
      return item;
    }
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
