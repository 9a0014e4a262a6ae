/**
 * Character classes used by Docker's (Go) Dockerfile parser. BuildKit uses
 * different notions of "space" in different places, so each has its own helper.
 */

/** Go's `unicode.IsSpace`: what BuildKit uses to trim lines and split most words. */
export function isUnicodeSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * BuildKit's `[\t\v\f\r ]+` separator: splits the keyword from its arguments and
 * the words of FROM/EXPOSE/COPY/ADD/VOLUME and the legacy `ENV key value` form.
 */
export function isWordSeparator(code: number): boolean {
  // One comparison for the usual printable character.
  return code <= 0x20 && (code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d);
}

/** Go RE2's `\s` (`[\t\n\f\r ]`), used by the parser-directive regular expression. */
export function isRegexpSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

export function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Index of the first non-`isUnicodeSpace` character in [pos, end), or `end`. */
export function skipUnicodeSpaces(text: string, pos: number, end: number): number {
  while (pos < end && isUnicodeSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** End index after dropping trailing `isUnicodeSpace` characters from [start, end). */
export function trimUnicodeSpacesEnd(text: string, start: number, end: number): number {
  while (end > start && isUnicodeSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** ASCII-only upper-casing: instruction keywords are ASCII, and locale rules must not match odd letters. */
export function asciiUpperCase(text: string): string {
  let result = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x61 && code <= 0x7a) {
      result += text.slice(runStart, i) + String.fromCharCode(code - 32);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? text : result + text.slice(runStart);
}

/** ASCII-only lower-casing, see `asciiUpperCase`. */
export function asciiLowerCase(text: string): string {
  let result = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) {
      result += text.slice(runStart, i) + String.fromCharCode(code + 32);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? text : result + text.slice(runStart);
}

/** Where a line [start, end) is continued, by BuildKit's test: the escape character last (trailing spaces and tabs ignored) and not doubled; -1 when it is not. */
export function continuationEscapeIndex(text: string, start: number, end: number, escape: number): number {
  let last = end;
  while (last > start) {
    const code = text.charCodeAt(last - 1);
    if (code !== 0x20 && code !== 0x09) break;
    last--;
  }
  if (last === start) return -1;
  const escapeIndex = last - 1;
  if (text.charCodeAt(escapeIndex) !== escape) return -1;
  if (escapeIndex > start && text.charCodeAt(escapeIndex - 1) === escape) return -1;
  return escapeIndex;
}
