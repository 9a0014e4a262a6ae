/**
 * `.env` files as compose reads them (compose-go's dotenv parser):
 *
 * - `KEY=value` or `KEY: value`, optionally prefixed by `export `; blank lines
 *   and lines starting with `#` are skipped;
 * - key characters: letters, digits, `_`, `.`, `-`, `[`, `]`;
 * - a key alone on its line (`KEY`) takes its value from the lookup (the
 *   process environment), and is left unset when there is none;
 * - unquoted values end at the line break, lose a ` #` comment and trailing
 *   whitespace, and are interpolated;
 * - single-quoted values are literal and may span lines (`\'` is a quote);
 * - double-quoted values may span lines, understand `\n`, `\r`, `\t`, `\\`,
 *   `\"`, `\$` (a literal `$`) and the other C escapes, and are interpolated;
 * - interpolation inside values uses compose's syntax (`${VAR:-default}` …),
 *   looking variables up first in `lookup`, then in the keys set earlier in
 *   the same file.
 */

import { substitute, type EnvLookup } from './interpolation';
import type { TextRange } from './types';

export interface EnvEntry {
  name: string;
  nameRange: TextRange;
  /** The value after quotes, escapes and interpolation; undefined for an inherited key with no value. */
  value: string | undefined;
  /** The value as written (quotes included); empty at the end of the key for `KEY`. */
  valueRange: TextRange;
  inherited: boolean;
}

export interface EnvFileProblem {
  range: TextRange;
  message: string;
}

export interface EnvFile {
  /** Keys in the order they are set; a later one wins. */
  values: Map<string, string>;
  entries: EnvEntry[];
  problems: EnvFileProblem[];
}

function isSpace(c: number): boolean {
  // Blanks other than the line feed (compose's isSpace).
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x85 || c === 0xa0;
}

function isUnicodeSpace(c: number): boolean {
  return isSpace(c) || c === 0x0a || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isKeyChar(ch: string): boolean {
  return /^[\p{L}\p{N}_.\-[\]]$/u.test(ch);
}

const C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

/** Escapes of a double-quoted value (after the quote scan kept their backslashes). */
function expandEscapes(value: string): string {
  return value.replace(/\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g, (match) => {
    const c = match[1]!;
    if (c === '$') return '$$';
    if (c === '0') {
      // `\0ddd` is read as the octal escape `\ddd` (three octal digits, at most \377); otherwise the 0 is dropped.
      const digits = match.slice(2);
      return /^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 0xff ? String.fromCharCode(parseInt(digits, 8)) : '\\' + digits;
    }
    return C_ESCAPES[c] ?? match;
  });
}

/** Parses a `.env` file. Never throws; stops at the first error like compose does, reporting it with a range. */
export function parseEnvFile(text: string, lookup: EnvLookup = () => undefined): EnvFile {
  const values = new Map<string, string>();
  const entries: EnvEntry[] = [];
  const problems: EnvFileProblem[] = [];
  const source = typeof text === 'string' ? text : '';
  const len = source.length;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const expand = (value: string, at: number, end: number): string => {
    const result = substitute(value, (name) => lookup(name) ?? values.get(name));
    for (const error of result.errors) problems.push({ range: { start: at, end }, message: error.message });
    return result.value;
  };
  while (pos < len && problems.length === 0) {
    // Statement start: skip whitespace and comment lines.
    while (pos < len && isUnicodeSpace(source.charCodeAt(pos))) pos++;
    if (pos >= len) break;
    if (source.charCodeAt(pos) === 0x23) {
      while (pos < len && source.charCodeAt(pos) !== 0x0a) pos++;
      continue;
    }
    const exportMatch = /^export[ \t\f\r]+/.exec(source.slice(pos, pos + 64));
    if (exportMatch) pos += exportMatch[0].length;
    // The key runs to '=', ':' or the line break.
    const keyStart = pos;
    let at = pos;
    let terminator = -1;
    let bad: number | undefined;
    while (at < len) {
      const c = source.charCodeAt(at);
      if (c === 0x3d || c === 0x3a || c === 0x0a) {
        terminator = c;
        break;
      }
      if (!isSpace(c)) {
        const ch = String.fromCodePoint(source.codePointAt(at)!);
        if (!isKeyChar(ch)) {
          bad = at;
          break;
        }
        at += ch.length;
        continue;
      }
      at++;
    }
    let keyEnd = at;
    while (keyEnd > keyStart && isUnicodeSpace(source.charCodeAt(keyEnd - 1))) keyEnd--;
    const key = source.slice(keyStart, keyEnd);
    if (bad !== undefined) {
      const lineEnd = source.indexOf('\n', keyStart);
      const ch = String.fromCodePoint(source.codePointAt(bad)!);
      problems.push({ range: { start: bad, end: bad + ch.length }, message: `unexpected character "${ch}" in variable name "${source.slice(keyStart, lineEnd < 0 ? len : lineEnd).trimEnd()}"` });
      break;
    }
    if (key.includes(' ')) {
      problems.push({ range: { start: keyStart, end: keyEnd }, message: `variable name "${key}" cannot contain a space` });
      break;
    }
    const nameRange = { start: keyStart, end: keyEnd };
    if (terminator === 0x0a || terminator === -1) {
      // `KEY` alone: inherited from the environment.
      const value = lookup(key);
      if (value !== undefined) values.set(key, value);
      entries.push({ name: key, nameRange, value, valueRange: { start: keyEnd, end: keyEnd }, inherited: true });
      pos = at;
      continue;
    }
    pos = at + 1;
    while (pos < len && isSpace(source.charCodeAt(pos))) pos++;
    const quote = source.charCodeAt(pos);
    let value: string;
    let valueRange: TextRange;
    if (quote === 0x22 || quote === 0x27) {
      let chars = '';
      let escaped = false;
      let close = -1;
      for (let i = pos + 1; i < len; i++) {
        const c = source.charCodeAt(i);
        if (escaped) {
          escaped = false;
          if (c !== quote) chars += '\\';
          chars += source[i];
          continue;
        }
        if (c === 0x5c) escaped = true;
        else if (c === quote) {
          close = i;
          break;
        } else chars += source[i];
      }
      if (close < 0) {
        const lineEnd = source.indexOf('\n', pos);
        const end = lineEnd < 0 ? len : lineEnd;
        problems.push({ range: { start: pos, end }, message: `unterminated quoted value ${source.slice(pos, end)}` });
        break;
      }
      valueRange = { start: pos, end: close + 1 };
      value = quote === 0x22 ? expand(expandEscapes(chars), pos, close + 1) : chars;
      pos = close + 1;
    } else {
      let lineEnd = source.indexOf('\n', pos);
      if (lineEnd < 0) lineEnd = len;
      let raw = source.slice(pos, lineEnd);
      const comment = raw.indexOf(' #');
      if (comment >= 0) raw = raw.slice(0, comment);
      let end = raw.length;
      while (end > 0 && isUnicodeSpace(raw.charCodeAt(end - 1))) end--;
      raw = raw.slice(0, end);
      valueRange = { start: pos, end: pos + raw.length };
      value = expand(raw, valueRange.start, valueRange.end);
      pos = lineEnd;
    }
    if (problems.length > 0) break;
    values.set(key, value);
    entries.push({ name: key, nameRange, value, valueRange, inherited: false });
  }
  return { values, entries, problems };
}
