/**
 * Document symbols (the outline): one symbol per stage, named after the stage
 * (`AS name`) or `stage N`, with the base image as detail and the stage's
 * instructions as children; ARG and other instructions before the first FROM
 * sit at the top level. ARG, ENV and LABEL instructions get a child per
 * declared name, so "Go to Symbol" finds a variable or label by its name.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { DockerfileModel, Instruction, Stage, TextRange } from '../dockerfile';

/** Longest detail shown next to a symbol before it is cut with an ellipsis. */
const MAX_DETAIL_LENGTH = 60;

export function dockerfileDocumentSymbols(document: TextDocument, model: DockerfileModel): DocumentSymbol[] {
  const toRange = (range: TextRange): Range => ({ start: document.positionAt(range.start), end: document.positionAt(range.end) });
  const symbols: DocumentSymbol[] = [];
  const firstStageStart = model.stages[0]?.from.range.start ?? Number.POSITIVE_INFINITY;
  for (const instruction of model.ast.instructions) {
    if (instruction.range.start >= firstStageStart) break;
    const symbol = instructionSymbol(instruction, toRange);
    if (symbol) symbols.push(symbol);
  }
  for (const stage of model.stages) symbols.push(stageSymbol(stage, toRange));
  return symbols;
}

function stageSymbol(stage: Stage, toRange: (range: TextRange) => Range): DocumentSymbol {
  const from = stage.from;
  const selection = stage.nameToken?.range ?? stage.base.token?.range ?? from.keywordRange;
  const children: DocumentSymbol[] = [];
  for (const instruction of stage.instructions) {
    if (instruction === from) continue;
    const symbol = instructionSymbol(instruction, toRange);
    if (symbol) children.push(symbol);
  }
  return {
    name: stage.nameToken?.value || `stage ${stage.index}`,
    detail: shorten(stage.base.raw),
    kind: SymbolKind.Class,
    range: toRange(stage.range),
    selectionRange: toRange(selection),
    children,
  };
}

function instructionSymbol(instruction: Instruction, toRange: (range: TextRange) => Range): DocumentSymbol | undefined {
  // A lone escape character continued into nothing has no keyword; editors reject empty names.
  const name = instruction.known ? instruction.name : instruction.keyword;
  if (name.trim() === '') return undefined;
  const symbol: DocumentSymbol = {
    name,
    detail: shorten(argumentsText(instruction)),
    kind: instructionKind(instruction.name),
    range: toRange(instruction.range),
    selectionRange: toRange(instruction.keywordRange),
  };
  if (instruction.name === 'ARG' || instruction.name === 'ENV' || instruction.name === 'LABEL') {
    const children: DocumentSymbol[] = [];
    for (const pair of instruction.keyValues ?? []) {
      if (pair.key.value.trim() === '') continue;
      children.push({
        name: pair.key.value,
        detail: pair.value ? shorten(pair.value.value) : '',
        kind: instruction.name === 'LABEL' ? SymbolKind.Property : SymbolKind.Variable,
        range: toRange(pair.range),
        selectionRange: toRange(pair.key.range),
      });
    }
    if (children.length > 0) symbol.children = children;
  }
  return symbol;
}

function instructionKind(name: string): SymbolKind {
  switch (name) {
    case 'ARG':
    case 'ENV':
      return SymbolKind.Variable;
    case 'LABEL':
    case 'MAINTAINER':
      return SymbolKind.Property;
    case 'EXPOSE':
      return SymbolKind.Number;
    case 'ONBUILD':
      return SymbolKind.Event;
    default:
      return SymbolKind.Function;
  }
}

/** Everything after the keyword (flags included) on the joined logical line. */
function argumentsText(instruction: Instruction): string {
  const { start, end } = instruction.logicalRange;
  return instruction.logical.text.slice(start + instruction.keyword.length, end);
}

/** One line, runs of white space collapsed, cut at MAX_DETAIL_LENGTH with an ellipsis. */
function shorten(text: string): string {
  // A RUN can be thousands of characters long: only its start is shown.
  const long = text.length > 20 * MAX_DETAIL_LENGTH;
  const flat = (long ? text.slice(0, 20 * MAX_DETAIL_LENGTH) : text).replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_DETAIL_LENGTH && !long) return flat;
  if (flat.length <= MAX_DETAIL_LENGTH) return `${flat}…`;
  let cut = MAX_DETAIL_LENGTH - 1;
  // Do not split a UTF-16 surrogate pair.
  const code = flat.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${flat.slice(0, cut).trimEnd()}…`;
}
