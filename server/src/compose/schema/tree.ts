/**
 * Schema validation of a compose file's own tree: the `ComposeNode` documents
 * that `parseComposeFile` already built for the semantic checks, so the text is
 * not parsed a second time (the `yaml` package takes hundreds of milliseconds
 * on a 1,000-service file; converting the tree to data takes a few).
 *
 * The tree is what compose's loader sees before validation, as data.ts makes
 * it from a yaml Document: merge keys applied (keys written in the mapping
 * win, earlier sources win over later ones), the last of duplicate keys kept,
 * aliases shared. A key whose value is tagged `!reset` is left out here.
 * Values are taken as written (`raw`), before interpolation. Keys are the
 * strings the compose readers make, as the semantic checks see them (a
 * `null:` key is "null", where a yaml Document would give "").
 *
 * Findings are placed as validate.ts's module comment says; a value that is an
 * alias (`image: *n`) is reported on the alias, as written, since the tree
 * itself only holds the anchored node it stands for.
 */
import { getPair } from '../tree';
import { type ComposeNode, type ComposePair, type TextRange } from '../types';
import { validateByService, type PerServiceValidation } from './perService';
import { treeToData } from './treeData';
import { findingsFromErrors, validateComposeValueOrThrow, type SchemaLocator } from './validate';
import type { PathSegment, SchemaFinding } from './types';

/**
 * Checks one document of a parsed compose file against the compose-spec
 * schema. `text` is the file's text (the tree's ranges index it). An empty
 * document gives no findings. With `perService`, each service is validated on
 * its own and its result kept for the next version of the file (perService.ts);
 * the findings are the same. Never throws.
 */
export function validateComposeTree(root: ComposeNode | undefined, text: string, perService?: PerServiceValidation): SchemaFinding[] {
  try {
    return validateComposeTreeOrThrow(root, text, perService);
  } catch {
    return [];
  }
}

/** As validateComposeTree, but an internal error propagates: for tests and fuzzing only. */
export function validateComposeTreeOrThrow(root: ComposeNode | undefined, text: string, perService?: PerServiceValidation): SchemaFinding[] {
  if (!root) return [];
  const byService = perService ? validateByService(root, text, perService) : undefined;
  if (byService === undefined) return validateComposeValueOrThrow(treeToData(root), treeLocator(root, text));
  // Messages and ranges need the data and the tree: only built when something is wrong.
  return byService.errors.length === 0 ? [] : findingsFromErrors(byService.errors, byService.data(), treeLocator(root, text));
}

/** Where a path of the data is written: the pair that holds it (for a key step) and the value as written there. */
interface TreeLocation {
  found: boolean;
  value: ComposeNode | undefined;
  pair: ComposePair | undefined;
  /** The alias token (`*name`) when the value at this place is written as an alias. */
  alias: TextRange | undefined;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The alias token that is the next thing written at or after `from` (past indicators, spaces and comments), if it is one. */
function aliasTokenAfter(text: string, from: number): TextRange | undefined {
  let at = from;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (isSpace(code) || code === 0x3a /* : */ || code === 0x2d /* - */ || code === 0x2c /* , */ || code === 0x5b /* [ */ || code === 0x7b /* { */ || code === 0x3f /* ? */) at++;
    else if (code === 0x23 /* # */) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 ? text.length : newline;
    } else break;
  }
  if (text.charCodeAt(at) !== 0x2a /* * */) return undefined;
  let end = at + 1;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (isSpace(code) || code === 0x2c || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d) break;
    end++;
  }
  return { start: at, end };
}

/**
 * Follows `path` through the tree. A value written in place starts after its
 * key (or after the previous item); one that starts before is an alias, since
 * an alias always refers to an anchor written earlier.
 */
function locate(root: ComposeNode, path: readonly PathSegment[], text: string): TreeLocation {
  let value: ComposeNode | undefined = root;
  let pair: ComposePair | undefined;
  let alias: TextRange | undefined;
  for (const segment of path) {
    if (value?.kind === 'map') {
      const next = getPair(value, String(segment));
      if (!next) return { found: false, value, pair, alias };
      pair = next;
      value = next.value;
      alias = value.range.start < next.keyRange.end ? aliasTokenAfter(text, next.keyRange.end) : undefined;
    } else if (value?.kind === 'seq') {
      const position = typeof segment === 'number' ? segment : Number(segment);
      const items: ComposeNode[] = value.items;
      if (!Number.isInteger(position) || position < 0 || position >= items.length) return { found: false, value, pair, alias };
      // Where each item is written, in order, up to the one wanted.
      let cursor = value.range.start;
      let written: TextRange | undefined;
      for (let i = 0; i <= position; i++) {
        const item = items[i]!;
        written = item.range.start >= cursor ? undefined : aliasTokenAfter(text, cursor);
        cursor = written ? written.end : Math.max(cursor, item.range.end);
      }
      pair = undefined;
      value = items[position];
      alias = written;
    } else {
      return { found: false, value, pair, alias };
    }
  }
  return { found: true, value, pair, alias };
}

function isBlockCollection(node: ComposeNode | undefined, text: string): boolean {
  if (!node || node.kind === 'scalar') return false;
  const first = text.charCodeAt(node.range.start);
  return first !== 0x7b /* { */ && first !== 0x5b /* [ */;
}

/** `range` cut at the end of its first line (and never empty when there is text to cover). */
function firstLine(range: TextRange, text: string): TextRange {
  const newline = text.indexOf('\n', range.start);
  let end = newline === -1 ? range.end : Math.min(range.end, newline);
  if (end > range.start && text.charCodeAt(end - 1) === 13) end--;
  return { start: range.start, end: Math.max(end, range.start) };
}

/** A node's range as written; undefined for an empty value. A block collection: its first line. */
function writtenRange(node: ComposeNode | undefined, text: string): TextRange | undefined {
  if (!node || node.range.end <= node.range.start) return undefined;
  return isBlockCollection(node, text) ? firstLine(node.range, text) : node.range;
}

function keyRangeOf(pair: ComposePair | undefined): TextRange | undefined {
  return pair && pair.keyRange.end > pair.keyRange.start ? pair.keyRange : undefined;
}

function treeLocator(root: ComposeNode, text: string): SchemaLocator {
  return {
    valueRange(path) {
      for (let length = path.length; length >= 0; length--) {
        const location = locate(root, path.slice(0, length), text);
        if (!location.found) continue;
        if (location.alias) return location.alias;
        const key = keyRangeOf(location.pair);
        if (key && isBlockCollection(location.value, text)) return key;
        const range = writtenRange(location.value, text) ?? key;
        if (range) return range;
      }
      return firstLine(root.range, text);
    },
    keyRange: (path) => keyRangeOf(locate(root, path, text).pair),
    isScalar(path, part) {
      const location = locate(root, path, text);
      if (!location.found) return false;
      return part === 'key' ? location.pair !== undefined : location.value?.kind === 'scalar' && location.alias === undefined;
    },
  };
}
