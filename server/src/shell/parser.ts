/**
 * Recursive-descent parser for the shell grammar, just deep enough for lint
 * rules to find every simple command: lists, and-or chains, pipelines, simple
 * commands with assignments and redirections, and the compound commands
 * (subshell, brace group, if, for/select, while/until, case, functions, bash
 * `((...))`) whose bodies hold further commands.
 *
 * Error recovery: a body ends at its own closing keyword or at any keyword an
 * enclosing construct is waiting for (`stops`), so one missing `fi` does not
 * swallow the rest of the script. Anything unexpected is reported and skipped;
 * every loop consumes at least one token per round.
 */
import type {
  Argument,
  Assignment,
  Clause,
  ClauseKind,
  Command,
  CommandList,
  CommandSubstitutionPart,
  CompoundCommand,
  CompoundKind,
  ContextFrame,
  HereDoc,
  JoinOperator,
  ProblemCode,
  Range,
  Redirect,
  SimpleCommand,
  Word,
} from './ast';
import { Cursor } from './cursor';
import { markHereDocUnread, pendingHereDoc, readHereDocBody } from './hereDocs';
import { ParsedCommand, ParsedList } from './parsedNodes';
import { Lexer, isRedirectOperator, type LexerHooks, type Operator, type Token } from './lexer';
import { SourceText } from './session';
import { WordScanner, type SubstitutionParser } from './wordScanner';
import { looksLikeFlag } from './words';

/** Where the commands a parser finds sit in the larger script. */
export interface ParserScope {
  context: readonly ContextFrame[];
  substitutionDepth: number;
}

/**
 * Keywords that close a body; outside a construct waiting for them they are errors.
 * Asked about `reservedWord`'s strings, which a switch compares by identity.
 */
function isClosingKeyword(word: string): boolean {
  switch (word) {
    case 'then':
    case 'elif':
    case 'else':
    case 'fi':
    case 'do':
    case 'done':
    case 'esac':
    case '}':
      return true;
    default:
      return false;
  }
}

/**
 * The reserved word (`if`, `done`, `{`, `function`...) that `word` is, as this
 * module's own string, else undefined. Callers then compare keywords with the
 * module's strings, which the engine does by identity: comparing a fresh string
 * (a word just scanned) with each case of a switch is a call per case. Most
 * command names (`set`, `sort`, `rm`) share no reserved word's first character
 * and length, and are compared with none.
 */
function reservedWord(word: string): string | undefined {
  const first = word.charCodeAt(0);
  const candidates = word.length <= 8 && first < 128 ? RESERVED_WORDS_BY_SHAPE[first * 9 + word.length] : undefined;
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (word === candidate) return candidate;
  return undefined;
}

/** By first character (ASCII) and length (up to 8). */
const RESERVED_WORDS_BY_SHAPE: (string[] | undefined)[] = new Array<undefined>(128 * 9).fill(undefined);
for (const word of ['if', 'for', 'select', 'while', 'until', 'case', '{', 'then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'function']) {
  (RESERVED_WORDS_BY_SHAPE[word.charCodeAt(0) * 9 + word.length] ??= []).push(word);
}

function openingKeyword(word: string): CompoundKind | undefined {
  switch (word) {
    case 'if':
    case 'for':
    case 'select':
    case 'while':
    case 'until':
    case 'case':
      return word;
    case '{':
      return 'brace-group';
    default:
      return undefined;
  }
}

/**
 * How many enclosing bodies wait for each closing keyword or operator. Counts
 * in an array indexed by a switch, asked about the module's own strings (operators,
 * `reservedWord`'s keywords), which it compares by identity.
 */
class Stops {
  private counts: number[] | undefined;

  add(key: string, delta: number): void {
    const index = stopIndex(key);
    if (index < 0) return;
    const counts = (this.counts ??= [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    counts[index]! += delta;
  }

  has(key: string): boolean {
    if (!this.counts) return false;
    const index = stopIndex(key);
    return index >= 0 && this.counts[index]! > 0;
  }
}

function stopIndex(key: string): number {
  switch (key) {
    case ')':
      return 0;
    case '}':
      return 1;
    case 'then':
      return 2;
    case 'elif':
      return 3;
    case 'else':
      return 4;
    case 'fi':
      return 5;
    case 'do':
      return 6;
    case 'done':
      return 7;
    case 'esac':
      return 8;
    case ';;':
      return 9;
    case ';&':
      return 10;
    case ';;&':
      return 11;
    default:
      return -1;
  }
}

const CASE_ITEM_ENDS: readonly string[] = [';;', ';&', ';;&'];

// What ends each kind of body (`parseClause`'s `stops`), made once.
const IF_STOPS: readonly string[] = ['then', 'elif', 'else', 'fi'];
const LOOP_HEADER_STOPS: readonly string[] = ['do', 'done'];
const LOOP_BODY_STOPS: readonly string[] = ['done'];
const CASE_ITEM_STOPS: readonly string[] = ['esac', ...CASE_ITEM_ENDS];
const SUBSHELL_STOPS: readonly string[] = [')'];
const GROUP_STOPS: readonly string[] = ['}'];

/** Inside `[[ ... ]]` these are test operators (and `|` regex alternation), not shell syntax. */
const TEST_EXPRESSION_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(['&&', '||', '(', ')', '<', '>', '|']);

/** What follows `time` when it times a compound command: `(`, `{ ` or a compound keyword. */
const TIMED_COMPOUND = /[ \t]*(?:\(|\{[ \t\n]|(?:if|for|select|while|until|case)[ \t\n;])/y;

/** Where a node's range goes until it is known (`finish` replaces it); shared, as nothing mutates ranges. */
const PLACEHOLDER: Range = { start: 0, end: 0 };
const emptyRange = (): Range => PLACEHOLDER;

export class Parser implements SubstitutionParser, LexerHooks {
  private readonly cursor: Cursor;
  private readonly words: WordScanner;
  private readonly lexer: Lexer;
  /** Closing keywords/operators some enclosing body is waiting for, with how many are waiting. */
  private stops = new Stops();
  /** Here-docs whose bodies start after the next newline; made when the first is (most scripts have none). */
  private pendingHereDocs: HereDoc[] | undefined = undefined;
  /**
   * The arguments of the simple commands being read, innermost last, up to
   * `argumentTop` (see `parseSimpleCommand`); entries above it are stale.
   */
  private readonly argumentStack: Word[] = [];
  private argumentTop = 0;
  /** The same for the commands of the and-or lists being read, and for the lists of the bodies being read. */
  private readonly commandStack: Command[] = [];
  private commandTop = 0;
  private readonly listStack: CommandList[] = [];
  private listTop = 0;
  private context: readonly ContextFrame[];
  private substitutionDepth: number;

  constructor(
    private readonly source: SourceText,
    scope: ParserScope,
  ) {
    this.cursor = new Cursor(source.text);
    this.words = new WordScanner(this.cursor, source, this);
    this.lexer = new Lexer(this.cursor, source, this.words, this);
    this.context = scope.context;
    this.substitutionDepth = scope.substitutionDepth;
  }

  /** Parses the whole text. */
  parseProgram(): CommandList[] {
    const lists = this.parseLists();
    if (this.pendingHereDocs) for (const doc of this.pendingHereDocs) markHereDocUnread(doc, this.cursor.end, this.source);
    this.pendingHereDocs = undefined;
    return lists;
  }

  // -- hooks ----------------------------------------------------------------

  afterNewline(): void {
    const docs = this.pendingHereDocs;
    if (docs === undefined || docs.length === 0) return;
    this.source.session.commandsInOrder = false;
    this.pendingHereDocs = undefined;
    for (const doc of docs) readHereDocBody(doc, this.cursor, this.source, this.words);
  }

  parseParenthesizedBody(part: CommandSubstitutionPart, openStart: number): void {
    const saved = {
      stops: this.stops,
      pending: this.pendingHereDocs,
      context: this.context,
      substitutionDepth: this.substitutionDepth,
      lastEnd: this.lexer.lastEnd,
      argumentMode: this.words.argumentMode,
    };
    this.words.argumentMode = false;
    // The body is its own script: only the closing parenthesis ends it.
    this.stops = new Stops();
    this.stops.add(')', 1);
    this.pendingHereDocs = undefined;
    this.context = [...saved.context, { kind: 'substitution', substitution: part }];
    this.substitutionDepth++;
    part.lists = this.parseLists();
    const close = this.lexer.peek();
    if (close.type === 'operator' && close.op === ')') {
      this.lexer.next();
    } else {
      this.lexer.discardPeeked();
      this.source.report('unterminated-command-substitution', `Unterminated ${part.syntax}...) substitution`, openStart, openStart + 2);
    }
    // A here-doc opened inside but not yet read continues after the next outer newline.
    const inner = this.pendingHereDocs;
    this.pendingHereDocs = saved.pending === undefined ? inner : inner === undefined ? saved.pending : saved.pending.concat(inner);
    this.stops = saved.stops;
    this.context = saved.context;
    this.substitutionDepth = saved.substitutionDepth;
    this.lexer.lastEnd = saved.lastEnd;
    this.words.argumentMode = saved.argumentMode;
  }

  parseBacktickBody(part: CommandSubstitutionPart, body: string, scriptOffsets: number[]): void {
    const source = new SourceText(body, this.source.session, scriptOffsets);
    const parser = new Parser(source, {
      context: [...this.context, { kind: 'substitution', substitution: part }],
      substitutionDepth: this.substitutionDepth + 1,
    });
    part.lists = parser.parseProgram();
  }

  // -- lists ----------------------------------------------------------------

  /** Lists up to the end of input or a token some enclosing construct is waiting for. */
  private parseLists(): CommandList[] {
    const lists = this.listStack;
    const base = this.listTop;
    for (;;) {
      this.skipNewlines();
      const token = this.lexer.peek();
      if (token.type === 'eof' || this.isStop(token)) break;
      const list = this.parseAndOrList();
      if (!list) {
        if (this.lexer.peek() === token) {
          this.reportUnexpected(token);
          this.lexer.next();
        }
        continue;
      }
      lists[this.listTop++] = list;
      this.takeListTerminator(list);
    }
    const found = copyOut(lists, base, this.listTop);
    this.listTop = base;
    return found;
  }

  private takeListTerminator(list: CommandList): void {
    const last = list.commands[list.commands.length - 1]!;
    const token = this.lexer.peek();
    if (token.type === 'newline') {
      last.operator = 'newline';
      this.lexer.next();
    } else if (token.type === 'operator' && (token.op === ';' || token.op === '&')) {
      last.operator = token.op;
      this.lexer.next();
    } else if (token.type === 'operator' && CASE_ITEM_ENDS.includes(token.op) && !this.isStop(token)) {
      this.report('unexpected-token', `'${token.op}' outside a case item`, token);
      last.operator = token.op as JoinOperator;
      this.lexer.next();
    } else if (token.type !== 'eof' && !this.isStop(token)) {
      this.report('missing-separator', `Expected ';' or a newline before ${describe(token)}`, token);
    }
  }

  private parseAndOrList(): CommandList | undefined {
    const base = this.commandTop;
    if (!this.parsePipeline()) return undefined;
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'operator' || (token.op !== '&&' && token.op !== '||')) break;
      this.commandStack[this.commandTop - 1]!.operator = token.op;
      this.lexer.next();
      this.skipNewlines();
      if (!this.parsePipeline()) {
        this.report('missing-command', `Expected a command after '${token.op}'`, token);
        break;
      }
    }
    const commands = copyOut(this.commandStack, base, this.commandTop);
    this.commandTop = base;
    const range = commands.length === 1 ? commands[0]!.range : { start: commands[0]!.range.start, end: commands[commands.length - 1]!.range.end };
    return new ParsedList(commands, range, this.source.session);
  }

  /** Pushes the pipeline's commands on `commandStack`; false when no command was there. */
  private parsePipeline(): boolean {
    const bang = this.lexer.peek();
    const negated = isWord(bang, '!');
    if (negated) this.lexer.next();
    this.skipTimeKeyword();
    let command = this.parseCommand();
    if (!command) {
      if (negated) this.report('missing-command', "Expected a command after '!'", bang);
      return false;
    }
    command.negated = negated;
    this.commandStack[this.commandTop++] = command;
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'operator' || (token.op !== '|' && token.op !== '|&')) break;
      command.operator = token.op;
      this.lexer.next();
      this.skipNewlines();
      const next = this.parseCommand();
      if (!next) {
        this.report('missing-command', `Expected a command after '${token.op}'`, token);
        break;
      }
      this.commandStack[this.commandTop++] = next;
      command = next;
    }
    return true;
  }

  /**
   * bash's `time` keyword before a compound command (`time (make)`) only times
   * it, so it is skipped. Before a simple command `time` stays the command name,
   * where `unwrap` sees through it like the external `time`.
   */
  private skipTimeKeyword(): void {
    const token = this.lexer.peek();
    if (!isWord(token, 'time')) return;
    TIMED_COMPOUND.lastIndex = token.end;
    const match = TIMED_COMPOUND.exec(this.cursor.text);
    if (match && token.end + match[0].length <= this.cursor.end) this.lexer.next();
  }

  // -- commands -------------------------------------------------------------

  private parseCommand(): Command | undefined {
    const token = this.lexer.peek();
    if (token.type === 'operator') {
      if (token.op === '(') return this.parseCompound(token, this.opensArithmetic(token) ? 'arithmetic' : 'subshell');
      if (isRedirectOperator(token.op)) return this.parseSimpleCommand(token);
      return undefined;
    }
    if (token.type !== 'word') return undefined;
    const keyword = reservedWord(token.word.raw);
    if (keyword === undefined) return this.parseSimpleCommand(token);
    const opening = openingKeyword(keyword);
    if (opening) return this.parseCompound(token, opening);
    if (isClosingKeyword(keyword)) {
      if (this.isStop(token)) return undefined;
      this.report('unexpected-token', `'${keyword}' without a matching opening keyword`, token);
      this.lexer.next();
      return undefined;
    }
    if (keyword === 'function') return this.parseFunctionKeyword(token);
    return this.parseSimpleCommand(token);
  }

  /** `first` is the peeked token. */
  private parseSimpleCommand(first: Token): SimpleCommand | CompoundCommand {
    const commandsBefore = this.lexer.commandsBefore(first);
    // Arguments gather on a stack shared with the commands nested in them (substitutions), and are copied out at their length.
    const argWords = this.argumentStack;
    const base = this.argumentTop;
    let name: Word | undefined;
    let assignments: Assignment[] | undefined;
    let redirects: Redirect[] | undefined;
    let testExpression = false;
    /** Whether a `--` argument ended the options (see `markArgument`). */
    let optionsEnded = false;
    for (;;) {
      const token = this.lexer.peek();
      if (token.type === 'word') {
        this.lexer.next();
        if (name) {
          argWords[this.argumentTop++] = token.word;
          optionsEnded = markArgument(token.word, optionsEnded);
          if (testExpression && isText(token.word.raw, ']]')) testExpression = false;
        } else if (token.assignment) {
          const { name, append, value } = token.assignment;
          (assignments ??= []).push({ name, append, value, word: token.word });
        } else {
          name = token.word;
          testExpression = isText(name.raw, '[[');
          this.words.argumentMode = true;
          if (assignments === undefined && redirects === undefined && this.startsFunctionDefinition(name)) {
            this.words.argumentMode = false;
            return this.parseFunctionBody(first.start, name);
          }
        }
        continue;
      }
      if (token.type === 'operator') {
        if (testExpression && TEST_EXPRESSION_OPERATORS.has(token.op)) {
          this.lexer.next();
          const word = this.operatorWord(token);
          argWords[this.argumentTop++] = word;
          optionsEnded = markArgument(word, optionsEnded);
          continue;
        }
        if (isRedirectOperator(token.op)) {
          (redirects ??= []).push(this.parseRedirect());
          continue;
        }
      }
      if (testExpression && token.type === 'newline' && this.argumentTop > base && /^(&&|\|\|)$/.test(argWords[this.argumentTop - 1]!.raw)) {
        this.lexer.next();
        continue;
      }
      break;
    }
    this.words.argumentMode = false;
    if (testExpression) this.report('missing-keyword', "'[[' is missing its closing ']]'", first);
    const args = copyOut(argWords, base, this.argumentTop) as Argument[];
    this.argumentTop = base;
    const range = this.source.range(first.start, Math.max(first.start, this.lexer.lastEnd));
    // Made whole once every field is known; `finish` gives compound commands their ranges.
    const command = new ParsedCommand(name, args, assignments ?? [], redirects ?? [], this.context, this.substitutionDepth, range, [], this.source.session);
    const commands = this.source.session.commands;
    if (commandsBefore === commands.length) commands.push(command);
    else commands.splice(commandsBefore, 0, command);
    return command;
  }

  /** `name ( )`: the command's first word is followed by `(` and, after optional blanks, `)`. */
  private startsFunctionDefinition(name: Word): boolean {
    if (name.value === undefined) return false;
    const next = this.lexer.peek();
    if (next.type !== 'operator' || next.op !== '(') return false;
    const text = this.cursor.text;
    let index = next.end;
    while (index < this.cursor.end && (text[index] === ' ' || text[index] === '\t')) index++;
    return index < this.cursor.end && text[index] === ')';
  }

  /** A `(` immediately followed by another opens bash `((...))`, not two subshells. */
  private opensArithmetic(token: Token): boolean {
    return token.type === 'operator' && token.op === '(' && token.end < this.cursor.end && this.cursor.text[token.end] === '(';
  }

  /** bash `function name [()] body`. */
  private parseFunctionKeyword(keyword: Token): Command {
    this.lexer.next();
    const name = this.lexer.peek();
    if (name.type !== 'word') {
      this.report('missing-command', "Expected a function name after 'function'", keyword);
      return this.finish(this.newCompound('function'), keyword.start);
    }
    this.lexer.next();
    return this.parseFunctionBody(keyword.start, name.word);
  }

  /** After the function name: optional `( )`, then the body command. */
  private parseFunctionBody(start: number, name: Word): CompoundCommand {
    const fn = this.newCompound('function');
    fn.words.push(name);
    const open = this.lexer.peek();
    if (open.type === 'operator' && open.op === '(') {
      this.lexer.next();
      const close = this.lexer.peek();
      if (close.type === 'operator' && close.op === ')') this.lexer.next();
      else this.report('unexpected-token', `Expected ')' after '${name.raw} ('`, close);
    }
    this.skipNewlines();
    const clause: Clause = { kind: 'body', patterns: [], lists: [] };
    fn.clauses.push(clause);
    this.withinClause(fn, clause, () => {
      const bodyToken = this.lexer.peek();
      const body = this.parseCommand();
      if (!body) {
        this.report('missing-command', `Function '${name.raw}' has no body`, bodyToken);
        return;
      }
      if (body.type !== 'compound') this.report('unexpected-token', 'A function body must be a compound command such as { ...; }', bodyToken);
      clause.lists.push(new ParsedList([body], body.range, this.source.session));
    });
    return this.finish(fn, start);
  }

  private parseRedirect(): Redirect {
    const token = this.lexer.next() as Extract<Token, { type: 'operator' }>;
    const operator = token.op as Redirect['operator'];
    // A redirection's target is no argument of the command around it.
    const argumentMode = this.words.argumentMode;
    this.words.argumentMode = false;
    const target = this.lexer.peek();
    this.words.argumentMode = argumentMode;
    const redirect: Redirect = {
      operator,
      fd: token.fd,
      target: undefined,
      hereDoc: undefined,
      range: emptyRange(),
      docRange: emptyRange(),
    };
    if (target.type === 'word') {
      this.lexer.next();
      redirect.target = target.word;
      if (operator === '<<' || operator === '<<-') {
        redirect.hereDoc = pendingHereDoc(target.word, operator === '<<-', target.end, this.source);
        (this.pendingHereDocs ??= []).push(redirect.hereDoc);
      }
    } else {
      this.report('missing-redirect-target', `Expected a file name or word after '${token.op}'`, token);
    }
    redirect.range = this.source.range(token.start, this.lexer.lastEnd);
    redirect.docRange = this.source.session.documentRange(redirect.range);
    return redirect;
  }

  // -- compound commands ----------------------------------------------------

  private parseCompound(opener: Token, kind: CompoundKind): CompoundCommand | undefined {
    if (!this.source.session.enter(this.cursor, this.source.range(opener.start, opener.end))) {
      this.lexer.discardPeeked();
      return undefined;
    }
    let compound: CompoundCommand;
    switch (kind) {
      case 'if':
        compound = this.parseIf(opener);
        break;
      case 'for':
      case 'select':
        compound = this.parseFor(opener, kind);
        break;
      case 'while':
      case 'until':
        compound = this.parseWhile(opener, kind);
        break;
      case 'case':
        compound = this.parseCase(opener);
        break;
      case 'arithmetic':
        compound = this.newCompound('arithmetic');
        compound.words.push(this.lexer.takeArithmeticCommand() ?? this.words.makeWord(opener.start, opener.end, [], false));
        break;
      default:
        compound = this.parseGroup(opener, kind);
    }
    this.source.session.leave();
    for (let token = this.lexer.peek(); token.type === 'operator' && isRedirectOperator(token.op); token = this.lexer.peek()) {
      compound.redirects.push(this.parseRedirect());
    }
    return this.finish(compound, opener.start);
  }

  /** `( ... )` and `{ ...; }`. */
  private parseGroup(opener: Token, kind: CompoundKind): CompoundCommand {
    const group = this.newCompound(kind);
    const closer = kind === 'subshell' ? ')' : '}';
    this.lexer.next();
    this.parseClause(group, 'body', kind === 'subshell' ? SUBSHELL_STOPS : GROUP_STOPS);
    const token = this.lexer.peek();
    if ((token.type === 'operator' && token.op === closer) || isWord(token, closer)) this.lexer.next();
    else this.reportMissing(opener, closer);
    return group;
  }

  private parseIf(opener: Token): CompoundCommand {
    const command = this.newCompound('if');
    const stops = IF_STOPS;
    this.lexer.next();
    let condition: Token = opener;
    let complete = true;
    for (;;) {
      this.parseClause(command, condition === opener ? 'if' : 'elif', stops);
      if (!this.expectKeyword('then', condition)) {
        complete = false;
        break;
      }
      this.parseClause(command, 'then', stops);
      const next = this.lexer.peek();
      if (isWord(next, 'elif')) {
        this.lexer.next();
        condition = next;
        continue;
      }
      if (isWord(next, 'else')) {
        this.lexer.next();
        this.parseClause(command, 'else', stops);
      }
      break;
    }
    this.closeWith(opener, 'fi', complete);
    return command;
  }

  private parseWhile(opener: Token, kind: 'while' | 'until'): CompoundCommand {
    const command = this.newCompound(kind);
    this.lexer.next();
    this.parseClause(command, kind, LOOP_HEADER_STOPS);
    const complete = this.expectKeyword('do', opener);
    if (complete) this.parseClause(command, 'do', LOOP_BODY_STOPS);
    this.closeWith(opener, 'done', complete);
    return command;
  }

  private parseFor(opener: Token, kind: 'for' | 'select'): CompoundCommand {
    const command = this.newCompound(kind);
    this.lexer.next();
    const arithmetic = kind === 'for' ? this.lexer.takeArithmeticCommand() : undefined;
    if (arithmetic) {
      command.words.push(arithmetic);
    } else {
      const variable = this.lexer.peek();
      if (variable.type === 'word') {
        this.lexer.next();
        command.words.push(variable.word);
      } else {
        this.report('unexpected-token', `Expected a variable name after '${kind}'`, variable);
      }
      this.skipNewlines();
      if (isWord(this.lexer.peek(), 'in')) {
        this.lexer.next();
        for (let item = this.lexer.peek(); item.type === 'word'; item = this.lexer.peek()) {
          this.lexer.next();
          command.words.push(item.word);
        }
      }
    }
    const separator = this.lexer.peek();
    if (separator.type === 'newline' || (separator.type === 'operator' && separator.op === ';')) this.lexer.next();
    this.skipNewlines();
    // Without its `do` the loop's body still follows the header: read it as the body.
    const complete = this.expectKeyword('do', opener);
    this.parseClause(command, 'do', LOOP_BODY_STOPS);
    this.closeWith(opener, 'done', complete);
    return command;
  }

  private parseCase(opener: Token): CompoundCommand {
    const command = this.newCompound('case');
    this.lexer.next();
    const subject = this.lexer.peek();
    if (subject.type === 'word') {
      this.lexer.next();
      command.words.push(subject.word);
    } else {
      this.report('unexpected-token', "Expected a word after 'case'", subject);
    }
    this.skipNewlines();
    if (!this.expectKeyword('in', opener)) {
      this.closeWith(opener, 'esac', false);
      return command;
    }
    for (;;) {
      this.skipNewlines();
      const token = this.lexer.peek();
      if (isWord(token, 'esac')) {
        this.lexer.next();
        return command;
      }
      if (token.type === 'eof' || this.isStop(token)) break;
      const patterns = this.parseCasePatterns();
      const close = this.lexer.peek();
      if (close.type === 'operator' && close.op === ')') {
        this.lexer.next();
      } else {
        this.report('unexpected-token', `Expected ')' after a case pattern, found ${describe(close)}`, close);
        if (close === token) {
          this.lexer.next();
          continue;
        }
      }
      const clause = this.parseClause(command, 'case-item', CASE_ITEM_STOPS, patterns);
      const end = this.lexer.peek();
      if (end.type === 'operator' && CASE_ITEM_ENDS.includes(end.op)) {
        const lastList = clause.lists[clause.lists.length - 1];
        const last = lastList?.commands[lastList.commands.length - 1];
        if (last) last.operator = end.op as JoinOperator;
        this.lexer.next();
      }
    }
    this.reportMissing(opener, 'esac');
    return command;
  }

  /** `[(] pattern [| pattern]...` before the `)`. */
  private parseCasePatterns(): Word[] {
    const patterns: Word[] = [];
    const open = this.lexer.peek();
    if (open.type === 'operator' && open.op === '(') this.lexer.next();
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'word') break;
      this.lexer.next();
      patterns.push(token.word);
      const bar = this.lexer.peek();
      if (bar.type !== 'operator' || bar.op !== '|') break;
      this.lexer.next();
    }
    return patterns;
  }

  /** Parses one body of `command`; `stops` are the keywords that may end it. */
  private parseClause(command: CompoundCommand, kind: ClauseKind, stops: readonly string[], patterns: Word[] = []): Clause {
    const clause: Clause = { kind, patterns, lists: [] };
    command.clauses.push(clause);
    for (const stop of stops) this.stops.add(stop, 1);
    // As `withinClause` does, without a closure per body.
    const outer = this.context;
    this.context = [...outer, { kind: 'compound', command, clause }];
    clause.lists = this.parseLists();
    this.context = outer;
    for (const stop of stops) this.stops.add(stop, -1);
    return clause;
  }

  private withinClause(command: CompoundCommand, clause: Clause, parse: () => void): void {
    const outer = this.context;
    this.context = [...outer, { kind: 'compound', command, clause }];
    parse();
    this.context = outer;
  }

  private newCompound(kind: CompoundKind): CompoundCommand {
    return {
      type: 'compound',
      kind,
      words: [],
      clauses: [],
      redirects: [],
      operator: undefined,
      negated: false,
      context: this.context,
      substitutionDepth: this.substitutionDepth,
      range: emptyRange(),
      docRange: emptyRange(),
    };
  }

  // -- helpers --------------------------------------------------------------

  private finish<T extends Command>(command: T, start: number): T {
    command.range = this.source.range(start, Math.max(start, this.lexer.lastEnd));
    command.docRange = this.source.session.documentRange(command.range);
    return command;
  }

  private skipNewlines(): void {
    while (this.lexer.peek().type === 'newline') this.lexer.next();
  }

  private isStop(token: Token): boolean {
    // The words that can end a body are all reserved words.
    const key = token.type === 'word' ? reservedWord(token.word.raw) : token.type === 'operator' ? token.op : undefined;
    return key !== undefined && this.stops.has(key);
  }

  /** Consumes `keyword` or reports it missing from the construct opened by `opener`. */
  private expectKeyword(keyword: string, opener: Token): boolean {
    if (isWord(this.lexer.peek(), keyword)) {
      this.lexer.next();
      return true;
    }
    this.reportMissing(opener, keyword);
    return false;
  }

  /**
   * Consumes the closing keyword. When an earlier keyword was already reported
   * missing, a closer that happens to be there is still taken, silently.
   */
  private closeWith(opener: Token, keyword: string, report: boolean): void {
    if (isWord(this.lexer.peek(), keyword)) this.lexer.next();
    else if (report) this.reportMissing(opener, keyword);
  }

  private reportMissing(opener: Token, keyword: string): void {
    this.report('missing-keyword', `${describe(opener)} is missing its '${keyword}'`, opener);
  }

  private reportUnexpected(token: Token): void {
    this.report('unexpected-token', `Unexpected ${describe(token)}`, token);
  }

  private report(code: ProblemCode, message: string, token: Token): void {
    this.source.report(code, message, token.start, token.end);
  }

  /** Inside `[[ ]]` an operator token stands for a plain argument word. */
  private operatorWord(token: Extract<Token, { type: 'operator' }>): Word {
    const text = this.cursor.text.slice(token.start, token.end);
    return this.words.makeWord(token.start, token.end, [{ kind: 'literal', text, range: this.source.range(token.start, token.end) }], false);
  }
}

/**
 * `stack.slice(from, to)`: most lists hold one to three items, and literals of
 * those sizes cost less than a call to `slice`.
 */
function copyOut<T>(stack: readonly T[], from: number, to: number): T[] {
  switch (to - from) {
    case 0:
      return [];
    case 1:
      return [stack[from]!];
    case 2:
      return [stack[from]!, stack[from + 1]!];
    case 3:
      return [stack[from]!, stack[from + 1]!, stack[from + 2]!];
    default:
      return stack.slice(from, to);
  }
}

/**
 * `toArguments` for the parser's own words (which belong to nobody else yet), one
 * word at a time as it reads a command's arguments: sets the word's `isFlag`
 * instead of copying it, and returns whether the options have ended after it.
 */
function markArgument(word: Word, optionsEnded: boolean): boolean {
  const isFlag = !optionsEnded && looksLikeFlag(word);
  (word as Argument).isFlag = isFlag;
  return optionsEnded || (isFlag && word.value === '--');
}

function isWord(token: Token, raw: string): boolean {
  return token.type === 'word' && isText(token.word.raw, raw);
}

/**
 * `word === text` for a word's fresh string and a keyword: comparing the lengths
 * first spares most comparisons a call into the engine, which `===` makes for
 * strings that are not both interned.
 */
function isText(word: string, text: string): boolean {
  return word.length === text.length && word === text;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'word':
      return `'${token.word.raw.length > 40 ? token.word.raw.slice(0, 40) + '…' : token.word.raw}'`;
    case 'operator':
      return `'${token.op}'`;
    case 'newline':
      return 'end of line';
    case 'eof':
      return 'end of script';
  }
}
