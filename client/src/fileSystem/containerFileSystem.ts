import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import { RuntimeErrorCode, type ContainerSummary, type FileEntry } from '../../../runtime/src/protocol/types';
import { whenConnected } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { CONTAINER_SCHEME, parseContainerPath } from './containerUri';
import { pickContainer } from '../commands/pickers';
import type { ContainerNode } from '../views/containersView';

/**
 * Files inside a container as a VS Code file system, over the daemon's
 * container.files.* methods (the Engine API's archive calls): browse, open,
 * edit, save, create, rename and delete from the Explorer. Deleting goes
 * through the Explorer's own confirmation (this file system has no trash, so
 * VS Code asks before deleting for good).
 */
export class ContainerFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly state: RuntimeState) {}

  watch(): vscode.Disposable {
    // The engine reports no file events; what this provider changes is announced by itself.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = await this.call(uri, (connection, file) => connection.request('container.files.stat', file));
    let type = fileType(entry);
    if (entry.type === 'symlink') {
      // A link's kind is its target's: a folder if it can be listed.
      const listable = await this.call(uri, (connection, file) => connection.request('container.files.list', file)).then(
        () => true,
        () => false,
      );
      type = vscode.FileType.SymbolicLink | (listable ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return { type, ctime: entry.mtime, mtime: entry.mtime, size: entry.size, ...(entry.mode & 0o222 ? {} : { permissions: vscode.FilePermission.Readonly }) };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const entries = await this.call(uri, (connection, file) => connection.request('container.files.list', file));
    return entries.map((entry) => [entry.name, fileType(entry)]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { content } = await this.call(uri, (connection, file) => connection.request('container.files.read', file));
    return Buffer.from(content, 'base64');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    await this.call(uri, (connection, file) =>
      connection.request('container.files.write', { ...file, content: Buffer.from(content).toString('base64'), create: options.create, overwrite: options.overwrite }),
    );
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await this.call(uri, (connection, file) => connection.request('container.files.mkdir', file));
    this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    await this.call(uri, (connection, file) => connection.request('container.files.delete', { ...file, recursive: options.recursive }));
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = parseContainerPath(oldUri.authority, oldUri.path);
    const to = parseContainerPath(newUri.authority, newUri.path);
    if (from.engine !== to.engine || from.id !== to.id) throw vscode.FileSystemError.NoPermissions('files move between containers only by download and upload');
    await this.call(oldUri, (connection) => connection.request('container.files.rename', { engine: from.engine, id: from.id, from: from.path, to: to.path, overwrite: options.overwrite }));
    this.changed.fire([
      { type: vscode.FileChangeType.Deleted, uri: oldUri },
      { type: vscode.FileChangeType.Created, uri: newUri },
    ]);
  }

  /** One container.files.* call for the file `uri` names (`file`: its engine, container and path), its errors as VS Code's file system errors. */
  private async call<R>(uri: vscode.Uri, request: (connection: RuntimeConnection, file: { engine: string; id: string; path: string }) => Promise<R>): Promise<R> {
    const target = parseContainerPath(uri.authority, uri.path);
    let connection: RuntimeConnection;
    try {
      connection = await whenConnected(this.state);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable((error as Error).message);
    }
    try {
      return await request(connection, target);
    } catch (error) {
      throw fileSystemError(error as Error & { code?: number }, uri);
    }
  }
}

function fileType(entry: FileEntry): vscode.FileType {
  if (entry.type === 'directory') return vscode.FileType.Directory;
  if (entry.type === 'file') return vscode.FileType.File;
  if (entry.type === 'symlink') return vscode.FileType.SymbolicLink | vscode.FileType.File;
  return vscode.FileType.Unknown;
}

function fileSystemError(error: Error & { code?: number }, uri: vscode.Uri): vscode.FileSystemError {
  switch (error.code) {
    case RuntimeErrorCode.FileNotFound:
      return vscode.FileSystemError.FileNotFound(uri);
    case RuntimeErrorCode.FileExists:
      return vscode.FileSystemError.FileExists(uri);
    case RuntimeErrorCode.FileNotADirectory:
      return vscode.FileSystemError.FileNotADirectory(uri);
    case RuntimeErrorCode.FileIsADirectory:
      return vscode.FileSystemError.FileIsADirectory(uri);
    case RuntimeErrorCode.NoPermissions:
      return vscode.FileSystemError.NoPermissions(error.message);
    default:
      return vscode.FileSystemError.Unavailable(error.message);
  }
}

/** Shows a container's Files row in the Containers view, expanded. */
export type RevealContainerFiles = (engine: string, container: ContainerSummary) => Promise<void>;

/** A Files row of the Containers view, as the upload and download commands need it. */
interface FileRowTarget {
  kind: string;
  engine: string;
  containerId: string;
  path: string;
}

/** The `berth-container:` address a command was given: an Explorer resource, or a Files row of the Containers view. */
function targetUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target.scheme === CONTAINER_SCHEME ? target : undefined;
  const row = target as Partial<FileRowTarget> | undefined;
  if (typeof row?.engine !== 'string' || typeof row.containerId !== 'string' || typeof row.path !== 'string' || !['files', 'folder', 'file'].includes(row.kind ?? '')) return undefined;
  return containerFileUri(row.engine, row.containerId, row.path);
}

/** The `berth-container:` address of a path inside a container. */
export function containerFileUri(engine: string, containerId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CONTAINER_SCHEME, authority: engine, path: `/${containerId}${path}` });
}

/**
 * The container files scheme, and the commands over it: Browse Files (the
 * container's Files in the Containers view), Add Container Files to Workspace
 * (its root as a workspace folder), upload and download.
 */
export function registerContainerFiles(context: vscode.ExtensionContext, state: RuntimeState, files: ContainerFileSystem, revealFiles: RevealContainerFiles, log: (line: string) => void): void {
  const fail = (error: Error) => {
    log(`container files: ${error.message}`);
    void vscode.window.showErrorMessage(`Berth: ${error.message}`);
  };
  /** The running container a command acts on (its row's, else one the user picks) and its engine. */
  const runningContainer = async (node: ContainerNode | undefined): Promise<{ engine: string; container: ContainerSummary } | undefined> => {
    const engine = engineOf(state, node);
    if (!engine) {
      fail(new Error('no engine is ready'));
      return undefined;
    }
    const container = await pickContainer(state, node, (c) => c.state === 'running');
    return container && { engine, container };
  };
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(CONTAINER_SCHEME, files, { isCaseSensitive: true }),
    // In the Containers view: adding a workspace folder would turn a single-folder window into a multi-root workspace, which reloads it.
    vscode.commands.registerCommand('berth.container.browseFiles', async (node?: ContainerNode) => {
      const target = await runningContainer(node);
      if (!target) return;
      log(`browse files of ${target.container.name}`);
      try {
        await revealFiles(target.engine, target.container);
      } catch (error) {
        fail(new Error(`could not show the files of ${target.container.name}: ${(error as Error).message}`));
      }
    }),
    vscode.commands.registerCommand('berth.container.addFilesToWorkspace', async (node?: ContainerNode) => {
      const target = await runningContainer(node);
      if (!target) return;
      const { engine, container } = target;
      const uri = containerFileUri(engine, container.id, '/');
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.some((folder) => folder.uri.toString() === uri.toString())) {
        await vscode.commands.executeCommand('workbench.view.explorer');
        return;
      }
      log(`add the files of ${container.name} to the workspace`);
      if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name: `${container.name} (container)` })) fail(new Error(`could not add ${container.name} as a workspace folder`));
      else await vscode.commands.executeCommand('workbench.view.explorer');
    }),
    vscode.commands.registerCommand('berth.container.upload', async (chosen?: unknown) => {
      try {
        const folder = targetUri(chosen);
        if (!folder) return fail(new Error('choose a folder of a container: under its Files in the Containers view (Browse Files), or in the Explorer'));
        const stat = await vscode.workspace.fs.stat(folder);
        const target = stat.type & vscode.FileType.Directory ? folder : vscode.Uri.joinPath(folder, '..');
        const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Upload', title: `Upload into ${target.path.replace(/^\/[^/]+/, '') || '/'}` });
        if (!picked?.length) return;
        for (const file of picked) {
          const destination = vscode.Uri.joinPath(target, file.path.split('/').pop()!);
          const exists = await vscode.workspace.fs.stat(destination).then(
            () => true,
            () => false,
          );
          if (exists) {
            const answer = await vscode.window.showWarningMessage(`${destination.path.replace(/^\/[^/]+/, '')} exists in the container. Replace it?`, { modal: true, detail: 'Its current content is lost.' }, 'Replace');
            if (!answer) continue;
          }
          await vscode.workspace.fs.writeFile(destination, await vscode.workspace.fs.readFile(file));
        }
      } catch (error) {
        fail(error as Error);
      }
    }),
    vscode.commands.registerCommand('berth.container.download', async (chosen?: unknown) => {
      try {
        const file = targetUri(chosen);
        if (!file) return fail(new Error('choose a file of a container: under its Files in the Containers view (Browse Files), or in the Explorer'));
        const name = file.path.split('/').pop() || 'file';
        const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(homedir()), name), saveLabel: 'Download' });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(file));
        void vscode.window.showInformationMessage(`Berth: downloaded ${name} to ${target.fsPath}.`);
      } catch (error) {
        fail(error as Error);
      }
    }),
  );
}
