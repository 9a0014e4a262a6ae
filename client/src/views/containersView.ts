import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../runtime/src/protocol/types';
import { formatAge } from '../format';
import type { RuntimeState } from '../runtime/runtimeState';

export type ContainerNode = { kind: 'project'; project: string; containers: ContainerSummary[] } | { kind: 'container'; container: ContainerSummary };

const byActivityThenName = (a: ContainerSummary, b: ContainerSummary) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name);

/**
 * The Containers view, drawn from the client's mirror of the daemon's model:
 * compose projects first (their containers inside), then the rest; running
 * before stopped. When no engine is ready it is empty so the welcome view can
 * say why.
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

  getChildren(node?: ContainerNode): ContainerNode[] {
    if (node?.kind === 'project') return node.containers.sort(byActivityThenName).map((container) => ({ kind: 'container', container }));
    if (node) return [];
    const projects = new Map<string, ContainerSummary[]>();
    const loose: ContainerSummary[] = [];
    for (const container of this.state.items('container')) {
      if (container.composeProject) projects.set(container.composeProject, [...(projects.get(container.composeProject) ?? []), container]);
      else loose.push(container);
    }
    return [
      ...[...projects].sort(([a], [b]) => a.localeCompare(b)).map(([project, containers]): ContainerNode => ({ kind: 'project', project, containers })),
      ...loose.sort(byActivityThenName).map((container): ContainerNode => ({ kind: 'container', container })),
    ];
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const running = node.containers.filter((container) => container.state === 'running').length;
      const item = new vscode.TreeItem(node.project, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `project:${node.project}`;
      item.description = `compose · ${running}/${node.containers.length} running`;
      item.contextValue = 'composeProject';
      item.iconPath = new vscode.ThemeIcon('layers');
      return item;
    }
    const { container } = node;
    const label = container.composeService && container.composeProject ? container.composeService : container.name;
    const item = new vscode.TreeItem(label);
    item.id = container.id;
    const ports = container.ports.filter((port) => port.publicPort).map((port) => `${port.publicPort}→${port.privatePort}`);
    item.description = [container.status, ...ports].join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${container.name}** \`${container.id.slice(0, 12)}\``,
        `Image: \`${container.image}\``,
        `Command: \`${container.command}\``,
        `Created: ${formatAge(container.created)}`,
        `Status: ${container.status}`,
        ...(container.mounts.length ? [`Mounts: ${container.mounts.map((mount) => `${mount.name ?? mount.source} → ${mount.destination}${mount.readOnly ? ' (read-only)' : ''}`).join(', ')}`] : []),
        ...(container.networks.length ? [`Networks: ${container.networks.join(', ')}`] : []),
      ].join('\n\n'),
    );
    item.accessibilityInformation = { label: `${container.name}, ${container.status}, image ${container.image}` };
    item.contextValue = `container.${container.state}`;
    item.iconPath = containerIcon(container);
    return item;
  }
}

function containerIcon(container: ContainerSummary): vscode.ThemeIcon {
  if (container.health === 'unhealthy') return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('testing.iconFailed'));
  if (container.health === 'starting') return new vscode.ThemeIcon('vm-connect', new vscode.ThemeColor('testing.iconQueued'));
  if (container.state === 'running') return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
  if (container.state === 'paused') return new vscode.ThemeIcon('debug-pause');
  return new vscode.ThemeIcon('vm-outline');
}
