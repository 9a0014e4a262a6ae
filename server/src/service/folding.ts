/**
 * Folding ranges: each stage (FROM to its last instruction), each instruction
 * spanning several lines (continuations, heredocs), each heredoc body (from
 * the line before the body to its last line, so the terminator stays visible),
 * and each block of two or more consecutive comment lines (parser directives
 * count as comment lines).
 *
 * Editors use one fold per start line: when several candidates start on the
 * same line, the widest one is kept.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DockerfileModel, Instruction, TextRange } from '../dockerfile';

export interface FoldingOptions {
  /** The most ranges the client wants (LSP `FoldingRangeClientCapabilities.rangeLimit`). */
  rangeLimit?: number;
}

export function dockerfileFoldingRanges(document: TextDocument, model: DockerfileModel, options: FoldingOptions = {}): FoldingRange[] {
  const text = model.ast.text;
  const lineOf = (offset: number) => document.positionAt(offset).line;
  /** Line of the last character of [start, end), ignoring line breaks at its end. */
  const lastLineOf = (range: TextRange) => {
    let end = range.end;
    while (end > range.start && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
    return lineOf(end);
  };
  const candidates: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine) return;
    candidates.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };

  for (const stage of model.stages) add(lineOf(stage.range.start), lastLineOf(stage.range));

  const addInstruction = (instruction: Instruction) => {
    add(lineOf(instruction.range.start), lastLineOf(instruction.range));
    const owner = instruction.trigger ?? instruction;
    for (const heredoc of owner.heredocs) {
      const bodyStartLine = lineOf(heredoc.bodyRange.start);
      if (heredoc.bodyRange.end <= heredoc.bodyRange.start) continue;
      add(bodyStartLine - 1, lastLineOf(heredoc.bodyRange));
    }
  };
  for (const instruction of model.ast.instructions) addInstruction(instruction);

  // Comment blocks: runs of consecutive comment (or directive) lines.
  const commentLines: number[] = [];
  for (const directive of model.ast.directives) commentLines.push(lineOf(directive.range.start));
  for (const comment of model.ast.comments) commentLines.push(lineOf(comment.range.start));
  commentLines.sort((a, b) => a - b);
  let blockStart = -1;
  let previous = -2;
  for (const line of commentLines) {
    if (line === previous) continue;
    if (line !== previous + 1) {
      if (blockStart >= 0) add(blockStart, previous, FoldingRangeKind.Comment);
      blockStart = line;
    }
    previous = line;
  }
  if (blockStart >= 0) add(blockStart, previous, FoldingRangeKind.Comment);

  candidates.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const result: FoldingRange[] = [];
  for (const range of candidates) {
    const last = result[result.length - 1];
    if (last && last.startLine === range.startLine) continue;
    result.push(range);
  }
  const limit = options.rangeLimit;
  if (limit !== undefined && Number.isFinite(limit) && limit >= 0 && result.length > limit) return outermost(result, limit);
  return result;
}

/**
 * The `limit` ranges nested least deeply (outer folds are the useful ones
 * when the client cannot take them all), in document order.
 */
function outermost(ranges: FoldingRange[], limit: number): FoldingRange[] {
  const depths: number[] = [];
  const open: FoldingRange[] = [];
  for (const range of ranges) {
    while (open.length > 0 && open[open.length - 1].endLine < range.startLine) open.pop();
    while (open.length > 0 && open[open.length - 1].endLine < range.endLine) open.pop();
    depths.push(open.length);
    open.push(range);
  }
  const order = ranges.map((_, index) => index).sort((a, b) => depths[a] - depths[b] || a - b);
  const kept = order.slice(0, Math.floor(limit)).sort((a, b) => a - b);
  return kept.map((index) => ranges[index]);
}
