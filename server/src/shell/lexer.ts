/**
 * Splits script text into tokens on demand: words, operators, newlines. Blanks,
 * line continuations and comments between tokens are skipped here (comments are
 * recorded on the session). The parser reads one token ahead at most.
 */
import type { RedirectOperator, Word } from './ast';
import { Cursor, isDigitCode } from './cursor';
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

/** First characters of operators: `;`, `&`, `|`, `(`, `)`, `<`, `>`. */
const OPERATOR_START = new Uint8Array(128);
for (const char of ';&|()<>') OPERATOR_START[char.charCodeAt(0)] = 1;

/** A switch rather than a set: the parser asks this of every operator token. */
export function isRedirectOperator(op: Operator): op is RedirectOperator {
  switch (op) {
    case '<':
    case '>':
    case '>>':
    case '>|':
    case '<>':
    case '<&':
    case '>&':
    case '<<':
    case '<<-':
    case '<<<':
    case '&>':
    case '&>>':
      return true;
    default:
      return false;
  }
}

/**
 * Every token is made with the same fields (those of other kinds undefined), so
 * the parser's reads of them stay monomorphic.
 */
function token(
  type: Token['type'],
  start: number,
  end: number,
  word: Word | undefined,
  assignment: ScannedAssignment | undefined,
  op: Operator | undefined,
  fd: number | undefined,
): Token {
  return { type, word, assignment, op, fd, start, end } as Token;
}

export class Lexer {
  private peeked: Token | undefined;
  /** How many commands the session had when the peeked token's scan began (see `commandsBefore`). */
  private peekedMark = 0;
  /** End offset of the last token taken with `next()`: where the current construct ends. */
  lastEnd = 0;

  constructor(
    private readonly cursor: Cursor,
    private readonly source: SourceText,
    private readonly words: WordScanner,
    private readonly hooks: LexerHooks,
  ) {}

  /** Small enough to be inlined where the parser asks, several times per token; the scan stays a call. */
  peek(): Token {
    const peeked = this.peeked;
    return peeked !== undefined ? peeked : this.scanAhead();
  }

  next(): Token {
    const token = this.peeked ?? this.scanAhead();
    this.peeked = undefined;
    if (token.type !== 'eof') this.lastEnd = token.end;
    return token;
  }

  /**
   * Where in the session's command list a command starting with `token` goes:
   * before the commands made while scanning that token (substitutions in it).
   */
  commandsBefore(token: Token): number {
    return token === this.peeked ? this.peekedMark : this.source.session.commands.length;
  }

  private scanAhead(): Token {
    // Set after the scan: substitutions in the token peek tokens of their own.
    const mark = this.source.session.commands.length;
    const token = this.scan();
    this.peeked = token;
    this.peekedMark = mark;
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
    const code = this.skipBlanksAndComments();
    const start = cursor.pos;
    if (code < 0) return token('eof', start, start, undefined, undefined, undefined, undefined);
    if (code === 10) {
      cursor.pos++;
      this.hooks.afterNewline();
      return token('newline', start, start + 1, undefined, undefined, undefined, undefined);
    }
    if (isDigitCode(code)) {
      const redirect = this.scanNumberedRedirect();
      if (redirect) return redirect;
    }
    // Most tokens are words: one table look-up keeps them from `matchOperator`.
    if (code < 128 && OPERATOR_START[code] === 1 && !((code === 60 || code === 62) && cursor.code(1) === 40)) {
      const op = this.matchOperator(start);
      if (op) {
        cursor.pos += op.length;
        return token('operator', start, cursor.pos, undefined, undefined, op, undefined);
      }
    }
    const word = this.words.scanWord(code);
    if (cursor.pos === start) cursor.pos++; // Cannot happen; guarantees progress regardless.
    return token('word', start, cursor.pos, word, this.words.assignment, undefined, undefined);
  }

  /** `2>`, `10<&`: digits glued to a redirection operator name the descriptor. */
  private scanNumberedRedirect(): Token | undefined {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    let index = start;
    while (index < cursor.end && isDigitCode(text.charCodeAt(index))) index++;
    const after = text.charCodeAt(index);
    if (index >= cursor.end || (after !== 60 && after !== 62) || text.charCodeAt(index + 1) === 40) return undefined;
    const op = this.matchOperator(index);
    if (!op || !isRedirectOperator(op)) return undefined;
    cursor.pos = index + op.length;
    return token('operator', start, cursor.pos, undefined, undefined, op, Number(text.slice(start, index)));
  }

  /** The longest operator at `at` (which is before the limit), if one starts there. */
  private matchOperator(at: number): Operator | undefined {
    const text = this.cursor.text;
    const end = this.cursor.end;
    const first = text.charCodeAt(at);
    if (first === 40) return '(';
    if (first === 41) return ')';
    const second = at + 1 < end ? text.charCodeAt(at + 1) : -1;
    const third = at + 2 < end ? text.charCodeAt(at + 2) : -1;
    switch (first) {
      case 59: // ;
        if (second === 59) return third === 38 ? ';;&' : ';;';
        return second === 38 ? ';&' : ';';
      case 38: // &
        if (second === 38) return '&&';
        if (second === 62) return third === 62 ? '&>>' : '&>';
        return '&';
      case 124: // |
        return second === 124 ? '||' : second === 38 ? '|&' : '|';
      case 60: // <
        if (second === 60) return third === 60 ? '<<<' : third === 45 ? '<<-' : '<<';
        return second === 38 ? '<&' : second === 62 ? '<>' : '<';
      case 62: // >
        return second === 62 ? '>>' : second === 38 ? '>&' : second === 124 ? '>|' : '>';
      default:
        return undefined;
    }
  }

  /** Moves to the next token and returns its first char code (read once here rather than again by each scanner), or -1 at the end. */
  private skipBlanksAndComments(): number {
    const cursor = this.cursor;
    const text = cursor.text;
    const end = cursor.end;
    let pos = cursor.pos;
    while (pos < end) {
      const code = text.charCodeAt(pos);
      if (code === 32 || code === 9 || code === 13) {
        pos++;
        continue;
      }
      if (code === 92) {
        cursor.pos = pos;
        const continuation = lineContinuationLength(cursor);
        if (continuation === 0) return code;
        pos += continuation;
        continue;
      }
      if (code === 35) {
        const newline = text.indexOf('\n', pos);
        const commentEnd = newline < 0 || newline > end ? end : newline;
        const range = this.source.range(pos, commentEnd);
        this.source.session.comments.push({ text: text.slice(pos, commentEnd), range, docRange: this.source.session.documentRange(range) });
        pos = commentEnd;
        continue;
      }
      cursor.pos = pos;
      return code;
    }
    cursor.pos = pos;
    return -1;
  }
}
