// The Files rows of the Containers view: their order, ids and paths, and the
// row shown when a folder cannot be listed (client/src/fileSystem/fileRows.ts,
// plain Node); then the rows themselves over a stand-in file system, with the
// VS Code API shimmed: what is listed when, and what a click opens; last, the
// Containers view over the client's mirror, letting go of a removed
// container's rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { childPath, fileRowId, listingFailureRowId, listingFailureText, parentFolder, sortFolderEntries } from '../../client/src/fileSystem/fileRows';
import type { ContainerSummary, EngineInfo } from '../../runtime/src/protocol/types';
import { installVscodeShim } from '../support/vscodeShim';

describe('container file rows (pure)', () => {
  it('lists folders first, then files, each by name as a person reads it', () => {
    const entries = [
      { name: 'www', folder: true },
      { name: 'README', folder: false },
      { name: 'bin', folder: true },
      { name: 'file10.txt', folder: false },
      { name: 'Etc', folder: true },
      { name: 'file9.txt', folder: false },
      { name: '.profile', folder: false },
    ];
    assert.deepEqual(
      sortFolderEntries(entries).map((entry) => entry.name),
      ['bin', 'Etc', 'www', '.profile', 'file9.txt', 'file10.txt', 'README'],
    );
    assert.equal(entries[0]!.name, 'www', 'the listing given is left as it was');
  });

  it('orders names that differ only in case the same way every time', () => {
    const once = sortFolderEntries([{ name: 'a', folder: false }, { name: 'A', folder: false }]).map((entry) => entry.name);
    const again = sortFolderEntries([{ name: 'A', folder: false }, { name: 'a', folder: false }]).map((entry) => entry.name);
    assert.deepEqual(once, again);
  });

  it('gives each row an id of its container and path, the same on every redraw, never shared with another container or engine', () => {
    assert.equal(fileRowId('local', 'abc', '/www/index.html'), 'files:local/abc:/www/index.html');
    assert.equal(fileRowId('local', 'abc', '/'), fileRowId('local', 'abc', '/'));
    const ids = new Set([fileRowId('local', 'abc', '/www'), fileRowId('local', 'abd', '/www'), fileRowId('remote', 'abc', '/www'), listingFailureRowId('local', 'abc', '/www')]);
    assert.equal(ids.size, 4);
  });

  it('joins and splits paths as the container sees them', () => {
    assert.equal(childPath('/', 'etc'), '/etc');
    assert.equal(childPath('/www', 'index.html'), '/www/index.html');
    assert.equal(parentFolder('/www/index.html'), '/www');
    assert.equal(parentFolder('/etc'), '/');
    assert.equal(parentFolder('/'), undefined);
  });

  it('says in one line which folder could not be listed and why', () => {
    assert.equal(listingFailureText('/root', { code: 'NoPermissions', message: 'container.files.list: /root: open: permission denied' }), 'Cannot list /root: permission denied');
    assert.equal(listingFailureText('/gone', { code: 'FileNotFound', message: 'berth-container://local/abc/gone' }), 'Cannot list /gone: it no longer exists');
    assert.equal(
      listingFailureText('/www', { code: 'Unavailable', message: 'container.files.list: Container abc is not running' }),
      'Cannot list /www: Container abc is not running',
      'the daemon’s reason, without the method name',
    );
    assert.equal(listingFailureText('/www', { message: '' }), 'Cannot list /www: the daemon gave no reason');
  });
});

describe('container file rows in the Containers view (shimmed VS Code)', () => {
  installVscodeShim();
  // Loaded after the shim, so their `import 'vscode'` gets it.
  const vscode = require('vscode') as typeof import('vscode');
  const { ContainerFilesTree } = require('../../client/src/views/containerFilesTree') as typeof import('../../client/src/views/containerFilesTree');
  type Tree = InstanceType<typeof ContainerFilesTree>;
  type Row = ReturnType<Tree['getChildren']>[number];
  const { File, Directory, SymbolicLink } = vscode.FileType;

  /** A container's file system as the provider answers it, counting the listings asked for. */
  function fakeFiles(folders: Record<string, [string, number][] | Error>, links: Record<string, number> = {}) {
    const listed: string[] = [];
    const pathOf = (uri: { path: string }) => uri.path.replace(/^\/[^/]+/, '') || '/';
    const files = {
      onDidChangeFile: () => ({ dispose: () => undefined }),
      readDirectory: async (uri: { path: string }) => {
        const path = pathOf(uri);
        listed.push(path);
        const folder = folders[path];
        if (folder instanceof Error) throw folder;
        if (!folder) throw Object.assign(new Error(`no folder ${path}`), { code: 'FileNotFound' });
        return folder;
      },
      stat: async (uri: { path: string }) => ({ type: links[pathOf(uri)] ?? File, ctime: 0, mtime: 0, size: 0 }),
    };
    return { files, listed };
  }

  /** Makes every listing of `files` wait until `release` is called. */
  function holdListings(files: ReturnType<typeof fakeFiles>['files']): { release: () => void; slow: Promise<void> } {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const readDirectory = files.readDirectory;
    files.readDirectory = async (uri) => {
      await slow;
      return readDirectory(uri);
    };
    return { release, slow };
  }

  /** The Files rows over `files`, with `children`: a folder's rows once listed (the view shows "Listing…" until its redraw). */
  function treeOver(files: unknown) {
    let redrawn: (() => void) | undefined;
    const redraws: string[] = [];
    const tree = new ContainerFilesTree(files as never, (rows) => {
      redraws.push(...rows.map((row) => row.path));
      redrawn?.();
    });
    const children = async (node: Row): Promise<Row[]> => {
      const rows = tree.getChildren(node);
      if (rows.length !== 1 || rows[0]!.kind !== 'filesListing') return rows;
      assert.equal(tree.getTreeItem(rows[0]!).label, 'Listing…');
      await new Promise<void>((resolve) => (redrawn = resolve));
      return tree.getChildren(node);
    };
    return { tree, children, redraws };
  }

  const labelOf = (tree: Tree, row: Row) => {
    const item = tree.getTreeItem(row);
    const label = item.label as unknown;
    return typeof label === 'string' ? label : (label as { path: string }).path.split('/').pop();
  };

  it('shows a folder’s entries folders first (a symlink to a folder is one), and lists it once however often the view redraws', async () => {
    const { files, listed } = fakeFiles(
      {
        '/': [
          ['www', Directory],
          ['zz.txt', File],
          ['lib', SymbolicLink | File],
          ['bin', Directory],
          ['motd', SymbolicLink | File],
        ],
        '/www': [['index.html', File]],
      },
      { '/lib': SymbolicLink | Directory },
    );
    const { tree, children, redraws } = treeOver(files);
    const root = tree.filesRow('local', 'abc', 'app');
    const rows = await children(root);
    assert.deepEqual(redraws, ['/'], 'the folder is redrawn once its entries are in');
    assert.deepEqual(rows.map((row) => [labelOf(tree, row), row.kind]), [
      ['bin', 'folder'],
      ['lib', 'folder'],
      ['www', 'folder'],
      ['motd', 'file'],
      ['zz.txt', 'file'],
    ]);
    const www = rows.find((row) => row.path === '/www')!;
    const inWww = await children(www);
    // The per-second redraw of the container's row asks again for every expanded row's children: answered at once, as before.
    for (let redraw = 0; redraw < 3; redraw++) {
      assert.strictEqual(tree.filesRow('local', 'abc', 'app'), root, 'the same Files row');
      assert.deepEqual(tree.getChildren(root), rows);
      assert.deepEqual(tree.getChildren(www), inWww);
    }
    assert.deepEqual(listed, ['/', '/www'], 'one listing per folder expanded');
    tree.collapsed(root);
    await children(root);
    await children(www);
    assert.deepEqual(listed, ['/', '/www', '/', '/www'], 'expanded again after collapsing, the folders are listed again');
  });

  it('opens a file from its row at its berth-container address, and names each row by a stable id', async () => {
    const { files } = fakeFiles({ '/': [['www', Directory]], '/www': [['index.html', File]] });
    const { tree, children } = treeOver(files);
    const [www] = await children(tree.filesRow('local', 'abc', 'app'));
    const [page] = await children(www!);
    const item = tree.getTreeItem(page!);
    const command = item.command as { command: string; arguments: { scheme: string; path: string }[] };
    assert.equal(command.command, 'vscode.open');
    assert.equal(command.arguments[0]!.scheme, 'berth-container');
    assert.equal(command.arguments[0]!.path, '/abc/www/index.html');
    assert.equal(item.id, 'files:local/abc:/www/index.html');
    assert.equal(item.contextValue, 'containerFile');
    assert.equal(tree.getTreeItem(www!).contextValue, 'containerFolder');
    assert.equal(tree.getTreeItem(www!).command, undefined, 'a folder expands rather than opens');
    assert.strictEqual(tree.getParent(page!), www, 'a file’s parent is its folder’s row (for reveal)');
    assert.strictEqual(tree.getParent(www!), tree.filesRow('local', 'abc', 'app'));
  });

  it('shows a folder it cannot list as one row saying why, and does not throw', async () => {
    const denied = Object.assign(new Error('container.files.list: /root: permission denied'), { code: 'NoPermissions' });
    const { files } = fakeFiles({ '/': [['root', Directory]], '/root': denied });
    const { tree, children } = treeOver(files);
    const [root] = await children(tree.filesRow('local', 'abc', 'app'));
    const rows = await children(root!);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'filesError');
    assert.equal(tree.getTreeItem(rows[0]!).label, 'Cannot list /root: permission denied');
    assert.deepEqual(tree.getChildren(rows[0]!), [], 'the failure row has nothing inside');
  });

  it('answers a folder’s children at once, even the first time (one "Listing…" row), and lists it once however often it is asked meanwhile', async () => {
    const { files, listed } = fakeFiles({ '/': [['www', Directory]] });
    const { release, slow } = holdListings(files);
    const { tree, redraws } = treeOver(files);
    const root = tree.filesRow('local', 'abc', 'app');
    const first = tree.getChildren(root);
    assert.deepEqual(first.map((row) => row.kind), ['filesListing']);
    assert.deepEqual(tree.getChildren(root), first, 'asked again by a redraw: the same row, no second listing');
    release();
    await slow;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(redraws, ['/']);
    assert.deepEqual(tree.getChildren(root).map((row) => row.path), ['/www']);
    assert.equal(listed.length, 1);
  });

  it('drops a listing that was collapsed while on its way: no redraw, and the next expansion lists again', async () => {
    const { files, listed } = fakeFiles({ '/': [['www', Directory]] });
    const { release } = holdListings(files);
    const { tree, redraws } = treeOver(files);
    const root = tree.filesRow('local', 'abc', 'app');
    tree.getChildren(root);
    tree.collapsed(root);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(redraws, []);
    assert.deepEqual(tree.getChildren(root).map((row) => row.kind), ['filesListing']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(listed.length, 2);
  });

  it('lets go of a removed container’s rows and listings, and keeps those of the containers still there', async () => {
    const { files, listed } = fakeFiles({ '/': [['www', Directory]], '/www': [['index.html', File]] });
    const { tree, children } = treeOver(files);
    const gone = tree.filesRow('local', 'gone', 'old');
    const [goneWww] = await children(gone);
    await children(goneWww!);
    const kept = tree.filesRow('local', 'kept', 'app');
    const keptRows = await children(kept);
    const sameIdOtherEngine = tree.filesRow('remote', 'gone', 'old');
    await children(sameIdOtherEngine);
    listed.length = 0;
    tree.forgetContainersExcept((engine, containerId) => !(engine === 'local' && containerId === 'gone'));
    assert.strictEqual(tree.filesRow('local', 'kept', 'app'), kept, 'a container still there keeps its rows');
    assert.deepEqual(tree.getChildren(kept), keptRows, 'and its listings');
    assert.strictEqual(tree.filesRow('remote', 'gone', 'old'), sameIdOtherEngine, 'the same id on another engine is another container');
    assert.deepEqual(tree.getChildren(gone), [], 'asked about a removed container’s row before the view drops it: nothing, and nothing listed');
    assert.deepEqual(tree.getChildren(goneWww!), []);
    assert.deepEqual(listed, []);
    assert.notStrictEqual(tree.filesRow('local', 'gone', 'old'), gone, 'nothing of it was kept');
  });

  it('keeps nothing of a listing on its way when its container is removed: no redraw, no rows', async () => {
    const { files, listed } = fakeFiles({ '/': [['www', Directory]] });
    const { release, slow } = holdListings(files);
    const { tree, redraws } = treeOver(files);
    const root = tree.filesRow('local', 'abc', 'app');
    tree.getChildren(root);
    tree.forgetContainersExcept(() => false);
    release();
    await slow;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(redraws, []);
    assert.deepEqual(tree.getChildren(root), [], 'the late answer made no rows that would bring the container back');
    assert.equal(listed.length, 1, 'and nothing is listed again');
  });
});

describe('the Containers view’s Files as containers come and go (shimmed VS Code)', () => {
  installVscodeShim();
  const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
  const { ContainersView } = require('../../client/src/views/containersView') as typeof import('../../client/src/views/containersView');
  const { Directory } = (require('vscode') as typeof import('vscode')).FileType;
  const engine: EngineInfo = { id: 'local', endpoint: 'unix:///var/run/docker.sock', source: 'test', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
  const running = (id: string): ContainerSummary => ({ id, name: `c-${id}`, image: 'busybox', imageId: 'sha256:1', command: 'sleep 300', state: 'running', status: 'Up 1 minute', created: new Date().toISOString(), ports: [], labels: {}, mounts: [], networks: [] });

  /** A view over two running containers, `app` and `db`, each open on its Files and listed. */
  async function viewOnTwoContainers() {
    const listed: string[] = [];
    const files = {
      onDidChangeFile: () => ({ dispose: () => undefined }),
      readDirectory: async (uri: { path: string }) => {
        listed.push(uri.path);
        return [['www', Directory]] as [string, number][];
      },
      stat: async () => ({ type: Directory, ctime: 0, mtime: 0, size: 0 }),
    };
    const state = new RuntimeState();
    state.setDaemon({ kind: 'connected', connection: {} as never });
    state.setEngines([engine]);
    state.resync({ engine: 'local', kind: 'container', items: [running('app'), running('db')] });
    const view = new ContainersView(state, files as never);
    const filesOf = (id: string) => {
      const row = view.getChildren().find((candidate) => candidate.kind === 'container' && candidate.container.id === id)!;
      return view.getChildren(row)[0]!;
    };
    const app = filesOf('app');
    const db = filesOf('db');
    view.getChildren(app);
    view.getChildren(db);
    await settle();
    const dbRows = view.getChildren(db);
    assert.deepEqual(dbRows.map((row) => row.kind), ['folder']);
    assert.deepEqual(listed.sort(), ['/app/', '/db/']);
    listed.length = 0;
    return { state, view, filesOf, app, db, dbRows, listed };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('lets go of a removed container’s Files and keeps the other containers’ listings', async () => {
    const { state, view, filesOf, app, db, dbRows, listed } = await viewOnTwoContainers();
    state.apply({ engine: 'local', kind: 'container', id: 'app', action: 'removed' });
    assert.deepEqual(view.getChildren(app), [], 'the removed container’s Files, asked about before the redraw drops it: nothing listed');
    assert.strictEqual(filesOf('db'), db, 'the other container keeps its rows');
    assert.deepEqual(view.getChildren(db), dbRows, 'and its listing');
    await settle();
    assert.deepEqual(listed, []);
    view.dispose();
  });

  it('keeps the Files of containers while their engine is away, and lets go of those removed meanwhile once it is back', async () => {
    const { state, view, filesOf, app, db, dbRows, listed } = await viewOnTwoContainers();
    state.setEngines([{ ...engine, health: { state: 'connecting' } }]);
    state.setEngines([engine]);
    state.resync({ engine: 'local', kind: 'container', items: [running('db')] });
    assert.strictEqual(filesOf('db'), db, 'a container still there keeps its rows');
    assert.deepEqual(view.getChildren(db), dbRows, 'and its listing: nothing listed again');
    assert.deepEqual(view.getChildren(app), []);
    await settle();
    assert.deepEqual(listed, []);
    view.dispose();
  });
});
