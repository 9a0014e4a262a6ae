/**
 * Parser directives (`# syntax=...`, `# escape=...`, `# check=...`).
 *
 * BuildKit semantics followed here:
 * - Directives are only recognised on the lines at the very top of the file.
 *   The first line that is not a valid directive (an instruction, an ordinary
 *   comment, an unknown directive name, or an empty line) ends the search.
 * - A line matches `#\s*name\s*=\s*value\s*` after leading whitespace; names
 *   are case-insensitive; only `syntax`, `escape` and `check` are directives.
 * - A repeated directive is an error ("only one X parser directive can be used").
 * - `escape` must be `\` or a backtick, otherwise it is an error.
 * - A `#!` first line: BuildKit's syntax and check detection skip a shebang
 *   line before looking for directives, but its parser (which applies the
 *   escape directive) stops at it. So directives after a shebang are recorded,
 *   but an escape directive there is inactive.
 */

import { isAsciiDigit, isAsciiLetter, isRegexpSpace, skipUnicodeSpaces } from './characters';
import type { ParseProblem, ParserDirective } from './types';

/** The bit of a directive's (lower-case) name in `DirectiveScanner.seen`; 0 for a name that is no directive. */
function directiveBit(name: string): number {
  return name === 'syntax' ? 1 : name === 'escape' ? 2 : name === 'check' ? 4 : 0;
}

interface DirectiveLineMatch {
  rawName: string;
  nameStart: number;
  nameEnd: number;
  value: string;
  valueStart: number;
  valueEnd: number;
}

/**
 * Matches BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` against the text
 * after `#` (and the whitespace following it). `hashIndex` points at the `#`.
 */
export function matchDirectiveLine(text: string, hashIndex: number, end: number): DirectiveLineMatch | undefined {
  let pos = skipUnicodeSpaces(text, hashIndex + 1, end);
  const nameStart = pos;
  if (pos >= end || !isAsciiLetter(text.charCodeAt(pos))) return undefined;
  pos++;
  while (pos < end && (isAsciiLetter(text.charCodeAt(pos)) || isAsciiDigit(text.charCodeAt(pos)))) pos++;
  const nameEnd = pos;
  while (pos < end && isRegexpSpace(text.charCodeAt(pos))) pos++;
  if (pos >= end || text.charCodeAt(pos) !== 0x3d /* = */) return undefined;
  const afterEquals = pos + 1;
  let valueStart = afterEquals;
  while (valueStart < end && isRegexpSpace(text.charCodeAt(valueStart))) valueStart++;
  let valueEnd = end;
  while (valueEnd > valueStart && isRegexpSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
  if (valueStart >= valueEnd) {
    // `(.+?)` needs one character: with only whitespace after `=`, the regex
    // backtracks and the value becomes the last whitespace character.
    if (end <= afterEquals) return undefined;
    valueStart = end - 1;
    valueEnd = end;
  }
  return {
    rawName: text.slice(nameStart, nameEnd),
    nameStart,
    nameEnd,
    value: text.slice(valueStart, valueEnd),
    valueStart,
    valueEnd,
  };
}

/** Tracks the directive section at the top of a file, line by line. */
export class DirectiveScanner {
  escapeChar: '\\' | '`' = '\\';
  private done = false;
  private afterShebang = false;
  /** The bits of the directives seen so far (a number, not a set made for every parse). */
  private seen = 0;

  constructor(
    private readonly directives: ParserDirective[],
    private readonly problems: ParseProblem[],
  ) {}

  get scanning(): boolean {
    return !this.done;
  }

  /**
   * Looks at one physical line while still in the directive section.
   * `lineStart` is the raw start, `contentStart` the first non-space character.
   * Returns true when the line is a directive (and so not a comment).
   */
  scanLine(text: string, lineStart: number, contentStart: number, end: number, isFirstLine: boolean): boolean {
    if (this.done) return false;
    if (isFirstLine && text.startsWith('#!', lineStart)) {
      this.afterShebang = true;
      return false;
    }
    if (contentStart >= end || text.charCodeAt(contentStart) !== 0x23 /* # */) {
      this.done = true;
      return false;
    }
    const match = matchDirectiveLine(text, contentStart, end);
    const name = match?.rawName.toLowerCase();
    const bit = name === undefined ? 0 : directiveBit(name);
    if (!match || !name || bit === 0) {
      this.done = true;
      return false;
    }
    const directive: ParserDirective = {
      name,
      rawName: match.rawName,
      nameRange: { start: match.nameStart, end: match.nameEnd },
      value: match.value,
      valueRange: { start: match.valueStart, end: match.valueEnd },
      range: { start: contentStart, end },
      active: true,
    };
    this.directives.push(directive);
    if ((this.seen & bit) !== 0) {
      directive.active = false;
      this.problems.push({
        code: 'duplicate-directive',
        message: `only one ${name} parser directive can be used`,
        range: directive.range,
        severity: 'error',
      });
      return true;
    }
    this.seen |= bit;
    if (name === 'escape') this.applyEscape(directive);
    return true;
  }

  private applyEscape(directive: ParserDirective): void {
    if (directive.value !== '\\' && directive.value !== '`') {
      directive.active = false;
      this.problems.push({
        code: 'invalid-escape-directive',
        message: `invalid escape token '${directive.value}' does not match \` or \\`,
        range: directive.valueRange,
        severity: 'error',
      });
      return;
    }
    if (this.afterShebang) {
      directive.active = false;
      return;
    }
    this.escapeChar = directive.value;
  }
}
