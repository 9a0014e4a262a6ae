import * as vscode from 'vscode';
import type { ImageSummary, NetworkSummary, VolumeSummary } from '../../../runtime/src/protocol/types';
import { formatAge, formatBytes } from '../format';
import type { OnEngine } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';

/** A view over one kind in the mirror, redrawn when that kind changes. */
abstract class KindView<T> implements vscode.TreeDataProvider<T> {
  protected readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    protected readonly state: RuntimeState,
    kind: 'image' | 'volume' | 'network',
  ) {
    state.onDidChange(() => this.changed.fire());
    state.onDidChangeKind((changed) => {
      if (changed === kind) this.changed.fire();
    });
  }

  abstract getChildren(node?: T): T[];
  abstract getTreeItem(node: T): vscode.TreeItem;
}

/** A row of the Images view, with the engine it belongs to. */
export type ImageNode = OnEngine<
  { kind: 'repository'; repository: string; tags: { tag: string; image: ImageSummary }[] } | { kind: 'tag'; repository: string; tag: string; image: ImageSummary } | { kind: 'dangling'; image: ImageSummary }
>;

function splitRepoTag(repoTag: string): [string, string] {
  const colon = repoTag.lastIndexOf(':');
  return colon > repoTag.lastIndexOf('/') ? [repoTag.slice(0, colon), repoTag.slice(colon + 1)] : [repoTag, 'latest'];
}

/** Images by repository, with their tags inside; dangling images after them. */
export class ImagesView extends KindView<ImageNode> {
  /** Case-insensitive text an image's `repository:tag` or id must contain to be shown. */
  private filter = '';

  constructor(state: RuntimeState) {
    super(state, 'image');
  }

  get filterText(): string {
    return this.filter;
  }

  setFilter(filter: string): void {
    this.filter = filter.trim().toLowerCase();
    this.changed.fire();
  }

  getChildren(node?: ImageNode): ImageNode[] {
    if (node?.kind === 'repository') return node.tags.map(({ tag, image }) => ({ kind: 'tag', repository: node.repository, tag, image, engine: node.engine }));
    if (node) return [];
    const engine = this.state.shownEngineId;
    const repositories = new Map<string, { tag: string; image: ImageSummary }[]>();
    const dangling: ImageNode[] = [];
    const shown = (name: string, image: ImageSummary) => !this.filter || name.toLowerCase().includes(this.filter) || image.id.replace(/^sha256:/, '').startsWith(this.filter);
    for (const image of this.state.items('image', engine)) {
      if (image.dangling && shown('<none>', image)) dangling.push({ kind: 'dangling', image, engine });
      for (const repoTag of image.repoTags) {
        if (!shown(repoTag, image)) continue;
        const [repository, tag] = splitRepoTag(repoTag);
        repositories.set(repository, [...(repositories.get(repository) ?? []), { tag, image }]);
      }
    }
    return [
      ...[...repositories].sort(([a], [b]) => a.localeCompare(b)).map(([repository, tags]): ImageNode => ({ kind: 'repository', repository, tags: tags.sort((a, b) => a.tag.localeCompare(b.tag)), engine })),
      ...dangling,
    ];
  }

  getTreeItem(node: ImageNode): vscode.TreeItem {
    if (node.kind === 'repository') {
      const item = new vscode.TreeItem(node.repository, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `repository:${node.repository}`;
      item.description = `${node.tags.length} tag${node.tags.length === 1 ? '' : 's'}`;
      item.contextValue = 'imageRepository';
      item.iconPath = new vscode.ThemeIcon('package');
      return item;
    }
    const { image } = node;
    const item = new vscode.TreeItem(node.kind === 'tag' ? node.tag : `<none> ${image.id.replace(/^sha256:/, '').slice(0, 12)}`);
    item.id = node.kind === 'tag' ? `${node.repository}:${node.tag}` : image.id;
    const inUse = image.usedBy.length > 0;
    item.description = [formatBytes(image.size), formatAge(image.created), ...(inUse ? [`in use by ${image.usedBy.length}`] : []), ...(image.dangling ? ['dangling'] : [])].join(' · ');
    item.tooltip = `${image.repoTags.join(', ') || '<none>'}\n${image.id}\n${formatBytes(image.size)}, created ${formatAge(image.created)}${image.exposedPorts.length ? `\nExposes ${image.exposedPorts.join(', ')}` : ''}`;
    item.contextValue = image.dangling ? 'image.dangling' : inUse ? 'image.inUse' : 'image';
    item.iconPath = new vscode.ThemeIcon(image.dangling ? 'circle-slash' : inUse ? 'file-binary' : 'file');
    return item;
  }
}

/** Volumes with what uses them. */
export class VolumesView extends KindView<OnEngine<VolumeSummary>> {
  constructor(state: RuntimeState) {
    super(state, 'volume');
  }

  getChildren(node?: VolumeSummary): OnEngine<VolumeSummary>[] {
    if (node) return [];
    const engine = this.state.shownEngineId;
    return this.state
      .items('volume', engine)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((volume) => ({ ...volume, engine }));
  }

  getTreeItem(volume: OnEngine<VolumeSummary>): vscode.TreeItem {
    const item = new vscode.TreeItem(volume.name.length > 40 ? `${volume.name.slice(0, 12)}…` : volume.name);
    item.id = volume.id;
    const users = volume.usedBy.map((id) => this.state.items('container', volume.engine).find((container) => container.id === id)?.name ?? id.slice(0, 12));
    item.description = [volume.driver, users.length ? `used by ${users.join(', ')}` : 'unused'].join(' · ');
    item.tooltip = `${volume.name}\n${volume.mountpoint}`;
    item.contextValue = users.length ? 'volume.inUse' : 'volume';
    item.iconPath = new vscode.ThemeIcon('database');
    return item;
  }
}

/** Networks with their driver, scope and attached containers. */
export class NetworksView extends KindView<OnEngine<NetworkSummary>> {
  constructor(state: RuntimeState) {
    super(state, 'network');
  }

  getChildren(node?: NetworkSummary): OnEngine<NetworkSummary>[] {
    if (node) return [];
    const engine = this.state.shownEngineId;
    return this.state
      .items('network', engine)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((network) => ({ ...network, engine }));
  }

  getTreeItem(network: OnEngine<NetworkSummary>): vscode.TreeItem {
    const item = new vscode.TreeItem(network.name);
    item.id = network.id;
    const attached = network.containers.map((id) => this.state.items('container', network.engine).find((container) => container.id === id)?.name ?? id.slice(0, 12));
    item.description = [network.driver, network.scope, attached.length ? attached.join(', ') : 'no containers', ...(network.internal ? ['internal'] : [])].join(' · ');
    item.tooltip = `${network.name} (${network.id.slice(0, 12)})`;
    // The engine's own networks cannot be removed.
    item.contextValue = ['bridge', 'host', 'none'].includes(network.name) ? 'network.builtin' : 'network';
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    return item;
  }
}
