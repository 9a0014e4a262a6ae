/**
 * A fast reader for the YAML that compose files are made of: block mappings and
 * sequences, plain and single-line quoted scalars, literal and folded block
 * scalars, flow collections, comments, anchors, aliases, merge keys,
 * `!reset`/`!override` tags and several documents.
 *
 * It exists for speed (the `yaml` package takes hundreds of milliseconds on a
 * 1,000-service file; this reader a few) and is deliberately partial: whenever
 * it meets anything outside that subset, or anything that might be a syntax
 * error, it gives up (`undefined`) and the caller reads the text with the
 * `yaml` package instead, which also reports the errors. On what it accepts it
 * builds exactly the tree the fallback builds (a differential test over
 * mutated compose files holds it to that).
 */

import type { AnchorMark, ComposeFinding, ComposeNode, ComposePair, ComposeScalar, ScalarStyle, ScalarValue } from '../types';
import { makePair } from '../nodes';
import { keyString, TreeBuilder, type AnchorTarget } from './builder';
import { hashStep, sharedPlain, sharedText } from './sharedStrings';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const AMPERSAND = 0x26;
const BANG = 0x21;
const STAR = 0x2a;
const PIPE = 0x7c;
const GT = 0x3e;

/** Thrown (and caught in `fastReadYaml`) to give up on the fast path. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

/** Characters the `yaml` package (or the YAML spec) treats specially: their presence sends the text to the fallback. */
export const SUSPICIOUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]/;
export const LONE_CR = /\r(?!\n)/;

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

interface Props {
  anchor: string | undefined;
  /** Where `&anchor` is written. */
  anchorStart: number | undefined;
  tag: string | undefined;
  /** Offset after the last property. */
  end: number;
}

type Context = 'doc' | 'value' | 'item' | 'below';

export interface FastReadResult {
  roots: (ComposeNode | undefined)[];
  problems: ComposeFinding[];
  /** Anchors and aliases as written, in text order. */
  anchors: AnchorMark[];
  /** @internal Each anchor's node, in text order (for re-reading part of the file later). */
  targets: AnchorTarget[];
  /** @internal Nodes aliases expanded to, per document. */
  expanded: number[];
}

/** Where to read the entries of one block mapping from, in the middle of a document (see `fastReadEntries`). */
export interface EntriesAt {
  /** Where the first entry's line has its content (a key, or a comment or blank line before one). */
  from: number;
  /** The start of that line. */
  lineStart: number;
  /** The mapping's column. */
  indent: number;
  /** Where reading stops: the next entry's key, the parent's next key, or the end of the text. */
  until: number;
  /** Collections open around the entries (the document's root mapping counts one). */
  depth: number;
  /** Anchors defined before `from`. */
  anchors: Map<string, ComposeNode>;
  /** Nodes aliases expanded to before `from`. */
  expanded: number;
}

export interface EntriesRead {
  pairs: ComposePair[];
  /** Where the mapping would end after these entries (the end of the last value's text), or -1 without entries. */
  end: number;
  marks: AnchorMark[];
  targets: AnchorTarget[];
  expanded: number;
}

/**
 * Reads the entries of a block mapping between two offsets of a text, as
 * reading the whole text would; undefined when that is not certain: anything
 * the fast reader leaves to the fallback, a problem (the fresh parse reports
 * it with its path), a merge key (it changes the mapping's other pairs), or
 * the text at `until` not being where the entries end.
 */
export function fastReadEntries(text: string, file: string, at: EntriesAt): EntriesRead | undefined {
  const reader = new Reader(text, file);
  try {
    return reader.entries(at);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

/** Reads `text` as YAML, or returns undefined when the fast path does not apply. */
export function fastReadYaml(text: string, file = ''): FastReadResult | undefined {
  if (SUSPICIOUS.test(text) || (text.includes('\r') && LONE_CR.test(text))) return undefined;
  try {
    return new Reader(text, file).stream();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

function fail(): never {
  throw UNSUPPORTED;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

class Reader {
  private pos = 0;
  private lineStart = 0;
  private readonly len: number;
  private readonly builder: TreeBuilder;
  private readonly problems: ComposeFinding[] = [];
  // The last scalar scanned (keys are scanned without building a node).
  private scanStart = 0;
  private scanEnd = 0;
  private scanValue: ScalarValue = null;
  private scanStyle: ScalarStyle = 'plain';
  /** End of the text of the last value read (an alias's own end, not its anchor's). */
  private lastEnd = 0;
  /** Collections currently open (deeper documents go to the fallback, which bounds them). */
  private depth = 0;
  /**
   * The pairs and items of the collections being read, innermost last. Each
   * collection's array is cut out of it at its exact length: an array grown by
   * `push` keeps room to spare, which a tree of thousands of small mappings
   * would keep too.
   */
  private readonly entryStack: unknown[] = [];
  private entryTop = 0;

  constructor(
    private readonly text: string,
    file: string,
  ) {
    this.len = text.length;
    this.builder = new TreeBuilder(file, text, this.problems);
  }

  stream(): FastReadResult {
    const roots: (ComposeNode | undefined)[] = [];
    let pendingMarker = false;
    for (;;) {
      if (!this.skipToContent()) {
        if (pendingMarker) this.emptyDocument(roots);
        break;
      }
      if (this.pos === this.lineStart && this.isMarker(DASH)) {
        if (pendingMarker) this.emptyDocument(roots);
        this.pos += 3;
        pendingMarker = true;
        this.endOfLine();
        continue;
      }
      if (this.pos === this.lineStart && (this.isMarker(0x2e) || this.text.charCodeAt(this.pos) === 0x25)) fail();
      const node = this.nodeHere(-1, 'doc', undefined);
      const root = node.kind === 'scalar' && node.empty && node.tag === undefined ? undefined : node;
      this.builder.finishDocument(root);
      roots.push(root);
      pendingMarker = false;
      if (!this.skipToContent()) break;
      if (!(this.pos === this.lineStart && this.isMarker(DASH))) fail();
    }
    const builder = this.builder;
    return { roots, problems: this.problems, anchors: builder.marks.sort((a, b) => a.range.start - b.range.start), targets: builder.targets.sort((a, b) => a.start - b.start), expanded: builder.expandedPerDocument };
  }

  entries(at: EntriesAt): EntriesRead | undefined {
    const builder = this.builder;
    builder.resume(at.anchors, at.expanded);
    this.pos = at.from;
    this.lineStart = at.lineStart;
    this.depth = at.depth;
    const { indent, until } = at;
    const pairs: ComposePair[] = [];
    let end = -1;
    let more = this.skipToContent();
    while (more && this.pos !== until) {
      if (this.pos > until || this.atDocumentBoundary() || this.col() !== indent) fail();
      this.mappingKey();
      const keyStart = this.scanStart;
      const keyEnd = this.scanEnd;
      if (keyEnd - keyStart > 1024 || (this.scanStyle === 'plain' && this.scanValue === '<<')) fail();
      const key = keyString(this.scanValue);
      // at ':'
      this.pos++;
      const value = this.valueAfterIndicator(indent, this.pos, 'value');
      pairs.push(makePair(key, { start: keyStart, end: keyEnd }, builder.file, value));
      end = Math.max(keyEnd, this.lastEnd);
      more = this.skipToContent();
    }
    if (!more && until !== this.len) fail();
    if (this.problems.length > 0 || builder.hasPending) return undefined;
    return {
      pairs,
      end,
      marks: builder.marks.sort((a, b) => a.range.start - b.range.start),
      targets: builder.targets.sort((a, b) => a.start - b.start),
      expanded: builder.expandedNodes,
    };
  }

  /** A document with nothing in it (it still counts, for the document index of anchors). */
  private emptyDocument(roots: (ComposeNode | undefined)[]): void {
    this.builder.finishDocument(undefined);
    roots.push(undefined);
  }

  // ---------------------------------------------------------------- helpers

  private addEntry(entry: ComposePair | ComposeNode): void {
    this.entryStack[this.entryTop++] = entry;
  }

  /** The entries added since the stack's top was `from`, as an array of their own. */
  private takeEntries<T>(from: number): T[] {
    const entries = this.entryStack.slice(from, this.entryTop) as T[];
    this.entryTop = from;
    return entries;
  }

  private col(): number {
    return this.pos - this.lineStart;
  }

  private isEol(at: number): boolean {
    if (at >= this.len) return true;
    const c = this.text.charCodeAt(at);
    return c === LF || (c === CR && this.text.charCodeAt(at + 1) === LF);
  }

  /** Space, tab or end of line at `at` (what makes `:`, `-`, `?` indicators). */
  private isBlankOrEol(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return c === SPACE || c === TAB || this.isEol(at);
  }

  /** `---` or `...` at the position, followed by a blank or the end of the line. */
  private isMarker(ch: number): boolean {
    const text = this.text;
    const at = this.pos;
    return text.charCodeAt(at) === ch && text.charCodeAt(at + 1) === ch && text.charCodeAt(at + 2) === ch && this.isBlankOrEol(at + 3);
  }

  private atDocumentBoundary(): boolean {
    return this.pos === this.lineStart && (this.isMarker(DASH) || this.isMarker(0x2e));
  }

  private skipSpaces(): void {
    const text = this.text;
    let at = this.pos;
    while (text.charCodeAt(at) === SPACE) at++;
    this.pos = at;
  }

  /** Moves past the line break at `pos` (which must be at the end of a line). */
  private newline(): void {
    if (this.pos >= this.len) return;
    if (this.text.charCodeAt(this.pos) === CR) this.pos++;
    this.pos++;
    this.lineStart = this.pos;
  }

  /**
   * Skips blank lines, comment lines and line breaks up to the next content,
   * returning false at the end of the text. Starts at a line start, at the end
   * of a line, or at content.
   */
  private skipToContent(): boolean {
    const text = this.text;
    for (;;) {
      this.skipSpaces();
      if (this.pos >= this.len) return false;
      const c = text.charCodeAt(this.pos);
      if (c === TAB) fail();
      if (c === HASH) {
        if (this.pos > this.lineStart && text.charCodeAt(this.pos - 1) !== SPACE) fail();
        while (!this.isEol(this.pos)) this.pos++;
      }
      if (this.isEol(this.pos)) {
        if (this.pos >= this.len) return false;
        this.newline();
        continue;
      }
      return true;
    }
  }

  /** After a value on a line: spaces, an optional comment, then the end of the line (consumed). */
  private endOfLine(): void {
    const before = this.pos;
    this.skipSpaces();
    if (this.text.charCodeAt(this.pos) === HASH) {
      if (this.pos === before && this.pos > this.lineStart) fail();
      while (!this.isEol(this.pos)) this.pos++;
    }
    if (!this.isEol(this.pos)) fail();
    this.newline();
  }

  /** True when only spaces and possibly a comment remain on the line. */
  private restIsEmpty(): boolean {
    let at = this.pos;
    while (this.text.charCodeAt(at) === SPACE) at++;
    if (this.text.charCodeAt(at) === HASH) return at > this.pos || at === this.lineStart;
    return this.isEol(at);
  }

  // ---------------------------------------------------------------- nodes

  /** Properties (`&anchor`, `!tag`) at the position, each followed by a space or the end of the line. */
  private props(): Props | undefined {
    let props: Props | undefined;
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c !== AMPERSAND && c !== BANG) return props;
      props ??= { anchor: undefined, anchorStart: undefined, tag: undefined, end: this.pos };
      const start = this.pos + 1;
      let at = start;
      for (;;) {
        if (at >= this.len) break;
        const d = text.charCodeAt(at);
        if (d === SPACE || d === TAB || d === LF || d === CR || isFlowIndicator(d)) break;
        at++;
      }
      const name = text.slice(start, at);
      if (name.length === 0 || !(text.charCodeAt(at) === SPACE || this.isEol(at))) fail();
      if (c === AMPERSAND) {
        if (props.anchor !== undefined) fail();
        props.anchor = name;
        props.anchorStart = start - 1;
      } else {
        if (props.tag !== undefined || (name !== 'reset' && name !== 'override')) fail();
        props.tag = '!' + name;
      }
      this.pos = at;
      props.end = at;
      this.skipSpaces();
    }
  }

  private finish<T extends ComposeNode>(node: T, props: Props | undefined): T {
    return props ? this.builder.props(node, props.anchor, props.tag, props.anchorStart) : node;
  }

  private empty(at: number, props: Props | undefined): ComposeScalar {
    this.lastEnd = at;
    return this.finish(this.builder.empty(at), props);
  }

  /**
   * The node whose content starts on a later line (after `key:`, `-` or
   * properties ending their line). `parent` is the indentation of the enclosing
   * collection; `emptyAt` where an absent value is placed.
   */
  private nodeBelow(parent: number, emptyAt: number, props: Props | undefined, sequenceAtParentIndent: boolean): ComposeNode {
    if (!this.skipToContent() || this.atDocumentBoundary()) return this.empty(emptyAt, props);
    const column = this.col();
    if (column > parent) return this.nodeHere(parent, 'below', props);
    if (column === parent && sequenceAtParentIndent && this.text.charCodeAt(this.pos) === DASH && this.isBlankOrEol(this.pos + 1)) {
      return this.finish(this.blockSequence(column), props);
    }
    return this.empty(emptyAt, props);
  }

  /**
   * The node starting at the position. Block collections may start here except
   * in 'value' context (`key: a: b` and `key: - a` are errors).
   */
  private nodeHere(parent: number, context: Context, inherited: Props | undefined): ComposeNode {
    const own = this.props();
    let props = own;
    if (own) {
      if (inherited || context === 'doc') fail();
      if (this.restIsEmpty()) {
        this.endOfLine();
        return this.nodeBelow(parent, own.end, own, context === 'value');
      }
    } else props = inherited;
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    if (c === DASH && this.isBlankOrEol(start + 1)) {
      if (context === 'value' || own) fail();
      return this.finish(this.blockSequence(this.col()), props);
    }
    if (c === LBRACKET || c === LBRACE) {
      const node = this.flowCollection(parent);
      this.noKeyFollows();
      this.endOfLine();
      return this.finish(node, props);
    }
    if (c === PIPE || c === GT) return this.finish(this.blockScalar(parent), props);
    if (c === STAR) {
      if (props) fail();
      const alias = this.alias();
      this.noKeyFollows();
      this.endOfLine();
      return alias;
    }
    if (c === DQUOTE || c === SQUOTE) {
      if (c === DQUOTE) this.doubleQuoted();
      else this.singleQuoted();
      const afterQuote = this.pos;
      this.skipSpaces();
      if (!(this.text.charCodeAt(this.pos) === COLON && this.isBlankOrEol(this.pos + 1))) {
        this.pos = afterQuote;
        const node = this.scanned();
        this.endOfLine();
        return this.finish(node, props);
      }
    } else {
      if (!this.canStartPlain(start)) fail();
      this.plainBlock();
      if (!(this.text.charCodeAt(this.pos) === COLON && this.isBlankOrEol(this.pos + 1))) {
        const node = this.scanned();
        this.endOfLine();
        return this.finish(node, props);
      }
    }
    // An implicit key: the node is a block mapping indented at the key's column.
    if (context === 'value' || own) fail();
    return this.finish(this.blockMapping(start - this.lineStart), props);
  }

  /** The node for the last scanned scalar. */
  private scanned(): ComposeScalar {
    this.lastEnd = this.scanEnd;
    return this.builder.scalar(this.scanStart, this.scanEnd, this.scanValue, this.scanStyle);
  }

  /** Fails when `:` follows (a collection or alias used as a key). */
  private noKeyFollows(): void {
    let at = this.pos;
    while (this.text.charCodeAt(at) === SPACE) at++;
    if (this.text.charCodeAt(at) === COLON) fail();
  }

  private canStartPlain(at: number): boolean {
    if (at >= this.len) return false;
    const c = this.text.charCodeAt(at);
    switch (c) {
      case LF: case CR: case SPACE: case TAB:
      case COMMA: case LBRACKET: case RBRACKET: case LBRACE: case RBRACE: case HASH: case AMPERSAND: case STAR:
      case BANG: case PIPE: case GT: case SQUOTE: case DQUOTE: case 0x25: case 0x40: case 0x60:
        return false;
      case DASH: case 0x3f: case COLON:
        return !this.isBlankOrEol(at + 1);
      default:
        return true;
    }
  }

  /** A block mapping whose first key has just been scanned (the position is on its ':'). */
  private blockMapping(indent: number): ComposeNode {
    const builder = this.builder;
    const file = builder.file;
    const first = this.entryTop;
    let merges: ComposeNode[] | undefined;
    const start = this.scanStart;
    let end = start;
    if (++this.depth > 200) fail();
    for (;;) {
      const keyStart = this.scanStart;
      const keyEnd = this.scanEnd;
      if (keyEnd - keyStart > 1024) fail();
      const isMerge = this.scanStyle === 'plain' && this.scanValue === '<<';
      const key = keyString(this.scanValue);
      // at ':'
      this.pos++;
      const colonEnd = this.pos;
      const value = this.valueAfterIndicator(indent, colonEnd, 'value');
      if (isMerge) (merges ??= []).push(value);
      else this.addEntry(makePair(key, { start: keyStart, end: keyEnd }, file, value));
      end = Math.max(keyEnd, this.lastEnd);
      if (!this.skipToContent() || this.atDocumentBoundary()) break;
      const column = this.col();
      if (column < indent) break;
      if (column > indent) fail();
      this.mappingKey();
    }
    this.depth--;
    this.lastEnd = end;
    return builder.map(this.takeEntries(first), merges, start, end);
  }

  /** Scans a key at the start of a mapping line, leaving the position on its ':'. */
  private mappingKey(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === DQUOTE || c === SQUOTE) {
      if (c === DQUOTE) this.doubleQuoted();
      else this.singleQuoted();
      this.skipSpaces();
    } else {
      if (!this.canStartPlain(this.pos)) fail();
      this.plainBlock();
    }
    if (!(this.text.charCodeAt(this.pos) === COLON && this.isBlankOrEol(this.pos + 1))) fail();
  }

  private blockSequence(indent: number): ComposeNode {
    const first = this.entryTop;
    const start = this.pos;
    let end = start;
    if (++this.depth > 200) fail();
    for (;;) {
      // at '-'
      this.pos++;
      const dashEnd = this.pos;
      this.addEntry(this.valueAfterIndicator(indent, dashEnd, 'item'));
      end = this.lastEnd;
      if (!this.skipToContent() || this.atDocumentBoundary()) break;
      const column = this.col();
      if (column < indent) break;
      if (column > indent) fail();
      if (!(this.text.charCodeAt(this.pos) === DASH && this.isBlankOrEol(this.pos + 1))) break;
    }
    this.depth--;
    this.lastEnd = end;
    return this.builder.seq(this.takeEntries(first), start, end);
  }

  /** The value after `key:` or `-`: on the same line, or below. */
  private valueAfterIndicator(indent: number, indicatorEnd: number, context: 'value' | 'item'): ComposeNode {
    if (this.text.charCodeAt(this.pos) === TAB) fail();
    if (this.restIsEmpty()) {
      this.endOfLine();
      return this.nodeBelow(indent, indicatorEnd, undefined, context === 'value');
    }
    this.skipSpaces();
    if (this.text.charCodeAt(this.pos) === TAB) fail();
    return this.nodeHere(indent, context, undefined);
  }

  private alias(): ComposeNode {
    const start = this.pos;
    const text = this.text;
    let at = start + 1;
    for (;;) {
      if (at >= this.len) break;
      const d = text.charCodeAt(at);
      if (d === SPACE || d === TAB || d === LF || d === CR || isFlowIndicator(d)) break;
      at++;
    }
    const name = text.slice(start + 1, at);
    if (name.length === 0 || !this.builder.hasAnchor(name)) fail();
    this.pos = at;
    this.lastEnd = at;
    return this.builder.alias(name, start, at);
  }

  /** Scans a plain scalar in block context, on one line: it stops before `: `, ` #` and the line end. */
  private plainBlock(): void {
    const text = this.text;
    const len = this.len;
    const start = this.pos;
    let at = start;
    let end = start;
    // The hash of the characters up to `end`, for sharedPlain.
    let hash = 0;
    let hashToEnd = 0;
    while (at < len) {
      const c = text.charCodeAt(at);
      if (c === LF) break;
      if (c === CR && text.charCodeAt(at + 1) === LF) break;
      if (c === COLON) {
        const d = text.charCodeAt(at + 1);
        if (d === SPACE || d === TAB || d === LF || at + 1 >= len || (d === CR && text.charCodeAt(at + 2) === LF)) break;
      } else if (c === HASH && at > start) {
        const before = text.charCodeAt(at - 1);
        if (before === SPACE || before === TAB) break;
      }
      at++;
      hash = hashStep(hash, c);
      if (c !== SPACE && c !== TAB) {
        end = at;
        hashToEnd = hash;
      }
    }
    // A key may be followed by blanks before its ':'.
    this.pos = at < len && text.charCodeAt(at) === COLON ? at : end;
    this.scanStart = start;
    this.scanEnd = end;
    this.scanValue = sharedPlain(text, start, end, hashToEnd);
    this.scanStyle = 'plain';
  }

  private doubleQuoted(): void {
    const text = this.text;
    const start = this.pos;
    let at = start + 1;
    let value = '';
    let chunk = at;
    let hash = 0;
    for (;;) {
      if (at >= this.len) fail();
      const c = text.charCodeAt(at);
      if (c === LF || c === CR) fail();
      if (c === DQUOTE) break;
      hash = hashStep(hash, c);
      if (c === BACKSLASH) {
        const escape = DOUBLE_ESCAPES[text[at + 1] ?? ''];
        if (escape === undefined) fail();
        value += text.slice(chunk, at) + escape;
        at += 2;
        chunk = at;
        continue;
      }
      at++;
    }
    // Without escapes, the string as written.
    value = chunk === start + 1 ? sharedText(text, chunk, at, hash) : value + text.slice(chunk, at);
    this.pos = at + 1;
    this.scanStart = start;
    this.scanEnd = this.pos;
    this.scanValue = value;
    this.scanStyle = 'double';
  }

  private singleQuoted(): void {
    const text = this.text;
    const start = this.pos;
    let at = start + 1;
    let value = '';
    let chunk = at;
    let hash = 0;
    for (;;) {
      if (at >= this.len) fail();
      const c = text.charCodeAt(at);
      if (c === LF || c === CR) fail();
      if (c === SQUOTE) {
        if (text.charCodeAt(at + 1) === SQUOTE) {
          value += text.slice(chunk, at + 1);
          at += 2;
          chunk = at;
          continue;
        }
        break;
      }
      hash = hashStep(hash, c);
      at++;
    }
    // Without escapes, the string as written.
    value = chunk === start + 1 ? sharedText(text, chunk, at, hash) : value + text.slice(chunk, at);
    this.pos = at + 1;
    this.scanStart = start;
    this.scanEnd = this.pos;
    this.scanValue = value;
    this.scanStyle = 'single';
  }

  /** `|` or `>` with an optional `-` chomping indicator, then indented content lines. */
  private blockScalar(parent: number): ComposeScalar {
    const text = this.text;
    const start = this.pos;
    const folded = text.charCodeAt(start) === GT;
    this.pos++;
    let strip = false;
    const c = text.charCodeAt(this.pos);
    if (c === DASH) {
      strip = true;
      this.pos++;
    } else if (c === 0x2b) fail();
    const headerEnd = this.pos;
    if (!this.isBlankOrEol(this.pos)) fail();
    let probe = this.pos;
    while (text.charCodeAt(probe) === SPACE) probe++;
    const headerComment = text.charCodeAt(probe) === HASH;
    this.endOfLine();
    const lines: string[] = [];
    let indent = -1;
    let lastContentEnd = headerEnd;
    let pendingEmpty = 0;
    let maxLeadingEmpty = 0;
    while (this.pos < this.len) {
      const lineStart = this.pos;
      let at = lineStart;
      while (text.charCodeAt(at) === SPACE) at++;
      const spaces = at - lineStart;
      if (this.isEol(at)) {
        // An empty line (only spaces).
        if (indent < 0) maxLeadingEmpty = Math.max(maxLeadingEmpty, spaces);
        else if (spaces > indent) fail();
        pendingEmpty++;
        this.pos = at;
        if (at >= this.len) break;
        this.newline();
        continue;
      }
      if (indent < 0) {
        if (spaces <= parent || spaces === 0) break;
        if (maxLeadingEmpty > spaces) fail();
        indent = spaces;
      } else if (spaces < indent) break;
      if (text.charCodeAt(at) === TAB && spaces === indent) fail();
      let end = at;
      while (!this.isEol(end)) end++;
      for (let i = 0; i < pendingEmpty; i++) lines.push('');
      pendingEmpty = 0;
      const content = text.slice(lineStart + indent, end);
      lines.push(content);
      let trimmed = end;
      while (trimmed > at && (text.charCodeAt(trimmed - 1) === SPACE || text.charCodeAt(trimmed - 1) === TAB)) trimmed--;
      lastContentEnd = trimmed;
      this.pos = end;
      if (end >= this.len) break;
      this.newline();
    }
    // The package counts a comment on the header into an empty scalar's range; leave those to it.
    if (lines.length === 0 && headerComment) fail();
    let value: string;
    if (lines.length === 0) value = '';
    else {
      const body = folded ? fold(lines) : lines.join('\n');
      value = strip ? body : body + '\n';
    }
    this.lastEnd = lines.length === 0 ? headerEnd : lastContentEnd;
    return this.builder.scalar(start, this.lastEnd, value, folded ? 'folded' : 'literal');
  }

  // ---------------------------------------------------------------- flow

  /** Skips spaces, line breaks and comments inside a flow collection; continuation lines must be indented past `parent`. */
  private flowSpace(parent: number): void {
    const text = this.text;
    for (;;) {
      const before = this.pos;
      this.skipSpaces();
      const c = text.charCodeAt(this.pos);
      if (c === TAB) fail();
      if (c === HASH) {
        if (this.pos === before && this.pos > this.lineStart) fail();
        while (!this.isEol(this.pos)) this.pos++;
      }
      if (this.pos >= this.len) fail();
      if (this.isEol(this.pos)) {
        this.newline();
        this.skipSpaces();
        // Continuation lines are indented past the enclosing block; a closing bracket may sit at its level.
        if (this.atDocumentBoundary() || this.isEol(this.pos)) {
          if (this.atDocumentBoundary()) fail();
          continue;
        }
        const column = this.col();
        const c2 = text.charCodeAt(this.pos);
        if (column < parent || (column === parent && c2 !== RBRACKET && c2 !== RBRACE)) fail();
        continue;
      }
      return;
    }
  }

  private flowCollection(parent: number): ComposeNode {
    const text = this.text;
    const builder = this.builder;
    const start = this.pos;
    const isMap = text.charCodeAt(start) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    this.pos++;
    if (++this.depth > 200) fail();
    const first = this.entryTop;
    let merges: ComposeNode[] | undefined;
    for (;;) {
      this.flowSpace(parent);
      if (text.charCodeAt(this.pos) === close) {
        this.pos++;
        break;
      }
      if (isMap) {
        const c = text.charCodeAt(this.pos);
        if (c === DQUOTE) this.doubleQuoted();
        else if (c === SQUOTE) this.singleQuoted();
        else if (this.canStartPlain(this.pos)) this.plainFlow();
        else fail();
        const keyStart = this.scanStart;
        const keyEnd = this.scanEnd;
        const isMerge = this.scanStyle === 'plain' && this.scanValue === '<<';
        const key = keyString(this.scanValue);
        this.flowSpace(parent);
        if (text.charCodeAt(this.pos) !== COLON) fail();
        this.pos++;
        const colonEnd = this.pos;
        const next = text.charCodeAt(this.pos);
        if (!(next === SPACE || next === COMMA || next === close || this.isEol(this.pos))) fail();
        this.flowSpace(parent);
        const d = text.charCodeAt(this.pos);
        const value = d === COMMA || d === close ? builder.empty(colonEnd) : this.flowNode(parent);
        if (isMerge) (merges ??= []).push(value);
        else this.addEntry(makePair(key, { start: keyStart, end: keyEnd }, builder.file, value));
      } else {
        this.addEntry(this.flowNode(parent));
      }
      this.flowSpace(parent);
      const d = text.charCodeAt(this.pos);
      if (d === COMMA) {
        this.pos++;
        continue;
      }
      if (d !== close) fail();
    }
    this.depth--;
    this.lastEnd = this.pos;
    return isMap ? builder.map(this.takeEntries(first), merges, start, this.pos) : builder.seq(this.takeEntries(first), start, this.pos);
  }

  private flowNode(parent: number): ComposeNode {
    const props = this.props();
    if (props) this.flowSpace(parent);
    const c = this.text.charCodeAt(this.pos);
    if (c === LBRACKET || c === LBRACE) return this.finish(this.flowCollection(parent), props);
    if (c === STAR) {
      if (props) fail();
      return this.alias();
    }
    if (c === DQUOTE) this.doubleQuoted();
    else if (c === SQUOTE) this.singleQuoted();
    else if (isFlowIndicator(c) || !this.canStartPlain(this.pos)) fail();
    else this.plainFlow();
    return this.finish(this.scanned(), props);
  }

  /** Scans a plain scalar in flow context, on one line (a continued one is left to the fallback). */
  private plainFlow(): void {
    const text = this.text;
    const len = this.len;
    const start = this.pos;
    let at = start;
    let end = start;
    let hash = 0;
    let hashToEnd = 0;
    while (at < len) {
      const d = text.charCodeAt(at);
      if (d === LF || (d === CR && text.charCodeAt(at + 1) === LF)) break;
      if (isFlowIndicator(d)) break;
      if (d === COLON) {
        const e = text.charCodeAt(at + 1);
        if (e === SPACE || e === TAB || isFlowIndicator(e) || this.isEol(at + 1)) break;
      }
      if (d === HASH && at > start) {
        const before = text.charCodeAt(at - 1);
        if (before === SPACE || before === TAB) break;
      }
      at++;
      hash = hashStep(hash, d);
      if (d !== SPACE && d !== TAB) {
        end = at;
        hashToEnd = hash;
      }
    }
    this.pos = end;
    if (at < len && this.isEol(at)) {
      // What follows on the next content line must close or separate, or the scalar continues.
      let probe = at;
      for (;;) {
        if (text.charCodeAt(probe) === CR) probe++;
        probe++;
        while (text.charCodeAt(probe) === SPACE) probe++;
        if (probe >= len) break;
        const e = text.charCodeAt(probe);
        if (e === HASH) break;
        if (this.isEol(probe)) continue;
        if (!(e === COMMA || e === RBRACKET || e === RBRACE || e === COLON)) fail();
        break;
      }
    }
    this.scanStart = start;
    this.scanEnd = end;
    this.scanValue = sharedPlain(text, start, end, hashToEnd);
    this.scanStyle = 'plain';
  }
}

/** Folds the content lines of a `>` scalar (YAML 1.2, 8.1.3). */
function fold(lines: string[]): string {
  let out = '';
  let i = 0;
  let previousSpaced = false;
  let first = true;
  while (i < lines.length) {
    let empties = 0;
    while (i < lines.length && lines[i] === '') {
      empties++;
      i++;
    }
    if (i >= lines.length) break;
    const line = lines[i]!;
    const spaced = line.charCodeAt(0) === SPACE || line.charCodeAt(0) === TAB;
    if (first) out += '\n'.repeat(empties);
    else if (spaced || previousSpaced) out += '\n' + '\n'.repeat(empties);
    else out += empties > 0 ? '\n'.repeat(empties) : ' ';
    out += line;
    previousSpaced = spaced;
    first = false;
    i++;
  }
  return out;
}
