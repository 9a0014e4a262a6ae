/**
 * State shared by every parser working on one script: the problem and comment
 * lists, the document mapping, and the nesting budget that keeps recursion off
 * the end of the stack.
 */
import type { Comment, Problem, ProblemCode, Range, SimpleCommand } from './ast';
import type { RangeMapper } from './offsets';

/** Something with a movable read position, so an abort can jump it to the end. */
export interface Position {
  pos: number;
  end: number;
}

export class ParseSession {
  readonly problems: Problem[] = [];
  readonly comments: Comment[] = [];
  /**
   * Every simple command made so far, each placed before those nested in its
   * words (`walkCommands` order), so that listing them needs no walk of the tree.
   */
  readonly commands: SimpleCommand[] = [];
  /** Cleared when `commands` may be out of that order: a here-doc body is read after later commands of its line. */
  commandsInOrder = true;
  private depth = 0;
  /** Set when the nesting budget ran out: every scanner then runs to its end. */
  aborted = false;

  constructor(
    private readonly toDocument: RangeMapper,
    private readonly maxDepth: number,
  ) {}

  documentRange(range: Range): Range {
    return this.toDocument.range(range);
  }

  report(code: ProblemCode, message: string, range: Range): void {
    if (this.aborted) return;
    this.problems.push({ code, message, range, docRange: this.documentRange(range) });
  }

  /**
   * Enters one level of nesting (a compound command, substitution, quote...).
   * Past the budget, reports once, aborts the parse and moves `at` to its end so
   * the caller's loop terminates; the caller then returns a stub.
   */
  enter(at: Position, range: Range): boolean {
    if (this.aborted) {
      at.pos = at.end;
      return false;
    }
    if (this.depth >= this.maxDepth) {
      this.report('nesting-too-deep', `Nesting deeper than ${this.maxDepth} levels; the rest of the script is not parsed`, range);
      this.aborted = true;
      at.pos = at.end;
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }
}

/**
 * The text one parser reads: the script itself, or the de-escaped body of a
 * backtick substitution whose characters came from scattered script offsets.
 */
export class SourceText {
  constructor(
    readonly text: string,
    readonly session: ParseSession,
    /** Script offset of each text character, plus one entry for the end; absent for the script itself. */
    private readonly scriptOffsets?: readonly number[],
  ) {}

  scriptOffset(index: number): number {
    const offsets = this.scriptOffsets;
    if (!offsets) return index;
    return offsets[Math.min(Math.max(index, 0), offsets.length - 1)]!;
  }

  /** Script range of the text span `[start, end)`. */
  range(start: number, end: number): Range {
    if (!this.scriptOffsets) return { start, end };
    const scriptStart = this.scriptOffset(start);
    const scriptEnd = end > start ? this.scriptOffset(end - 1) + 1 : scriptStart;
    return { start: scriptStart, end: Math.max(scriptStart, scriptEnd) };
  }

  report(code: ProblemCode, message: string, start: number, end: number): void {
    this.session.report(code, message, this.range(start, end));
  }
}
