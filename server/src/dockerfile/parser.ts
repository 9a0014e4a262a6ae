/**
 * Fault-tolerant Dockerfile parser. Follows BuildKit's
 * frontend/dockerfile/parser line handling:
 * - lines split at `\n`; leading whitespace of an instruction's first line
 *   and trailing `\r` are ignored; a BOM on the first line is skipped;
 * - parser directives only at the top (directives.ts);
 * - `#` lines are comments; empty lines separate nothing;
 * - a line continues when it ends with the escape character, ignoring
 *   trailing spaces and tabs, *unless* that escape character is itself
 *   preceded by another one: BuildKit's continuation pattern is
 *   `([^E])E[ \t]*$|^E[ \t]*$`, so `RUN echo \\` (a doubled escape) does not
 *   continue, and neither does `\\\` (BuildKit documents that it cannot tell
 *   an escaped escape followed by a continuation). Older Docker releases used
 *   `E[ \t]*$` and did continue there; we follow current BuildKit;
 * - while continuing, comment lines and empty lines are skipped (recorded on
 *   the instruction), and lines are joined without any separator;
 * - heredoc bodies follow the instruction's last line (heredocs.ts).
 * It never throws: anything unexpected becomes an 'internal-error' problem.
 */

import { continuationEscapeIndex, skipUnicodeSpaces, trimUnicodeSpacesEnd } from './characters';
import { DirectiveScanner } from './directives';
import { findHeredocMarkers, readHeredocBody } from './heredocs';
import { parseInstructionText, type InstructionParseContext } from './instructionArgs';
import { collectInstructionVariables } from './instructionVariables';
import { LineIndex } from './lineIndex';
import { LogicalLine } from './logicalLine';
import { NONE } from './none';
import { PhysicalLines } from './physicalLines';
import { Relocator } from './relocate';
import { commonPrefix, commonSuffix } from './textDiff';
import type { Comment, DockerfileAst, Heredoc, Instruction, ParseOptions, TextRange } from './types';

export function parseDockerfile(text: string, options: ParseOptions = {}): DockerfileAst {
  const source = typeof text === 'string' ? text : String(text ?? '');
  try {
    return new DockerfileParser(source, options).parse();
  } catch (error) {
    // A parser bug must never take the language server down with it.
    return {
      text: source,
      escapeChar: '\\',
      directives: [],
      instructions: [],
      comments: [],
      problems: [
        {
          code: 'internal-error',
          message: `internal parser error: ${error instanceof Error ? error.message : String(error)}`,
          range: { start: 0, end: 0 },
          severity: 'error',
        },
      ],
      lineIndex: new LineIndex(source),
    };
  }
}

/**
 * What the parser remembers about the top-level instructions of a tree it
 * made, for a later incremental parse: per instruction, in order, the start of
 * its first line and the start of the line after its last one (heredoc bodies
 * included; the text length at the end); for the few instructions with
 * problems or comments, the problems found while parsing it
 * (`ast.problems[problemsFrom, problemsTo)`) and how many comments it holds
 * (above it and between its lines); and the `heredocs` option the tree was
 * parsed with. Arrays per tree: cheaper than an entry per instruction in a weak
 * map, and read without touching the instructions (an incremental parse need
 * not look at an instruction without comments that it takes as it is). Plain
 * arrays of small integers, not typed arrays: each typed array has a buffer
 * of its own outside the heap, which cost a 20-line parse a fifth of its time
 * to make and collect; and two numbers per instruction, not five (a push
 * each cost a 200-line parse 1%).
 */
class LineRecords {
  readonly lineStarts: number[] = [];
  readonly nextLineStarts: number[] = [];
  /** Four numbers per instruction with problems or comments, in order: its index, problemsFrom, problemsTo, comments (`NONE` until there is one). */
  extras: number[] = NONE;

  constructor(readonly heredocs: boolean) {}
}

/**
 * The key of a tree's `LineRecords`, a property of the tree itself: in a
 * WeakMap keyed by the tree, V8's young-generation collections kept every
 * tree's records alive (whatever became of the tree), which cost a parse of
 * a small file 6% and of a large one 3%.
 */
const RECORDS: unique symbol = Symbol('line records');

/** A tree made by `parseDockerfile`, with its records (the fallback tree of an internal error has none). */
interface RecordedAst extends DockerfileAst {
  readonly [RECORDS]?: LineRecords;
}

function recordsOf(ast: DockerfileAst): LineRecords | undefined {
  return (ast as RecordedAst)[RECORDS];
}

/**
 * For each top-level instruction of a tree made by `parseDockerfile`, in order:
 * where the line after its last line (heredoc bodies included) starts.
 */
export function instructionLineEnds(ast: DockerfileAst): ArrayLike<number> | undefined {
  return recordsOf(ast)?.nextLineStarts;
}

/**
 * Where an incremental parse may take instructions from the previous tree: the
 * previous text agrees with this one on `prefix` code units at the start and
 * `suffix` at the end; text after the edit moved by `shift`.
 */
interface Reuse {
  previous: DockerfileAst;
  records: LineRecords;
  prefix: number;
  suffix: number;
  shift: number;
  /** Index of the next previous instruction to consider (the parser moves forward only). */
  next: number;
  /** Index in `records.extras` of the first entry not before `next`'s (as `next`, it moves forward only). */
  extra: number;
}

/**
 * Where each piece of the instruction being parsed starts and ends: scratch
 * arrays shared by every parse (two arrays less to make for each), kept
 * between instructions up to `SCRATCH_KEPT` pieces.
 */
const SEGMENT_STARTS: number[] = [];
const SEGMENT_ENDS: number[] = [];
const SCRATCH_KEPT = 1024;

class DockerfileParser {
  private readonly lines: PhysicalLines;
  private readonly ast: DockerfileAst;
  private readonly directives: DirectiveScanner;
  /** Comments BuildKit would attach to the next instruction (`NONE` until there is one). */
  private pendingComments: Comment[] = NONE;
  private readonly reuse: Reuse | undefined;
  private readonly records: LineRecords;
  /** What `parseInstructionText` needs to know of the parse (one object for every instruction). */
  private readonly context: InstructionParseContext;
  /** Moves the instructions after the edit (one for the whole parse: the shift is the same for all). */
  private relocator: Relocator | undefined;

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
  ) {
    // Read only while this parse runs: in the arrays every parse shares.
    this.lines = new PhysicalLines(text, true);
    const heredocs = options.heredocs !== false;
    this.records = new LineRecords(heredocs);
    const ast: RecordedAst = {
      text,
      escapeChar: '\\',
      directives: [],
      instructions: [],
      comments: [],
      problems: [],
      lineIndex: new LineIndex(text, this.lines.lspLineStarts()),
      [RECORDS]: this.records,
    };
    this.ast = ast;
    this.directives = new DirectiveScanner(this.ast.directives, this.ast.problems);
    this.context = { escapeChar: '\\', problems: this.ast.problems };
    const previous = options.previous;
    const records = previous && recordsOf(previous);
    if (previous && records && records.heredocs === heredocs) {
      const prefix = commonPrefix(previous.text, text);
      const suffix = commonSuffix(previous.text, text, Math.min(previous.text.length, text.length) - prefix);
      this.reuse = { previous, records, prefix, suffix, shift: text.length - previous.text.length, next: 0, extra: 0 };
    }
  }

  parse(): DockerfileAst {
    const { text, lines } = this;
    let line = 0;
    while (line < lines.count) {
      const lineStart = lines.starts[line];
      const end = lines.contentEnds[line];
      const contentStart = skipUnicodeSpaces(text, lineStart, end);
      if (this.directives.scanning && this.directives.scanLine(text, lineStart, contentStart, end, line === 0)) {
        this.ast.escapeChar = this.directives.escapeChar;
        line++;
        continue;
      }
      if (contentStart < end && text.charCodeAt(contentStart) === 0x23 /* # */) {
        const comment = this.comment(contentStart, end, false);
        // An empty `#` line cuts the comments attached to the next instruction, as in BuildKit.
        if (comment.text === '') this.pendingComments = NONE;
        else if (this.pendingComments === NONE) this.pendingComments = [comment];
        else this.pendingComments.push(comment);
        line++;
        continue;
      }
      if (contentStart >= end) {
        line++;
        continue;
      }
      line = this.reused(line, lineStart) ?? this.instruction(line, contentStart);
    }
    return this.ast;
  }

  /**
   * Takes the instruction starting on `line` (at `lineStart`) from the previous
   * tree when its text (and all text before it, or all text after it) did not
   * change, so parsing it again would give the same instruction; returns the
   * next line to look at, or undefined to parse the instruction.
   */
  private reused(line: number, lineStart: number): number | undefined {
    const reuse = this.reuse;
    if (!reuse || reuse.previous.escapeChar !== this.ast.escapeChar) return undefined;
    const previousLength = reuse.previous.text.length;
    // Before the edit the offsets are the same; after it, they moved by `shift`.
    const before = lineStart < reuse.prefix;
    const previousStart = before ? lineStart : lineStart - reuse.shift;
    if (!before && previousStart < previousLength - reuse.suffix) return undefined;
    const { lineStarts, nextLineStarts, extras } = reuse.records;
    const count = lineStarts.length;
    while (reuse.next < count && lineStarts[reuse.next]! < previousStart) reuse.next++;
    const index = reuse.next;
    const candidate = reuse.previous.instructions[index];
    if (!candidate || lineStarts[index] !== previousStart) return undefined;
    const previousNext = nextLineStarts[index]!;
    // Before the edit, its lines up to the next one must all be unchanged, and not run to the end of the text (where more text would continue them).
    if (before && !(previousNext <= reuse.prefix && previousNext < previousLength)) return undefined;
    const shift = before ? 0 : reuse.shift;
    while (reuse.extra < extras.length && extras[reuse.extra]! < index) reuse.extra += 4;
    const extra = reuse.extra < extras.length && extras[reuse.extra] === index ? reuse.extra : -1;
    const comments = extra < 0 ? 0 : extras[extra + 3]!;
    // The comments above it are taken from this text, and must be the ones it had.
    const commented = comments > 0;
    if ((commented || this.pendingComments.length > 0) && !sameComments(candidate.comments, this.pendingComments, shift)) return undefined;
    const relocator = shift === 0 ? undefined : (this.relocator ??= new Relocator(shift));
    const instruction = relocator ? relocator.instruction(candidate, this.pendingComments) : candidate;
    this.pendingComments = NONE;
    if (commented) for (const comment of instruction.innerComments) this.ast.comments.push(comment);
    const problemsAt = this.ast.problems.length;
    const problemsTo = extra < 0 ? 0 : extras[extra + 2]!;
    for (let i = extra < 0 ? 0 : extras[extra + 1]!; i < problemsTo; i++) {
      const problem = reuse.previous.problems[i]!;
      this.ast.problems.push(relocator ? relocator.problem(problem) : problem);
    }
    this.ast.instructions.push(instruction);
    const nextLineStart = previousNext + shift;
    this.record(lineStart, nextLineStart, problemsAt, comments);
    reuse.next++;
    return this.lineAt(nextLineStart, line);
  }

  private record(lineStart: number, nextLineStart: number, problemsFrom: number, comments: number): void {
    const records = this.records;
    records.lineStarts.push(lineStart);
    records.nextLineStarts.push(nextLineStart);
    const problemsTo = this.ast.problems.length;
    if (problemsTo > problemsFrom || comments > 0) {
      if (records.extras === NONE) records.extras = [];
      records.extras.push(records.lineStarts.length - 1, problemsFrom, problemsTo, comments);
    }
  }

  /** Index of the physical line starting at `offset` (the line count at the end of the text), looking from line `from` on (an instruction has few lines: a walk beats a binary search). */
  private lineAt(offset: number, from: number): number {
    const starts = this.lines.starts;
    let line = from;
    const count = this.lines.count;
    while (line < count && starts[line]! < offset) line++;
    return line;
  }

  private comment(hashIndex: number, end: number, insideInstruction: boolean): Comment {
    const textStart = skipUnicodeSpaces(this.text, hashIndex + 1, end);
    const textEnd = trimUnicodeSpacesEnd(this.text, textStart, end);
    const comment: Comment = {
      text: this.text.slice(textStart, textEnd),
      range: { start: hashIndex, end },
      insideInstruction,
    };
    this.ast.comments.push(comment);
    return comment;
  }

  /** Index of the escape character that continues [start, end), or -1. */
  private continuationIndex(start: number, end: number): number {
    return continuationEscapeIndex(this.text, start, end, this.ast.escapeChar.charCodeAt(0));
  }

  /** Parses the instruction starting on `firstLine`; returns the next line to look at. */
  private instruction(firstLine: number, contentStart: number): number {
    const { text, lines } = this;
    const segmentStarts = SEGMENT_STARTS;
    const segmentEnds = SEGMENT_ENDS;
    const problemsBefore = this.ast.problems.length;
    // Most instructions have neither: the shared empty array until one is found.
    let innerComments: Comment[] = NONE;
    let emptyLines: TextRange[] = NONE;

    let end = lines.contentEnds[firstLine]!;
    let continuation = this.continuationIndex(contentStart, end);
    segmentStarts[0] = contentStart;
    segmentEnds[0] = continuation >= 0 ? continuation : end;
    let segments = 1;
    let lastEnd = end;
    let line = firstLine + 1;
    while (continuation >= 0 && line < lines.count) {
      const lineStart = lines.starts[line]!;
      end = lines.contentEnds[line]!;
      const firstNonSpace = skipUnicodeSpaces(text, lineStart, end);
      if (firstNonSpace < end && text.charCodeAt(firstNonSpace) === 0x23) {
        if (innerComments === NONE) innerComments = [];
        innerComments.push(this.comment(firstNonSpace, end, true));
        lastEnd = end;
      } else if (firstNonSpace >= end) {
        if (emptyLines === NONE) emptyLines = [];
        emptyLines.push({ start: lineStart, end });
      } else {
        continuation = this.continuationIndex(lineStart, end);
        segmentStarts[segments] = lineStart;
        segmentEnds[segments] = continuation >= 0 ? continuation : end;
        segments++;
        lastEnd = end;
      }
      line++;
    }

    const logical = LogicalLine.join(text, segmentStarts, segmentEnds, segments);
    // An instruction continued over thousands of lines: do not hold on to that much scratch space.
    if (segments > SCRATCH_KEPT) SEGMENT_STARTS.length = SEGMENT_ENDS.length = 0;
    const context = this.context;
    context.escapeChar = this.ast.escapeChar;
    const instruction = parseInstructionText(logical, 0, logical.text.length, context);
    instruction.comments = this.pendingComments;
    this.pendingComments = NONE;
    instruction.innerComments = innerComments;
    instruction.emptyContinuationLines = emptyLines;

    const heredocOwner = this.heredocOwner(instruction);
    if (heredocOwner && logical.text.includes('<<')) {
      const result = this.heredocs(logical, line);
      heredocOwner.heredocs = result.heredocs;
      line = result.nextLine;
      if (result.end > lastEnd) lastEnd = result.end;
      if (heredocOwner !== instruction && result.end > heredocOwner.range.end) {
        heredocOwner.range = { start: heredocOwner.range.start, end: result.end };
      }
    }

    instruction.range = { start: instruction.keywordRange.start, end: Math.max(lastEnd, instruction.keywordRange.end) };
    instruction.variables = collectInstructionVariables(instruction, text, this.ast.escapeChar);
    for (let trigger = instruction.trigger; trigger; trigger = trigger.trigger) {
      trigger.variables = collectInstructionVariables(trigger, text, this.ast.escapeChar);
    }
    this.ast.instructions.push(instruction);
    this.record(lines.starts[firstLine]!, line < lines.count ? lines.starts[line]! : text.length, problemsBefore, instruction.comments.length + innerComments.length);
    return line;
  }

  /** The instruction that can carry heredocs: RUN/COPY/ADD in shell form, or such an ONBUILD trigger. */
  private heredocOwner(instruction: Instruction): Instruction | undefined {
    if (this.options.heredocs === false) return undefined;
    const candidate = instruction.name === 'ONBUILD' ? instruction.trigger : instruction;
    if (!candidate || candidate.form === 'exec') return undefined;
    const name = candidate.name;
    if (name !== 'RUN' && name !== 'COPY' && name !== 'ADD') return undefined;
    return candidate;
  }

  private heredocs(logical: LogicalLine, line: number): { heredocs: Heredoc[]; nextLine: number; end: number } {
    const { text, lines } = this;
    const scan = findHeredocMarkers(logical.text, 0, logical.text.length);
    for (const invalid of scan.invalid) {
      this.ast.problems.push({
        code: 'invalid-heredoc',
        message: invalid.message,
        range: logical.sourceRange(invalid.start, invalid.end),
        severity: 'error',
      });
    }
    const heredocs: Heredoc[] = [];
    let end = 0;
    let unterminated = false;
    for (const marker of scan.markers) {
      const body = readHeredocBody(text, lines, line, marker.name, marker.stripLeadingTabs);
      line = body.nextLine;
      const heredoc: Heredoc = {
        name: marker.name,
        marker: logical.token(marker.wordStart, marker.wordEnd),
        nameRange: logical.sourceRange(marker.delimiterStart, marker.wordEnd),
        stripLeadingTabs: marker.stripLeadingTabs,
        quoted: marker.quoted,
        bodyRange: { start: body.bodyStart, end: body.bodyEnd },
        content: body.content,
      };
      if (marker.fileDescriptor !== undefined) heredoc.fileDescriptor = marker.fileDescriptor;
      if (body.terminatorStart !== undefined && body.terminatorEnd !== undefined) {
        heredoc.terminatorRange = { start: body.terminatorStart, end: body.terminatorEnd };
        end = Math.max(end, body.terminatorEnd);
      } else if (!unterminated) {
        // Later heredocs of the instruction cannot be terminated either (the
        // file has ended); like BuildKit, report the first one only.
        unterminated = true;
        end = Math.max(end, lastContentEnd(text, body.bodyEnd));
        this.ast.problems.push({
          code: 'unterminated-heredoc',
          message: `unterminated heredoc: no line '${marker.name}' ends it`,
          range: heredoc.marker.range,
          severity: 'error',
        });
      }
      heredocs.push(heredoc);
    }
    return { heredocs, nextLine: line, end };
  }
}

/** Whether `previous` (from a text where they started `shift` code units earlier) are the comments `current`. */
function sameComments(previous: readonly Comment[], current: readonly Comment[], shift: number): boolean {
  if (previous.length !== current.length) return false;
  // A loop, not `every` and its closure: this runs for each commented instruction taken from the previous tree.
  for (let i = 0; i < previous.length; i++) {
    const comment = previous[i]!;
    const other = current[i]!;
    if (comment.text !== other.text || comment.range.start + shift !== other.range.start || comment.range.end + shift !== other.range.end || comment.insideInstruction !== other.insideInstruction) return false;
  }
  return true;
}

/** `end` without a trailing line break, so a range does not swallow the final newline. */
function lastContentEnd(text: string, end: number): number {
  while (end > 0 && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
  return end;
}
