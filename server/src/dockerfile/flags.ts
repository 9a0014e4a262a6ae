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

export interface RawFlag {
  wordStart: number;
  wordEnd: number;
  name: string;
  nameStart: number;
  nameEnd: number;
  value?: string;
  valueStart?: number;
  valueEnd?: number;
}

export interface ExtractedFlags {
  flags: RawFlag[];
  /** Where the non-flag arguments start (may be followed by spaces). */
  argsStart: number;
}

export function extractFlags(text: string, start: number, end: number): ExtractedFlags {
  const flags: RawFlag[] = [];
  let pos = start;
  for (;;) {
    while (pos < end && isUnicodeSpace(text.charCodeAt(pos))) pos++;
    if (pos >= end) return { flags, argsStart: end };
    if (!(text.charCodeAt(pos) === 0x2d && pos + 1 < end && text.charCodeAt(pos + 1) === 0x2d)) {
      return { flags, argsStart: pos };
    }
    const wordStart = pos;
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
    if (cooked === '--') return { flags, argsStart: wordEnd };
    if (!sawQuote && cooked.length === 0) continue;
    const nameStart = nameStartRaw >= 0 ? nameStartRaw : equalsRaw >= 0 ? equalsRaw : wordEnd;
    const flag: RawFlag = {
      wordStart,
      wordEnd,
      name: cooked.slice(2, equalsCooked >= 0 ? equalsCooked : cooked.length),
      nameStart: Math.min(nameStart, equalsRaw >= 0 ? equalsRaw : wordEnd),
      nameEnd: equalsRaw >= 0 ? equalsRaw : wordEnd,
    };
    if (equalsRaw >= 0) {
      flag.value = cooked.slice(equalsCooked + 1);
      flag.valueStart = equalsRaw + 1;
      flag.valueEnd = wordEnd;
    }
    flags.push(flag);
  }
}
