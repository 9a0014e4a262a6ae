/**
 * Conventions shared by both YAML readers (the fast block-YAML reader and the
 * `yaml` package fallback), which build the same trees through `TreeBuilder`.
 *
 * Range conventions (a differential test checks both readers follow them):
 * - a node's range excludes its anchor and tag;
 * - a scalar's range is the scalar as written (quotes, block indicator and
 *   content), without trailing whitespace;
 * - an empty value (`key:`, `- `) is an empty range right after its indicator
 *   or, when it has properties, after the last property;
 * - a block collection runs from its first key or dash to the end of its last
 *   entry; a flow collection from its opening to its closing bracket.
 */

import type { ScalarValue, TextRange } from '../types';

export interface RawProblem {
  range: TextRange;
  message: string;
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** The value of a plain scalar under the YAML 1.2 core schema (what the `yaml` package resolves). */
export function resolvePlain(text: string): ScalarValue {
  if (text.length === 0) return null;
  const first = text.charCodeAt(0);
  // Fast exit: anything not starting like a number, null or boolean is a string.
  if (!(first === 0x2e || first === 0x2b || first === 0x2d || (first >= 0x30 && first <= 0x39) || first === 0x7e || first === 0x6e || first === 0x4e || first === 0x74 || first === 0x54 || first === 0x66 || first === 0x46)) return text;
  if (NULL_RE.test(text)) return null;
  if (BOOL_RE.test(text)) return text.charCodeAt(0) === 0x74 || text.charCodeAt(0) === 0x54;
  if (OCT_RE.test(text)) return parseInt(text.slice(2), 8);
  if (INT_RE.test(text)) return parseInt(text, 10);
  if (HEX_RE.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT_RE.test(text)) return parseFloat(text);
  if (SPECIAL_FLOAT_RE.test(text)) return text.endsWith('nan') || text.endsWith('NaN') || text.endsWith('NAN') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
  return text;
}
