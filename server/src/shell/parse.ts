/** Entry point: `parseShell(script, options)`. */
import type { CommandList, Comment, ParsedScript, Problem, Range, SimpleCommand } from './ast';
import { createRangeMapper, type OffsetMapping } from './offsets';
import { Parser, type ParserScope } from './parser';
import { ParseSession, SourceText } from './session';

export interface ParseShellOptions {
  /** Where script offsets come from in the document (see `offsets.ts`); default: the same offsets. */
  offsets?: OffsetMapping;
  /**
   * How deeply compound commands, substitutions and quotes may nest before the
   * parser stops (reporting `nesting-too-deep`) to protect the call stack.
   */
  maxNestingDepth?: number;
}

export const DEFAULT_MAX_NESTING_DEPTH = 100;

/** Top-level commands share one (frozen) empty context, whichever script they are in. */
const TOP_LEVEL: ParserScope = { context: Object.freeze([]), substitutionDepth: 0 };

/**
 * Parses a POSIX sh script (a RUN instruction's shell form after continuation
 * lines were joined, or a here-doc body). Never throws: malformed input yields
 * `problems` and as much structure as could be recovered. Time is linear in the
 * script length.
 */
export function parseShell(script: string, options: ParseShellOptions = {}): ParsedScript {
  const text = typeof script === 'string' ? script : String(script ?? '');
  const session = new ParseSession(createRangeMapper(options.offsets), Math.max(1, options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH));
  let lists: CommandList[] = [];
  try {
    lists = new Parser(new SourceText(text, session), TOP_LEVEL).parseProgram();
  } catch (error) {
    // A bug, not bad input: keep whatever was collected and say so.
    session.commandsInOrder = false;
    const range = { start: 0, end: text.length };
    session.problems.push({
      code: 'internal-error',
      message: `Shell parser failure: ${error instanceof Error ? error.message : String(error)}`,
      range,
      docRange: session.documentRange(range),
    });
  }
  return new ShellScript(text, lists, sortByStart(session.problems), sortByStart(session.comments), session.commandsInOrder ? session.commands : undefined, session);
}

/** A class rather than a literal with a closure for `toDocumentRange`. */
class ShellScript implements ParsedScript {
  readonly #session: ParseSession;

  constructor(
    public text: string,
    public lists: CommandList[],
    public problems: Problem[],
    public comments: Comment[],
    public simpleCommands: readonly SimpleCommand[] | undefined,
    session: ParseSession,
  ) {
    this.#session = session;
  }

  toDocumentRange(range: Range): Range {
    return this.#session.documentRange(range);
  }
}

function sortByStart<T extends { range: { start: number } }>(items: T[]): T[] {
  return items.length < 2 ? items : items.sort(byStart);
}

function byStart(a: { range: { start: number } }, b: { range: { start: number } }): number {
  return a.range.start - b.range.start;
}
