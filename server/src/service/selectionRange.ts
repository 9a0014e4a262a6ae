/**
 * Selection ranges ("expand selection"): from the word under the cursor out
 * to the token, the flag or argument, the instruction, its stage and the whole
 * document. Inside a shell-form RUN/CMD/ENTRYPOINT (or a RUN heredoc body) the
 * script is read with the shell reader, so the steps also go through the
 * shell word, the command and the `&&` list.
 *
 * Every syntax node that contains the cursor is a candidate; the candidates
 * are ordered from the smallest out and each one is kept only when it
 * contains the previous one, so the chain is always properly nested.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import type { DockerfileModel, Instruction, TextRange } from '../dockerfile';
import { isUnicodeSpace } from '../dockerfile/characters';
import { parseShell, type CommandList, type Command, type ParsedScript, type Word, type WordPart } from '../shell';

export function dockerfileSelectionRanges(document: TextDocument, model: DockerfileModel, positions: Position[]): SelectionRange[] {
  const text = model.ast.text;
  const toRange = (range: TextRange): Range => ({ start: document.positionAt(range.start), end: document.positionAt(range.end) });
  return positions.map((position) => {
    const offset = document.offsetAt(position);
    const chain = selectionChain(model, text, offset);
    let selection: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      selection = selection ? { range: toRange(chain[i]), parent: selection } : { range: toRange(chain[i]) };
    }
    return selection ?? { range: { start: position, end: position } };
  });
}

/** Nested ranges around `offset`, innermost first. */
function selectionChain(model: DockerfileModel, text: string, offset: number): TextRange[] {
  const candidates: TextRange[] = [];
  const add = (range: TextRange | undefined) => {
    if (range && range.start <= offset && offset <= range.end && range.end > range.start) candidates.push(range);
  };

  for (const stage of model.stages) add(stage.range);

  const instruction = instructionAt(model, offset);
  if (instruction) addInstruction(instruction, text, offset, add);

  addComments(model, text, offset, add);

  candidates.sort((a, b) => a.end - a.start - (b.end - b.start) || b.start - a.start);
  const chain: TextRange[] = [];
  for (const candidate of candidates) {
    const last = chain[chain.length - 1];
    if (!last) chain.push(candidate);
    else if (candidate.start <= last.start && candidate.end >= last.end && (candidate.start < last.start || candidate.end > last.end)) {
      chain.push(candidate);
    }
  }
  // The plain word under the cursor, when it is finer than the innermost node.
  const word = wordAt(text, offset);
  const first = chain[0];
  if (word && (!first || (word.start >= first.start && word.end <= first.end && word.end - word.start < first.end - first.start))) {
    chain.unshift(word);
  }
  const whole = { start: 0, end: text.length };
  const outer = chain[chain.length - 1];
  if (!outer || outer.start > 0 || outer.end < text.length) chain.push(whole);
  return chain;
}

/** The top-level instruction whose range (heredoc bodies included) contains `offset`. */
function instructionAt(model: DockerfileModel, offset: number): Instruction | undefined {
  const instructions = model.ast.instructions;
  let low = 0;
  let high = instructions.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (instructions[mid].range.start <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  const instruction = found >= 0 ? instructions[found] : undefined;
  return instruction && offset <= instruction.range.end ? instruction : undefined;
}

type Add = (range: TextRange | undefined) => void;

function addInstruction(instruction: Instruction, text: string, offset: number, add: Add): void {
  const logical = instruction.logical;
  add(instruction.range);
  // The instruction's own lines, without heredoc bodies.
  add(logical.sourceRange(instruction.logicalRange.start, instruction.logicalRange.end));
  add(instruction.keywordRange);
  add(instruction.argsRange);

  for (const flag of instruction.flags) {
    add(flag.range);
    add(flag.nameRange);
    add(flag.valueRange);
    if (flag.valueLogicalRange) addFlagFields(instruction, flag.valueLogicalRange, add);
  }
  for (const arg of instruction.args) add(arg.range);
  for (const pair of instruction.keyValues ?? []) {
    add(pair.range);
    add(pair.key.range);
    add(pair.value?.range);
    if (pair.value) add(insideQuotes(text, pair.value.range));
  }
  const from = instruction.from;
  if (from) {
    add(from.image?.range);
    add(from.imageName?.range);
    add(from.imageTag?.range);
    add(from.imageDigest?.range);
    add(from.asKeyword?.range);
    add(from.stageName?.range);
  }
  if (instruction.json) {
    add(instruction.json.range);
    for (const element of instruction.json.elements) {
      add(element.range);
      add(insideQuotes(text, element.range));
    }
  }
  if (instruction.healthcheck) {
    add(instruction.healthcheck.type?.range);
    for (const token of instruction.healthcheck.command) add(token.range);
  }
  for (const heredoc of instruction.heredocs) {
    add(heredoc.marker.range);
    add(heredoc.nameRange);
    add(heredoc.terminatorRange);
    const body = withoutFinalLineBreak(text, heredoc.bodyRange);
    add(body);
    if (body.start <= offset && offset <= body.end) add(lineContent(text, offset));
  }
  for (const reference of instruction.variables) {
    add(reference.range);
    add(reference.nameRange);
    add(reference.modifierRange);
    add(reference.operand?.range);
  }
  addShell(instruction, text, offset, add);
  if (instruction.trigger) addInstruction(instruction.trigger, text, offset, add);
}

/** `--mount=type=cache,target=/x`: each comma-separated field, and its key and value. */
function addFlagFields(instruction: Instruction, range: TextRange, add: Add): void {
  const logical = instruction.logical;
  const value = logical.text;
  let fieldStart = range.start;
  for (let i = range.start; i <= range.end; i++) {
    if (i < range.end && value.charCodeAt(i) !== 0x2c /* , */) continue;
    if (i > fieldStart) {
      add(logical.sourceRange(fieldStart, i));
      let equals = fieldStart;
      while (equals < i && value.charCodeAt(equals) !== 0x3d /* = */) equals++;
      if (equals < i) {
        add(logical.sourceRange(fieldStart, equals));
        add(logical.sourceRange(equals + 1, i));
      }
    }
    fieldStart = i + 1;
  }
}

/** Shell words, commands and lists of a shell-form RUN/CMD/ENTRYPOINT, or of a RUN heredoc body. */
function addShell(instruction: Instruction, text: string, offset: number, add: Add): void {
  const name = instruction.name;
  if (name !== 'RUN' && name !== 'CMD' && name !== 'ENTRYPOINT') return;
  if (instruction.form !== 'shell') return;
  const line = instruction.args[0];
  if (line && line.range.start <= offset && offset <= line.range.end) {
    const base = line.logicalRange.start;
    const logical = instruction.logical;
    addScript(parseShell(line.value, { offsets: (i) => logical.sourceOffset(base + i) }), offset, add);
    return;
  }
  if (name !== 'RUN') return;
  for (const heredoc of instruction.heredocs) {
    const { start, end } = heredoc.bodyRange;
    // With `<<-` the body loses its leading tabs, so it is no verbatim slice of the document.
    if (heredoc.stripLeadingTabs || offset < start || offset > end) continue;
    addScript(parseShell(text.slice(start, end), { offsets: start }), offset, add);
  }
}

function addScript(script: ParsedScript, offset: number, add: Add): void {
  const contains = (range: TextRange) => range.start <= offset && offset <= range.end;
  const lists = (items: CommandList[]) => {
    for (const list of items) {
      if (!contains(list.docRange)) continue;
      add(list.docRange);
      for (const command of list.commands) visitCommand(command);
    }
  };
  const word = (item: Word | undefined) => {
    if (!item || !contains(item.docRange)) return;
    add(item.docRange);
    parts(item.parts);
  };
  const parts = (items: WordPart[]) => {
    for (const part of items) {
      // Unquoted literal text is no unit of its own (`curl=` in `curl="$V"`).
      if (part.kind === 'literal') continue;
      const range = script.toDocumentRange(part.range);
      if (!contains(range)) continue;
      add(range);
      switch (part.kind) {
        case 'double-quoted':
          add(betweenQuotes(script, part.range, range));
          parts(part.parts);
          break;
        case 'single-quoted':
          add(betweenQuotes(script, part.range, range));
          break;
        case 'parameter':
        case 'arithmetic':
          parts(part.parts);
          break;
        case 'command-substitution':
          lists(part.lists);
          break;
        default:
          break;
      }
    }
  };
  const visitCommand = (command: Command) => {
    if (!contains(command.docRange)) return;
    add(command.docRange);
    for (const redirect of command.redirects) {
      if (!contains(redirect.docRange)) continue;
      add(redirect.docRange);
      word(redirect.target);
    }
    if (command.type === 'simple') {
      word(command.name);
      for (const arg of command.args) word(arg);
      for (const assignment of command.assignments) {
        word(assignment.word);
        word(assignment.value);
      }
    } else {
      for (const item of command.words) word(item);
      for (const clause of command.clauses) {
        for (const pattern of clause.patterns) word(pattern);
        lists(clause.lists);
      }
    }
  };
  lists(script.lists);
}

/** Inside a quoted shell part; an unterminated one (being typed) runs to its end. */
function betweenQuotes(script: ParsedScript, scriptRange: TextRange, range: TextRange): TextRange {
  const quote = script.text[scriptRange.start];
  const closed = scriptRange.end - scriptRange.start >= 2 && script.text[scriptRange.end - 1] === quote;
  return { start: range.start + 1, end: closed ? range.end - 1 : range.end };
}

/** Comments and directives under the cursor, and the block of comment lines around them. */
function addComments(model: DockerfileModel, text: string, offset: number, add: Add): void {
  const lines: TextRange[] = [];
  for (const directive of model.ast.directives) {
    lines.push(directive.range);
    if (directive.range.start <= offset && offset <= directive.range.end) {
      add(directive.range);
      add(directive.nameRange);
      add(directive.valueRange);
    }
  }
  for (const comment of model.ast.comments) lines.push(comment.range);
  lines.sort((a, b) => a.start - b.start);
  const index = lines.findIndex((line) => line.start <= offset && offset <= line.end);
  if (index < 0) return;
  const line = lines[index];
  add(line);
  const afterHash = skipSpaces(text, line.start + 1, line.end);
  add({ start: afterHash, end: line.end });
  // Extend over comment lines directly above and below (nothing but white space between).
  let first = index;
  while (first > 0 && onlySpaceBetween(text, lines[first - 1].end, lines[first].start)) first--;
  let last = index;
  while (last < lines.length - 1 && onlySpaceBetween(text, lines[last].end, lines[last + 1].start)) last++;
  if (first < last) add({ start: lines[first].start, end: lines[last].end });
}

/** True when [from, to) holds exactly one line break and otherwise only spaces and tabs. */
function onlySpaceBetween(text: string, from: number, to: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) breaks++;
    else if (code === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      breaks++;
    } else if (code !== 0x20 && code !== 0x09) return false;
  }
  return breaks === 1;
}

function skipSpaces(text: string, from: number, to: number): number {
  while (from < to && (text.charCodeAt(from) === 0x20 || text.charCodeAt(from) === 0x09)) from++;
  return from;
}

/** The part between a token's quotes, when the token is one quoted string. */
function insideQuotes(text: string, range: TextRange): TextRange | undefined {
  if (range.end - range.start < 2) return undefined;
  const open = text.charCodeAt(range.start);
  if ((open !== 0x22 && open !== 0x27) || text.charCodeAt(range.end - 1) !== open) return undefined;
  return { start: range.start + 1, end: range.end - 1 };
}

function withoutFinalLineBreak(text: string, range: TextRange): TextRange {
  let end = range.end;
  while (end > range.start && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
  return { start: range.start, end };
}

/** The non-blank content of the line holding `offset`. */
function lineContent(text: string, offset: number): TextRange {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 0x0a && text.charCodeAt(start - 1) !== 0x0d) start--;
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
  start = skipSpaces(text, start, end);
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return { start, end };
}

/** Letters, digits and `_ . - / @ +` around `offset`, on its line. */
function wordAt(text: string, offset: number): TextRange | undefined {
  const isWordChar = (code: number) =>
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f || code === 0x2e || code === 0x2d || code === 0x2f || code === 0x40 || code === 0x2b ||
    (code > 0x7f && !isUnicodeSpace(code));
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return end > start ? { start, end } : undefined;
}
