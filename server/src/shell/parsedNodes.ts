/**
 * The classes of the simple commands and and-or lists the parser makes. Rules
 * read a command's or list's `docRange` only for the few they report, so it is
 * mapped into the document on first read rather than for every one parsed.
 */
import type { Argument, Assignment, Command, CommandList, ContextFrame, JoinOperator, Range, Redirect, SimpleCommand, Word } from './ast';
import type { ParseSession } from './session';

export class ParsedCommand implements SimpleCommand {
  readonly type = 'simple';
  operator: JoinOperator | undefined = undefined;
  negated = false;
  // `#` fields: code that walks a tree's own fields (tests comparing trees without positions) sees neither.
  #docRangeSlot: Range | undefined = undefined;
  readonly #session: ParseSession;

  constructor(
    public name: Word | undefined,
    public args: Argument[],
    public assignments: Assignment[],
    public redirects: Redirect[],
    public context: readonly ContextFrame[],
    public substitutionDepth: number,
    public range: Range,
    public wrappers: readonly Word[],
    session: ParseSession,
  ) {
    this.#session = session;
  }

  get docRange(): Range {
    return (this.#docRangeSlot ??= this.#session.documentRange(this.range));
  }

  /** This command as `unwrap` sees through a wrapper: the same but for these words. */
  withTool(name: Word | undefined, args: Argument[], wrappers: readonly Word[]): ParsedCommand {
    const copy = new ParsedCommand(name, args, this.assignments, this.redirects, this.context, this.substitutionDepth, this.range, wrappers, this.#session);
    copy.operator = this.operator;
    copy.negated = this.negated;
    copy.#docRangeSlot = this.#docRangeSlot;
    return copy;
  }
}

export class ParsedList implements CommandList {
  #docRangeSlot: Range | undefined = undefined;
  readonly #session: ParseSession;

  constructor(
    public commands: Command[],
    public range: Range,
    session: ParseSession,
  ) {
    this.#session = session;
  }

  get docRange(): Range {
    // A list of one command spans just that command: share its range.
    return (this.#docRangeSlot ??= this.commands.length === 1 ? this.commands[0]!.docRange : this.#session.documentRange(this.range));
  }
}
