import * as vscode from 'vscode';
import { containerFileUri, type ContainerFileSystem } from '../fileSystem/containerFileSystem';
import { CONTAINER_SCHEME, parseContainerPath } from '../fileSystem/containerUri';
import { childPath, fileRowId, listingFailureRowId, listingFailureText, listingRowId, parentFolder, sortFolderEntries, type FolderEntry } from '../fileSystem/fileRows';

interface FileRowPlace {
  engine: string;
  containerId: string;
  /** As the container sees it; for a failure row, the folder that could not be listed. */
  path: string;
}

/**
 * A row of a running container's files in the Containers view: Files (the
 * container's root), a folder, a file, the one row saying why a folder could
 * not be listed, or the one standing in for a folder's entries while it is
 * listed. `engine` is always set: the row's commands act there.
 */
export type FileTreeNode =
  | (FileRowPlace & { kind: 'files'; containerName: string })
  | (FileRowPlace & { kind: 'folder' | 'file'; symlink: boolean })
  | (FileRowPlace & { kind: 'filesError'; text: string })
  | (FileRowPlace & { kind: 'filesListing' });

const FILE_ROW_KINDS: ReadonlySet<string> = new Set<FileTreeNode['kind']>(['files', 'folder', 'file', 'filesError', 'filesListing']);

export function isFileTreeNode(node: unknown): node is FileTreeNode {
  return typeof node === 'object' && node !== null && FILE_ROW_KINDS.has((node as { kind?: string }).kind ?? '');
}

/** One container's rows by id, with whose they are: they go together when the container is removed. */
interface ContainerRows {
  engine: string;
  containerId: string;
  byId: Map<string, FileTreeNode>;
}

/** A folder's listing as read, before it is made into rows. */
type FolderListing = { failure: string } | { entries: (FolderEntry & { symlink: boolean })[] };

/** How many symlinks of one folder are resolved at once (each asks the daemon whether its target lists). */
const SYMLINK_CONCURRENCY = 8;

/**
 * The Files rows of the Containers view, over the container FileSystemProvider
 * (the same `container.files.list` calls the Explorer would make). A folder is
 * listed when the user expands it and the listing is kept until the folder is
 * collapsed or something in it changes through the provider: VS Code asks
 * again for the children of every expanded row below a row it redraws, and
 * the whole view is redrawn on every container event of the engine.
 *
 * `getChildren` never waits: while a folder is listed it shows one "Listing…"
 * row, and the folder is redrawn once its entries are in. VS Code's extension
 * host loses track of rows when a row above them is redrawn while it waits
 * for their folder's children (the redrawn container's per-second figures did
 * that), and then refuses that folder's children for good ("Element with id …
 * is already registered").
 *
 * What is kept for a container (rows, listings) is kept while it exists: the
 * view drops it when the container leaves the engine (`forgetContainersExcept`).
 */
export class ContainerFilesTree implements vscode.Disposable {
  /**
   * Rows by container (`engine/id`), then by id: the same object for the same
   * row, so a redraw VS Code is asked for names a row it knows.
   */
  private readonly rows = new Map<string, ContainerRows>();
  /** Listed folders' rows, by the folder row's id. */
  private readonly listings = new Map<string, FileTreeNode[]>();
  /** Listings on their way, by the folder row's id. */
  private readonly listing = new Map<string, Promise<void>>();
  private readonly subscription: vscode.Disposable;

  /** `redraw`: asks the view to draw these rows (and their children) again. */
  constructor(
    private readonly files: ContainerFileSystem,
    private readonly redraw: (rows: FileTreeNode[]) => void,
  ) {
    this.subscription = files.onDidChangeFile((changes) => this.changedThroughProvider(changes));
  }

  /** The Files row of a running container. */
  filesRow(engine: string, containerId: string, containerName: string): FileTreeNode {
    const row = this.row({ kind: 'files', engine, containerId, path: '/', containerName });
    if (row.kind === 'files') row.containerName = containerName;
    return row;
  }

  /** A folder's rows when listed, else the "Listing…" row (and the listing started, once). */
  getChildren(node: FileTreeNode): FileTreeNode[] {
    if (node.kind !== 'files' && node.kind !== 'folder') return [];
    // A row of a container removed meanwhile (VS Code can ask before its redraw drops the row): nothing to list.
    if (!this.rows.has(containerKey(node.engine, node.containerId))) return [];
    const id = this.idOf(node);
    const listed = this.listings.get(id);
    if (listed) return listed;
    if (!this.listing.has(id)) {
      const listing = this.read(node).then((read) => {
        // Collapsed, changed or its container removed meanwhile: this answer is stale, and the next expansion lists again.
        if (this.listing.get(id) !== listing) return;
        this.listing.delete(id);
        this.listings.set(id, this.rowsOf(node, read));
        this.redraw([node]);
      });
      this.listing.set(id, listing);
    }
    return [this.row({ kind: 'filesListing', engine: node.engine, containerId: node.containerId, path: node.path })];
  }

  /** The row holding `node`; undefined for Files, whose parent is its container's row. */
  getParent(node: FileTreeNode): FileTreeNode | undefined {
    if (node.kind === 'files') return undefined;
    const folder = node.kind === 'filesError' || node.kind === 'filesListing' ? node.path : parentFolder(node.path);
    if (folder === undefined || folder === '/') return this.known(node.engine, node.containerId, fileRowId(node.engine, node.containerId, '/')) ?? this.filesRow(node.engine, node.containerId, node.containerId.slice(0, 12));
    return this.row({ kind: 'folder', engine: node.engine, containerId: node.containerId, path: folder, symlink: false });
  }

  getTreeItem(node: FileTreeNode): vscode.TreeItem {
    const uri = containerFileUri(node.engine, node.containerId, node.path);
    if (node.kind === 'filesListing') {
      const item = new vscode.TreeItem('Listing…');
      item.id = this.idOf(node);
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'containerFilesListing';
      return item;
    }
    if (node.kind === 'filesError') {
      const item = new vscode.TreeItem(node.text);
      item.id = this.idOf(node);
      item.tooltip = node.text;
      item.iconPath = new vscode.ThemeIcon('warning');
      item.contextValue = 'containerFilesError';
      return item;
    }
    if (node.kind === 'files') {
      const item = new vscode.TreeItem('Files', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = this.idOf(node);
      item.resourceUri = uri;
      item.description = '/';
      item.tooltip = `The files of ${node.containerName}, from its root folder`;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'containerFiles';
      return item;
    }
    // Label and icon from the resource, so the file icon theme draws them as in the Explorer.
    const item = new vscode.TreeItem(uri, node.kind === 'folder' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.idOf(node);
    item.tooltip = node.symlink ? `${node.path} (symbolic link)` : node.path;
    item.iconPath = node.kind === 'folder' ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    item.contextValue = node.kind === 'folder' ? 'containerFolder' : 'containerFile';
    if (node.kind === 'file') item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  /** The user collapsed `node`: its listing and those below it are taken again when it is next expanded. */
  collapsed(node: FileTreeNode): void {
    this.forgetListings(node.engine, node.containerId, node.path);
  }

  /** A container's row was collapsed or stopped running: its folders are listed again when next shown. */
  forgetListingsOf(engine: string, containerId: string): void {
    this.forgetListings(engine, containerId, '/');
  }

  /**
   * Drops what is kept for every container `exists` says is gone: its rows and
   * its folders' listings; a listing on its way is then ignored. Without this
   * the rows of every container ever browsed would stay for the window's life.
   */
  forgetContainersExcept(exists: (engine: string, containerId: string) => boolean): void {
    for (const [key, { engine, containerId }] of this.rows) {
      if (exists(engine, containerId)) continue;
      this.rows.delete(key);
      this.forgetListingsOf(engine, containerId);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private idOf(node: FileTreeNode): string {
    if (node.kind === 'filesError') return listingFailureRowId(node.engine, node.containerId, node.path);
    if (node.kind === 'filesListing') return listingRowId(node.engine, node.containerId, node.path);
    return fileRowId(node.engine, node.containerId, node.path);
  }

  /** The row with these fields: the one already made when there is one of that kind, else this one, kept. */
  private row(wanted: FileTreeNode): FileTreeNode {
    const key = containerKey(wanted.engine, wanted.containerId);
    let container = this.rows.get(key);
    if (!container) this.rows.set(key, (container = { engine: wanted.engine, containerId: wanted.containerId, byId: new Map() }));
    const id = this.idOf(wanted);
    const known = container.byId.get(id);
    if (known && known.kind === wanted.kind) return known;
    container.byId.set(id, wanted);
    return wanted;
  }

  /** The row of this id when one was made for the container, else undefined (none is made). */
  private known(engine: string, containerId: string, id: string): FileTreeNode | undefined {
    return this.rows.get(containerKey(engine, containerId))?.byId.get(id);
  }

  /** Lists a folder; rows are made only from an answer still wanted (`rowsOf`), so a stale one leaves none behind. */
  private async read(folder: FileRowPlace): Promise<FolderListing> {
    const { engine, containerId, path } = folder;
    let entries: [string, vscode.FileType][];
    try {
      entries = await this.files.readDirectory(containerFileUri(engine, containerId, path));
    } catch (error) {
      const failure = error as Error & { code?: string };
      return { failure: listingFailureText(path, { code: failure.code, message: failure.message }) };
    }
    return { entries: await this.resolveSymlinks(engine, containerId, path, entries) };
  }

  /** The rows of a folder's listing: what went wrong, or its entries folders first. */
  private rowsOf(folder: FileRowPlace, listing: FolderListing): FileTreeNode[] {
    const { engine, containerId, path } = folder;
    if ('failure' in listing) return [this.row({ kind: 'filesError', engine, containerId, path, text: listing.failure })];
    return sortFolderEntries(listing.entries).map(({ name, folder: isFolder, symlink }) =>
      this.row({ kind: isFolder ? 'folder' : 'file', engine, containerId, path: childPath(path, name), symlink }),
    );
  }

  /** Each entry with whether it opens as a folder: a symlink's answer is its target's (the provider's `stat` resolves it). */
  private async resolveSymlinks(engine: string, containerId: string, path: string, entries: [string, vscode.FileType][]): Promise<(FolderEntry & { symlink: boolean })[]> {
    const rows = entries.map(([name, type]) => ({ name, folder: (type & vscode.FileType.Directory) !== 0, symlink: (type & vscode.FileType.SymbolicLink) !== 0 }));
    const links = rows.filter((row) => row.symlink);
    for (let at = 0; at < links.length; at += SYMLINK_CONCURRENCY) {
      await Promise.all(
        links.slice(at, at + SYMLINK_CONCURRENCY).map(async (link) => {
          // A dangling link stays a file: opening it says what is wrong.
          const stat = await this.files.stat(containerFileUri(engine, containerId, childPath(path, link.name))).catch(() => undefined);
          link.folder = stat !== undefined && (stat.type & vscode.FileType.Directory) !== 0;
        }),
      );
    }
    return rows;
  }

  /** Files written, made, renamed or deleted through the provider: the folders that held them are listed again if shown. */
  private changedThroughProvider(changes: readonly vscode.FileChangeEvent[]): void {
    const stale: FileTreeNode[] = [];
    for (const change of changes) {
      if (change.uri.scheme !== CONTAINER_SCHEME) continue;
      const { engine, id, path } = parseContainerPath(change.uri.authority, change.uri.path);
      const folder = parentFolder(path);
      if (folder === undefined) continue;
      if (change.type === vscode.FileChangeType.Deleted) this.forgetListings(engine, id, path);
      const folderId = fileRowId(engine, id, folder);
      const row = this.known(engine, id, folderId);
      const shown = this.listings.delete(folderId);
      const onItsWay = this.listing.delete(folderId);
      if (!row || !(shown || onItsWay)) continue;
      if (!stale.includes(row)) stale.push(row);
    }
    if (stale.length) this.redraw(stale);
  }

  /** Drops the listings of the folder at `path` and of every folder below it. */
  private forgetListings(engine: string, containerId: string, path: string): void {
    const id = fileRowId(engine, containerId, path);
    const below = path === '/' ? id : `${id}/`;
    for (const listings of [this.listings, this.listing]) for (const key of listings.keys()) if (key === id || key.startsWith(below)) listings.delete(key);
  }
}

/** A container's key among the kept rows: its engine and id (an id has no '/', so no two containers share one). */
function containerKey(engine: string, containerId: string): string {
  return `${engine}/${containerId}`;
}
