/** Plain-words pieces of schema messages: paths, shapes, did-you-mean. */
import type { PathSegment } from './types';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `services.web.ports[0]`; keys that are not plain names are bracketed: `services["my.app"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || 'top level';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  object: 'mapping',
  array: 'sequence',
  null: 'null',
};
const TYPE_ORDER = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

function article(word: string): string {
  if (word === 'null' || word.startsWith('"') || /^[-\d]/.test(word)) return word;
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Expected JSON types in words: `a string or number`, `an integer`, `a mapping or null`. */
export function describeTypes(types: readonly string[], values: readonly unknown[] = []): string {
  const set = new Set(types);
  if (set.has('number')) set.delete('integer');
  const words = TYPE_ORDER.filter((type) => set.has(type)).map((type) => TYPE_WORDS[type]!);
  for (const type of set) if (!TYPE_ORDER.includes(type)) words.push(type);
  const parts = [...values.map(formatValue), ...(words.length > 0 ? [article(words[0]!), ...words.slice(1)] : [])];
  if (parts.length === 0) return 'any value';
  return orList(parts);
}

/** What a data value is, in words: `a mapping`, `a sequence`, `a string`, `a number`, `a boolean`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'a mapping';
  }
}

/** A scalar as it would be written in a message: strings quoted (and shortened), others as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped at `limit + 1`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let previous2 = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[b.length]!;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/**
 * The candidate closest to `word`, if close enough to be a likely misspelling:
 * case and `-`/`_` differences are free; then up to 1 edit for short words, 2
 * from 6 characters, 3 from 12.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (!word || candidates.length === 0 || word.length > 200) return undefined;
  const normalized = normalizeName(word);
  const limit = normalized.length >= 12 ? 3 : normalized.length >= 6 ? 2 : normalized.length >= 3 ? 1 : 0;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(normalized, normalizeName(candidate), limit);
    if (distance > limit) continue;
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate[0] === word[0] && best[0] !== word[0])) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Whether compose will substitute variables in this string (`${VAR}`, `$VAR`; `$$` is a literal `$`). */
export function hasInterpolation(value: string): boolean {
  for (let i = value.indexOf('$'); i !== -1 && i < value.length - 1; i = value.indexOf('$', i + 1)) {
    const next = value.charCodeAt(i + 1);
    if (next === 36 /* $ */) {
      i++;
      continue;
    }
    if (next === 123 /* { */ || next === 95 /* _ */ || (next >= 65 && next <= 90) || (next >= 97 && next <= 122)) return true;
  }
  return false;
}

const NAME_PATTERNS: Record<string, string> = {
  '^[a-zA-Z0-9._-]+$': 'use only letters, digits, ".", "_" and "-"',
  '^[a-z]+$': 'use only lowercase letters',
  '^.+$': 'a name must not be empty',
  '.+': 'a name must not be empty',
};

/** The rule a key pattern states, in words. */
export function describeKeyPattern(pattern: string): string {
  return NAME_PATTERNS[pattern] ?? `keys here must match ${pattern}`;
}

const NAME_KINDS: Record<string, string> = {
  services: 'service',
  networks: 'network',
  volumes: 'volume',
  secrets: 'secret',
  configs: 'config',
  models: 'model',
  depends_on: 'service',
};

/** What the keys of the mapping at `path` name: `service name`, `network name`, … or `key`. */
export function keyKind(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  const kind = typeof last === 'string' ? NAME_KINDS[last] : undefined;
  return kind ? `${kind} name` : 'key';
}
