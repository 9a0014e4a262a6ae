/**
 * Builder flags (`--name` / `--name=value`) at the start of an instruction's
 * arguments, extracted like BuildKit's extractBuilderFlags:
 * - only words starting with `--` are flags; the first other word ends them;
 * - a lone `--` ends the flags and is dropped;
 * - quotes group spaces and are removed, `\` escapes the next character
 *   (always backslash, whatever the escape directive says);
 * - a value is only what follows `=`: `--from stage` is a flag `--from` followed
 *   by the argument `stage`.
 * Which flags an instruction accepts is checked by lint rules, not here.
 */

import { isUnicodeSpace } from './characters';
import type { LogicalLine } from './logicalLine';
import { NONE } from './none';
import type { InstructionFlag } from './types';

/** Where the arguments after the flags start (may be followed by spaces): set by `extractFlags`. */
export interface FlagsEnd {
  argsStart: number;
}

/** A third flag and more, before they are copied out in an array of the right length. */
const MORE: InstructionFlag[] = [];
/** Where `nextFlag` goes on reading; once it finds no more flags, where the arguments start. */
let at = 0;

/** The flags at the start of logical [start, end) of `logical.text`; where they end goes to `flagsEnd`. */
export function extractFlags(logical: LogicalLine, start: number, end: number, flagsEnd: FlagsEnd): InstructionFlag[] {
  at = start;
  // Most instructions have one or two flags, kept in locals (a new flag stored in a long-lived array costs a write barrier) and put in a literal.
  let flags: InstructionFlag[] = NONE;
  const first = nextFlag(logical, end);
  if (first !== undefined) {
    const second = nextFlag(logical, end);
    if (second === undefined) flags = [first];
    else {
      let found = 0;
      for (let flag = nextFlag(logical, end); flag !== undefined; flag = nextFlag(logical, end)) MORE[found++] = flag;
      flags = found === 0 ? [first, second] : [first, second, ...MORE.slice(0, found)];
      MORE.length = 0;
    }
  }
  flagsEnd.argsStart = at;
  return flags;
}

/** The next flag from `at`, which moves past it; undefined when the flags end, `at` then being where the arguments start. */
function nextFlag(logical: LogicalLine, end: number): InstructionFlag | undefined {
  const text = logical.text;
  let pos = at;
  for (;;) {
    while (pos < end && isUnicodeSpace(text.charCodeAt(pos))) pos++;
    if (pos >= end || !(text.charCodeAt(pos) === 0x2d && pos + 1 < end && text.charCodeAt(pos + 1) === 0x2d)) {
      at = pos;
      return undefined;
    }
    const wordStart = pos;
    // The usual flag has no quotes or backslashes: its parts are plain slices of the word.
    let equals = -1;
    let plain = true;
    pos += 2;
    while (pos < end) {
      const code = text.charCodeAt(pos);
      // The usual character (past '=', before the Unicode spaces, not a backslash): one test for it.
      if (code > 0x3d && code < 0x85 && code !== 0x5c) {
        pos++;
        continue;
      }
      if (isUnicodeSpace(code)) break;
      if (code === 0x22 || code === 0x27 || code === 0x5c) {
        plain = false;
        break;
      }
      if (code === 0x3d && equals < 0) equals = pos;
      pos++;
    }
    at = pos;
    if (plain) {
      if (pos === wordStart + 2) return undefined; // a lone `--` ends the flags
      const nameEnd = equals >= 0 ? equals : pos;
      const name = text.slice(wordStart + 2, nameEnd);
      return equals >= 0 ? valuedFlag(logical, name, wordStart, pos, wordStart + 2, equals, undefined) : bareFlag(logical, name, wordStart, pos, wordStart + 2, pos);
    }
    const flag = cookedFlag(logical, wordStart, end);
    if (flag !== null) return flag;
    pos = at;
  }
}

/**
 * The flag word at `wordStart` read character by character (quotes, escapes),
 * with `at` moved after it: its flag, null for a word that is no flag (nothing
 * once unquoted), or undefined when the word is `--` once unquoted, which ends
 * the flags.
 */
function cookedFlag(logical: LogicalLine, wordStart: number, end: number): InstructionFlag | null | undefined {
  const text = logical.text;
  let pos = wordStart;
  let cooked = '';
  let quote = 0;
  let sawQuote = false;
  // Raw index of the first cooked '=' and of the cooked character after `--`.
  let equalsRaw = -1;
  let equalsCooked = -1;
  let nameStartRaw = -1;
  while (pos < end) {
    const code = text.charCodeAt(pos);
    if (quote === 0 && isUnicodeSpace(code)) break;
    if (quote === 0 && (code === 0x22 || code === 0x27)) {
      quote = code;
      sawQuote = true;
      pos++;
      continue;
    }
    if (quote !== 0 && code === quote) {
      quote = 0;
      pos++;
      continue;
    }
    let runStart = pos;
    let runEnd = pos + 1;
    if (code === 0x5c /* \ */) {
      if (pos + 1 >= end) {
        quote = 0; // a trailing backslash is dropped
        pos++;
        continue;
      }
      runStart = pos + 1; // the escaped character, taken literally
      runEnd = pos + 2;
    } else {
      // Extend over characters with no special meaning in this state.
      while (runEnd < end) {
        const next = text.charCodeAt(runEnd);
        if (next === 0x5c || (quote === 0 ? next === 0x22 || next === 0x27 || isUnicodeSpace(next) : next === quote)) break;
        runEnd++;
      }
    }
    const length = runEnd - runStart;
    if (cooked.length <= 2 && cooked.length + length > 2) nameStartRaw = runStart + (2 - cooked.length);
    if (equalsRaw < 0) {
      for (let i = runStart; i < runEnd; i++) {
        if (text.charCodeAt(i) === 0x3d) {
          equalsRaw = i;
          equalsCooked = cooked.length + (i - runStart);
          break;
        }
      }
    }
    cooked += text.slice(runStart, runEnd);
    pos = runEnd;
  }
  const wordEnd = pos;
  at = wordEnd;
  if (cooked === '--') return undefined;
  if (!sawQuote && cooked.length === 0) return null;
  const nameStart = nameStartRaw >= 0 ? nameStartRaw : equalsRaw >= 0 ? equalsRaw : wordEnd;
  const name = cooked.slice(2, equalsCooked >= 0 ? equalsCooked : cooked.length);
  const nameEnd = equalsRaw >= 0 ? equalsRaw : wordEnd;
  return equalsRaw >= 0
    ? valuedFlag(logical, name, wordStart, wordEnd, Math.min(nameStart, equalsRaw), equalsRaw, cooked.slice(equalsCooked + 1))
    : bareFlag(logical, name, wordStart, wordEnd, Math.min(nameStart, wordEnd), nameEnd);
}

function bareFlag(logical: LogicalLine, name: string, wordStart: number, wordEnd: number, nameStart: number, nameEnd: number): InstructionFlag {
  return {
    name,
    range: logical.sourceRange(wordStart, wordEnd),
    logicalRange: { start: wordStart, end: wordEnd },
    nameRange: logical.sourceRange(nameStart, nameEnd),
  };
}

/** `--name=value`: `equals` is the index of the `=`; `value` the text after it unquoted, undefined when that is the text as written. */
function valuedFlag(logical: LogicalLine, name: string, wordStart: number, wordEnd: number, nameStart: number, equals: number, value: string | undefined): InstructionFlag {
  const rawValue = logical.text.slice(equals + 1, wordEnd);
  return {
    name,
    range: logical.sourceRange(wordStart, wordEnd),
    logicalRange: { start: wordStart, end: wordEnd },
    nameRange: logical.sourceRange(nameStart, equals),
    value: value ?? rawValue,
    rawValue,
    valueRange: logical.sourceRange(equals + 1, wordEnd),
    valueLogicalRange: { start: equals + 1, end: wordEnd },
  };
}
