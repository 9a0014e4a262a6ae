/**
 * Variable interpolation exactly as compose applies it to every string value of
 * a compose file (keys are left alone):
 *
 * - `$$` is a literal `$`; a `$` not followed by a name or `{` stays as it is;
 * - `$VAR` and `${VAR}`: the value, or the empty string when unset;
 * - `${VAR:-default}` / `${VAR-default}`: the default when VAR is unset or empty / unset;
 * - `${VAR:?message}` / `${VAR?message}`: an error when VAR is unset or empty / unset;
 * - `${VAR:+alternative}` / `${VAR+alternative}`: the alternative when VAR is set and not empty / set, else empty;
 * - defaults, alternatives and messages are interpolated themselves, so they
 *   nest (`${A:-${B:-x}}`); like compose, they are interpolated before the
 *   variable is looked at, so an error inside one counts even when unused;
 * - names are `[A-Za-z_][A-Za-z0-9_]*`; anything else after `${` (a missing
 *   `}`, a bad name, an unknown operator) is an invalid interpolation, and the
 *   closing brace of an expression with an operator must be on the same line
 *   (compose's pattern does not cross line breaks).
 */

import { pathText } from './yaml/builder';
import { makeMap, makeScalar, makeSeq, withValue } from './nodes';
import { NODE_HAS_DOLLAR, NODE_SHARED, NODE_UNKNOWN, type ComposeFinding, type ComposeNode, type ComposePair, type ComposeScalar, type TextRange } from './types';
import { MemoSlot } from './memo';

/** A variable's value, or undefined when it is not set. */
export type EnvLookup = (name: string) => string | undefined;

export interface TemplateError {
  /** Offsets into the template string. */
  start: number;
  end: number;
  message: string;
  kind: 'syntax' | 'required';
}

export interface TemplateResult {
  value: string;
  errors: TemplateError[];
  /** Variables whose value was needed but not set (and had no fallback). */
  unresolved: string[];
}

const DOLLAR = 0x24;

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Interpolates one string. Never throws; errors come back with offsets into `template`. */
export function substitute(template: string, lookup: EnvLookup): TemplateResult {
  const errors: TemplateError[] = [];
  const unresolved: string[] = [];
  const value = substituteInto(template, 0, template.length, lookup, errors, unresolved);
  return { value, errors, unresolved };
}

function substituteInto(text: string, from: number, to: number, lookup: EnvLookup, errors: TemplateError[], unresolved: string[]): string {
  let out = '';
  let i = from;
  while (i < to) {
    const j = text.indexOf('$', i);
    if (j < 0 || j >= to) {
      out += text.slice(i, to);
      break;
    }
    out += text.slice(i, j);
    const next = j + 1 < to ? text.charCodeAt(j + 1) : -1;
    if (next === DOLLAR) {
      out += '$';
      i = j + 2;
      continue;
    }
    if (next === 0x7b) {
      const result = braced(text, j, to, lookup, errors, unresolved);
      out += result.value;
      i = result.end;
      continue;
    }
    if (isNameStart(next)) {
      let k = j + 2;
      while (k < to && isNameChar(text.charCodeAt(k))) k++;
      const name = text.slice(j + 1, k);
      const found = lookup(name);
      if (found === undefined) unresolved.push(name);
      out += found ?? '';
      i = k;
      continue;
    }
    out += '$';
    i = j + 1;
  }
  return out;
}

/** `${...}` starting at `dollar`. */
function braced(text: string, dollar: number, to: number, lookup: EnvLookup, errors: TemplateError[], unresolved: string[]): { value: string; end: number } {
  let k = dollar + 2;
  const nameStart = k;
  if (k < to && isNameStart(text.charCodeAt(k))) {
    k++;
    while (k < to && isNameChar(text.charCodeAt(k))) k++;
  }
  const name = text.slice(nameStart, k);
  const c = k < to ? text.charCodeAt(k) : -1;
  if (name.length > 0 && c === 0x7d) {
    const found = lookup(name);
    if (found === undefined) unresolved.push(name);
    return { value: found ?? '', end: k + 1 };
  }
  let operator = '';
  if (name.length > 0) {
    const two = text.slice(k, k + 2);
    if (two === ':-' || two === ':?' || two === ':+') operator = two;
    else if (c === 0x2d || c === 0x3f || c === 0x2b) operator = String.fromCharCode(c);
  }
  if (!operator) return invalid(text, dollar, to, errors, unresolved, name);
  const argStart = k + operator.length;
  // The matching `}`: nested `${` open, any `}` closes; not across a line break.
  let depth = 1;
  let close = -1;
  for (let t = argStart; t < to; t++) {
    const d = text.charCodeAt(t);
    if (d === 0x0a || d === 0x0d) break;
    if (d === DOLLAR && text.charCodeAt(t + 1) === 0x7b && t + 1 < to) {
      depth++;
      t++;
      continue;
    }
    if (d === 0x7d) {
      depth--;
      if (depth === 0) {
        close = t;
        break;
      }
    }
  }
  if (close < 0) return invalid(text, dollar, to, errors, unresolved, name, true);
  const argument = substituteInto(text, argStart, close, lookup, errors, unresolved);
  const found = lookup(name);
  const end = close + 1;
  switch (operator) {
    case ':-':
      return { value: found === undefined || found === '' ? argument : found, end };
    case '-':
      return { value: found === undefined ? argument : found, end };
    case ':+':
      return { value: found !== undefined && found !== '' ? argument : '', end };
    case '+':
      return { value: found !== undefined ? argument : '', end };
    default: {
      const missing = operator === ':?' ? found === undefined || found === '' : found === undefined;
      if (!missing) return { value: found!, end };
      const what = operator === ':?' && found === '' ? 'is empty' : 'is not set';
      errors.push({
        start: dollar,
        end,
        kind: 'required',
        message: argument ? `required variable ${name} ${what}: ${argument}` : `required variable ${name} ${what}`,
      });
      unresolved.push(name);
      return { value: '', end };
    }
  }
}

function invalid(text: string, dollar: number, to: number, errors: TemplateError[], unresolved: string[], name: string, unterminated = false): { value: string; end: number } {
  // Report up to the first `}` on the line (or the line's end; for an unclosed
  // expression with an operator, the line's end).
  let end = dollar + 2;
  let closed = false;
  while (end < to) {
    const d = text.charCodeAt(end);
    if (d === 0x0a || d === 0x0d) break;
    end++;
    if (d === 0x7d && !unterminated) {
      closed = true;
      break;
    }
  }
  const written = text.slice(dollar, end);
  let reason: string;
  if (!closed) reason = `"${written}" is not closed by "}"`;
  else if (!name) reason = `"${written}" does not start with a variable name`;
  else reason = `"${written}" is not a variable reference: after the name compose expects "}", ":-", "-", ":?", "?", ":+" or "+"`;
  errors.push({ start: dollar, end, kind: 'syntax', message: reason });
  unresolved.push(name || '?');
  return { value: '', end };
}

// ------------------------------------------------------------------ trees

/**
 * Where the characters of a scalar's decoded string sit in the text, when they
 * map one to one (plain single-line scalars and quoted ones without escapes);
 * undefined otherwise, in which case findings cover the whole scalar.
 */
function contentOffset(node: ComposeScalar, text: string, raw: string): number | undefined {
  const { start, end } = node.range;
  if (node.style === 'plain') return end - start === raw.length && text.startsWith(raw, start) ? start : undefined;
  if (node.style === 'single' || node.style === 'double') return end - start - 2 === raw.length && text.startsWith(raw, start + 1) ? start + 1 : undefined;
  return undefined;
}

export interface InterpolationOptions {
  lookup: EnvLookup;
  /** The text of the file the tree was read from (for finding ranges inside scalars). */
  text: string;
  /** Where `invalid-interpolation` findings go. */
  findings: ComposeFinding[];
  /** Shared between the documents of one file so an aliased subtree is interpolated once. */
  memo?: Map<ComposeNode, ComposeNode>;
  /**
   * Names the variables' values (the same key for the same values): with it,
   * a subtree interpolated without problems under the same key before (by an
   * earlier load of a version sharing that node) is not interpolated again.
   */
  environmentKey?: string;
}

/**
 * Services interpolated earlier, per node read from the text, with the key of
 * the environment used: a parse after an edit keeps the nodes of the entries
 * the edit did not touch (compose/parse.ts), so after a keystroke only the
 * edited service is interpolated again. Only services are kept, and only
 * results without findings (findings carry the path they were found at).
 */
const earlier = new MemoSlot<{ key: string; result: ComposeNode }>();

/**
 * A copy of `root` with every string scalar interpolated (`raw` kept, `value`
 * replaced, `unresolved` set when a variable had no value). Unchanged subtrees
 * are shared, not copied.
 */
export function interpolateTree(root: ComposeNode, options: InterpolationOptions): ComposeNode {
  const memo = options.memo ?? new Map<ComposeNode, ComposeNode>();
  const reported = new Set<string>();
  const path: (string | number)[] = [];
  const environmentKey = options.environmentKey;
  // Templates substituted in this tree: a file repeats the same few (`${LOG_LEVEL:-info}` in every service). The
  // results are shared by the scalars, not to be changed; kept for this call only, as the strings in them point into
  // this version's text.
  const substituted = new Map<string, TemplateResult>();
  let problems = 0;
  const visit = (node: ComposeNode): ComposeNode => {
    if (node.kind === 'scalar') return typeof node.raw === 'string' && node.raw.includes('$') ? interpolateScalar(node, node.raw) : node;
    // Subtrees without a `$` are shared as they are.
    if (node.flags !== undefined && (node.flags & NODE_HAS_DOLLAR) === 0) return node;
    const shared = node.flags === undefined || (node.flags & NODE_SHARED) !== 0;
    if (shared) {
      const known = memo.get(node);
      if (known) return known;
    }
    // Kept per service (a few hundred entries, not one per collection: each keeps a memo array on its node).
    const keep = !shared && environmentKey !== undefined && path.length === 2 && path[0] === 'services';
    if (keep) {
      const known = earlier.get(node);
      if (known && known.key === environmentKey) return known.result;
    }
    const problemsBefore = problems;
    let result: ComposeNode = node;
    if (node.kind === 'map') {
      let pairs: ComposePair[] | undefined;
      const list = node.pairs;
      for (let index = 0; index < list.length; index++) {
        const pair = list[index]!;
        path.push(pair.key);
        const value = visit(pair.value);
        path.pop();
        // A copy of the whole list at once (of its exact length, unlike one grown by `push`).
        if (value !== pair.value) (pairs ??= list.slice())[index] = withValue(pair, value);
      }
      if (pairs) {
        result = makeMap(node.file, node.range, pairs, (node.flags ?? NODE_UNKNOWN) & NODE_UNKNOWN, node.tag);
      }
    } else {
      let items: ComposeNode[] | undefined;
      const list = node.items;
      for (let index = 0; index < list.length; index++) {
        const item = list[index]!;
        path.push(index);
        const value = visit(item);
        path.pop();
        if (value !== item) (items ??= list.slice())[index] = value;
      }
      if (items) {
        result = makeSeq(node.file, node.range, items, (node.flags ?? NODE_UNKNOWN) & NODE_UNKNOWN, node.tag);
      }
    }
    if (shared) memo.set(node, result);
    else if (keep && problems === problemsBefore) earlier.set(node, { key: environmentKey!, result });
    return result;
  };
  const interpolateScalar = (node: ComposeScalar, raw: string): ComposeScalar => {
    let result = substituted.get(raw);
    if (result === undefined) {
      result = substitute(raw, options.lookup);
      substituted.set(raw, result);
    }
    if (result.errors.length > 0) {
      problems++;
      const base = contentOffset(node, options.text, raw);
      for (const error of result.errors) {
        const range: TextRange = base === undefined ? node.range : { start: base + error.start, end: base + error.end };
        const key = `${node.file}:${range.start}:${range.end}:${error.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const where = pathText(path);
        options.findings.push({
          code: 'invalid-interpolation',
          severity: 'error',
          file: node.file,
          range,
          message: error.kind === 'required' ? `${where}: ${error.message}` : `${where}: invalid interpolation: ${error.message} (write $$ for a literal $)`,
        });
      }
    }
    return makeScalar(node.file, node.range, node.raw, result.value, node.style, node.tag, node.empty, result.unresolved.length > 0 ? result.unresolved : undefined);
  };
  return visit(root);
}
