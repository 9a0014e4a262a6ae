/**
 * Builds `ComposeNode` trees for both YAML readers (the fast reader and the
 * `yaml` package fallback), so anchors, aliases, merge keys and duplicate keys
 * are handled by one piece of code:
 * - an alias shares the node of its anchor (the tree is a DAG whose nodes keep
 *   the anchor's ranges); an anchor is usable once its node is complete;
 * - merge keys (`<<: *a`, `<<: [*a, *b]`) as compose's go-yaml applies them:
 *   explicit keys win, and among merged mappings the first wins;
 * - duplicate keys are reported (compose rejects them) and the later value kept;
 * - expansion is bounded: an alias that would make the document expand past
 *   `MAX_EXPANDED_NODES` nodes ("billion laughs") is replaced by an empty value
 *   and reported, so every later traversal stays linear.
 */

import { makeMap, makeScalar, makeSeq } from '../nodes';
import { NODE_SHARED, nodeFlags, type AnchorMark, type ComposeFinding, type ComposeMap, type ComposeNode, type ComposePair, type ComposeScalar, type ComposeSeq, type ScalarStyle, type ScalarValue, type TextRange } from '../types';

export const MAX_EXPANDED_NODES = 250_000;

interface PendingProblem {
  map: ComposeMap;
  key: string;
  range: TextRange;
  message: (path: string) => string;
  code: string;
}

/** Mappings that took pairs from merge keys. */
const MERGED = new WeakSet<ComposeMap>();

/** @internal Whether a mapping has pairs from merge keys (so not all of its pairs are written in it). */
export function hasMergedPairs(map: ComposeMap): boolean {
  return MERGED.has(map);
}

/** @internal An anchor's node and where `&name` is written. */
export interface AnchorTarget {
  name: string;
  start: number;
  node: ComposeNode;
}

export class TreeBuilder {
  private anchors = new Map<string, ComposeNode>();
  private expanded = 0;
  private reportedExpansion = false;
  private sizes: Map<ComposeNode, number> | undefined;
  private pending: PendingProblem[] | undefined;
  private lineStarts: number[] | undefined;
  private document = 0;
  /** Every anchor and alias read, in the order they were built. */
  readonly marks: AnchorMark[] = [];
  /** @internal Each anchor's node with where `&name` is written, in the order they were built (for re-reading part of a file). */
  readonly targets: AnchorTarget[] = [];
  /** @internal How many nodes aliases expanded to, per finished document. */
  readonly expandedPerDocument: number[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly problems: ComposeFinding[],
  ) {}

  scalar(start: number, end: number, value: ScalarValue, style: ScalarStyle): ComposeScalar {
    return makeScalar(this.file, { start, end }, value, value, style);
  }

  empty(at: number): ComposeScalar {
    return makeScalar(this.file, { start: at, end: at }, null, null, 'plain', undefined, true);
  }

  /** Sets a node's tag and registers its anchor (call once the node is complete); `anchorStart` is where `&name` is written. */
  props<T extends ComposeNode>(node: T, anchor: string | undefined, tag: string | undefined, anchorStart?: number): T {
    if (tag !== undefined) node.tag = tag;
    if (anchor !== undefined) {
      this.anchors.set(anchor, node);
      if (anchorStart !== undefined) {
        this.marks.push({ kind: 'anchor', name: anchor, range: { start: anchorStart, end: anchorStart + 1 + anchor.length }, document: this.document });
        this.targets.push({ name: anchor, start: anchorStart, node });
      }
    }
    return node;
  }

  hasAnchor(name: string): boolean {
    return this.anchors.has(name);
  }

  /** @internal Starts reading in the middle of a document: the anchors defined before, and the aliases expanded so far. */
  resume(anchors: Map<string, ComposeNode>, expanded: number): void {
    this.anchors = anchors;
    this.expanded = expanded;
  }

  /** @internal How many nodes aliases have expanded to in the current document. */
  get expandedNodes(): number {
    return this.expanded;
  }

  /** @internal Whether problems wait for the end of the document (duplicate keys, bad merges). */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** The node an alias stands for; an unknown anchor or a too large expansion gives an empty value and a problem. */
  alias(name: string, start: number, end: number): ComposeNode {
    this.marks.push({ kind: 'alias', name, range: { start, end }, document: this.document });
    const target = this.anchors.get(name);
    if (!target) {
      this.problems.push({ code: 'yaml-syntax', severity: 'error', file: this.file, range: { start, end }, message: `Unknown anchor "${name}": an alias must come after the anchor it refers to` });
      return this.empty(start);
    }
    this.expanded += this.sizeOf(target);
    if (this.expanded > MAX_EXPANDED_NODES) {
      if (!this.reportedExpansion) {
        this.reportedExpansion = true;
        this.problems.push({
          code: 'yaml-syntax',
          severity: 'error',
          file: this.file,
          range: { start, end },
          message: `Too many aliases: expanding "*${name}" makes the document larger than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes, so it is left empty`,
        });
      }
      return this.empty(start);
    }
    if (target.kind !== 'scalar') target.flags = (target.flags ?? 0) | NODE_SHARED;
    return target;
  }

  seq(items: ComposeNode[], start: number, end: number): ComposeSeq {
    let flags = 0;
    for (const item of items) flags |= nodeFlags(item);
    return makeSeq(this.file, { start, end }, items, flags);
  }

  /**
   * A mapping from its explicit pairs (in order, duplicates included) and the
   * values of its merge keys.
   */
  map(pairs: ComposePair[], merges: ComposeNode[] | undefined, start: number, end: number): ComposeMap {
    const node = makeMap(this.file, { start, end }, pairs, 0);
    if (pairs.length > 1) this.removeDuplicates(node);
    if (merges) {
      this.applyMerges(node, merges);
      MERGED.add(node);
    }
    let flags = 0;
    for (const pair of node.pairs) flags |= nodeFlags(pair.value);
    node.flags = flags;
    return node;
  }

  /** Reports what needed the path of a node (duplicate keys, bad merges) once the document's root is known. */
  finishDocument(root: ComposeNode | undefined): void {
    this.expandedPerDocument.push(this.expanded);
    this.document++;
    this.anchors = new Map();
    this.sizes = undefined;
    this.expanded = 0;
    this.reportedExpansion = false;
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || !root) return;
    const wanted = new Set(pending.map((problem) => problem.map));
    const paths = new Map<ComposeMap, (string | number)[]>();
    const visited = new Set<ComposeNode>();
    const walk = (node: ComposeNode, path: (string | number)[]) => {
      if (visited.has(node)) return;
      visited.add(node);
      if (node.kind === 'map') {
        if (wanted.has(node)) paths.set(node, [...path]);
        for (const pair of node.pairs) {
          path.push(pair.key);
          walk(pair.value, path);
          path.pop();
        }
      } else if (node.kind === 'seq') {
        node.items.forEach((item, index) => {
          path.push(index);
          walk(item, path);
          path.pop();
        });
      }
    };
    walk(root, []);
    for (const problem of pending) {
      const path = paths.get(problem.map) ?? [];
      this.problems.push({ code: problem.code, severity: 'error', file: this.file, range: problem.range, message: problem.message(pathText([...path, problem.key])) });
    }
  }

  private removeDuplicates(node: ComposeMap): void {
    const pairs = node.pairs;
    let duplicates: Set<ComposePair> | undefined;
    const report = (earlier: ComposePair, later: ComposePair) => {
      (duplicates ??= new Set()).add(earlier);
      const line = this.lineOf(earlier.keyRange.start);
      (this.pending ??= []).push({
        map: node,
        key: later.key,
        range: later.keyRange,
        code: 'duplicate-key',
        message: (path) => `${path}: duplicate key "${later.key}" (already defined on line ${line}); compose rejects the file`,
      });
    };
    if (pairs.length <= 12) {
      for (let i = 1; i < pairs.length; i++) {
        for (let j = i - 1; j >= 0; j--) {
          if (pairs[j]!.key === pairs[i]!.key && !duplicates?.has(pairs[j]!)) {
            report(pairs[j]!, pairs[i]!);
            break;
          }
        }
      }
    } else {
      const seen = new Map<string, ComposePair>();
      for (const pair of pairs) {
        const earlier = seen.get(pair.key);
        if (earlier) report(earlier, pair);
        seen.set(pair.key, pair);
      }
    }
    if (duplicates) node.pairs = pairs.filter((pair) => !duplicates!.has(pair));
  }

  private applyMerges(node: ComposeMap, merges: ComposeNode[]): void {
    const sources: ComposeMap[] = [];
    for (const value of merges) {
      if (value.kind === 'map') sources.push(value);
      else if (value.kind === 'seq' && value.items.every((item) => item.kind === 'map')) sources.push(...(value.items as ComposeMap[]));
      else if (!(value.kind === 'scalar' && value.empty)) {
        (this.pending ??= []).push({
          map: node,
          key: '<<',
          range: value.range,
          code: 'yaml-syntax',
          message: (path) => `${path}: a merge key needs a mapping or a list of mappings (usually aliases such as *defaults)`,
        });
      }
    }
    if (sources.length === 0) return;
    const seen = new Set(node.pairs.map((pair) => pair.key));
    const merged = [...node.pairs];
    for (const source of sources) {
      for (const pair of source.pairs) {
        if (seen.has(pair.key)) continue;
        seen.add(pair.key);
        merged.push(pair);
      }
    }
    node.pairs = merged;
  }

  private sizeOf(node: ComposeNode): number {
    if (node.kind === 'scalar') return 1;
    this.sizes ??= new Map();
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === 'map') for (const pair of node.pairs) size += this.sizeOf(pair.value);
    else for (const item of node.items) size += this.sizeOf(item);
    this.sizes.set(node, size);
    return size;
  }

  private lineOf(offset: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/** The string compose sees for a key. */
export function keyString(value: ScalarValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  return String(value);
}

/** `services.web.ports[0]`; keys that are not simple words are bracketed and quoted. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (isWord(part)) out += (out ? '.' : '') + part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(root)';
}

function isWord(part: string): boolean {
  if (part.length === 0) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2f || c === 0x40 || c === 0x24 || c === 0x3c;
    if (!ok) return false;
  }
  return true;
}
