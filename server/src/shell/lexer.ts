/**
 * Splits script text into tokens on demand: words, operators, newlines. Blanks,
 * line continuations and comments between tokens are skipped here (comments are
 * recorded on the session). The parser reads one token ahead at most.
 */
import type { RedirectOperator, Word } from './ast';
import { Cursor, isBlank, isDigit } from './cursor';
import type { SourceText } from './session';
import { lineContinuationLength, type ScannedAssignment, type WordScanner } from './wordScanner';

export type ControlOperator = ';' | '&' | '|' | '(' | ')' | '&&' | '||' | '|&' | ';;' | ';&' | ';;&';
export type Operator = ControlOperator | RedirectOperator;

export type Token =
  | { type: 'word'; word: Word; assignment: ScannedAssignment | undefined; start: number; end: number }
  | { type: 'operator'; op: Operator; fd: number | undefined; start: number; end: number }
  | { type: 'newline'; start: number; end: number }
  | { type: 'eof'; start: number; end: number };

export interface LexerHooks {
  /** Called right after a newline token is scanned: where pending here-doc bodies begin. */
  afterNewline(): void;
}

/** Operators by first character, longest first. */
const OPERATORS: Record<string, readonly Operator[]> = {
  ';': [';;&', ';;', ';&', ';'],
  '&': ['&&', '&>>', '&>', '&'],
  '|': ['||', '|&', '|'],
  '(': ['('],
  ')': [')'],
  '<': ['<<<', '<<-', '<<', '<&', '<>', '<'],
  '>': ['>>', '>&', '>|', '>'],
};

const REDIRECT_OPERATORS: ReadonlySet<string> = new Set<RedirectOperator>([
  '<',
  '>',
  '>>',
  '>|',
  '<>',
  '<&',
  '>&',
  '<<',
  '<<-',
  '<<<',
  '&>',
  '&>>',
]);

export function isRedirectOperator(op: Operator): op is RedirectOperator {
  return REDIRECT_OPERATORS.has(op);
}

export class Lexer {
  private peeked: Token | undefined;
  /** End offset of the last token taken with `next()`: where the current construct ends. */
  lastEnd = 0;

  constructor(
    private readonly cursor: Cursor,
    private readonly source: SourceText,
    private readonly words: WordScanner,
    private readonly hooks: LexerHooks,
  ) {}

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    if (token.type !== 'eof') this.lastEnd = token.end;
    return token;
  }

  /** Forgets the look-ahead token; only used when it is an end of input that will be scanned again. */
  discardPeeked(): void {
    this.peeked = undefined;
  }

  /**
   * If the next token opens a bash `((...))` (the peeked `(` is immediately
   * followed by another), re-reads it as one arithmetic word and consumes it.
   * Re-reading is safe: a `(` token has no side effects.
   */
  takeArithmeticCommand(): Word | undefined {
    const token = this.peek();
    if (token.type !== 'operator' || token.op !== '(' || this.cursor.text[token.end] !== '(' || token.end >= this.cursor.end) {
      return undefined;
    }
    this.peeked = undefined;
    this.cursor.pos = token.start;
    const word = this.words.scanArithmeticCommand();
    this.lastEnd = this.cursor.pos;
    return word;
  }

  private scan(): Token {
    const cursor = this.cursor;
    if (this.source.session.aborted) cursor.pos = cursor.end;
    this.skipBlanksAndComments();
    const start = cursor.pos;
    if (start >= cursor.end) return { type: 'eof', start, end: start };
    const char = cursor.text[start]!;
    if (char === '\n') {
      cursor.pos++;
      this.hooks.afterNewline();
      return { type: 'newline', start, end: start + 1 };
    }
    if (isDigit(char)) {
      const redirect = this.scanNumberedRedirect();
      if (redirect) return redirect;
    }
    if (!((char === '<' || char === '>') && cursor.peek(1) === '(')) {
      const op = this.matchOperator(start);
      if (op) {
        cursor.pos += op.length;
        return { type: 'operator', op, fd: undefined, start, end: cursor.pos };
      }
    }
    const scanned = this.words.scanWord();
    if (cursor.pos === start) cursor.pos++; // Cannot happen; guarantees progress regardless.
    return { type: 'word', word: scanned.word, assignment: scanned.assignment, start, end: cursor.pos };
  }

  /** `2>`, `10<&`: digits glued to a redirection operator name the descriptor. */
  private scanNumberedRedirect(): Token | undefined {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    let index = start;
    while (index < cursor.end && isDigit(text[index]!)) index++;
    const after = text[index];
    if (index >= cursor.end || (after !== '<' && after !== '>') || text[index + 1] === '(') return undefined;
    const op = this.matchOperator(index);
    if (!op || !isRedirectOperator(op)) return undefined;
    cursor.pos = index + op.length;
    return { type: 'operator', op, fd: Number(text.slice(start, index)), start, end: cursor.pos };
  }

  private matchOperator(at: number): Operator | undefined {
    const candidates = OPERATORS[this.cursor.text[at]!];
    if (!candidates) return undefined;
    for (const op of candidates) {
      if (at + op.length <= this.cursor.end && this.cursor.text.startsWith(op, at)) return op;
    }
    return undefined;
  }

  private skipBlanksAndComments(): void {
    const cursor = this.cursor;
    const text = cursor.text;
    while (cursor.pos < cursor.end) {
      const char = text[cursor.pos]!;
      if (isBlank(char)) {
        cursor.pos++;
        continue;
      }
      const continuation = char === '\\' ? lineContinuationLength(cursor) : 0;
      if (continuation > 0) {
        cursor.pos += continuation;
        continue;
      }
      if (char === '#') {
        const newline = text.indexOf('\n', cursor.pos);
        const end = newline < 0 || newline > cursor.end ? cursor.end : newline;
        const range = this.source.range(cursor.pos, end);
        this.source.session.comments.push({ text: text.slice(cursor.pos, end), range, docRange: this.source.session.documentRange(range) });
        cursor.pos = end;
        continue;
      }
      return;
    }
  }
}
