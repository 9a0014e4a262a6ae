/**
 * Reads YAML with the `yaml` package (fault tolerant, full YAML 1.2, reports
 * errors with positions) into the same raw tree as the fast reader. Used for
 * whatever the fast reader leaves alone, in particular every text with errors.
 */

import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Parser, type Node as YamlNode, type Scalar } from 'yaml';
import type { AnchorMark, ComposeFinding, ComposeNode, ComposePair, ComposeScalar, ScalarStyle, ScalarValue, TextRange } from '../types';
import { makePair } from '../nodes';
import { keyString, TreeBuilder } from './builder';
import { resolvePlain, type RawProblem } from './scalars';

export interface LibraryReadResult {
  roots: (ComposeNode | undefined)[];
  /** Syntax errors as the package reports them. */
  syntax: RawProblem[];
  /** Problems found while building the tree (duplicate keys, unknown anchors, bad merges). */
  problems: ComposeFinding[];
  /** Anchors and aliases as written, in text order. */
  anchors: AnchorMark[];
}

const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

export function libraryReadYaml(text: string, file = ''): LibraryReadResult {
  const syntax: RawProblem[] = [];
  const problems: ComposeFinding[] = [];
  const roots: (ComposeNode | undefined)[] = [];
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (error) {
    // The package recurses per nesting level; absurdly deep documents exhaust the stack.
    syntax.push({ range: { start: 0, end: Math.min(text.length, 1) }, message: `The document cannot be read (${error instanceof RangeError ? 'nested too deeply' : String(error)})` });
    return { roots: [], syntax, problems, anchors: [] };
  }
  const list = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(parsed)) {
    // An empty stream comes back as an EmptyStream with no documents (and possibly errors).
    for (const error of (parsed as { errors?: { pos: [number, number]; message: string }[] }).errors ?? []) syntax.push(problem(text, error));
  }
  const builder = new TreeBuilder(file, text, problems);
  const converter = new Converter(text, builder);
  for (const document of list) {
    for (const error of document.errors) syntax.push(problem(text, error));
    const contents = document.contents as YamlNode | null;
    const node = contents ? converter.node(contents) : undefined;
    const root = node && node.kind === 'scalar' && node.empty && node.tag === undefined && !(contents as { anchor?: string }).anchor ? undefined : node;
    builder.finishDocument(root);
    roots.push(root);
  }
  return { roots, syntax, problems, anchors: builder.marks.sort((a, b) => a.range.start - b.range.start) };
}

/**
 * Where each anchor name is written (`&name`), in text order, read from the
 * package's syntax tree (a second parse of the whole text: only for an anchor
 * the text around its node leaves in doubt, see Converter.anchorStart).
 */
function anchorOffsets(text: string): Map<string, number[]> {
  const offsets = new Map<string, number[]>();
  if (!text.includes('&')) return offsets;
  const visit = (token: unknown, depth: number): void => {
    if (depth > MAX_DEPTH * 4 || token === null || typeof token !== 'object') return;
    if (Array.isArray(token)) {
      for (const item of token) visit(item, depth + 1);
      return;
    }
    const candidate = token as { type?: unknown; offset?: unknown; source?: unknown };
    if (candidate.type === 'anchor' && typeof candidate.offset === 'number' && typeof candidate.source === 'string') {
      const name = candidate.source.slice(1);
      const list = offsets.get(name);
      if (list) list.push(candidate.offset);
      else offsets.set(name, [candidate.offset]);
      return;
    }
    for (const value of Object.values(token)) if (value !== null && typeof value === 'object') visit(value, depth + 1);
  };
  try {
    for (const token of new Parser().parse(text)) visit(token, 0);
  } catch {
    // Without places, anchors are simply not marked; the tree is unaffected.
  }
  for (const list of offsets.values()) list.sort((a, b) => a - b);
  return offsets;
}

function problem(text: string, error: { pos: [number, number]; message: string }): RawProblem {
  const start = clamp(error.pos?.[0] ?? 0, text.length);
  const end = Math.max(start, clamp(error.pos?.[1] ?? start, text.length));
  // The package appends " at line L, column C" (and a code excerpt with prettyErrors).
  const message = String(error.message).split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { range: { start, end }, message };
}

function clamp(offset: number, length: number): number {
  return Number.isFinite(offset) ? Math.max(0, Math.min(length, Math.floor(offset))) : 0;
}

/** What may stand between an anchor and its node when its place is read from the text: blanks, line breaks and tags. */
const PROPERTIES_ONLY = /^(?:[ \t\r\n]|![^\s#]*(?=[\s]|$))*$/;

/** Nesting deeper than this is cut (and reported), so every later traversal of the tree is shallow. */
const MAX_DEPTH = 400;

class Converter {
  private depth = 0;
  private reportedDepth = false;

  private anchorOffsets: Map<string, number[]> | undefined;

  constructor(
    private readonly text: string,
    private readonly builder: TreeBuilder,
  ) {}

  /** End of `[start, end)` without trailing whitespace. */
  private trimEnd(start: number, end: number): number {
    let at = Math.min(end, this.text.length);
    while (at > start) {
      const c = this.text.charCodeAt(at - 1);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at--;
    }
    return at;
  }

  /** Moves an empty node's offset back over the blanks the package counts into it. */
  private emptyOffset(offset: number): number {
    let at = clamp(offset, this.text.length);
    while (at > 0 && (this.text.charCodeAt(at - 1) === 0x20 || this.text.charCodeAt(at - 1) === 0x09)) at--;
    return at;
  }

  private range(node: YamlNode): TextRange {
    const r = node.range ?? [0, 0, 0];
    const start = clamp(r[0], this.text.length);
    return { start, end: Math.max(start, this.trimEnd(start, r[1])) };
  }

  node(node: YamlNode): ComposeNode {
    if (this.depth >= MAX_DEPTH) {
      const range = this.range(node);
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.builder.problems.push({ code: 'yaml-syntax', severity: 'error', file: this.builder.file, range, message: `Nested more than ${MAX_DEPTH} levels deep; the deeper content is ignored` });
      }
      return this.builder.empty(range.start);
    }
    this.depth++;
    try {
      return this.convert(node);
    } finally {
      this.depth--;
    }
  }

  private convert(node: YamlNode): ComposeNode {
    const builder = this.builder;
    if (isAlias(node)) {
      const range = this.range(node);
      return builder.alias(String(node.source), range.start, range.end);
    }
    if (isScalar(node)) return this.props(this.scalar(node), node);
    if (isMap(node)) {
      const pairs: ComposePair[] = [];
      let merges: ComposeNode[] | undefined;
      let end = -1;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as YamlNode | null;
        let key: string;
        let keyRange: TextRange;
        let isMerge = false;
        if (keyNode) {
          keyRange = this.range(keyNode);
          if (isScalar(keyNode)) {
            const scalar = this.scalar(keyNode);
            isMerge = scalar.style === 'plain' && scalar.raw === '<<';
            key = keyString(scalar.raw);
            keyRange = scalar.range;
          } else if (isAlias(keyNode)) {
            const target = builder.alias(String(keyNode.source), keyRange.start, keyRange.end);
            key = target.kind === 'scalar' ? keyString(target.value) : this.text.slice(target.range.start, target.range.end);
          } else {
            this.node(keyNode);
            key = this.text.slice(keyRange.start, keyRange.end);
          }
        } else {
          const at = this.emptyOffset((item.value as YamlNode | null)?.range?.[0] ?? node.range?.[0] ?? 0);
          keyRange = { start: at, end: at };
          key = 'null';
        }
        const value = item.value ? this.node(item.value as YamlNode) : builder.empty(keyRange.end);
        if (isMerge) (merges ??= []).push(value);
        else pairs.push(makePair(key, keyRange, builder.file, value));
        end = Math.max(end, keyRange.end, item.value ? this.textEnd(item.value as YamlNode, value) : value.range.end);
      }
      const start = clamp(node.range?.[0] ?? 0, this.text.length);
      const range = node.flow || end < 0 ? this.range(node) : { start, end: Math.max(start, end) };
      return this.props(builder.map(pairs, merges, range.start, range.end), node);
    }
    if (isSeq(node)) {
      const items: ComposeNode[] = [];
      let end = -1;
      for (const item of node.items) {
        const converted = item ? this.node(item as YamlNode) : builder.empty(this.emptyOffset(node.range?.[0] ?? 0));
        items.push(converted);
        end = Math.max(end, item ? this.textEnd(item as YamlNode, converted) : converted.range.end);
      }
      const start = clamp(node.range?.[0] ?? 0, this.text.length);
      const range = node.flow || end < 0 ? this.range(node) : { start, end: Math.max(start, end) };
      return this.props(builder.seq(items, range.start, range.end), node);
    }
    return builder.empty(0);
  }

  /** Where a node's own text ends: an alias's end, not its anchor's. */
  private textEnd(node: YamlNode, converted: ComposeNode): number {
    return isAlias(node) ? this.range(node).end : converted.range.end;
  }

  private scalar(node: Scalar): ComposeScalar {
    const style = STYLES[node.type ?? 'PLAIN'] ?? 'plain';
    const source = typeof node.source === 'string' ? node.source : node.value === null || node.value === undefined ? '' : String(node.value);
    if (style === 'plain' && source === '') return this.builder.empty(this.emptyOffset(node.range?.[0] ?? 0));
    let value: ScalarValue;
    if (style !== 'plain') value = source;
    else if (node.tag && node.tag !== '!reset' && node.tag !== '!override') {
      const v = node.value;
      value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : source;
    } else value = resolvePlain(source);
    const range = this.range(node);
    return this.builder.scalar(range.start, range.end, value, style);
  }

  private props<T extends ComposeNode>(result: T, node: YamlNode): T {
    const withProps = node as { anchor?: string; tag?: string };
    const anchor = withProps.anchor || undefined;
    return this.builder.props(result, anchor, withProps.tag || undefined, anchor === undefined ? undefined : this.anchorStart(anchor, node.range?.[0] ?? 0));
  }

  /**
   * The `&name` nearest before a node (properties precede their node). The
   * package's nodes know their anchor's name but not its place. Found in the
   * text when only blanks and tags stand between it and the node and no `#`
   * before it on its line could make it part of a comment; otherwise (rare)
   * from the syntax tree.
   */
  private anchorStart(name: string, nodeStart: number): number | undefined {
    const text = this.text;
    const at = nodeStart > 0 ? text.lastIndexOf(`&${name}`, nodeStart - 1) : -1;
    if (at >= 0) {
      const after = at + 1 + name.length;
      const lineStart = text.lastIndexOf('\n', at) + 1;
      if (after <= nodeStart && (at === 0 || /[\s[{,]/.test(text[at - 1]!)) && !text.slice(lineStart, at).includes('#') && PROPERTIES_ONLY.test(text.slice(after, nodeStart))) return at;
    }
    this.anchorOffsets ??= anchorOffsets(text);
    const list = this.anchorOffsets.get(name);
    if (!list) return undefined;
    let found: number | undefined;
    for (const offset of list) {
      if (offset >= nodeStart) break;
      found = offset;
    }
    return found;
  }
}
