/**
 * Shapes shared by the compose library: the YAML tree every compose file is
 * read into (`ComposeNode`), and findings.
 *
 * Ranges are half-open UTF-16 offsets into the text of the file named by the
 * node's `file` (the same convention as the Dockerfile side's `TextRange`), so
 * after several files are merged every element still says where it came from.
 */

import type { TextRange } from '../dockerfile/types';
import type { Memoized } from './memo';

export type { TextRange };

export type Severity = 'error' | 'warning' | 'info' | 'style';

/** A plain YAML value after tag resolution (YAML 1.2 core schema for plain scalars). */
export type ScalarValue = string | number | boolean | null;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface NodeBase extends Memoized {
  /** The file (path or URI, as given to the loader) the node is written in. */
  file: string;
  /** The node as written, without its anchor and tag (quotes and block indicators included). */
  range: TextRange;
  /** `!reset`, `!override` (other tags are kept too, for completeness). */
  tag?: string;
}

export interface ComposeScalar extends NodeBase {
  kind: 'scalar';
  /** The YAML value before interpolation: decoded string, or number/boolean/null for plain scalars. */
  raw: ScalarValue;
  /** The value after interpolation; the same as `raw` for non-strings and before interpolation ran. */
  value: ScalarValue;
  style: ScalarStyle;
  /**
   * Variables referenced without a known value and without a default, so `value`
   * is not necessarily what compose will see. Checks that judge values skip such
   * scalars rather than guess.
   */
  unresolved?: string[];
  /** Set on the empty value of `key:` (no text at all); its range is empty. */
  empty?: true;
}

export interface ComposePair {
  key: string;
  /** Range of the key as written, in `file`. */
  keyRange: TextRange;
  /** File of the key (a merged pair keeps the key of its first definition). */
  file: string;
  value: ComposeNode;
  /** Later definitions of the same key merged into this pair (override files, `extends`, `include`). */
  also?: { file: string; keyRange: TextRange }[];
}

export interface ComposeMap extends NodeBase {
  kind: 'map';
  pairs: ComposePair[];
  /** Built on demand by `getPair` for large mappings. */
  index?: Map<string, ComposePair>;
  /** @internal What the subtree contains (`NODE_HAS_DOLLAR`, `NODE_HAS_TAG`), when known. */
  flags?: number;
}

export interface ComposeSeq extends NodeBase {
  kind: 'seq';
  items: ComposeNode[];
  /** @internal What the subtree contains (`NODE_HAS_DOLLAR`, `NODE_HAS_TAG`), when known. */
  flags?: number;
}

/** @internal A string scalar of the subtree contains `$` (so interpolation may change it). */
export const NODE_HAS_DOLLAR = 1;
/** @internal A node of the subtree has a tag (`!reset`, `!override`). */
export const NODE_HAS_TAG = 2;
/** @internal The node is the target of an alias (it appears more than once in the tree). */
export const NODE_SHARED = 4;
/** @internal Flags of a node whose contents are not known (built outside the readers). */
export const NODE_UNKNOWN = NODE_HAS_DOLLAR | NODE_HAS_TAG;

/** @internal The flags of any node. */
export function nodeFlags(node: ComposeNode): number {
  if (node.kind === 'scalar') return (typeof node.raw === 'string' && node.raw.includes('$') ? NODE_HAS_DOLLAR : 0) | (node.tag !== undefined ? NODE_HAS_TAG : 0);
  return ((node.flags ?? NODE_UNKNOWN) & NODE_UNKNOWN) | (node.tag !== undefined ? NODE_HAS_TAG : 0);
}

export type ComposeNode = ComposeScalar | ComposeMap | ComposeSeq;

/** An anchor (`&name`) or an alias (`*name`) as written, for navigation and rename (the tree itself shares nodes instead). */
export interface AnchorMark {
  kind: 'anchor' | 'alias';
  /** The name without `&` or `*`. */
  name: string;
  /** The whole token, `&` or `*` included. */
  range: TextRange;
  /** Index of the YAML document it is in (anchors are scoped to their document). */
  document: number;
}

/** The index of the first of `marks` (in document order) starting at or after `offset`. */
export function firstMarkAt(marks: readonly AnchorMark[], offset: number): number {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (marks[mid]!.range.start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One diagnostic: a stable kebab-case code, where it is, and a message naming the compose path. */
export interface ComposeFinding {
  code: string;
  severity: Severity;
  /** The file the finding belongs to (the one whose text `range` indexes). */
  file: string;
  range: TextRange;
  message: string;
  /** A did-you-mean: the text at `range` (in `file`) could be replaced by `text`. For quick fixes. */
  suggestion?: { text: string; range: TextRange };
}
