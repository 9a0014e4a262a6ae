import * as vscode from 'vscode';
import type { EngineInfo } from '../../../runtime/src/protocol/types';
import { engineHealthText, engineRoots } from '../engines/engineChoice';
import type { RuntimeState } from '../runtime/runtimeState';

/** A root row standing for one engine, or the reason it shows nothing. */
/** `named`: the row names the engine (when it is not under the engine's own root). */
export type EngineRootNode = { kind: 'engineRoot'; engine: EngineInfo } | { kind: 'engineTrouble'; engine: EngineInfo; named: boolean };

const SHOW_ALL = 'berth.engines.showAll';

/**
 * Wraps a view's tree so that, with `berth.engines.showAll` on and several
 * engines served, each engine is a root with that engine's objects inside
 * (drawn by the wrapped view through `RuntimeState.withEngine`); otherwise
 * the wrapped view is shown as it is, for the active engine. Every row keeps
 * its actions: the wrapped view's rows carry their engine (`OnEngine`), and a
 * command run on a row acts on that engine. Selecting a row makes its engine
 * the active one, so the palette, the status bar and the Swarm view follow
 * what the user is looking at. An active engine that cannot be reached shows one
 * row saying which and why (click: switch engine) when there are others to
 * pick; alone, the view is empty and its welcome content explains.
 */
export class EngineRootsTree<T extends object> implements vscode.TreeDataProvider<T | EngineRootNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T[] | void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Which engine each drawn row belongs to, while several are shown. */
  private readonly engineOf = new WeakMap<object, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /**
   * The wrapped view's, when it has one; absent otherwise, because VS Code asks
   * the extension on every hover of every row of a tree whose provider has it.
   */
  readonly resolveTreeItem?: (item: vscode.TreeItem, node: T | EngineRootNode, token: vscode.CancellationToken) => vscode.ProviderResult<vscode.TreeItem>;

  constructor(
    private readonly state: RuntimeState,
    private readonly inner: vscode.TreeDataProvider<T>,
  ) {
    const resolveInner = inner.resolveTreeItem?.bind(inner);
    if (resolveInner) {
      this.resolveTreeItem = (item, node, token) => {
        if (isEngineRow(node)) return item;
        const engine = this.engineOf.get(node);
        return engine && this.roots() ? this.state.withEngine(engine, () => resolveInner(item, node, token)) : resolveInner(item, node, token);
      };
    }
    this.subscriptions.push(
      state.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SHOW_ALL)) this.changed.fire();
      }),
    );
    // Rows the wrapped view names are redrawn alone (they are the very objects this tree handed out).
    if (inner.onDidChangeTreeData) this.subscriptions.push(inner.onDidChangeTreeData((rows) => this.changed.fire(Array.isArray(rows) ? rows : undefined)));
  }

  /** The view showing this tree: selecting a row there makes its engine the active one. */
  attach(tree: vscode.TreeView<T | EngineRootNode>): vscode.Disposable {
    return tree.onDidChangeSelection((event) => {
      const first = event.selection[0];
      if (!first) return;
      const engine = isEngineRow(first) ? first.engine.id : this.engineOf.get(first);
      if (engine && engine !== this.state.activeEngine?.id) this.state.chooseEngine(engine);
    });
  }

  private roots(): readonly EngineInfo[] | undefined {
    return engineRoots(this.state.engines, vscode.workspace.getConfiguration().get<boolean>(SHOW_ALL, false));
  }

  getChildren(node?: T | EngineRootNode): vscode.ProviderResult<(T | EngineRootNode)[]> {
    const roots = this.roots();
    if (!roots) {
      if (node && isEngineRow(node)) return [];
      const active = this.state.activeEngine;
      if (active && active.health.state !== 'ready') return this.state.engines.length > 1 ? [{ kind: 'engineTrouble', engine: active, named: true }] : [];
      return this.inner.getChildren(node as T | undefined);
    }
    if (!node) return roots.map((engine): EngineRootNode => ({ kind: 'engineRoot', engine }));
    if (isEngineRow(node)) {
      if (node.kind === 'engineTrouble') return [];
      if (node.engine.health.state !== 'ready') return [{ kind: 'engineTrouble', engine: node.engine, named: false }];
      return this.drawn(node.engine.id, () => this.inner.getChildren(undefined));
    }
    const engine = this.engineOf.get(node);
    return engine ? this.drawn(engine, () => this.inner.getChildren(node)) : [];
  }

  /**
   * For TreeView.reveal: the wrapped view's answer, and the engine's root above
   * its top rows while each engine is a root. A row not drawn yet is known by
   * the engine it carries (`OnEngine`).
   */
  getParent(node: T | EngineRootNode): vscode.ProviderResult<T | EngineRootNode> {
    if (isEngineRow(node) || !this.inner.getParent) return undefined;
    const engine = this.engineOf.get(node) ?? stampedEngine(node);
    if (engine) this.engineOf.set(node, engine);
    const parentIn = (parent: T | null | undefined): T | EngineRootNode | undefined => {
      if (parent) {
        if (engine) this.engineOf.set(parent, engine);
        return parent;
      }
      const root = this.roots()?.find((candidate) => candidate.id === engine);
      return root ? { kind: 'engineRoot', engine: root } : undefined;
    };
    const parent = engine ? this.state.withEngine(engine, () => this.inner.getParent!(node as T)) : this.inner.getParent(node as T);
    return parent && typeof (parent as Thenable<T>).then === 'function' ? Promise.resolve(parent as Thenable<T>).then(parentIn) : parentIn(parent as T | null | undefined);
  }

  getTreeItem(node: T | EngineRootNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (isEngineRow(node)) return engineRow(node, node.engine.id === this.state.activeEngine?.id);
    const engine = this.engineOf.get(node);
    if (!engine || !this.roots()) return this.inner.getTreeItem(node);
    const item = this.state.withEngine(engine, () => this.inner.getTreeItem(node));
    const mark = (drawn: vscode.TreeItem) => {
      if (drawn.id) drawn.id = `${engine}/${drawn.id}`;
      return drawn;
    };
    return item instanceof vscode.TreeItem ? mark(item) : Promise.resolve(item).then(mark);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  private drawn(engine: string, draw: () => vscode.ProviderResult<T[]>): vscode.ProviderResult<T[]> {
    const tag = (nodes: T[] | null | undefined) => {
      for (const child of nodes ?? []) this.engineOf.set(child, engine);
      return nodes;
    };
    const result = this.state.withEngine(engine, draw);
    return result && typeof (result as Thenable<T[]>).then === 'function' ? Promise.resolve(result as Thenable<T[]>).then(tag) : tag(result as T[] | null | undefined);
  }
}

function isEngineRow(node: object): node is EngineRootNode {
  const kind = (node as { kind?: unknown }).kind;
  return kind === 'engineRoot' || kind === 'engineTrouble';
}

function engineRow(node: EngineRootNode, active: boolean): vscode.TreeItem {
  const { engine } = node;
  if (node.kind === 'engineTrouble') {
    const health = engine.health.state === 'connecting' ? 'connecting…' : engineHealthText(engine);
    const item = new vscode.TreeItem(node.named ? `${engine.id} (${engine.endpoint}) is ${health}` : health);
    item.id = `${engine.id}/trouble`;
    if (node.named) {
      item.description = 'click to switch engine';
      item.command = { command: 'berth.engines.switch', title: 'Switch Engine' };
    }
    item.iconPath = new vscode.ThemeIcon(engine.health.state === 'connecting' ? 'loading~spin' : 'warning');
    item.tooltip = `${engine.endpoint}: ${engineHealthText(engine)}`;
    return item;
  }
  const item = new vscode.TreeItem(engine.id, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `engine:${engine.id}`;
  item.description = `${engine.endpoint}${active ? ' · active' : ''}`;
  item.tooltip = `${engine.endpoint} (from ${engine.source})\n${engineHealthText(engine)}`;
  item.contextValue = `engineRoot${active ? '.active' : ''}`;
  item.iconPath = new vscode.ThemeIcon(engine.health.state === 'ready' ? 'server-environment' : engine.health.state === 'connecting' ? 'loading~spin' : 'error');
  return item;
}

function stampedEngine(node: object): string | undefined {
  const engine = (node as { engine?: unknown }).engine;
  return typeof engine === 'string' ? engine : undefined;
}
