/** Entry point: `parseShell(script, options)`. */
import type { CommandList, ParsedScript } from './ast';
import { createOffsetMapper, type OffsetMapping } from './offsets';
import { Parser } from './parser';
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

/**
 * Parses a POSIX sh script (a RUN instruction's shell form after continuation
 * lines were joined, or a here-doc body). Never throws: malformed input yields
 * `problems` and as much structure as could be recovered. Time is linear in the
 * script length.
 */
export function parseShell(script: string, options: ParseShellOptions = {}): ParsedScript {
  const text = typeof script === 'string' ? script : String(script ?? '');
  const session = new ParseSession(createOffsetMapper(options.offsets), Math.max(1, options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH));
  let lists: CommandList[] = [];
  try {
    lists = new Parser(new SourceText(text, session), { context: [], substitutionDepth: 0 }).parseProgram();
  } catch (error) {
    // A bug, not bad input: keep whatever was collected and say so.
    const range = { start: 0, end: text.length };
    session.problems.push({
      code: 'internal-error',
      message: `Shell parser failure: ${error instanceof Error ? error.message : String(error)}`,
      range,
      docRange: session.documentRange(range),
    });
  }
  const byStart = (a: { range: { start: number } }, b: { range: { start: number } }) => a.range.start - b.range.start;
  return {
    text,
    lists,
    problems: session.problems.sort(byStart),
    comments: session.comments.sort(byStart),
    toDocumentRange: (range) => session.documentRange(range),
  };
}
