/**
 * Word splitting, each function matching one of the ways BuildKit splits an
 * instruction's arguments. All work on [start, end) of a string and give
 * spans (indices into that same string), never copies. The two that split
 * every instruction's arguments write the spans flat into an array the caller
 * keeps (word i from `into[2i]` to `into[2i + 1]`) and return how many words
 * they found: no array per word, none per call.
 */

import { isUnicodeSpace, isWordSeparator } from './characters';

export type Span = [start: number, end: number];

/**
 * Words separated by runs of `[\t\v\f\r ]` (BuildKit's
 * parseStringsWhitespaceDelimited): FROM, EXPOSE, and shell-form COPY/ADD/VOLUME.
 * Quotes mean nothing here, as in Docker.
 */
export function splitWhitespaceDelimited(text: string, start: number, end: number, into: number[]): number {
  let words = 0;
  let pos = start;
  while (pos < end) {
    while (pos < end && isWordSeparator(text.charCodeAt(pos))) pos++;
    if (pos >= end) break;
    const wordStart = pos;
    while (pos < end && !isWordSeparator(text.charCodeAt(pos))) pos++;
    into[2 * words] = wordStart;
    into[2 * words + 1] = pos;
    words++;
  }
  return words;
}

/**
 * Quote-aware words (BuildKit's parseWords) for ENV, LABEL and ARG: spaces
 * inside '...' or "..." do not split; the escape character protects the next
 * character (except inside single quotes). Quotes and escapes stay in the word.
 * `equalsInto[i]` gets the index of word i's first `=` as written (quoted or
 * escaped ones too), or -1: ENV, LABEL and ARG split their words there, and
 * need not scan them again.
 */
export function splitQuotedWords(text: string, start: number, end: number, escapeChar: string, into: number[], equalsInto: number[]): number {
  const escape = escapeChar.charCodeAt(0);
  let words = 0;
  let pos = start;
  while (pos < end) {
    while (pos < end && isUnicodeSpace(text.charCodeAt(pos))) pos++;
    if (pos >= end) break;
    const wordStart = pos;
    let contentEnd = pos;
    let quote = 0;
    let sawQuote = false;
    let equals = -1;
    while (pos < end) {
      let code = text.charCodeAt(pos);
      // The usual character means nothing here (past '=', printable ASCII, not the escape): one test for it.
      if (code > 0x3d && code < 0x7f && code !== escape) {
        pos++;
        contentEnd = pos;
        continue;
      }
      if (quote === 0) {
        if (isUnicodeSpace(code)) break;
        if (code === 0x22 || code === 0x27) {
          quote = code;
          sawQuote = true;
        } else if (code === escape) {
          if (pos + 1 >= end) {
            pos++; // an escape at the very end is dropped
            continue;
          }
          code = text.charCodeAt(++pos); // the escape and the character after it both stay in the word
        }
      } else if (code === quote) {
        quote = 0;
      } else if (code === escape && quote !== 0x27) {
        if (pos + 1 >= end) {
          quote = 0;
          pos++;
          continue;
        }
        code = text.charCodeAt(++pos);
      }
      if (code === 0x3d && equals < 0) equals = pos;
      pos++;
      contentEnd = pos;
    }
    if (sawQuote || contentEnd > wordStart) {
      into[2 * words] = wordStart;
      into[2 * words + 1] = contentEnd;
      equalsInto[words] = equals;
      words++;
    }
  }
  return words;
}

/**
 * Raw shell words of a whole instruction line, as BuildKit's shell lexer splits
 * them when it looks for heredoc markers (always with `\` as escape, quotes and
 * escapes kept). Returns undefined when a quote or `${` is left open: BuildKit's
 * lexer fails then and finds no heredocs at all.
 */
export function splitRawShellWords(text: string, start: number, end: number): Span[] | undefined {
  const spans: Span[] = [];
  let pos = start;
  while (pos < end) {
    while (pos < end && isUnicodeSpace(text.charCodeAt(pos))) pos++;
    if (pos >= end) break;
    const wordStart = pos;
    while (pos < end) {
      const code = text.charCodeAt(pos);
      if (isUnicodeSpace(code)) break;
      if (code === 0x5c /* \ */) {
        pos += 2;
      } else if (code === 0x27 /* ' */) {
        const close = text.indexOf("'", pos + 1);
        if (close < 0 || close >= end) return undefined;
        pos = close + 1;
      } else if (code === 0x22 /* " */) {
        pos = skipDoubleQuoted(text, pos + 1, end);
        if (pos < 0) return undefined;
      } else if (code === 0x24 /* $ */ && text.charCodeAt(pos + 1) === 0x7b /* { */) {
        pos = skipBraced(text, pos + 2, end);
        if (pos < 0) return undefined;
      } else {
        pos++;
      }
    }
    spans.push([wordStart, Math.min(pos, end)]);
  }
  return spans;
}

/** Index after the closing `"` of a double-quoted string starting at `pos`, or -1. */
function skipDoubleQuoted(text: string, pos: number, end: number): number {
  while (pos < end) {
    const code = text.charCodeAt(pos);
    if (code === 0x22) return pos + 1;
    if (code === 0x5c) {
      const next = text.charCodeAt(pos + 1);
      pos += next === 0x22 || next === 0x24 || next === 0x5c ? 2 : 1;
    } else if (code === 0x24 && text.charCodeAt(pos + 1) === 0x7b) {
      pos = skipBraced(text, pos + 2, end);
      if (pos < 0) return -1;
    } else {
      pos++;
    }
  }
  return -1;
}

/** Index after the `}` closing a `${` whose body starts at `pos`, or -1. Iterative so deep nesting cannot overflow. */
function skipBraced(text: string, pos: number, end: number): number {
  let depth = 1;
  while (pos < end) {
    const code = text.charCodeAt(pos);
    if (code === 0x7d) {
      depth--;
      pos++;
      if (depth === 0) return pos;
    } else if (code === 0x24 && text.charCodeAt(pos + 1) === 0x7b) {
      depth++;
      pos += 2;
    } else if (code === 0x5c) {
      pos += 2;
    } else {
      pos++;
    }
  }
  return -1;
}
