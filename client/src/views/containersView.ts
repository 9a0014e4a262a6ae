import * as vscode from 'vscode';
import type { ContainerSummary, StatsSample } from '../../../runtime/src/protocol/types';
import { formatAge, formatBytes } from '../format';
import type { OnEngine } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { ContainerFileSystem } from '../fileSystem/containerFileSystem';
import { arrangeContainers, containerLabel, matchesFilter, type ContainerArrangement, type ContainerNode as ArrangedNode } from './containerTree';
import { ContainerFilesTree, isFileTreeNode, type FileTreeNode } from './containerFilesTree';
import { ContainerStats } from './containerStats';

/** A row of the view (a compose project or a container), with the engine it belongs to. */
export type ContainerNode = OnEngine<ArrangedNode>;

/** Any row of the view: a compose project, a container, or one of a running container's files. */
export type ContainersViewNode = ContainerNode | FileTreeNode;

/**
 * The Containers view, drawn from the client's mirror of the daemon's model:
 * compose projects first (their containers inside), then the rest, arranged by
 * the `berth.containers.*` settings and the view's filter. Running containers
 * show live CPU and memory while the view is visible (in the description
 * while collapsed, in the tooltip as read when hovered), and expand to their
 * Files (`containerFilesTree.ts`). When no engine is ready it is empty so the
 * welcome view can say why.
 */
export class ContainersView implements vscode.TreeDataProvider<ContainersViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContainersViewNode[] | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter = '';
  readonly stats: ContainerStats;
  /**
   * Container rows as last drawn, by engine and id. New figures redraw just
   * the running ones: refreshing the whole tree every second would leave a
   * context-menu command run meanwhile without its row (VS Code forgets the
   * rows until it has fetched them again).
   */
  private readonly drawnRows = new Map<string, ContainerNode>();
  /**
   * Container rows the user has open on their Files, by engine and id. New
   * figures leave them as drawn: redrawing a row makes VS Code forget every
   * row below it until it has fetched them again, so each second a file's
   * context-menu command could run without its row, and a folder expanded
   * meanwhile could stay empty.
   */
  private readonly openRows = new Set<string>();
  /**
   * Container rows whose description shows figures, by engine and id. A row
   * opened after it was drawn with figures is redrawn once more, without
   * them, so it never keeps figures that look live but no longer change.
   */
  private readonly rowsWithFigures = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly files: ContainerFilesTree;

  /** `fileSystem`: the provider registered for `berth-container:` (its changes redraw the folders shown). */
  constructor(
    private readonly state: RuntimeState,
    fileSystem: ContainerFileSystem = new ContainerFileSystem(state),
  ) {
    this.files = new ContainerFilesTree(fileSystem, (rows) => this.changed.fire(rows));
    this.stats = new ContainerStats(state, () => this.changed.fire([...this.drawnRows.entries()].filter(([key, row]) => this.takesNewFigures(key, row)).map(([, row]) => row)));
    this.subscriptions.push(
      this.files,
      this.stats,
      state.onDidChange(() => this.changed.fire()),
      state.onDidRemove(({ engine, kind }) => {
        if (kind === 'container') this.forgetRemovedContainers(engine);
      }),
      state.onDidChangeKind((kind) => {
        if (kind === 'container') this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('berth.containers')) this.changed.fire();
      }),
    );
  }

  get filterText(): string {
    return this.filter;
  }

  setFilter(filter: string): void {
    this.filter = filter.trim();
    this.changed.fire();
  }

  refresh(): void {
    this.changed.fire();
  }

  private arrangement(): ContainerArrangement & { label: 'name' | 'image' | 'id' } {
    const config = vscode.workspace.getConfiguration('berth.containers');
    return {
      sortBy: config.get('sortBy', 'name'),
      groupBy: config.get('groupBy', 'composeProject'),
      label: config.get('label', 'name'),
      filter: this.filter,
    };
  }

  /** The containers the view shows now, in order (for the filter's count). */
  shownCount(): number {
    return arrangeContainers(this.state.items('container'), this.arrangement()).reduce((sum, node) => sum + (node.kind === 'project' ? node.containers.length : 1), 0);
  }

  getChildren(node?: ContainersViewNode): ContainersViewNode[] {
    if (node && isFileTreeNode(node)) return this.files.getChildren(node);
    if (node?.kind === 'container') {
      const engine = node.engine ?? this.state.shownEngineId;
      return engine && node.container.state === 'running' ? [this.filesRowOf(engine, node.container)] : [];
    }
    if (node?.kind === 'project') return this.remember(node.containers.map((container) => ({ kind: 'container', container, engine: node.engine })));
    if (node) return [];
    const engine = this.state.shownEngineId;
    for (const key of this.drawnRows.keys()) if (key.startsWith(`${engine}/`)) this.drawnRows.delete(key);
    return this.remember(arrangeContainers(this.state.items('container', engine), this.arrangement()).map((row) => ({ ...row, engine })));
  }

  /** Whether new figures redraw this row: a running one, unless it is open and shows none already. */
  private takesNewFigures(key: string, row: ContainerNode): boolean {
    return row.kind === 'container' && row.container.state === 'running' && (!this.openRows.has(key) || this.rowsWithFigures.has(key));
  }

  private remember(rows: ContainerNode[]): ContainerNode[] {
    for (const row of rows) if (row.kind === 'container') this.drawnRows.set(`${row.engine}/${row.container.id}`, row);
    return rows;
  }

  /** The Files row of a running container of `engine` (the one drawn, when it is). */
  filesRowOf(engine: string, container: ContainerSummary): FileTreeNode {
    return this.files.filesRow(engine, container.id, container.name);
  }

  /** Whether the view lists this container now (the filter may hide it). */
  shows(container: ContainerSummary): boolean {
    return matchesFilter(container, this.filter);
  }

  /** The user (or Browse Files) expanded a row. */
  expanded(node: ContainersViewNode): void {
    if (!isFileTreeNode(node) && node.kind === 'container' && node.engine) this.openRows.add(`${node.engine}/${node.container.id}`);
  }

  /** The user collapsed a row: a folder's listing is taken again when it is next expanded. */
  collapsed(node: ContainersViewNode): void {
    if (isFileTreeNode(node)) this.files.collapsed(node);
    else if (node.kind === 'container' && node.engine) {
      this.openRows.delete(`${node.engine}/${node.container.id}`);
      this.files.forgetListingsOf(node.engine, node.container.id);
    }
  }

  /**
   * Drops what the view keeps for the containers `engine` no longer has: their
   * file rows and listings, and whether their row was open or showed figures. Kept otherwise for
   * as long as the window is open, for every container the user ever browsed.
   */
  private forgetRemovedContainers(engine: string): void {
    const ids = new Set(this.state.items('container', engine).map((container) => container.id));
    this.files.forgetContainersExcept((rowEngine, containerId) => rowEngine !== engine || ids.has(containerId));
    for (const keys of [this.openRows, this.rowsWithFigures]) {
      for (const key of keys) {
        // An added engine's name may hold a '/'; a container id never does.
        const slash = key.lastIndexOf('/');
        if (key.slice(0, slash) === engine && !ids.has(key.slice(slash + 1))) keys.delete(key);
      }
    }
  }

  /** For TreeView.reveal: a file row's folder, Files' container, a container's compose project; undefined at the top. */
  getParent(node: ContainersViewNode): ContainersViewNode | undefined {
    if (isFileTreeNode(node)) return this.files.getParent(node) ?? this.containerRow(node.engine, node.containerId);
    if (node.kind === 'project') return undefined;
    const engine = node.engine ?? this.state.shownEngineId;
    const project = node.container.composeProject;
    if (!engine || !project || this.arrangement().groupBy !== 'composeProject') return undefined;
    const projectRow = arrangeContainers(this.state.items('container', engine), this.arrangement()).find((row) => row.kind === 'project' && row.project === project);
    return projectRow ? { ...projectRow, engine } : undefined;
  }

  /** A container's row as last drawn, else made from the mirror. */
  private containerRow(engine: string, containerId: string): ContainerNode | undefined {
    const drawn = this.drawnRows.get(`${engine}/${containerId}`);
    if (drawn) return drawn;
    const container = this.state.items('container', engine).find((candidate) => candidate.id === containerId);
    return container ? { kind: 'container', container, engine } : undefined;
  }

  getTreeItem(node: ContainersViewNode): vscode.TreeItem {
    if (isFileTreeNode(node)) return this.files.getTreeItem(node);
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
    const arrangement = this.arrangement();
    // A running container opens to its Files; collapsed, so listing waits for the user.
    const collapsible = container.state === 'running' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    // Its rows go with the Files row; what it showed is listed afresh if it runs again.
    if (container.state !== 'running' && node.engine) {
      this.files.forgetListingsOf(node.engine, container.id);
      this.openRows.delete(`${node.engine}/${container.id}`);
    }
    const item = new vscode.TreeItem(containerLabel(container, arrangement.label, arrangement.groupBy === 'composeProject'), collapsible);
    item.id = container.id;
    const ports = container.ports.filter((port) => port.publicPort).map((port) => `${port.publicPort}→${port.privatePort}`);
    const key = `${node.engine}/${container.id}`;
    const sample = this.sampleOf(node);
    // An open row is not redrawn when figures come (see openRows): it points to its tooltip instead of keeping figures that would look live.
    const usage = !sample ? [] : this.openRows.has(key) ? ['CPU, mem on hover'] : usageTexts(sample);
    if (sample && !this.openRows.has(key)) this.rowsWithFigures.add(key);
    else this.rowsWithFigures.delete(key);
    item.description = [container.status, ...ports, ...usage].join(' · ');
    // No tooltip: VS Code asks resolveTreeItem for it when the row is hovered, so its figures are read then, even on a row not redrawn since.
    item.accessibilityInformation = { label: `${container.name}, ${container.status}, image ${container.image}` };
    item.contextValue = `container.${container.state}`;
    item.iconPath = containerIcon(container);
    return item;
  }

  /**
   * A container row's tooltip, made when VS Code first shows it: the container's
   * details and its CPU and memory as last read, with the time they were read.
   * VS Code keeps a resolved tooltip until the row is redrawn, so an open row
   * shows the figures of its first hover since; the time says how old they are.
   */
  resolveTreeItem(item: vscode.TreeItem, node: ContainersViewNode): vscode.TreeItem {
    if (isFileTreeNode(node) || node.kind !== 'container') return item;
    const { container } = node;
    const sample = this.sampleOf(node);
    item.tooltip = new vscode.MarkdownString(
      [
        `**${container.name}** \`${container.id.slice(0, 12)}\``,
        `Image: \`${container.image}\``,
        `Command: \`${container.command}\``,
        `Created: ${formatAge(container.created)}`,
        `Status: ${container.status}`,
        ...(sample ? [`Usage at ${new Date(sample.time).toLocaleTimeString()}: ${usageTexts(sample).join(' · ')}`] : []),
        ...(container.mounts.length ? [`Mounts: ${container.mounts.map((mount) => `${mount.name ?? mount.source} → ${mount.destination}${mount.readOnly ? ' (read-only)' : ''}`).join(', ')}`] : []),
        ...(container.networks.length ? [`Networks: ${container.networks.join(', ')}`] : []),
      ].join('\n\n'),
    );
    return item;
  }

  /** The latest figures of a running container's row; none while the view is hidden or before the first sample. */
  private sampleOf(node: Extract<ContainerNode, { kind: 'container' }>): StatsSample | undefined {
    return node.container.state === 'running' ? this.stats.sample(node.engine ?? this.state.shownEngineId, node.container.id) : undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function usageTexts(sample: StatsSample): string[] {
  return [`${sample.cpuPercent.toFixed(1)}% CPU`, `${formatBytes(sample.memoryUsage)} mem`];
}

function containerIcon(container: ContainerSummary): vscode.ThemeIcon {
  if (container.health === 'unhealthy') return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('testing.iconFailed'));
  if (container.health === 'starting') return new vscode.ThemeIcon('vm-connect', new vscode.ThemeColor('testing.iconQueued'));
  if (container.state === 'running') return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
  if (container.state === 'paused') return new vscode.ThemeIcon('debug-pause');
  return new vscode.ThemeIcon('vm-outline');
}
