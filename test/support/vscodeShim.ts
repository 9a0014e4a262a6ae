// A stand-in for the `vscode` module, for running the extension's bundle (or
// its views) in plain Node: the classes the client constructs behave (events
// fire, tree items keep their fields), tree views, commands and context keys
// are recorded, and every other API answers with an inert stub so that
// activation runs its real code without an extension host. No VS Code cost is
// modelled: what runs on it measures the extension's own work only.
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShimRecord {
  /** Tree data providers by view id, as given to createTreeView / registerTreeDataProvider. */
  trees: Map<string, { provider: TreeProvider; view: Record<string, unknown> }>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  contexts: Map<string, unknown>;
  /** Settings answered by getConfiguration, by full key. */
  settings: Map<string, unknown>;
  /** Lines written to output channels. */
  output: string[];
}

export interface TreeProvider {
  getChildren(node?: unknown): unknown;
  getTreeItem(node: unknown): unknown;
  onDidChangeTreeData?: (listener: () => void) => { dispose(): void };
}

type Listener<T> = (value: T) => void;

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  command?: unknown;
  constructor(
    public label: unknown,
    public collapsibleState = 0,
  ) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(text: string): Uri {
    const url = new URL(text);
    return new Uri(url.protocol.slice(0, -1), decodeURIComponent(url.pathname), url.search.slice(1));
  }
  static from(parts: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '/', parts.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/'), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string; query?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path, change.query ?? this.query);
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

/** Anything: callable, constructible, every property another stub, never a thenable. */
function stub(name: string): any {
  const target = function () {
    return undefined;
  };
  return new Proxy(target, {
    get(_target, property) {
      if (property === 'then') return undefined;
      if (property === Symbol.toPrimitive) return () => `[vscode stub ${name}]`;
      if (property === 'dispose') return () => undefined;
      return stub(`${name}.${String(property)}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

/** With anything not listed answered by a stub. */
function withStubs<T extends object>(name: string, known: T): T {
  return new Proxy(known, {
    get(target, property) {
      if (property in target) return (target as Record<PropertyKey, unknown>)[property];
      if (property === 'then') return undefined;
      return stub(`${name}.${String(property)}`);
    },
  });
}

function event<T>(): (listener: Listener<T>) => Disposable {
  return new EventEmitter<T>().event;
}

function treeView(): Record<string, unknown> {
  return withStubs('TreeView', {
    visible: true,
    message: undefined,
    description: undefined,
    title: undefined,
    selection: [],
    onDidChangeVisibility: event(),
    onDidChangeSelection: event(),
    onDidExpandElement: event(),
    onDidCollapseElement: event(),
    dispose: () => undefined,
  });
}

function outputChannel(record: ShimRecord): unknown {
  const write = (line: string) => void record.output.push(line);
  return withStubs('OutputChannel', { info: write, warn: write, error: write, debug: write, trace: write, appendLine: write, append: write, show: () => undefined, dispose: () => undefined });
}

export function createVscodeShim(record: ShimRecord): unknown {
  const window = withStubs('window', {
    createOutputChannel: () => outputChannel(record),
    createTreeView: (id: string, options: { treeDataProvider: TreeProvider }) => {
      const view = treeView();
      record.trees.set(id, { provider: options.treeDataProvider, view });
      return view;
    },
    registerTreeDataProvider: (id: string, provider: TreeProvider) => {
      record.trees.set(id, { provider, view: treeView() });
      return new Disposable();
    },
    createStatusBarItem: () => withStubs('StatusBarItem', { show: () => undefined, hide: () => undefined, dispose: () => undefined }),
    onDidChangeActiveTextEditor: event(),
    onDidChangeVisibleTextEditors: event(),
    onDidCloseTerminal: event(),
    onDidOpenTerminal: event(),
    activeTextEditor: undefined,
    visibleTextEditors: [],
    terminals: [],
  });
  const commands = withStubs('commands', {
    registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
      record.commands.set(id, run);
      return new Disposable(() => record.commands.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      if (id === 'setContext') record.contexts.set(args[0] as string, args[1]);
      else return record.commands.get(id)?.(...args);
      return undefined;
    },
  });
  const workspace = withStubs('workspace', {
    getConfiguration: (section?: string) =>
      withStubs('WorkspaceConfiguration', {
        get: (key: string, fallback?: unknown) => {
          const full = section ? `${section}.${key}` : key;
          return record.settings.has(full) ? record.settings.get(full) : fallback;
        },
        has: (key: string) => record.settings.has(section ? `${section}.${key}` : key),
        update: async () => undefined,
      }),
    onDidChangeConfiguration: event(),
    onDidOpenTextDocument: event(),
    onDidCloseTextDocument: event(),
    onDidChangeTextDocument: event(),
    onDidSaveTextDocument: event(),
    onDidChangeWorkspaceFolders: event(),
    workspaceFolders: undefined,
    textDocuments: [],
    createFileSystemWatcher: () => withStubs('FileSystemWatcher', { onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose: () => undefined }),
  });
  return withStubs('vscode', {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    TreeItem,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Uri,
    window,
    commands,
    workspace,
    languages: withStubs('languages', {}),
    env: withStubs('env', { language: 'en', appName: 'shim', uiKind: 1 }),
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
  });
}

export function newShimRecord(): ShimRecord {
  return { trees: new Map(), commands: new Map(), contexts: new Map(), settings: new Map(), output: [] };
}

/** Makes `require('vscode')` answer the shim from now on, in this process. */
export function installVscodeShim(record: ShimRecord = newShimRecord()): ShimRecord {
  const shim = createVscodeShim(record);
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return shim;
    return original.call(this, request, parent, isMain);
  };
  return record;
}

/** A minimal ExtensionContext for `activate`, with paths under the extension's folder. */
export function fakeExtensionContext(extensionPath: string): { subscriptions: { dispose(): unknown }[]; asAbsolutePath(path: string): string } & Record<string, unknown> {
  const memento = () => {
    const values = new Map<string, unknown>();
    return { get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback), update: async (key: string, value: unknown) => void values.set(key, value), keys: () => [...values.keys()] };
  };
  return withStubs('ExtensionContext', {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalStorageUri: Uri.file(join(tmpdir(), 'berth-shim-global-storage')),
    asAbsolutePath: (path: string) => `${extensionPath}/${path}`,
    workspaceState: memento(),
    globalState: memento(),
    extensionMode: 1,
  });
}
