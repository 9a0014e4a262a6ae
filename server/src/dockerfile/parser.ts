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

import { skipUnicodeSpaces, trimUnicodeSpacesEnd } from './characters';
import { DirectiveScanner } from './directives';
import { findHeredocMarkers, readHeredocBody } from './heredocs';
import { parseInstructionText } from './instructionArgs';
import { collectInstructionVariables } from './instructionVariables';
import { LineIndex } from './lineIndex';
import { LogicalLine } from './logicalLine';
import { PhysicalLines } from './physicalLines';
import type { Comment, DockerfileAst, Heredoc, Instruction, ParseOptions, TextRange } from './types';

const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);

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

class DockerfileParser {
  private readonly lines: PhysicalLines;
  private readonly ast: DockerfileAst;
  private readonly directives: DirectiveScanner;
  /** Comments BuildKit would attach to the next instruction. */
  private pendingComments: Comment[] = [];

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
  ) {
    this.lines = new PhysicalLines(text);
    this.ast = {
      text,
      escapeChar: '\\',
      directives: [],
      instructions: [],
      comments: [],
      problems: [],
      lineIndex: new LineIndex(text),
    };
    this.directives = new DirectiveScanner(this.ast.directives, this.ast.problems);
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
        if (comment.text === '') this.pendingComments = [];
        else this.pendingComments.push(comment);
        line++;
        continue;
      }
      if (contentStart >= end) {
        line++;
        continue;
      }
      line = this.instruction(line, contentStart);
    }
    return this.ast;
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
    const text = this.text;
    let last = end;
    while (last > start) {
      const code = text.charCodeAt(last - 1);
      if (code !== 0x20 && code !== 0x09) break;
      last--;
    }
    if (last === start) return -1;
    const escape = this.ast.escapeChar.charCodeAt(0);
    const escapeIndex = last - 1;
    if (text.charCodeAt(escapeIndex) !== escape) return -1;
    if (escapeIndex > start && text.charCodeAt(escapeIndex - 1) === escape) return -1;
    return escapeIndex;
  }

  /** Parses the instruction starting on `firstLine`; returns the next line to look at. */
  private instruction(firstLine: number, contentStart: number): number {
    const { text, lines } = this;
    const segments: Array<[number, number]> = [];
    const innerComments: Comment[] = [];
    const emptyLines: TextRange[] = [];

    let end = lines.contentEnds[firstLine];
    let continuation = this.continuationIndex(contentStart, end);
    segments.push([contentStart, continuation >= 0 ? continuation : end]);
    let lastEnd = end;
    let line = firstLine + 1;
    while (continuation >= 0 && line < lines.count) {
      const lineStart = lines.starts[line];
      end = lines.contentEnds[line];
      const firstNonSpace = skipUnicodeSpaces(text, lineStart, end);
      if (firstNonSpace < end && text.charCodeAt(firstNonSpace) === 0x23) {
        innerComments.push(this.comment(firstNonSpace, end, true));
        lastEnd = end;
      } else if (firstNonSpace >= end) {
        emptyLines.push({ start: lineStart, end });
      } else {
        continuation = this.continuationIndex(lineStart, end);
        segments.push([lineStart, continuation >= 0 ? continuation : end]);
        lastEnd = end;
      }
      line++;
    }

    const logical = LogicalLine.build(text, segments);
    const instruction = parseInstructionText(logical, 0, logical.text.length, {
      escapeChar: this.ast.escapeChar,
      problems: this.ast.problems,
    });
    instruction.comments = this.pendingComments;
    this.pendingComments = [];
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
    return line;
  }

  /** The instruction that can carry heredocs: RUN/COPY/ADD in shell form, or such an ONBUILD trigger. */
  private heredocOwner(instruction: Instruction): Instruction | undefined {
    if (this.options.heredocs === false) return undefined;
    const candidate = instruction.name === 'ONBUILD' ? instruction.trigger : instruction;
    if (!candidate || !HEREDOC_INSTRUCTIONS.has(candidate.name) || candidate.form === 'exec') return undefined;
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

/** `end` without a trailing line break, so a range does not swallow the final newline. */
function lastContentEnd(text: string, end: number): number {
  while (end > 0 && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
  return end;
}
