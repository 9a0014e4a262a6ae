/**
 * The syntax tree that `parseShell` produces for a POSIX sh script (with the
 * common bash extensions found in Dockerfiles).
 *
 * Two coordinate systems appear everywhere:
 * - `range`: half-open character offsets into the script string handed to `parseShell`;
 *   `script.slice(range.start, range.end)` is the source text of the node.
 * - `docRange`: the same span mapped back into the document the script came from
 *   (see `offsets.ts`), ready to turn into an LSP position.
 *
 * Exception: inside backtick substitutions the shell removes one level of
 * backslash escaping before parsing the body, so `raw` of a word found there is
 * the de-escaped text, while its `range` still points at the original script text.
 */

/** Half-open span `[start, end)` of character offsets. Range objects may be shared: never mutate one. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

// ---------------------------------------------------------------------------
// Words

/** Unquoted text, with backslash escapes and line continuations already removed. */
export interface LiteralPart {
  kind: 'literal';
  text: string;
  range: Range;
}

/** `'...'`: `text` is the content between the quotes. */
export interface SingleQuotedPart {
  kind: 'single-quoted';
  text: string;
  range: Range;
}

/** bash `$'...'`: `text` has the C-style escapes decoded. */
export interface AnsiCQuotedPart {
  kind: 'ansi-c-quoted';
  text: string;
  range: Range;
}

/** `"..."` (also bash's `$"..."`). */
export interface DoubleQuotedPart {
  kind: 'double-quoted';
  parts: WordPart[];
  range: Range;
}

/**
 * `$name`, `$1`, `$@`, or `${...}`. For the braced form `name` is the variable
 * (`${#PATH}` → `PATH`) and `parts` is whatever follows it inside the braces
 * (`${V:-$(date)}` → the literal `:-` and a command substitution).
 */
export interface ParameterPart {
  kind: 'parameter';
  name: string;
  braced: boolean;
  parts: WordPart[];
  range: Range;
}

/**
 * `$(...)`, `` `...` ``, or bash process substitution `<(...)` / `>(...)`.
 * The commands inside are parsed; they carry `substitutionDepth > 0`.
 */
export interface CommandSubstitutionPart {
  kind: 'command-substitution';
  syntax: '$(' | '`' | '<(' | '>(';
  lists: CommandList[];
  range: Range;
}

/** `$((...))` or the expression of a bash `((...))` command. */
export interface ArithmeticPart {
  kind: 'arithmetic';
  parts: WordPart[];
  range: Range;
}

export type WordPart =
  | LiteralPart
  | SingleQuotedPart
  | AnsiCQuotedPart
  | DoubleQuotedPart
  | ParameterPart
  | CommandSubstitutionPart
  | ArithmeticPart;

/** One shell word: a command name, an argument, a redirection target, a `for` item... */
export interface Word {
  /** Source text, quotes and escapes included. */
  raw: string;
  /**
   * The word after quote removal when it contains no expansion (`"a b"` → `a b`,
   * `x\ y` → `x y`); `undefined` as soon as a `$`, `${}`, `$()` or backquote makes
   * it depend on run time. Globs, tildes and brace lists stay as written.
   */
  value: string | undefined;
  /** True when any quoting or backslash escaping appears (`"if"` is not the keyword `if`). */
  quoted: boolean;
  parts: WordPart[];
  range: Range;
  docRange: Range;
}

/** A command argument. */
export interface Argument extends Word {
  /**
   * Looks like an option: its statically known prefix starts with `-`, it is not
   * `-` alone, and no `--` came before it. `--` itself counts as a flag (it is
   * option syntax, not an operand); everything after it does not.
   */
  isFlag: boolean;
}

/** `NAME=value` or `NAME+=value` written before a command name (or alone). */
export interface Assignment {
  name: string;
  append: boolean;
  /** The part after `=`; an empty word for `NAME=`. */
  value: Word;
  /** The whole `NAME=value` word. */
  word: Word;
}

// ---------------------------------------------------------------------------
// Redirections

export type RedirectOperator =
  | '<'
  | '>'
  | '>>'
  | '>|'
  | '<>'
  | '<&'
  | '>&'
  | '<<'
  | '<<-'
  | '<<<'
  | '&>'
  | '&>>';

/** A here-document body (`cat <<EOF` ... `EOF`). Its lines are data, never commands. */
export interface HereDoc {
  /** Delimiter after quote removal. */
  delimiter: string;
  /** Delimiter was quoted (`<<'EOF'`, `<<"EOF"`, `<<\EOF`): the body is not expanded. */
  quoted: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the delimiter line. */
  stripTabs: boolean;
  /** The body as the command receives it before expansion (tabs stripped for `<<-`). */
  text: string;
  /** Expansions in an unquoted body (command substitutions in it do run); empty when quoted. */
  parts: WordPart[];
  /** The body lines, excluding the delimiter line. */
  range: Range;
  docRange: Range;
  /** False when the input ended before the delimiter line. */
  terminated: boolean;
}

export interface Redirect {
  operator: RedirectOperator;
  /** Explicit descriptor (`2>` → 2), undefined when omitted. */
  fd: number | undefined;
  /** File, descriptor or here-doc delimiter word; undefined when missing (a problem is reported). */
  target: Word | undefined;
  /** Set for `<<` and `<<-`. */
  hereDoc: HereDoc | undefined;
  range: Range;
  docRange: Range;
}

// ---------------------------------------------------------------------------
// Commands

/**
 * What follows a command at its own nesting level. `newline` is an unescaped
 * line break; `;;`, `;&`, `;;&` end a `case` item. `undefined` means the command
 * is the last thing before the end of its body, the script, or a substitution.
 */
export type JoinOperator = '&&' | '||' | '|' | '|&' | ';' | '&' | 'newline' | ';;' | ';&' | ';;&';

export type CompoundKind =
  | 'subshell'
  | 'brace-group'
  | 'if'
  | 'for'
  | 'select'
  | 'while'
  | 'until'
  | 'case'
  | 'function'
  | 'arithmetic';

/** Which keyword opened a clause: `if` / `elif` / `while` / `until` clauses are conditions. */
export type ClauseKind = 'body' | 'if' | 'then' | 'elif' | 'else' | 'while' | 'until' | 'do' | 'case-item';

interface CommandCommon {
  range: Range;
  docRange: Range;
  operator: JoinOperator | undefined;
  /** The command opens a pipeline negated with `!`. */
  negated: boolean;
  redirects: Redirect[];
  /** Enclosing compound commands and substitutions, outermost first. */
  context: readonly ContextFrame[];
  /** 0 for commands that run directly; n for commands inside n nested `$()`, backticks or `<()`. */
  substitutionDepth: number;
}

export interface SimpleCommand extends CommandCommon {
  type: 'simple';
  /** The command word; undefined for a bare assignment or redirection (`FOO=1`, `> file`). */
  name: Word | undefined;
  args: Argument[];
  /** Assignments before the name. */
  assignments: Assignment[];
  /**
   * The wrapper commands `unwrap` peeled off to reach this one (`sudo`, `env`...),
   * outermost first; always empty on a command as parsed.
   */
  wrappers: readonly Word[];
}

export interface CompoundCommand extends CommandCommon {
  type: 'compound';
  kind: CompoundKind;
  /**
   * Words that belong to the construct itself rather than to a command:
   * `for`/`select`: the variable then the items; `case`: the subject;
   * `function`: the name; `arithmetic` (and `for ((...))`): the expression.
   */
  words: Word[];
  /** Bodies in source order, e.g. an `if` has `if`, `then`, [`elif`, `then`]*, [`else`]. */
  clauses: Clause[];
}

export interface Clause {
  kind: ClauseKind;
  /** `case` item patterns (`a|b)` → a, b); empty otherwise. */
  patterns: Word[];
  lists: CommandList[];
}

export type Command = SimpleCommand | CompoundCommand;

/**
 * An and-or list: pipelines joined by `&&` / `||`, ended by `;`, `&`, a newline
 * or the end of the enclosing body. `commands` are the list's elements at this
 * level in source order (pipeline members included), each carrying the operator
 * that joins it to the next; the last one's operator is what ended the list.
 */
export interface CommandList {
  commands: Command[];
  range: Range;
  docRange: Range;
}

/** A command is inside `command`'s `clause`. */
export interface CompoundFrame {
  kind: 'compound';
  command: CompoundCommand;
  clause: Clause;
}

/** A command is inside this substitution. */
export interface SubstitutionFrame {
  kind: 'substitution';
  substitution: CommandSubstitutionPart;
}

export type ContextFrame = CompoundFrame | SubstitutionFrame;

// ---------------------------------------------------------------------------
// Whole script

export interface Comment {
  /** From `#` to the end of the line, excluding the newline. */
  text: string;
  range: Range;
  docRange: Range;
}

export type ProblemCode =
  | 'unterminated-single-quote'
  | 'unterminated-double-quote'
  | 'unterminated-ansi-c-quote'
  | 'unterminated-backtick'
  | 'unterminated-command-substitution'
  | 'unterminated-parameter-expansion'
  | 'unterminated-arithmetic'
  | 'unterminated-here-doc'
  | 'unterminated-array'
  | 'missing-keyword'
  | 'missing-command'
  | 'missing-redirect-target'
  | 'missing-separator'
  | 'unexpected-token'
  | 'nesting-too-deep'
  | 'internal-error';

/** Something the shell would reject; the parser reports it and carries on. */
export interface Problem {
  code: ProblemCode;
  message: string;
  range: Range;
  docRange: Range;
}

export interface ParsedScript {
  /** The script as given. */
  text: string;
  /** Top-level and-or lists in source order. */
  lists: CommandList[];
  problems: Problem[];
  comments: Comment[];
  /** Maps any script range (e.g. a part's) into the document, like the `docRange`s. */
  toDocumentRange(range: Range): Range;
  /**
   * Every simple command in `walkCommands` order, as the parser made them; undefined
   * when it could not tell that order (a here-doc body was read). Read through `listCommands`.
   */
  simpleCommands?: readonly SimpleCommand[];
}
