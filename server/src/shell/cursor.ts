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
