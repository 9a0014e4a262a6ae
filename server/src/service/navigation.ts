/**
 * Go to definition, find references and document highlight for the two kinds
 * of named things a Dockerfile has: build stages and ARG/ENV variables. The
 * symbol index built here (what every name at every offset refers to) is
 * shared with hover and rename.
 *
 * Stages. A stage is declared by `FROM … AS name` and used by `FROM name`,
 * `COPY --from=name` / `ADD --from=name` and `RUN --mount=…,from=name`. Names
 * are compared case-insensitively, as Docker does. A numeric `--from=0` uses a
 * stage by its index: it links to the stage (definition, references,
 * highlight) but is not a name, so rename leaves it alone. A reference written
 * through a variable (`--from=$BUILDER`) links to the stage when the variable's
 * value is known.
 *
 * Variables. Every `$NAME` / `${NAME…}` the builder expands (FROM lines, flag
 * values, ENV/ARG/LABEL values, COPY/ADD/WORKDIR/USER/… arguments) and every
 * one the shell expands in shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK commands
 * and RUN here-documents is resolved with the model's scoping: the variable in
 * effect just before that instruction (ENV wins over ARG; FROM lines see the
 * global ARGs; a stage sees a global ARG only after `ARG NAME`; ARG and ENV
 * are inherited by stages built `FROM` the stage). A shell `$NAME` with no ARG/ENV
 * behind it (a loop variable, something from the base image) links nowhere.
 * ONBUILD triggers run in some later build, so their text links nowhere.
 *
 * One variable, several declarations. A symbol groups the declarations that
 * are the same variable, so references and rename see all of them:
 * - every global ARG of one name (re-declaring before the first FROM);
 * - a stage `ARG NAME` without a default that redeclares a global ARG joins
 *   the global one: renaming either renames both and every use of both, and
 *   "go to definition" on a use after the redeclaration lists the stage's ARG
 *   first, then the global ARG that supplies its value;
 * - repeated ARGs, or repeated ENVs, of one name in a stage and in the stages
 *   built from it (re-assignments of one variable);
 * - predefined ARGs (TARGETPLATFORM, HTTP_PROXY, …): one symbol per name
 *   across the file, including every `ARG TARGETARCH` that makes it visible.
 * An ARG and an ENV of the same name stay separate symbols (`ARG V` then
 * `ENV V=$V`: the `$V` is the ARG, later `$V`s are the ENV), as do a global ARG
 * and a stage ARG that gives its own default (`ARG V=2`, which does not take
 * the global value).
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type {
  DockerfileModel,
  Instruction,
  PredefinedArg,
  Stage,
  StageReference,
  TextRange,
  VariableBinding,
  VariableReference,
} from '../dockerfile';
import { predefinedArg } from '../dockerfile';

// ---- the symbol index --------------------------------------------------------

export interface VariableSymbol {
  kind: 'variable';
  name: string;
  /** Set when the builder defines this name (TARGETPLATFORM, HTTP_PROXY, …). */
  predefined?: PredefinedArg;
  /** Declarations in document order (empty for a predefined ARG never declared). */
  declarations: VariableBinding[];
}

export interface StageSymbol {
  kind: 'stage';
  stage: Stage;
}

export type DockerfileSymbol = VariableSymbol | StageSymbol;

/**
 * Why the text of an occurrence is not the symbol's name as written, so a
 * rename cannot rewrite it: a numeric stage index, a stage named through a
 * variable, or a declaration whose name is spelled indirectly.
 */
export type FixedReason = 'index' | 'indirect';

export interface Occurrence {
  /** Undefined for a variable reference that resolves to no ARG/ENV. */
  symbol: DockerfileSymbol | undefined;
  role: 'declaration' | 'reference';
  /** The name as it stands in the document (quotes excluded). */
  range: TextRange;
  /** The name as written here. */
  text: string;
  instruction: Instruction;
  /** Variables: the binding declared here, or the one a reference resolves to. */
  binding?: VariableBinding;
  /** Variable references: the `$NAME` / `${NAME…}` reference. */
  reference?: VariableReference;
  /** Stage references: the use recorded by the model. */
  stageReference?: StageReference;
  /** Set when a rename cannot rewrite this occurrence. */
  fixed?: FixedReason;
}

export interface SymbolIndex {
  /** Every occurrence, in document order. */
  occurrences: Occurrence[];
  /** `reach[i]`: the largest end among `occurrences[0..i]`, so a lookup by offset can stop early. */
  reach: Int32Array;
  /** Instruction indexes (ONBUILD triggers map to their ONBUILD); made on first use (rename needs it, hover does not). */
  readonly instructionIndex: Map<Instruction, number>;
  occurrencesOf(symbol: DockerfileSymbol): Occurrence[];
  stageSymbol(stage: Stage): StageSymbol;
}

const INDEXES = new WeakMap<DockerfileModel, SymbolIndex>();

/** The symbol index of a model, computed once per model. */
export function symbolIndex(model: DockerfileModel): SymbolIndex {
  let index = INDEXES.get(model);
  if (!index) {
    index = buildIndex(model);
    INDEXES.set(model, index);
  }
  return index;
}

/**
 * The occurrence at a document offset: the narrowest one containing it, else
 * one ending exactly there (a cursor just after a name) unless `strict` (hover,
 * where the offset is the character under the mouse).
 */
export function occurrenceAt(model: DockerfileModel, offset: number, strict = false): Occurrence | undefined {
  const { occurrences, reach } = symbolIndex(model);
  // The last occurrence starting at or before the offset, then back while an earlier one may still reach it.
  let low = 0;
  let high = occurrences.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (occurrences[mid]!.range.start <= offset) low = mid + 1;
    else high = mid;
  }
  let best: Occurrence | undefined;
  let touching: Occurrence | undefined;
  // Ties go to the earlier occurrence in document order.
  for (let i = low - 1; i >= 0 && reach[i]! >= offset; i--) {
    const occurrence = occurrences[i]!;
    const { start, end } = occurrence.range;
    if (offset < end) {
      if (!best || end - start <= best.range.end - best.range.start) best = occurrence;
    } else if (!strict && end === offset && start < end) {
      touching = occurrence;
    }
  }
  return best ?? touching;
}

/** Declaration key of a binding: its key token, or the predefined name. */
function bindingKey(binding: VariableBinding): string {
  return binding.pair ? `d${binding.pair.key.range.start}` : `p:${binding.name}`;
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(key: string): string {
    let root = key;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) root = next;
    if (!this.parent.has(key)) this.parent.set(key, key);
    // Path compression.
    for (let node = key; node !== root; ) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }
}

function indexInstructions(model: DockerfileModel): Map<Instruction, number> {
  const instructionIndex = new Map<Instruction, number>();
  model.ast.instructions.forEach((instruction, i) => {
    instructionIndex.set(instruction, i);
    for (let trigger = instruction.trigger; trigger; trigger = trigger.trigger) instructionIndex.set(trigger, i);
  });
  return instructionIndex;
}

function buildIndex(model: DockerfileModel): SymbolIndex {
  const text = model.ast.text;

  // Which declarations are one variable.
  const groups = new UnionFind();
  const declarations: VariableBinding[] = [...model.globalArgs];
  for (const binding of model.globalArgs) {
    groups.union(`g:${binding.name}`, bindingKey(binding));
  }
  for (const stage of model.stages) {
    for (const binding of stage.args) {
      declarations.push(binding);
      groups.union(`a${stage.index}:${binding.name}`, bindingKey(binding));
      if (binding.global) groups.union(bindingKey(binding.global), bindingKey(binding));
      // BuildKit lets a stage built FROM another see that stage's ARGs: a redeclaration there is the same one.
      for (let base = stage.base.stage; base; base = base.base.stage) {
        if (base.args.some((arg) => arg.name === binding.name)) {
          groups.union(`a${base.index}:${binding.name}`, bindingKey(binding));
          break;
        }
      }
    }
    for (const binding of stage.env) {
      declarations.push(binding);
      groups.union(`e${stage.index}:${binding.name}`, bindingKey(binding));
      for (let base = stage.base.stage; base; base = base.base.stage) {
        if (base.env.some((env) => env.name === binding.name)) {
          groups.union(`e${base.index}:${binding.name}`, bindingKey(binding));
          break;
        }
      }
    }
  }
  for (const binding of declarations) {
    if (binding.predefined) groups.union(`p:${binding.name}`, bindingKey(binding));
  }
  declarations.sort((a, b) => (a.pair?.key.range.start ?? 0) - (b.pair?.key.range.start ?? 0));

  const variableSymbols = new Map<string, VariableSymbol>();
  const variableSymbol = (binding: VariableBinding): VariableSymbol => {
    const root = groups.find(bindingKey(binding));
    let symbol = variableSymbols.get(root);
    if (!symbol) {
      symbol = { kind: 'variable', name: binding.name, declarations: [] };
      const predefined = binding.predefined ?? (groups.find(`p:${binding.name}`) === root ? predefinedArg(binding.name) : undefined);
      if (predefined) symbol.predefined = predefined;
      variableSymbols.set(root, symbol);
    }
    return symbol;
  };

  const occurrences: Occurrence[] = [];
  for (const binding of declarations) {
    const symbol = variableSymbol(binding);
    symbol.declarations.push(binding);
    const pair = binding.pair;
    const instruction = binding.instruction;
    if (!pair || !instruction) continue;
    const located = locateName(text, pair.key.range, binding.name, false);
    const occurrence: Occurrence = {
      symbol,
      role: 'declaration',
      range: located ?? pair.key.range,
      text: located ? binding.name : text.slice(pair.key.range.start, pair.key.range.end),
      instruction,
      binding,
    };
    if (!located) occurrence.fixed = 'indirect';
    occurrences.push(occurrence);
  }

  for (const instruction of model.ast.instructions) {
    for (const reference of instruction.variables) {
      const binding = model.lookupVariable(reference.name, instruction);
      const occurrence: Occurrence = {
        symbol: binding ? variableSymbol(binding) : undefined,
        role: 'reference',
        range: reference.nameRange,
        text: reference.name,
        instruction,
        reference,
      };
      if (binding) occurrence.binding = binding;
      occurrences.push(occurrence);
    }
  }

  const stageSymbols = new Map<Stage, StageSymbol>();
  const stageSymbol = (stage: Stage): StageSymbol => {
    let symbol = stageSymbols.get(stage);
    if (!symbol) {
      symbol = { kind: 'stage', stage };
      stageSymbols.set(stage, symbol);
    }
    return symbol;
  };
  for (const stage of model.stages) {
    const symbol = stageSymbol(stage);
    if (stage.nameToken && stage.name !== undefined) {
      const located = locateName(text, stage.nameToken.range, stage.name, true);
      const occurrence: Occurrence = {
        symbol,
        role: 'declaration',
        range: located ?? stage.nameToken.range,
        text: text.slice((located ?? stage.nameToken.range).start, (located ?? stage.nameToken.range).end),
        instruction: stage.from,
      };
      if (!located) occurrence.fixed = 'indirect';
      occurrences.push(occurrence);
    }
    for (const use of stage.usedBy) {
      const located = stage.name === undefined ? undefined : locateName(text, use.range, stage.name, true);
      const range = located ?? unquoted(text, use.range);
      const occurrence: Occurrence = {
        symbol,
        role: 'reference',
        range,
        text: text.slice(range.start, range.end),
        instruction: use.instruction,
        stageReference: use,
      };
      if (!located) occurrence.fixed = /^[0-9]+$/.test(occurrence.text) ? 'index' : 'indirect';
      occurrences.push(occurrence);
    }
  }

  occurrences.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const reach = new Int32Array(occurrences.length);
  let furthest = -1;
  occurrences.forEach((occurrence, i) => {
    furthest = Math.max(furthest, occurrence.range.end);
    reach[i] = furthest;
  });
  const bySymbol = new Map<DockerfileSymbol, Occurrence[]>();
  for (const occurrence of occurrences) {
    if (!occurrence.symbol) continue;
    const list = bySymbol.get(occurrence.symbol);
    if (list) list.push(occurrence);
    else bySymbol.set(occurrence.symbol, [occurrence]);
  }
  let instructionIndex: Map<Instruction, number> | undefined;
  return {
    occurrences,
    reach,
    get instructionIndex() {
      return (instructionIndex ??= indexInstructions(model));
    },
    occurrencesOf: (symbol) => bySymbol.get(symbol) ?? [],
    stageSymbol,
  };
}

/**
 * Where `name` is written inside `range`: the whole range, or the inside of
 * one pair of quotes around it. Undefined when the text there spells the name
 * some other way (through a variable, escapes, a continuation line).
 */
function locateName(text: string, range: TextRange, name: string, ignoreCase: boolean): TextRange | undefined {
  const inner = unquoted(text, range);
  const written = text.slice(inner.start, inner.end);
  const same = ignoreCase ? written.toLowerCase() === name.toLowerCase() : written === name;
  return same && written.length > 0 ? inner : undefined;
}

/** The range without one pair of matching quotes around it. */
function unquoted(text: string, range: TextRange): TextRange {
  const first = text[range.start];
  if (range.end - range.start >= 2 && (first === '"' || first === "'") && text[range.end - 1] === first) {
    return { start: range.start + 1, end: range.end - 1 };
  }
  return range;
}

// ---- helpers shared by the features ---------------------------------------

export function toRange(document: TextDocument, range: TextRange): Range {
  return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

/** Where a stage can be pointed at: its name, or for an unnamed stage its FROM keyword and image. */
export function stageTargetRange(stage: Stage): TextRange {
  if (stage.nameToken) return stage.nameToken.range;
  const image = stage.from.from?.image;
  return { start: stage.from.keywordRange.start, end: image ? image.range.end : stage.from.keywordRange.end };
}

/** The document range of a binding's declared name; undefined for predefined ARGs. */
export function declarationRange(model: DockerfileModel, binding: VariableBinding): TextRange | undefined {
  const pair = binding.pair;
  if (!pair) return undefined;
  return locateName(model.ast.text, pair.key.range, binding.name, false) ?? pair.key.range;
}

/** Declarations a use of `binding` points to: the binding's own, then the global ARG it redeclares. */
export function definitionRanges(model: DockerfileModel, binding: VariableBinding): TextRange[] {
  const ranges: TextRange[] = [];
  const own = declarationRange(model, binding);
  if (own) ranges.push(own);
  const global = binding.global ? declarationRange(model, binding.global) : undefined;
  if (global) ranges.push(global);
  return ranges;
}

// ---- the features ------------------------------------------------------------

/**
 * Go to definition: a stage reference goes to the stage's name (or, for an
 * unnamed stage used by index, to its FROM line); a variable use goes to the
 * ARG/ENV in effect there (for a redeclared global ARG, the stage's `ARG` and
 * then the global one). A declaration goes to itself (and, when it redeclares a
 * global ARG, to that). Empty where there is nothing to go to.
 */
export function dockerfileDefinition(document: TextDocument, model: DockerfileModel, position: Position): Location[] {
  const occurrence = occurrenceAt(model, document.offsetAt(position));
  const symbol = occurrence?.symbol;
  if (!occurrence || !symbol) return [];
  const location = (range: TextRange): Location => ({ uri: document.uri, range: toRange(document, range) });
  if (symbol.kind === 'stage') return [location(stageTargetRange(symbol.stage))];
  return occurrence.binding ? definitionRanges(model, occurrence.binding).map(location) : [];
}

/** Every occurrence of the symbol at `position`, in document order. */
export function dockerfileReferences(
  document: TextDocument,
  model: DockerfileModel,
  position: Position,
  context: { includeDeclaration: boolean } = { includeDeclaration: true },
): Location[] {
  const symbol = occurrenceAt(model, document.offsetAt(position))?.symbol;
  if (!symbol) return [];
  return symbolIndex(model)
    .occurrencesOf(symbol)
    .filter((occurrence) => context.includeDeclaration || occurrence.role === 'reference')
    .map((occurrence) => ({ uri: document.uri, range: toRange(document, occurrence.range) }));
}

/** Occurrences of the symbol at `position`: declarations as Write, uses as Read. */
export function dockerfileDocumentHighlights(document: TextDocument, model: DockerfileModel, position: Position): DocumentHighlight[] {
  const symbol = occurrenceAt(model, document.offsetAt(position))?.symbol;
  if (!symbol) return [];
  return symbolIndex(model)
    .occurrencesOf(symbol)
    .map((occurrence) => ({
      range: toRange(document, occurrence.range),
      kind: occurrence.role === 'declaration' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
}
