/**
 * Scans one shell word into parts: literals, quotes, parameter and arithmetic
 * expansions, and command substitutions (whose bodies it hands back to the
 * parser through `SubstitutionParser`, since they contain whole scripts).
 *
 * Every scanning loop advances the cursor by at least one character per
 * iteration, and unterminated constructs run to the cursor's end, so the scanner
 * is linear in the input and cannot get stuck.
 */
import type {
  ArithmeticPart,
  CommandSubstitutionPart,
  DoubleQuotedPart,
  LiteralPart,
  ParameterPart,
  SingleQuotedPart,
  AnsiCQuotedPart,
  Word,
  WordPart,
} from './ast';
import { decodeAnsiC } from './ansiC';
import { Cursor, isDigit, isNameCode, isNameStart, isNameStartCode, isWordBreak, isWordBreakCode } from './cursor';
import { ParsedArgument, ParsedWord } from './parsedWord';
import type { SourceText } from './session';
import { staticValue } from './words';

/** Parses the scripts nested in words; implemented by the parser. */
export interface SubstitutionParser {
  /** The cursor is just past `$(`, `<(` or `>(`: parse the body and consume the closing `)`. */
  parseParenthesizedBody(part: CommandSubstitutionPart, openStart: number): void;
  /** Parse a backtick body, already de-escaped; `scriptOffsets` locates each of its characters. */
  parseBacktickBody(part: CommandSubstitutionPart, body: string, scriptOffsets: number[]): void;
}

export interface ScannedAssignment {
  name: string;
  append: boolean;
  value: Word;
}

/**
 * Contexts inside a word where different characters are special:
 * `double` between double quotes, `heredoc` in an unquoted here-doc body,
 * `brace` inside `${...}`, `arithmetic` inside `$((...))`, `array` inside `a=(...)`.
 */
type InnerMode = 'double' | 'heredoc' | 'brace' | 'arithmetic' | 'array';

const BRACED_PARAMETER_NAME = /[#!]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])|[@*#?$!-]/y;
const SPECIAL_PARAMETERS = '@*#?-$!';

/**
 * Characters that need a closer look in each context; runs of anything else are
 * taken in one step. Tables of char codes rather than regular expressions: this
 * is the innermost loop, and it should not allocate.
 */
const UNQUOTED_SPECIAL = charTable(' \t\r\n|&;()<>\\\'"$`');
const INNER_SPECIAL: Record<InnerMode, Uint8Array> = {
  double: charTable('"\\$`'),
  heredoc: charTable('\\$`'),
  brace: charTable('{}\\$`\'"'),
  arithmetic: charTable('()\\$`\'"'),
  array: charTable(')\\$`\'"'),
};

function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  return table;
}

/** Accumulates adjacent literal characters into one part. */
class LiteralBuffer {
  private text = '';
  private start = -1;

  add(text: string, at: number): void {
    if (this.start < 0) this.start = at;
    this.text += text;
  }

  /** Marks that literal source (e.g. a line continuation) continues without adding text. */
  touch(at: number): void {
    if (this.start < 0) this.start = at;
  }

  flush(parts: WordPart[], end: number, source: SourceText): void {
    if (this.start >= 0 && this.text.length > 0) {
      parts.push({ kind: 'literal', text: this.text, range: source.range(this.start, end) });
    }
    this.text = '';
    this.start = -1;
  }
}

export class WordScanner {
  constructor(
    private readonly cursor: Cursor,
    private readonly source: SourceText,
    private readonly substitutions: SubstitutionParser,
  ) {}

  /** Set by `scanWord` when the word has the shape `NAME=value`; the parser decides whether it is one. */
  assignment: ScannedAssignment | undefined;

  /** Set by the parser while it reads a simple command's arguments, which are never assignments. */
  argumentMode = false;

  /**
   * Scans the word at the cursor, which must not be at a blank or word break
   * (except `<(`/`>(`); `first` is the char code there, which the lexer has read.
   */
  scanWord(first: number): Word {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    const argument = this.argumentMode;
    const end = cursor.end;
    // The first character is no `=` of `NAME=` (a name comes first), so only whether it is special matters.
    let index = first < 128 && UNQUOTED_SPECIAL[first] === 1 ? start : start + 1;
    // `NAME=` needs an `=` in this first run (names and `=` are no special characters).
    let equals = false;
    /** The special character that ended the run; -1 at the end. */
    let stop = -1;
    while (index < end) {
      const code = text.charCodeAt(index);
      if (code < 128 && UNQUOTED_SPECIAL[code] === 1) {
        stop = code;
        break;
      }
      if (code === 61) equals = true;
      index++;
    }
    const plain = index > start && (stop < 0 || isWordBreakCode(stop));
    // A plain `NAME=value` argument reads the same as an assignment would, unless an array `NAME=(` or
    // a process substitution `NAME=<(` follows.
    const prefixLength = !equals || (plain && argument && !opensAssignedValue(stop)) ? 0 : assignmentPrefixLength(text, start, index);
    if (plain && prefixLength === 0) {
      // Most words are plain text up to a blank or an operator: one literal, no quote removal to do.
      cursor.pos = index;
      this.assignment = undefined;
      const raw = text.slice(start, index);
      return argument ? new ParsedArgument(raw, raw, false, undefined, start, index, undefined, this.source) : new ParsedWord(raw, raw, false, undefined, start, index, undefined, this.source);
    }
    if (prefixLength > 0) {
      const valueStart = start + prefixLength;
      const prefix = text.slice(start, valueStart);
      const append = prefix.endsWith('+=');
      cursor.pos = valueStart;
      const value = this.scanUnquoted(true);
      const valueWord = this.makeWord(valueStart, cursor.pos, value, this.quoted);
      const prefixPart: LiteralPart = { kind: 'literal', text: prefix, range: this.source.range(start, valueStart) };
      this.assignment = argument ? undefined : { name: prefix.slice(0, append ? -2 : -1), append, value: valueWord };
      return this.makeWord(start, cursor.pos, mergeLeadingLiteral(prefixPart, value), this.quoted, argument);
    }
    const parts = this.scanUnquoted(false);
    // After the scan: words nested in it (`$(...)`) set it too.
    this.assignment = undefined;
    return this.makeWord(start, cursor.pos, parts, this.quoted, argument);
  }

  /** Scans a bash `((...))` at the cursor into a word holding one arithmetic part. */
  scanArithmeticCommand(): Word {
    const start = this.cursor.pos;
    const part = this.scanArithmetic(start, 2);
    return this.makeWord(start, this.cursor.pos, [part], false);
  }

  /** Expansions inside an unquoted here-doc body spanning `[start, end)`. */
  scanHereDocBody(start: number, end: number): WordPart[] {
    const cursor = this.cursor;
    const saved = { pos: cursor.pos, end: cursor.end };
    cursor.pos = start;
    cursor.end = end;
    const parts = this.scanInner('heredoc', true);
    cursor.pos = saved.pos;
    cursor.end = saved.end;
    return parts;
  }

  /** `argument`: made as a `ParsedArgument` (`isFlag` false until the parser's `markArgument` sets it). */
  makeWord(start: number, end: number, parts: WordPart[], quoted: boolean, argument = false): Word {
    let range = this.source.range(start, end);
    let raw: string | undefined;
    // Most words are one plain literal: share its range and text instead of copying them.
    const only = parts.length === 1 ? parts[0]! : undefined;
    if (only?.kind === 'literal' && only.range.start === range.start && only.range.end === range.end) {
      range = only.range;
      if (only.text.length === end - start) raw = only.text;
    }
    raw ??= this.cursor.text.slice(start, end);
    const value = staticValue(parts);
    return argument
      ? new ParsedArgument(raw, value, quoted, range, start, end, parts, this.source)
      : new ParsedWord(raw, value, quoted, range, start, end, parts, this.source);
  }

  // -------------------------------------------------------------------------

  /** Whether the word `scanUnquoted` last read had quoting or escapes. */
  private quoted = false;

  /** Scans an unquoted word's parts from the cursor; sets `quoted`. */
  private scanUnquoted(assignmentValue: boolean): WordPart[] {
    const cursor = this.cursor;
    const text = cursor.text;
    const wordStart = cursor.pos;
    const parts: WordPart[] = [];
    const literal = new LiteralBuffer();
    let quoted = false;
    if (assignmentValue && cursor.peek() === '(') parts.push(...this.scanArrayValue());
    while (cursor.pos < cursor.end) {
      if (this.takeRun(UNQUOTED_SPECIAL, literal)) continue;
      const char = text[cursor.pos]!;
      if ((char === '<' || char === '>') && cursor.pos === wordStart && cursor.peek(1) === '(') {
        literal.flush(parts, cursor.pos, this.source);
        parts.push(this.scanParenthesizedSubstitution(char === '<' ? '<(' : '>('));
        continue;
      }
      if (isWordBreak(char)) break;
      switch (char) {
        case '\\':
          if (this.scanUnquotedEscape(literal)) quoted = true;
          break;
        case "'":
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanSingleQuoted());
          quoted = true;
          break;
        case '"':
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanDoubleQuoted(cursor.pos));
          quoted = true;
          break;
        case '$':
          if (this.atExpansion(false)) {
            literal.flush(parts, cursor.pos, this.source);
            const part = this.scanDollar(false);
            if (part.kind === 'ansi-c-quoted' || part.kind === 'double-quoted') quoted = true;
            parts.push(part);
          } else {
            literal.add('$', cursor.pos++);
          }
          break;
        case '`':
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanBacktick(false));
          break;
        default:
          literal.add(char, cursor.pos++);
      }
    }
    literal.flush(parts, cursor.pos, this.source);
    this.quoted = quoted;
    return parts;
  }

  /** Consumes a run of characters that are not `special`, if one starts at the cursor. */
  private takeRun(special: Uint8Array, literal: LiteralBuffer): boolean {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    let index = start;
    while (index < cursor.end) {
      const code = text.charCodeAt(index);
      if (code < 128 && special[code] === 1) break;
      index++;
    }
    if (index === start) return false;
    literal.add(text.slice(start, index), start);
    cursor.pos = index;
    return true;
  }

  /** Backslash outside quotes: escapes any character; before a newline it joins lines. Returns whether it escaped. */
  private scanUnquotedEscape(literal: LiteralBuffer): boolean {
    const cursor = this.cursor;
    const next = cursor.peek(1);
    if (next === '') {
      literal.add('\\', cursor.pos++);
      return false;
    }
    const continuation = lineContinuationLength(cursor);
    if (continuation > 0) {
      literal.touch(cursor.pos);
      cursor.pos += continuation;
      return false;
    }
    literal.add(next, cursor.pos);
    cursor.pos += 2;
    return true;
  }

  private scanInner(mode: InnerMode, insideDouble: boolean): WordPart[] {
    const cursor = this.cursor;
    const text = cursor.text;
    const parts: WordPart[] = [];
    const literal = new LiteralBuffer();
    const special = INNER_SPECIAL[mode];
    // Unquoted braces/parens balance inside `${...}` / `$((...))`.
    let depth = 0;
    scan: while (cursor.pos < cursor.end) {
      if (this.takeRun(special, literal)) continue;
      const char = text[cursor.pos]!;
      switch (char) {
        case '"':
          if (mode === 'double') break scan;
          if (mode === 'heredoc') {
            literal.add(char, cursor.pos++);
            break;
          }
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanDoubleQuoted(cursor.pos));
          break;
        case "'":
          if (insideDouble || mode === 'double' || mode === 'heredoc') {
            literal.add(char, cursor.pos++);
            break;
          }
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanSingleQuoted());
          break;
        case '}':
        case ')':
          if ((char === '}' && mode === 'brace') || (char === ')' && mode === 'arithmetic')) {
            if (depth === 0) break scan;
            depth--;
          } else if (char === ')' && mode === 'array') {
            break scan;
          }
          literal.add(char, cursor.pos++);
          break;
        case '{':
        case '(':
          if ((char === '{' && mode === 'brace') || (char === '(' && mode === 'arithmetic')) depth++;
          literal.add(char, cursor.pos++);
          break;
        case '\\':
          this.scanInnerEscape(literal, mode, insideDouble);
          break;
        case '$':
          if (this.atExpansion(insideDouble)) {
            literal.flush(parts, cursor.pos, this.source);
            parts.push(this.scanDollar(insideDouble));
          } else {
            literal.add('$', cursor.pos++);
          }
          break;
        case '`':
          literal.flush(parts, cursor.pos, this.source);
          parts.push(this.scanBacktick(insideDouble));
          break;
        default:
          literal.add(char, cursor.pos++);
      }
    }
    literal.flush(parts, cursor.pos, this.source);
    return parts;
  }

  /**
   * Backslash inside double quotes and here-docs only escapes `$`, backquote,
   * backslash (and `"` in double quotes); elsewhere it stays a literal backslash.
   * Unquoted inside `${}`, `$(())` or an array it escapes anything.
   */
  private scanInnerEscape(literal: LiteralBuffer, mode: InnerMode, insideDouble: boolean): void {
    const cursor = this.cursor;
    const next = cursor.peek(1);
    const continuation = lineContinuationLength(cursor);
    if (continuation > 0) {
      literal.touch(cursor.pos);
      cursor.pos += continuation;
      return;
    }
    const escapesAnything = !insideDouble && mode !== 'double' && mode !== 'heredoc';
    const escapable = next === '$' || next === '`' || next === '\\' || (next === '"' && mode !== 'heredoc');
    if (next !== '' && (escapesAnything || escapable)) {
      literal.add(next, cursor.pos);
      cursor.pos += 2;
      return;
    }
    literal.add('\\', cursor.pos++);
  }

  private scanSingleQuoted(): SingleQuotedPart {
    const cursor = this.cursor;
    const start = cursor.pos;
    const close = cursor.text.indexOf("'", start + 1);
    let text: string;
    if (close < 0 || close >= cursor.end) {
      this.source.report('unterminated-single-quote', 'Unterminated single quote', start, start + 1);
      text = cursor.text.slice(start + 1, cursor.end);
      cursor.pos = cursor.end;
    } else {
      text = cursor.text.slice(start + 1, close);
      cursor.pos = close + 1;
    }
    return { kind: 'single-quoted', text, range: this.source.range(start, cursor.pos) };
  }

  /** `start` is where the construct begins: the `"`, or the `$` of `$"..."`; the cursor is at the `"`. */
  private scanDoubleQuoted(start: number): DoubleQuotedPart {
    const cursor = this.cursor;
    const part: DoubleQuotedPart = { kind: 'double-quoted', parts: [], range: this.source.range(start, start) };
    if (!this.source.session.enter(cursor, this.source.range(start, cursor.pos + 1))) return part;
    cursor.pos++;
    part.parts = this.scanInner('double', true);
    if (cursor.peek() === '"') cursor.pos++;
    else this.source.report('unterminated-double-quote', 'Unterminated double quote', start, start + 1);
    this.source.session.leave();
    part.range = this.source.range(start, cursor.pos);
    return part;
  }

  /** Whether the `$` at the cursor starts an expansion rather than standing for itself. */
  private atExpansion(insideDouble: boolean): boolean {
    const next = this.cursor.peek(1);
    if (next === '') return false;
    if (next === "'" || next === '"') return !insideDouble;
    return next === '(' || next === '{' || isNameStart(next) || isDigit(next) || SPECIAL_PARAMETERS.includes(next);
  }

  /** Scans the expansion at the cursor; `atExpansion` must have returned true. */
  private scanDollar(insideDouble: boolean): WordPart {
    const cursor = this.cursor;
    const start = cursor.pos;
    const next = cursor.peek(1);
    if (next === "'") return this.scanAnsiC();
    if (next === '"') {
      cursor.pos++;
      return this.scanDoubleQuoted(start);
    }
    if (next === '(') {
      return cursor.peek(2) === '(' ? this.scanArithmetic(start, 3) : this.scanParenthesizedSubstitution('$(');
    }
    if (next === '{') return this.scanBracedParameter(insideDouble);
    let name: string;
    if (isNameStart(next)) {
      // A loop rather than a sticky regular expression: no match object for a name of a few letters.
      let end = start + 2;
      while (end < cursor.end && isNameCode(cursor.text.charCodeAt(end))) end++;
      name = cursor.text.slice(start + 1, end);
    } else {
      name = next;
    }
    cursor.pos = start + 1 + name.length;
    const part: ParameterPart = { kind: 'parameter', name, braced: false, parts: [], range: this.source.range(start, cursor.pos) };
    return part;
  }

  private scanAnsiC(): AnsiCQuotedPart {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    let index = start + 2;
    while (index < cursor.end && text[index] !== "'") index += text[index] === '\\' ? 2 : 1;
    let body: string;
    if (index >= cursor.end) {
      this.source.report('unterminated-ansi-c-quote', "Unterminated $'...' string", start, start + 2);
      body = text.slice(start + 2, cursor.end);
      cursor.pos = cursor.end;
    } else {
      body = text.slice(start + 2, index);
      cursor.pos = index + 1;
    }
    return { kind: 'ansi-c-quoted', text: decodeAnsiC(body), range: this.source.range(start, cursor.pos) };
  }

  private scanBracedParameter(insideDouble: boolean): ParameterPart {
    const cursor = this.cursor;
    const start = cursor.pos;
    const part: ParameterPart = { kind: 'parameter', name: '', braced: true, parts: [], range: this.source.range(start, start) };
    if (!this.source.session.enter(cursor, this.source.range(start, start + 2))) return part;
    cursor.pos = start + 2;
    BRACED_PARAMETER_NAME.lastIndex = cursor.pos;
    const match = BRACED_PARAMETER_NAME.exec(cursor.text);
    if (match && cursor.pos + match[0].length <= cursor.end) {
      const written = match[0];
      part.name = written.length > 1 && (written[0] === '#' || written[0] === '!') ? written.slice(1) : written;
      cursor.pos += written.length;
    }
    part.parts = this.scanInner('brace', insideDouble);
    if (cursor.peek() === '}') cursor.pos++;
    else this.source.report('unterminated-parameter-expansion', 'Unterminated ${...} expansion', start, start + 2);
    this.source.session.leave();
    part.range = this.source.range(start, cursor.pos);
    return part;
  }

  /** `$((...))` (`openLength` 3) or a `((...))` command (`openLength` 2) starting at `start`. */
  private scanArithmetic(start: number, openLength: number): ArithmeticPart {
    const cursor = this.cursor;
    const part: ArithmeticPart = { kind: 'arithmetic', parts: [], range: this.source.range(start, start) };
    if (!this.source.session.enter(cursor, this.source.range(start, start + openLength))) return part;
    cursor.pos = start + openLength;
    part.parts = this.scanInner('arithmetic', false);
    if (cursor.startsWith('))')) {
      cursor.pos += 2;
    } else {
      if (cursor.peek() === ')') cursor.pos++;
      this.source.report('unterminated-arithmetic', "Arithmetic expansion is missing its closing '))'", start, start + openLength);
    }
    this.source.session.leave();
    part.range = this.source.range(start, cursor.pos);
    return part;
  }

  private scanParenthesizedSubstitution(syntax: '$(' | '<(' | '>('): CommandSubstitutionPart {
    const cursor = this.cursor;
    const start = cursor.pos;
    const part: CommandSubstitutionPart = { kind: 'command-substitution', syntax, lists: [], range: this.source.range(start, start) };
    if (!this.source.session.enter(cursor, this.source.range(start, start + 2))) return part;
    cursor.pos = start + 2;
    this.substitutions.parseParenthesizedBody(part, start);
    this.source.session.leave();
    part.range = this.source.range(start, cursor.pos);
    return part;
  }

  /**
   * Inside backquotes a backslash escapes only `$`, backquote and backslash (and
   * `"` when the backquotes are themselves in double quotes); those backslashes
   * are removed before the body is parsed as a script.
   */
  private scanBacktick(insideDouble: boolean): CommandSubstitutionPart {
    const cursor = this.cursor;
    const text = cursor.text;
    const start = cursor.pos;
    const part: CommandSubstitutionPart = { kind: 'command-substitution', syntax: '`', lists: [], range: this.source.range(start, start) };
    if (!this.source.session.enter(cursor, this.source.range(start, start + 1))) return part;
    const body: string[] = [];
    const offsets: number[] = [];
    let index = start + 1;
    let closed = false;
    while (index < cursor.end) {
      const char = text[index]!;
      if (char === '`') {
        closed = true;
        break;
      }
      if (char === '\\' && index + 1 < cursor.end) {
        const next = text[index + 1]!;
        if (next === '$' || next === '`' || next === '\\' || (insideDouble && next === '"')) {
          body.push(next);
          offsets.push(this.source.scriptOffset(index + 1));
          index += 2;
          continue;
        }
      }
      body.push(char);
      offsets.push(this.source.scriptOffset(index));
      index++;
    }
    offsets.push(this.source.scriptOffset(index));
    cursor.pos = closed ? index + 1 : cursor.end;
    if (!closed) this.source.report('unterminated-backtick', 'Unterminated backquote substitution', start, start + 1);
    this.substitutions.parseBacktickBody(part, body.join(''), offsets);
    this.source.session.leave();
    part.range = this.source.range(start, cursor.pos);
    return part;
  }

  /** `NAME=(...)`: a bash array value, kept as literal parentheses around its element parts. */
  private scanArrayValue(): WordPart[] {
    const cursor = this.cursor;
    const start = cursor.pos;
    if (!this.source.session.enter(cursor, this.source.range(start, start + 1))) return [];
    cursor.pos++;
    const parts: WordPart[] = [{ kind: 'literal', text: '(', range: this.source.range(start, start + 1) }];
    parts.push(...this.scanInner('array', false));
    if (cursor.peek() === ')') {
      parts.push({ kind: 'literal', text: ')', range: this.source.range(cursor.pos, cursor.pos + 1) });
      cursor.pos++;
    } else {
      this.source.report('unterminated-array', "Array value is missing its closing ')'", start, start + 1);
    }
    this.source.session.leave();
    return parts;
  }
}

/** `(`, `<` or `>`: after `NAME=` they may open the value (`a=(1 2)`, `a=<(cmd)`) rather than end the word. */
function opensAssignedValue(code: number): boolean {
  return code === 40 || code === 60 || code === 62;
}

/** Length of `NAME=` or `NAME+=` at `start` (within `limit`), else 0. */
function assignmentPrefixLength(text: string, start: number, limit: number): number {
  if (start >= limit || !isNameStartCode(text.charCodeAt(start))) return 0;
  let index = start + 1;
  while (index < limit && isNameCode(text.charCodeAt(index))) index++;
  if (index >= limit) return 0;
  const code = text.charCodeAt(index);
  if (code === 61) return index + 1 - start;
  if (code === 43 && index + 1 < limit && text.charCodeAt(index + 1) === 61) return index + 2 - start;
  return 0;
}

/** Length of a backslash-newline (or backslash-CRLF) line continuation at the cursor, else 0. */
export function lineContinuationLength(cursor: Cursor): number {
  const pos = cursor.pos;
  const end = cursor.end;
  if (pos + 1 >= end || cursor.text.charCodeAt(pos) !== 92) return 0;
  const next = cursor.text.charCodeAt(pos + 1);
  if (next === 10) return 2;
  if (next === 13 && pos + 2 < end && cursor.text.charCodeAt(pos + 2) === 10) return 3;
  return 0;
}

function mergeLeadingLiteral(prefix: LiteralPart, parts: WordPart[]): WordPart[] {
  const first = parts[0];
  if (first?.kind !== 'literal') return [prefix, ...parts];
  const merged: LiteralPart = { kind: 'literal', text: prefix.text + first.text, range: { start: prefix.range.start, end: first.range.end } };
  return [merged, ...parts.slice(1)];
}
