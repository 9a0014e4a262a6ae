/**
 * Where a cursor is in a compose document, for completion: the path of the
 * mapping or value it is in, what is being typed there, and which keys the
 * mapping already has.
 *
 * Worked out from the block structure of the text lines (indentation and `- `
 * item markers), not from the parsed tree: while a file is being typed the
 * cursor sits on an empty line, after `key: `, on a half-written key or inside
 * `[a, b, ]`, none of which the tree has a node for, and a half-written line
 * may change how the lines around it parse. The walk goes up from the cursor
 * line to the top of the document once, skipping deeper lines, so its cost is
 * one pass over the lines above at most.
 */

import type { PathSegment } from '../../compose/schema';

export interface TextSpan {
  start: number;
  end: number;
}

interface LineShape {
  start: number;
  end: number;
  /** Column of the first character that is not a space (the first `- ` for an item line). */
  indent: number;
  /** Columns of the `- ` item markers at the start of the line. */
  dashes: number[];
  /** Column of what follows the markers. */
  content: number;
  /** The mapping key starting at `content`, when the line has one. */
  key?: string;
  /** Offset just after the key's `:`. */
  colon?: number;
  /** Nothing but spaces after the `:` (or only an anchor, a tag or a comment): the value is on the lines below. */
  blockValue?: boolean;
  blank: boolean;
  /** `---` or `...` at the start of the line. */
  documentMarker: boolean;
}

const KEY_PATTERN = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],&*!|>%@`][^#\n]*?))[ \t]*:(?=[ \t]|$)/;

/** The shape of the line [start, end) (end excludes the line break). */
export function lineShape(text: string, start: number, end: number): LineShape {
  if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
  let i = start;
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  const shape: LineShape = { start, end, indent: i - start, dashes: [], content: i - start, blank: false, documentMarker: false };
  if (i >= end || text.charCodeAt(i) === 0x23) {
    shape.blank = true;
    return shape;
  }
  if (i === start && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 >= end || /\s/.test(text[i + 3]!))) {
    shape.documentMarker = true;
    return shape;
  }
  while (i < end && text.charCodeAt(i) === 0x2d && (i + 1 >= end || text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x09)) {
    shape.dashes.push(i - start);
    i++;
    while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  }
  shape.content = i - start;
  const match = KEY_PATTERN.exec(text.slice(i, end));
  if (match) {
    shape.key = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2] !== undefined ? match[2].replace(/''/g, "'") : match[3]!;
    shape.colon = i + match[0].length;
    const rest = text.slice(shape.colon, end).replace(/(^|\s)#.*$/, '').trim();
    shape.blockValue = rest === '' || /^(?:[&!][^\s]*\s*)+$/.test(rest);
  }
  return shape;
}

/** Whether the line [begin, end) is indented further than `column` (checked without reading the rest of the line: most lines are). */
function indentedBeyond(text: string, begin: number, end: number, column: number): boolean {
  const limit = begin + column;
  if (limit >= end) return false;
  for (let i = begin; i <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** The line holding `offset`, as [start, end) without the line break. */
export function lineAt(text: string, offset: number): TextSpan {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return { start, end };
}

export interface Ancestry {
  /** Path of the container found (mapping keys and sequence indexes), or undefined when the lines above do not form one. */
  path: PathSegment[] | undefined;
  /** Keys of the mapping at the starting level, written above the starting line. */
  siblingsAbove: string[];
  /** When the starting level turned out to be a sequence whose `- ` markers sit at the starting column. */
  sequenceAtColumn: boolean;
}

type Level = { kind: 'map'; column: number } | { kind: 'seq'; column: number; count: number };

/**
 * Climbs from the line starting at `lineStart` to the top of its document.
 * `level` is the container the cursor's line belongs to: a mapping whose keys
 * are at `column`, or a sequence whose `- ` markers are at `column` (with
 * `count` items already seen on the cursor's line or above).
 */
export function climb(text: string, lineStart: number, start: Level): Ancestry {
  const reversed: PathSegment[] = [];
  const siblingsAbove: string[] = [];
  let level: Level = { ...start };
  let first = true;
  let sequenceAtColumn = false;
  let position = lineStart;
  // Item markers on a parent line: `- key:` makes the mapping an item of a sequence, `- - key:` nests.
  const enterItems = (shape: LineShape): void => {
    const dashes = shape.dashes;
    for (let d = dashes.length - 1; d >= 1; d--) reversed.push(0);
    if (dashes.length > 0) level = { kind: 'seq', column: dashes[0]!, count: 0 };
  };
  const foundParent = (shape: LineShape): void => {
    if (level.kind === 'seq') reversed.push(level.count);
    reversed.push(shape.key!);
    first = false;
    level = { kind: 'map', column: shape.content };
    enterItems(shape);
  };
  while (position > 0) {
    const end = position - 1;
    const begin = text.lastIndexOf('\n', end - 1) + 1;
    position = begin;
    if (indentedBeyond(text, begin, end, level.column)) continue;
    // Above the cursor's own mapping, lines level with an ancestor's keys are that ancestor's other entries: nothing to read.
    if (!first && level.kind === 'map' && indentedBeyond(text, begin, end, level.column - 1) && text.charCodeAt(begin + level.column) !== 0x2d) continue;
    const shape = lineShape(text, begin, end);
    if (shape.blank) continue;
    if (shape.documentMarker) break;
    if (shape.indent > level.column) continue;
    if (level.kind === 'map') {
      if (shape.indent === level.column) {
        if (shape.dashes.length > 0) {
          // Only the cursor's own level can be a sequence written under its key at the same column.
          if (first && reversed.length === 0) {
            sequenceAtColumn = true;
            level = { kind: 'seq', column: level.column, count: 1 };
          }
          continue;
        }
        if (shape.key !== undefined && first) siblingsAbove.push(shape.key);
        continue;
      }
      // A line further left: the mapping's first key after `- `, or its parent key.
      if (shape.key !== undefined && shape.content === level.column && shape.dashes.length > 0) {
        if (first) siblingsAbove.push(shape.key);
        first = false;
        enterItems(shape);
        continue;
      }
      if (shape.key !== undefined && shape.content < level.column && shape.blockValue) {
        foundParent(shape);
        continue;
      }
      return { path: undefined, siblingsAbove, sequenceAtColumn };
    }
    // A sequence with markers at level.column.
    if (shape.dashes.length > 0 && shape.indent === level.column) {
      level.count++;
      continue;
    }
    if (shape.key !== undefined && shape.content <= level.column && shape.blockValue) {
      foundParent(shape);
      continue;
    }
    return { path: undefined, siblingsAbove, sequenceAtColumn };
  }
  // A document whose top is a sequence is not a compose file.
  if (level.kind === 'seq') return { path: undefined, siblingsAbove, sequenceAtColumn };
  return { path: reversed.reverse(), siblingsAbove, sequenceAtColumn };
}

/** Keys of the mapping at `column` written below the line ending at `lineEnd`. */
export function siblingsBelow(text: string, lineEnd: number, column: number): string[] {
  const keys: string[] = [];
  let position = lineEnd;
  while (position < text.length) {
    const begin = position + 1;
    let end = text.indexOf('\n', begin);
    if (end < 0) end = text.length;
    position = end;
    if (begin > text.length) break;
    if (indentedBeyond(text, begin, end, column)) continue;
    const shape = lineShape(text, begin, end);
    if (shape.blank) continue;
    if (shape.documentMarker || shape.indent < column) break;
    if (shape.indent > column) continue;
    if (shape.dashes.length > 0) break;
    if (shape.key !== undefined) keys.push(shape.key);
  }
  return keys;
}

/**
 * What the cursor is on:
 * - `key`: a key of the mapping at `path` is being typed (`prefix`, replacing `range`);
 * - `value`: the scalar at `path` (the mapping path plus its key, or a
 *   sequence path plus the item's index) is being typed;
 * - `item`: a new `- ` item of the sequence at `path.slice(0, -1)`: either a
 *   scalar item or the first key of a mapping item. `needsDash` when the
 *   cursor is at the markers' column with no `- ` typed yet.
 */
export interface CompletionSpot {
  kind: 'key' | 'value' | 'item';
  path: PathSegment[];
  /** The text typed so far in the key or value (without an opening quote). */
  prefix: string;
  /** What a chosen item replaces: the word around the cursor. */
  range: TextSpan;
  /** For keys: the keys the mapping already has (the one being typed excluded). */
  present: Set<string>;
  /** For `key`: the word is already followed by `:`. */
  hasColon: boolean;
  /** For values: the opening quote typed, if any. */
  quote?: string;
  needsDash: boolean;
}

/** The end of the scalar word that starts at `from` on the line (for a replace range). */
function wordEnd(text: string, from: number, lineEnd: number, stops: RegExp): number {
  let i = from;
  while (i < lineEnd && !stops.test(text[i]!)) i++;
  return i;
}

export function completionSpot(text: string, offset: number): CompletionSpot | undefined {
  const line = lineAt(text, offset);
  const before = text.slice(line.start, offset);
  if (/(^|\s)#/.test(before.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""'))) return undefined;
  const shape = lineShape(text, line.start, line.end);
  if (shape.documentMarker) return undefined;
  let indent = 0;
  while (indent < before.length && (before[indent] === ' ' || before[indent] === '\t')) indent++;
  const dashes: number[] = [];
  let i = indent;
  while (i < before.length && before[i] === '-' && (i + 1 === before.length || before[i + 1] === ' ' || before[i + 1] === '\t')) {
    if (i + 1 === before.length) break; // `-` just typed: not a marker yet
    dashes.push(i);
    i++;
    while (i < before.length && (before[i] === ' ' || before[i] === '\t')) i++;
  }
  const content = i;
  const tail = before.slice(content);
  // `key: value…` with the cursor in the value (a later `:` belongs to the value being typed: `image: nginx:`).
  const colonKey = KEY_PATTERN.exec(tail) ?? undefined;
  /** The path of a mapping starting at `column` on this line, given the line's `- ` markers. */
  const mappingPath = (column: number): PathSegment[] | undefined => {
    if (dashes.length === 0) return climb(text, line.start, { kind: 'map', column }).path;
    // The climb counts the items above, so the path ends with this item's index; `- - ` nests first items.
    const path = climb(text, line.start, { kind: 'seq', column: dashes[0]!, count: 0 }).path;
    return path ? [...path, ...dashes.slice(1).map(() => 0)] : undefined;
  };

  if (colonKey) {
    const key = colonKey[1] !== undefined ? colonKey[1] : colonKey[2] !== undefined ? colonKey[2] : colonKey[3]!;
    const path = mappingPath(content);
    if (!path) return undefined;
    const afterColon = line.start + content + colonKey[0].length;
    // Right after `key:` a value would need a space first.
    if (offset === afterColon) return undefined;
    let valueStart = afterColon;
    while (valueStart < offset && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    const valueText = text.slice(valueStart, offset);
    const base: PathSegment[] = [...path, key];
    // Inside a flow sequence on this line: `[a, b, |`.
    if (valueText.startsWith('[')) {
      const open = valueText.lastIndexOf('[');
      const close = valueText.lastIndexOf(']');
      if (close > open || open !== 0) return undefined;
      const inner = valueText.slice(1);
      const commas = (inner.match(/,/g) ?? []).length;
      let itemStart = valueStart + 1 + inner.lastIndexOf(',') + 1;
      while (itemStart < offset && text[itemStart] === ' ') itemStart++;
      let quote: string | undefined;
      if (text[itemStart] === '"' || text[itemStart] === "'") quote = text[itemStart++];
      const end = wordEnd(text, offset, line.end, quote ? new RegExp(`[${quote}]`) : /[,\]\s]/);
      return { kind: 'value', path: [...base, commas], prefix: text.slice(itemStart, offset), range: { start: itemStart, end }, present: new Set(), hasColon: false, ...(quote ? { quote } : {}), needsDash: false };
    }
    if (valueText.startsWith('{') || valueText.startsWith('|') || valueText.startsWith('>') || valueText.startsWith('&') || valueText.startsWith('*')) return undefined;
    let start = valueStart;
    let quote: string | undefined;
    if (text[start] === '"' || text[start] === "'") quote = text[start++];
    const end = wordEnd(text, offset, line.end, quote ? new RegExp(`[${quote}]`) : /[\s#]/);
    return { kind: 'value', path: base, prefix: text.slice(start, offset), range: { start, end }, present: new Set(), hasColon: false, ...(quote ? { quote } : {}), needsDash: false };
  }

  // No `key:` before the cursor: a key, or a sequence item, being typed.
  if (!/^[^\s:#'"[\]{},&*!|>%@`]?[^\s:#]*$/.test(tail) && !/^["'][^"']*$/.test(tail)) return undefined;
  let start = line.start + content;
  let quote: string | undefined;
  if (text[start] === '"' || text[start] === "'") quote = text[start++];
  const end = wordEnd(text, offset, line.end, quote ? new RegExp(`[${quote}]`) : /[\s:#]/);
  const hasColon = text[end] === ':';
  const prefix = text.slice(start, offset);
  if (dashes.length > 0) {
    const path = mappingPath(content);
    if (!path) return undefined;
    return { kind: 'item', path, prefix, range: { start, end }, present: new Set(), hasColon, ...(quote ? { quote } : {}), needsDash: false };
  }
  const ancestry = climb(text, line.start, { kind: 'map', column: content });
  if (!ancestry.path) return undefined;
  if (ancestry.sequenceAtColumn) {
    // The cursor is at the column of the `- ` markers above: a new item without its marker yet.
    return { kind: 'item', path: ancestry.path, prefix, range: { start, end }, present: new Set(), hasColon, needsDash: true };
  }
  const present = new Set([...ancestry.siblingsAbove, ...siblingsBelow(text, line.end, content)]);
  return { kind: 'key', path: ancestry.path, prefix, range: { start, end }, present, hasColon, needsDash: false };
}
