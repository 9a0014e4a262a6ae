/** Read position over a text, plus the character classes the shell lexer needs. */
import type { Position } from './session';

export class Cursor implements Position {
  pos = 0;
  /** Exclusive limit; narrowed temporarily while scanning a here-doc body. */
  end: number;

  constructor(readonly text: string) {
    this.end = text.length;
  }

  /** Character at `pos + ahead`, or '' past the limit. */
  peek(ahead = 0): string {
    const index = this.pos + ahead;
    return index < this.end ? this.text[index]! : '';
  }

  /** Char code at `pos + ahead`, or -1 past the limit. */
  code(ahead = 0): number {
    const index = this.pos + ahead;
    return index < this.end ? this.text.charCodeAt(index) : -1;
  }

  startsWith(value: string): boolean {
    return this.pos + value.length <= this.end && this.text.startsWith(value, this.pos);
  }
}

/**
 * Blanks separate words. A carriage return counts as one so scripts with
 * Windows line endings do not get `\r` glued to their last word.
 */
export function isBlank(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\r';
}

/** Characters that end an unquoted word (besides blanks). */
export function isWordBreak(char: string): boolean {
  switch (char) {
    case '\n':
    case '|':
    case '&':
    case ';':
    case '(':
    case ')':
    case '<':
    case '>':
      return true;
    default:
      return isBlank(char);
  }
}

export function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

export function isNameStart(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || char === '_';
}

// The same classes by char code, for the scanning loops (no one-character strings to compare).

/** `isWordBreak` by char code: a blank, newline, `|`, `&`, `;`, `(`, `)`, `<` or `>`. */
export function isWordBreakCode(code: number): boolean {
  return code < 128 && WORD_BREAK[code] === 1;
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A letter or `_`. */
export function isNameStartCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

/** A letter, digit or `_`. */
export function isNameCode(code: number): boolean {
  return isNameStartCode(code) || isDigitCode(code);
}

const WORD_BREAK = new Uint8Array(128);
for (const char of ' \t\r\n|&;()<>') WORD_BREAK[char.charCodeAt(0)] = 1;
