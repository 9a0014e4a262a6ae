import * as vscode from 'vscode';
import { SWARM_KINDS } from '../../../runtime/src/protocol/types';
import { formatAge } from '../format';
import type { OnEngine } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { isSwarmManager, nodeDescription, serviceConverged, serviceDescription, shortImage, swarmChildren, taskDescription, type SwarmModel, type SwarmNode as SwarmTreeNode } from '../swarm/swarmTree';

/** A row of the Swarm view, with the engine it belongs to. */
export type SwarmNode = OnEngine<SwarmTreeNode>;

const GROUP_TITLES = { services: 'Services', stacks: 'Stacks', nodes: 'Nodes', secrets: 'Secrets', configs: 'Configs' } as const;
const GROUP_ICONS = { services: 'server-process', stacks: 'layers', nodes: 'server', secrets: 'key', configs: 'settings-gear' } as const;

/**
 * The Swarm view: services with their tasks, stacks, nodes, secrets and
 * configs of the active engine, from the daemon's live model. It shows (the
 * `berth.swarmManager` context key) while that engine is a Swarm manager.
 */
export class SwarmView implements vscode.TreeDataProvider<SwarmNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private manager: boolean | undefined;

  constructor(private readonly state: RuntimeState) {
    this.subscriptions.push(
      state.onDidChange(() => this.redraw()),
      state.onDidChangeKind((kind) => {
        if (SWARM_KINDS.includes(kind)) this.redraw();
      }),
    );
    this.publishManager();
  }

  model(engine = this.state.shownEngineId): SwarmModel {
    return {
      services: this.state.items('service', engine),
      tasks: this.state.items('task', engine),
      nodes: this.state.items('node', engine),
      secrets: this.state.items('secret', engine),
      configs: this.state.items('config', engine),
    };
  }

  getChildren(node?: SwarmNode): SwarmNode[] {
    const engine = node ? node.engine : this.state.shownEngineId;
    const model = this.model(engine);
    return isSwarmManager(model) ? swarmChildren(node, model).map((child) => ({ ...child, engine })) : [];
  }

  getTreeItem(node: SwarmNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(GROUP_TITLES[node.group], node.count ? (node.group === 'services' ? vscode.TreeItemCollapsibleState.Expanded : collapsed) : vscode.TreeItemCollapsibleState.None);
        item.id = `group:${node.group}`;
        item.description = String(node.count);
        item.contextValue = `swarmGroup.${node.group}`;
        item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.group]);
        return item;
      }
      case 'stack': {
        const item = new vscode.TreeItem(node.stack, collapsed);
        item.id = `stack:${node.stack}`;
        const running = node.services.filter(serviceConverged).length;
        item.description = `${running}/${node.services.length} service${node.services.length === 1 ? '' : 's'} converged`;
        item.tooltip = node.services.map((service) => `${service.name}: ${serviceDescription(service)}`).join('\n');
        item.contextValue = 'swarmStack';
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'service': {
        const { service } = node;
        const item = new vscode.TreeItem(node.via && service.name.startsWith(`${node.via}_`) ? service.name.slice(node.via.length + 1) : service.name, collapsed);
        item.id = `${node.via ? `stack:${node.via}/` : ''}service:${service.id}`;
        item.description = serviceDescription(service);
        item.tooltip = new vscode.MarkdownString(
          [`**${service.name}** \`${service.id.slice(0, 12)}\``, `Image: \`${shortImage(service.image)}\``, `Mode: ${service.mode}`, ...(service.stack ? [`Stack: ${service.stack}`] : []), `Updated ${formatAge(service.updatedAt)}`].join('\n\n'),
        );
        item.contextValue = `swarmService.${service.replicas !== undefined ? 'replicated' : 'global'}`;
        item.iconPath = new vscode.ThemeIcon(serviceConverged(service) ? 'server-process' : 'warning', serviceConverged(service) ? new vscode.ThemeColor('testing.iconPassed') : new vscode.ThemeColor('testing.iconQueued'));
        return item;
      }
      case 'task': {
        const { task } = node;
        const item = new vscode.TreeItem(task.name);
        item.id = `${node.via ? `stack:${node.via}/` : ''}task:${task.id}`;
        item.description = taskDescription(task, node.nodeName);
        item.tooltip = `${task.id}\n${shortImage(task.image)}\n${task.state} since ${formatAge(task.updatedAt)}${task.error ? `\n${task.error}` : ''}`;
        item.contextValue = `swarmTask.${task.state}`;
        const failed = task.state === 'failed' || task.state === 'rejected';
        item.iconPath = new vscode.ThemeIcon(task.state === 'running' ? 'vm-running' : failed ? 'error' : 'vm-outline', task.state === 'running' ? new vscode.ThemeColor('testing.iconPassed') : failed ? new vscode.ThemeColor('testing.iconFailed') : undefined);
        return item;
      }
      case 'node': {
        const { node: swarmNode } = node;
        const item = new vscode.TreeItem(swarmNode.hostname);
        item.id = `node:${swarmNode.id}`;
        item.description = nodeDescription(swarmNode);
        item.tooltip = `${swarmNode.id}${swarmNode.address ? `\n${swarmNode.address}` : ''}`;
        item.contextValue = `swarmNode.${swarmNode.availability}`;
        item.iconPath = new vscode.ThemeIcon(swarmNode.state === 'ready' ? 'server' : 'debug-disconnect', swarmNode.state === 'ready' ? undefined : new vscode.ThemeColor('testing.iconFailed'));
        return item;
      }
      case 'secret':
      case 'config': {
        const item = new vscode.TreeItem(node.item.name);
        item.id = `${node.kind}:${node.item.id}`;
        item.description = [...(node.item.stack ? [`stack ${node.item.stack}`] : []), `created ${formatAge(node.item.created)}`].join(' · ');
        item.contextValue = node.kind === 'secret' ? 'swarmSecret' : 'swarmConfig';
        item.iconPath = new vscode.ThemeIcon(node.kind === 'secret' ? 'key' : 'file-code');
        return item;
      }
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  private redraw(): void {
    this.publishManager();
    this.changed.fire();
  }

  private publishManager(): void {
    const manager = isSwarmManager(this.model());
    if (manager === this.manager) return;
    this.manager = manager;
    void vscode.commands.executeCommand('setContext', 'berth.swarmManager', manager);
  }
}
