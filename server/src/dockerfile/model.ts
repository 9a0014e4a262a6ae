/**
 * Semantic model of a parsed Dockerfile, computed once per text and shared by
 * every lint rule and editor feature:
 * - stages: index, name, base image (expanded with global ARGs), whether the
 *   base is an earlier stage, and which stages use which (FROM, COPY --from,
 *   RUN --mount=from=...);
 * - variables: global ARGs (before the first FROM), predefined ARGs, and
 *   per-stage ARG/ENV bindings with values as far as they can be known
 *   statically (ARG defaults, ENV values with known variables expanded, ENV
 *   inherited from a base stage);
 * - USER / WORKDIR / SHELL in effect at each instruction.
 *
 * Docker semantics followed: ENV wins over an ARG of the same name; a stage
 * sees a global ARG only after redeclaring it (`ARG NAME`), getting its
 * default; all values of one ENV/ARG instruction are expanded with the
 * variables in effect *before* it; a stage built FROM another stage inherits
 * its ENV, USER, WORKDIR and SHELL, and (as BuildKit does) the ARGs declared
 * in it, with their values; an `ARG NAME` without a default keeps the value
 * NAME already has (a global ARG's default first); stage names are
 * case-insensitive. Variables not declared anywhere expand to the empty
 * string, except in stages based on an external image, whose environment is
 * unknown.
 *
 * Lookups are binary searches over per-name histories, so building the model
 * is linear in the number of instructions and a query is logarithmic.
 */

import { asciiLowerCase } from './characters';
import { NONE } from './none';
import { mountFieldEnd } from './mountFields';
import { parseDockerfile } from './parser';
import { predefinedArg, PREDEFINED_ARGS, type PredefinedArg } from './predefinedArgs';
import type { DockerfileAst, Instruction, KeyValuePair, ParseOptions, TextRange, Token } from './types';
import { expandedText, expandVariables, isPlainText, type ExpansionResult, type VariableLookup } from './variables';

export { PREDEFINED_ARGS, predefinedArg, type PredefinedArg, type PredefinedArgCategory } from './predefinedArgs';

export interface VariableBinding {
  name: string;
  kind: 'arg' | 'env' | 'predefined';
  /** 'global': ARG before the first FROM, or a predefined ARG usable in FROM lines. */
  scope: 'global' | 'stage';
  /** The declaring instruction; undefined for predefined ARGs and inherited ENV. */
  instruction?: Instruction;
  /** Key and value tokens as written. */
  pair?: KeyValuePair;
  /**
   * Statically known value: the ARG default (a redeclared global ARG gets the
   * global default), or the ENV value with quotes removed and known variables
   * expanded. Undefined when unknown (no default, unknown variables, build-time
   * values such as TARGETARCH).
   */
  value: string | undefined;
  /** For a stage ARG redeclaring a global ARG: the global declaration. */
  global?: VariableBinding;
  /** For an ARG or ENV inherited through `FROM <stage>`: the stage it was declared in. */
  inheritedFrom?: Stage;
  /** Set for predefined ARGs, and stage ARGs redeclaring one. */
  predefined?: PredefinedArg;
}

export interface StageBase {
  /** The image word as written (empty when FROM has no argument). */
  raw: string;
  /** Expanded with global ARGs; undefined when not statically known. */
  value: string | undefined;
  token?: Token;
  /** The earlier stage this stage is built from, if any. */
  stage?: Stage;
  /** `FROM scratch`. */
  scratch: boolean;
}

export interface StageReference {
  kind: 'from' | 'copy-from' | 'mount-from';
  /** The stage being used. */
  stage: Stage;
  /** The stage using it. */
  user: Stage;
  instruction: Instruction;
  /** The text naming the stage as written. */
  text: string;
  range: TextRange;
}

export interface Stage {
  index: number;
  from: Instruction;
  /** Stage name lower-cased, as Docker compares them. */
  name?: string;
  nameToken?: Token;
  base: StageBase;
  /** `--platform` value, expanded when possible. */
  platform?: { raw: string; value: string | undefined };
  /** FROM and everything up to the next FROM. */
  instructions: Instruction[];
  range: TextRange;
  /** ARGs declared in this stage. */
  args: VariableBinding[];
  /** ENVs declared in this stage (inherited ones are not listed). */
  env: VariableBinding[];
  /** Stages this stage depends on. */
  uses: StageReference[];
  /** Later uses of this stage by other stages. */
  usedBy: StageReference[];
  /** USER/WORKDIR/SHELL after the stage's last instruction (what its image ends up with). */
  finalState: InstructionState;
}

export interface UserState {
  raw: string;
  /** Expanded; undefined when unknown. */
  value: string | undefined;
  instruction: Instruction;
}

export interface WorkdirState {
  /** Absolute path, when statically known. */
  path: string | undefined;
  /** The WORKDIR that set it (possibly in a base stage). */
  instruction?: Instruction;
}

export interface ShellState {
  /** Shell used for shell-form commands. */
  command: string[];
  /** The SHELL instruction that set it; undefined for the default. */
  instruction?: Instruction;
}

/** What is in effect when an instruction runs (after all instructions before it). */
export interface InstructionState {
  /** Undefined before the first FROM. */
  stage?: Stage;
  /** Undefined when no USER was set (the base image's user applies). */
  user?: UserState;
  workdir: WorkdirState;
  shell: ShellState;
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** Parses and builds the model in one go. */
export function analyzeDockerfile(text: string, options?: ParseOptions): DockerfileModel {
  return buildModel(parseDockerfile(text, options));
}

export interface ModelOptions {
  /**
   * The model of an earlier version of the same document, whose tree the
   * parser was given as `previous`. The stages before the first instruction
   * the two trees do not share are taken from it rather than built again; the
   * result is the same as without it. The earlier model is taken over: its
   * stages' `uses` and `usedBy` describe the new version afterwards.
   */
  previous?: DockerfileModel;
}

export function buildModel(ast: DockerfileAst, options: ModelOptions = {}): DockerfileModel {
  return new DockerfileModel(ast, options.previous);
}

/**
 * Per-name binding histories; `after` is the instruction index a binding follows. A name's history is one flat
 * list of (after, binding) pairs: no entry object per definition. A stage built from another inherits the
 * bindings in effect after all of the base's instructions, as if defined ahead of its first; each is copied
 * when first asked for (most never are).
 */
class BindingHistory {
  private readonly entries = new Map<string, Array<number | VariableBinding>>();
  /** The history this one inherits from, and its stage. */
  private base: BindingHistory | undefined = undefined;
  private baseStage: Stage | undefined = undefined;
  /** The inherited bindings copied so far, by name; null: the base has none. */
  private inherited: Map<string, VariableBinding | null> | undefined = undefined;

  define(after: number, binding: VariableBinding): void {
    const list = this.entries.get(binding.name);
    if (list) list.push(after, binding);
    else this.entries.set(binding.name, [after, binding]);
  }

  /** The binding in effect for instruction index `at` (declared strictly before it). */
  lookup(name: string, at: number): VariableBinding | undefined {
    const list = this.entries.get(name);
    if (list !== undefined) {
      // The latest binding first: while the model is built every lookup is after it, and most names are bound once.
      const last = list.length - 2;
      if ((list[last] as number) < at) return list[last + 1] as VariableBinding;
      let low = 0;
      let high = (last >> 1) - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if ((list[mid << 1] as number) < at) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      if (found >= 0) return list[(found << 1) + 1] as VariableBinding;
    }
    return this.base === undefined ? undefined : this.inheritedBinding(name);
  }

  /** Every name bound here, inherited ones first, in the order they were first bound. */
  names(): IterableIterator<string> {
    if (this.base === undefined) return this.entries.keys();
    const chain: BindingHistory[] = [];
    for (let history: BindingHistory | undefined = this; history; history = history.base) chain.push(history);
    const names = new Set<string>();
    for (let i = chain.length - 1; i >= 0; i--) for (const name of chain[i]!.entries.keys()) names.add(name);
    return names.values();
  }

  /** Inherits, ahead of every instruction, the bindings in effect after all of `base`'s, `from` being its stage. */
  inherit(base: BindingHistory, from: Stage): void {
    this.base = base;
    this.baseStage = from;
  }

  /**
   * The copy of the binding of `name` in effect after all of the base's instructions, noting the stage it comes
   * from (the base's unless the base inherited it itself). Down the chain of bases without recursion (a chain
   * may be thousands of stages long), then each history on the way copies the one below it.
   */
  private inheritedBinding(name: string): VariableBinding | undefined {
    const chain: BindingHistory[] = [];
    let history: BindingHistory = this;
    let found: VariableBinding | null;
    for (;;) {
      const known = history.inherited?.get(name);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(history);
      const base = history.base!;
      const list = base.entries.get(name);
      if (list !== undefined) {
        found = list[list.length - 1] as VariableBinding;
        break;
      }
      if (base.base === undefined) {
        found = null;
        break;
      }
      history = base;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const heir = chain[i]!;
      const copy = found === null ? null : inheritedBinding(found, found.inheritedFrom ?? heir.baseStage!);
      (heir.inherited ??= new Map()).set(name, copy);
      found = copy;
    }
    return found ?? undefined;
  }
}

interface StageData {
  stage: Stage;
  /** Index of its FROM in the tree. */
  fromIndex: number;
  env: BindingHistory;
  args: BindingHistory;
  /** The stage's root base is an external image, whose environment is unknown. */
  externalRoot: boolean;
  /** State after the stage's last instruction (for stages built from it). */
  finalState: InstructionState;
}

interface PendingStageUse {
  kind: 'copy-from' | 'mount-from';
  user: StageData;
  instruction: Instruction;
  index: number;
  text: string;
  value: string | undefined;
  range: TextRange;
}

/** The predefined ARGs' bindings: the same for every model (their values are unknown), never changed. */
const PREDEFINED_BINDINGS: VariableBinding[] = PREDEFINED_ARGS.map((arg) => ({
  name: arg.name,
  kind: 'predefined' as const,
  scope: arg.category === 'proxy' ? ('stage' as const) : ('global' as const),
  value: undefined,
  predefined: arg,
}));
const PREDEFINED_BY_NAME = new Map(PREDEFINED_BINDINGS.map((binding) => [binding.name, binding]));

export class DockerfileModel {
  readonly stages: Stage[] = [];
  /** ARGs declared before the first FROM. */
  readonly globalArgs: VariableBinding[] = [];
  /** Bindings for the predefined ARGs (values unknown). */
  readonly predefinedArgs: VariableBinding[];

  /** Per instruction index, filled in order (`keepStages`, then the constructor). */
  private readonly states: InstructionState[];
  private readonly stageOfIndex: Array<StageData | undefined>;
  private readonly stageData: StageData[] = [];
  private readonly globals: BindingHistory;
  private readonly predefinedByName: Map<string, VariableBinding>;
  private readonly pendingUses: PendingStageUse[] = [];
  private readonly escapeChar: string;
  private readonly escapeCode: number;
  /** `indexOf`'s last answer. */
  private lastLookup: Instruction | undefined;
  private lastIndex: number | undefined;
  private expansionOptions: { escapeChar: string } | undefined;

  constructor(
    readonly ast: DockerfileAst,
    previous?: DockerfileModel,
  ) {
    this.escapeChar = ast.escapeChar;
    this.escapeCode = ast.escapeChar.charCodeAt(0);
    this.states = sizedArray(ast.instructions.length);
    this.stageOfIndex = sizedArray(ast.instructions.length);
    const kept = previous ? this.stagesToKeep(previous) : 0;
    if (previous && kept > 0) {
      // Everything before the first FROM comes along with the first stage.
      this.predefinedArgs = previous.predefinedArgs;
      this.predefinedByName = previous.predefinedByName;
      this.globals = previous.globals;
      this.globalArgs = previous.globalArgs;
    } else {
      this.predefinedArgs = PREDEFINED_BINDINGS;
      this.predefinedByName = PREDEFINED_BY_NAME;
      this.globals = new BindingHistory();
    }
    const start = previous && kept > 0 ? this.keepStages(previous, kept) : 0;

    const globalState = NO_STATE;
    const instructions = ast.instructions;
    let current: StageData | undefined;
    for (let index = start; index < instructions.length; index++) {
      const instruction = instructions[index]!;
      if (instruction.name === 'FROM') {
        if (current) this.finishStage(current, index);
        current = this.startStage(instruction, index);
      }
      this.stageOfIndex[index] = current;
      if (current) {
        this.states[index] = current.finalState;
        this.apply(current, instruction, index);
      } else {
        this.states[index] = globalState;
        if (instruction.name === 'ARG') this.declareGlobalArgs(instruction, index);
      }
    }
    if (current) this.finishStage(current, instructions.length);
    this.resolvePendingUses();
  }

  /**
   * How many of the previous model's stages hold for this tree: those before
   * the last FROM the two trees share ahead of the first instruction they do
   * not (a stage whose next FROM is not shared may have gained instructions).
   * Earlier stages never depend on later ones, except for who uses whom.
   */
  private stagesToKeep(previous: DockerfileModel): number {
    if (previous.escapeChar !== this.escapeChar) return 0;
    const now = this.ast.instructions;
    const before = previous.ast.instructions;
    const limit = Math.min(now.length, before.length);
    let shared = 0;
    while (shared < limit && now[shared] === before[shared]) shared++;
    const stages = previous.stageData;
    let kept = 0;
    while (kept + 1 < stages.length && stages[kept + 1]!.fromIndex < shared) kept++;
    return kept;
  }

  /** Takes the first `kept` stages from the previous model; returns the index of the first instruction left to build (a FROM). */
  private keepStages(previous: DockerfileModel, kept: number): number {
    const start = previous.stageData[kept]!.fromIndex;
    for (let i = 0; i < start; i++) {
      this.states[i] = previous.states[i]!;
      this.stageOfIndex[i] = previous.stageOfIndex[i];
    }
    // Who uses whom is found again: later stages may have changed. FROM links first, in stage order, as a fresh build makes them.
    for (let i = 0; i < kept; i++) {
      const data = previous.stageData[i]!;
      const stage = data.stage;
      stage.uses = [];
      stage.usedBy = [];
      this.stages.push(stage);
      this.stageData.push(data);
      if (stage.base.stage) this.link('from', stage.base.stage, stage, stage.from, stage.base.raw, stage.base.token?.range ?? stage.from.range);
    }
    for (const use of previous.pendingUses) {
      if (use.index >= start) break;
      this.pendingUses.push(use);
    }
    return start;
  }

  /** The stage an instruction belongs to (its FROM included); undefined before the first FROM. */
  stageOf(instruction: Instruction): Stage | undefined {
    const index = this.indexOf(instruction);
    return index === undefined ? undefined : this.stageOfIndex[index]?.stage;
  }

  /** Stage containing a document offset. */
  stageAt(offset: number): Stage | undefined {
    let found: Stage | undefined;
    for (const stage of this.stages) {
      if (stage.range.start > offset) break;
      found = stage;
    }
    return found;
  }

  /** USER/WORKDIR/SHELL in effect when `instruction` runs. */
  stateAt(instruction: Instruction): InstructionState {
    const index = this.indexOf(instruction);
    return index === undefined ? NO_STATE : this.states[index];
  }

  /** A stage by name (case-insensitive) or numeric index. */
  findStage(nameOrIndex: string): Stage | undefined {
    const name = asciiLowerCase(nameOrIndex);
    const named = this.stages.find((stage) => stage.name === name);
    if (named) return named;
    if (/^[0-9]+$/.test(nameOrIndex)) return this.stages[Number(nameOrIndex)];
    return undefined;
  }

  /**
   * What `name` refers to at `instruction`. FROM lines see global ARGs and
   * predefined ARGs; inside a stage ENV wins over ARG, and the proxy ARGs are
   * available implicitly.
   */
  lookupVariable(name: string, instruction: Instruction): VariableBinding | undefined {
    const index = this.indexOf(instruction);
    if (index === undefined) return undefined;
    return this.lookupAt(name, index, this.stageOfIndex[index], instruction.name === 'FROM');
  }

  /**
   * The ARG or ENV named `name` that `instruction`'s stage, or a stage it is
   * built from, declared before `instruction`; undefined outside stages, for
   * FROM lines, and for names only predefined (BuildKit's "is it declared here").
   */
  declaredVariable(name: string, instruction: Instruction): VariableBinding | undefined {
    const index = this.indexOf(instruction);
    if (index === undefined || instruction.name === 'FROM') return undefined;
    const data = this.stageOfIndex[index];
    return data ? (data.env.lookup(name, index) ?? data.args.lookup(name, index)) : undefined;
  }

  /** Every variable visible at `instruction`, by name. */
  variablesAt(instruction: Instruction): Map<string, VariableBinding> {
    const result = new Map<string, VariableBinding>();
    const index = this.indexOf(instruction);
    if (index === undefined) return result;
    const data = this.stageOfIndex[index];
    const inGlobalScope = !data || instruction.name === 'FROM';
    const names = new Set<string>();
    if (inGlobalScope) {
      for (const name of this.globals.names()) names.add(name);
      for (const binding of this.predefinedArgs) if (binding.scope === 'global') names.add(binding.name);
    } else {
      for (const name of data.env.names()) names.add(name);
      for (const name of data.args.names()) names.add(name);
      for (const binding of this.predefinedArgs) if (binding.scope === 'stage') names.add(binding.name);
    }
    for (const name of names) {
      const binding = this.lookupAt(name, index, data, inGlobalScope);
      if (binding) result.set(name, binding);
    }
    return result;
  }

  /** Expands `text` as Docker would at `instruction` (quotes removed), as far as values are known. */
  expand(text: string, instruction: Instruction): ExpansionResult {
    // A plain word is its own value wherever it is: no need to find the instruction.
    if (isPlainText(text, this.escapeCode, true)) return { value: text, references: [], unknown: [] };
    const index = this.indexOf(instruction) ?? this.ast.instructions.length;
    const data = this.stageOfIndex[index];
    return this.expandAt(text, index, data, !data || instruction.name === 'FROM');
  }

  /** `expand(text, instruction).value`, without an expansion result for text with nothing to expand (most words). */
  expandedValue(text: string, instruction: Instruction): string | undefined {
    if (isPlainText(text, this.escapeCode, true)) return text;
    const index = this.indexOf(instruction) ?? this.ast.instructions.length;
    const data = this.stageOfIndex[index];
    return this.valueAt(text, index, data, !data || instruction.name === 'FROM');
  }

  /**
   * Position of a top-level instruction (an ONBUILD trigger counts as its
   * ONBUILD) in the tree; undefined for an instruction of another tree.
   * A binary search by offset: cheaper than filling a map for every model.
   */
  private indexOf(instruction: Instruction): number | undefined {
    // Rules ask about the instruction they visit several times in a row (its state, then expansions).
    if (instruction === this.lastLookup) return this.lastIndex;
    const index = this.searchIndex(instruction);
    this.lastLookup = instruction;
    this.lastIndex = index;
    return index;
  }

  private searchIndex(instruction: Instruction): number | undefined {
    const instructions = this.ast.instructions;
    const offset = instruction.range.start;
    let low = 0;
    let high = instructions.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (instructions[mid]!.range.start <= offset) low = mid;
      else high = mid - 1;
    }
    for (let candidate: Instruction | undefined = instructions[low]; candidate; candidate = candidate.trigger) {
      if (candidate === instruction) return low;
    }
    return undefined;
  }

  // ---- building -------------------------------------------------------

  private lookupAt(name: string, index: number, data: StageData | undefined, globalScope: boolean): VariableBinding | undefined {
    if (globalScope || !data) {
      const global = this.globals.lookup(name, index);
      if (global) return global;
      const predefined = this.predefinedByName.get(name);
      return predefined?.scope === 'global' ? predefined : undefined;
    }
    const binding = data.env.lookup(name, index) ?? data.args.lookup(name, index);
    if (binding) return binding;
    const predefined = this.predefinedByName.get(name);
    return predefined?.scope === 'stage' ? predefined : undefined;
  }

  private valueLookup(index: number, data: StageData | undefined, globalScope: boolean): VariableLookup {
    return (name) => {
      const binding = this.lookupAt(name, index, data, globalScope);
      if (binding) return binding.value === undefined ? null : binding.value;
      // Undeclared: empty, unless an external base image may define it.
      return !globalScope && data?.externalRoot ? null : undefined;
    };
  }

  /** `expandAt(...).value`, with no expansion result for a word with nothing to expand (most of them). */
  private valueAt(text: string, index: number, data: StageData | undefined, globalScope: boolean): string | undefined {
    if (isPlainText(text, this.escapeCode, true)) return text;
    return expandedText(text, this.valueLookup(index, data, globalScope), this.escapeCode);
  }

  private expandAt(text: string, index: number, data: StageData | undefined, globalScope: boolean): ExpansionResult {
    // Most words have nothing to expand: no lookup closure for them (this runs for every word of every state instruction).
    const options = (this.expansionOptions ??= { escapeChar: this.escapeChar });
    if (isPlainText(text, this.escapeCode, true)) return { value: text, references: [], unknown: [] };
    return expandVariables(text, this.valueLookup(index, data, globalScope), options);
  }

  private declareGlobalArgs(instruction: Instruction, index: number): void {
    for (const pair of instruction.keyValues ?? []) {
      const name = this.cookKey(pair, index, undefined, true);
      const binding: VariableBinding = {
        name,
        kind: 'arg',
        scope: 'global',
        instruction,
        pair,
        value: pair.value ? this.valueAt(pair.value.value, index, undefined, true) : undefined,
      };
      const predefined = predefinedArg(name);
      if (predefined) binding.predefined = predefined;
      this.globalArgs.push(binding);
      this.globals.define(index, binding);
    }
  }

  private cookKey(pair: KeyValuePair, index: number, data: StageData | undefined, globalScope: boolean): string {
    const raw = pair.key.value;
    if (!hasQuoteDollarOrEscape(raw)) return raw;
    return this.valueAt(raw, index, data, globalScope) ?? raw;
  }

  private startStage(from: Instruction, index: number): StageData {
    const details = from.from ?? {};
    const imageToken = details.image;
    const raw = imageToken?.value ?? '';
    const value = imageToken ? this.valueAt(raw, index, undefined, true) : undefined;
    const lowerCased = value === undefined ? undefined : asciiLowerCase(value);
    const baseStage = lowerCased === undefined ? undefined : this.latestStageNamed(lowerCased);
    const stage: Stage = {
      index: this.stages.length,
      from,
      base: { raw, value, scratch: lowerCased === 'scratch' },
      // Cut from the tree's list once the stage ends.
      instructions: NONE,
      // Until `finishStage` sets the stage's own.
      range: from.range,
      args: [],
      env: [],
      uses: [],
      usedBy: [],
      // Set below, once the stage's data holds it.
      finalState: NO_STATE,
    };
    if (imageToken) stage.base.token = imageToken;
    if (details.stageName) {
      stage.name = asciiLowerCase(details.stageName.value);
      stage.nameToken = details.stageName;
    }
    if (details.platform?.value !== undefined) {
      stage.platform = {
        raw: details.platform.value,
        value: this.valueAt(details.platform.rawValue ?? details.platform.value, index, undefined, true),
      };
    }
    this.stages.push(stage);

    const base = baseStage ? this.stageData[baseStage.index]! : undefined;
    const data: StageData = {
      stage,
      fromIndex: index,
      env: new BindingHistory(),
      args: new BindingHistory(),
      externalRoot: base ? base.externalRoot : !stage.base.scratch,
      finalState: base
        ? stateOf(stage, base.finalState.user, base.finalState.workdir, base.finalState.shell)
        : initialState(stage, stage.base.scratch ? '/' : undefined),
    };
    if (baseStage && base) {
      stage.base.stage = baseStage;
      // The ENV and ARGs in effect after the base's last instruction, inherited ones included.
      data.env.inherit(base.env, baseStage);
      data.args.inherit(base.args, baseStage);
      this.link('from', baseStage, stage, from, raw, imageToken?.range ?? from.range);
    }
    stage.finalState = data.finalState;
    this.stageData.push(data);
    return data;
  }

  /** `end`: the index of the instruction after the stage's last. */
  private finishStage(data: StageData, end: number): void {
    const stage = data.stage;
    stage.finalState = data.finalState;
    const instructions = this.ast.instructions.slice(data.fromIndex, end);
    stage.instructions = instructions;
    const last = instructions[instructions.length - 1];
    if (last) stage.range = { start: stage.from.range.start, end: last.range.end };
  }

  /** The most recent earlier stage with this (lower-cased) name. */
  private latestStageNamed(name: string): Stage | undefined {
    for (let i = this.stages.length - 1; i >= 0; i--) if (this.stages[i].name === name) return this.stages[i];
    return undefined;
  }

  private apply(data: StageData, instruction: Instruction, index: number): void {
    switch (instruction.name) {
      case 'ARG':
        this.declareStageArgs(data, instruction, index);
        break;
      case 'ENV':
        this.declareEnv(data, instruction, index);
        break;
      case 'USER': {
        const raw = instruction.args[0]?.value ?? '';
        const state = data.finalState;
        data.finalState = stateOf(state.stage, { raw, value: this.valueAt(raw, index, data, false), instruction }, state.workdir, state.shell);
        break;
      }
      case 'WORKDIR': {
        const raw = instruction.args[0]?.value ?? '';
        const expanded = this.valueAt(raw, index, data, false);
        const state = data.finalState;
        data.finalState = stateOf(state.stage, state.user, { path: resolveWorkdir(state.workdir.path, expanded), instruction }, state.shell);
        break;
      }
      case 'SHELL':
        if (instruction.form === 'exec' && instruction.args.length > 0) {
          const state = data.finalState;
          data.finalState = stateOf(state.stage, state.user, state.workdir, { command: instruction.args.map((arg) => arg.value), instruction });
        }
        break;
      case 'COPY':
      case 'ADD':
        for (const flag of instruction.flags) {
          if (flag.name === 'from' && flag.value !== undefined && flag.valueRange) {
            this.pendingUses.push({
              kind: 'copy-from',
              user: data,
              instruction,
              index,
              text: flag.rawValue ?? flag.value,
              value: this.valueAt(flag.value, index, data, false),
              range: flag.valueRange,
            });
          }
        }
        break;
      case 'RUN':
        this.collectMountUses(data, instruction, index);
        break;
      default:
        break;
    }
  }

  private declareStageArgs(data: StageData, instruction: Instruction, index: number): void {
    // Names and values are read as of before the instruction (lookups at `index` do not see what it defines),
    // so declaring each pair as it is read is the same as reading them all first.
    for (const pair of instruction.keyValues ?? NONE) {
      const name = this.cookKey(pair, index, data, false);
      const value = pair.value ? this.valueAt(pair.value.value, index, data, false) : undefined;
      const binding: VariableBinding = { name, kind: 'arg', scope: 'stage', instruction, pair, value };
      if (!pair.value) {
        const global = this.globals.lookup(name, Number.MAX_SAFE_INTEGER);
        if (global) {
          binding.global = global;
          binding.value = global.value;
        } else {
          // Without a default BuildKit leaves the build environment as it is: an earlier or inherited ARG keeps its value.
          binding.value = data.args.lookup(name, index)?.value;
        }
      }
      const predefined = predefinedArg(name);
      if (predefined) binding.predefined = predefined;
      data.stage.args.push(binding);
      data.args.define(index, binding);
    }
  }

  private declareEnv(data: StageData, instruction: Instruction, index: number): void {
    // All pairs are expanded before any of them takes effect, as Docker does: lookups at `index` do not see
    // what the instruction defines, so each pair is declared as it is read.
    for (const pair of instruction.keyValues ?? NONE) {
      const name = this.cookKey(pair, index, data, false);
      const value = pair.value ? this.valueAt(pair.value.value, index, data, false) : undefined;
      const binding: VariableBinding = { name, kind: 'env', scope: 'stage', instruction, pair, value };
      data.stage.env.push(binding);
      data.env.define(index, binding);
    }
  }

  /** `RUN --mount=...,from=<stage>,...` */
  private collectMountUses(data: StageData, instruction: Instruction, index: number): void {
    for (const flag of instruction.flags) {
      if (flag.name !== 'mount' || !flag.valueLogicalRange) continue;
      const text = instruction.logical.text;
      const { start, end } = flag.valueLogicalRange;
      // Most mounts name no stage (`type=cache,target=...`): no field walk for them.
      if (!mayHaveFromKey(text, start, end)) continue;
      for (let fieldStart = start; fieldStart <= end; ) {
        const fieldEnd = mountFieldEnd(text, fieldStart, end);
        this.mountFieldUse(data, instruction, index, text, fieldStart, fieldEnd);
        fieldStart = fieldEnd + 1;
      }
    }
  }

  /** A `from=<stage>` field of a mount, text[start, end), as a pending use. */
  private mountFieldUse(data: StageData, instruction: Instruction, index: number, text: string, start: number, end: number): void {
    const equals = text.indexOf('=', start);
    if (equals < 0 || equals >= end || !isKeyFrom(text, start, equals)) return;
    let valueStart = equals + 1;
    let valueEnd = end;
    const first = text[valueStart];
    if ((first === '"' || first === "'") && valueEnd - valueStart >= 2 && text[valueEnd - 1] === first) {
      valueStart++;
      valueEnd--;
    }
    const raw = text.slice(valueStart, valueEnd);
    this.pendingUses.push({
      kind: 'mount-from',
      user: data,
      instruction,
      index,
      text: raw,
      value: this.valueAt(raw, index, data, false),
      range: instruction.logical.sourceRange(valueStart, valueEnd),
    });
  }

  /**
   * COPY --from and mount from= may name any other stage (BuildKit builds a
   * graph), or a stage index lower than the user's; anything else is an image.
   */
  private resolvePendingUses(): void {
    if (this.pendingUses.length === 0) return;
    // With many stages, stages by name, in order, so that each use looks at the few stages of its name.
    const stages = this.stages;
    let named: Map<string, Stage[]> | undefined;
    if (stages.length > 16) {
      named = new Map();
      for (const stage of stages) {
        if (stage.name === undefined) continue;
        const list = named.get(stage.name);
        if (list) list.push(stage);
        else named.set(stage.name, [stage]);
      }
    }
    for (const use of this.pendingUses) {
      if (use.value === undefined) continue;
      const user = use.user.stage;
      const name = asciiLowerCase(use.value);
      let target: Stage | undefined;
      const candidates = named === undefined ? stages : named.get(name) ?? NONE;
      // The nearest earlier stage of that name, else the first later one.
      for (let i = candidates.length - 1; i >= 0 && !target; i--) if (candidates[i]!.index < user.index && candidates[i]!.name === name) target = candidates[i];
      for (let i = 0; i < candidates.length && !target; i++) if (candidates[i]!.index > user.index && candidates[i]!.name === name) target = candidates[i];
      if (!target && /^[0-9]+$/.test(use.value)) {
        const stageIndex = Number(use.value);
        if (stageIndex < user.index) target = this.stages[stageIndex];
      }
      if (target) this.link(use.kind, target, user, use.instruction, use.text, use.range);
    }
  }

  private link(kind: StageReference['kind'], stage: Stage, user: Stage, instruction: Instruction, text: string, range: TextRange): void {
    const reference: StageReference = { kind, stage, user, instruction, text, range };
    stage.usedBy.push(reference);
    user.uses.push(reference);
  }
}

/** Whether `text` holds a quote, `$`, a backslash or a backtick (either escape character). */
function hasQuoteDollarOrEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x27 || code === 0x24 || code === 0x5c || code === 0x60) return true;
  }
  return false;
}

/** Whether text[start, end), trimmed of whitespace, is `from` in any ASCII case (a mount option's key). */
function isKeyFrom(text: string, start: number, end: number): boolean {
  while (start < end && isTrimmed(text.charCodeAt(start))) start++;
  while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
  return end - start === 4 && isFromAt(text, start);
}

/** `from` in any ASCII case at `at`. */
function isFromAt(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 0x20) === 0x66 && (text.charCodeAt(at + 1) | 0x20) === 0x72 && (text.charCodeAt(at + 2) | 0x20) === 0x6f && (text.charCodeAt(at + 3) | 0x20) === 0x6d;
}

/**
 * Whether some `=` in text[start, end) follows `from` (any case, white space between allowed): a mount's
 * `from=` field cannot be anywhere else, so a value without one has none.
 */
function mayHaveFromKey(text: string, start: number, end: number): boolean {
  for (let equals = text.indexOf('=', start); equals >= 0 && equals < end; equals = text.indexOf('=', equals + 1)) {
    let keyEnd = equals;
    while (keyEnd > start && isTrimmed(text.charCodeAt(keyEnd - 1))) keyEnd--;
    if (keyEnd - start >= 4 && isFromAt(text, keyEnd - 4)) return true;
  }
  return false;
}

/**
 * An array to be filled from index 0 up to `length`, allocated once at its size rather than grown by
 * copies (a tenth of what a model allocates). Past V8's limit for a preallocated fast array it starts
 * empty: index stores in order then append.
 */
function sizedArray<T>(length: number): T[] {
  return length <= 50_000 ? new Array<T>(length) : [];
}

/** What `String.prototype.trim` removes (white space and line terminators). */
function isTrimmed(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** A copy of an inherited ARG or ENV binding, noting where it came from (field by field: a spread of these varied shapes is slow). */
function inheritedBinding(inherited: VariableBinding, from: Stage): VariableBinding {
  const binding: VariableBinding = { name: inherited.name, kind: inherited.kind, scope: inherited.scope, value: inherited.value };
  if (inherited.instruction !== undefined) binding.instruction = inherited.instruction;
  if (inherited.pair !== undefined) binding.pair = inherited.pair;
  if (inherited.global !== undefined) binding.global = inherited.global;
  binding.inheritedFrom = from;
  if (inherited.predefined !== undefined) binding.predefined = inherited.predefined;
  return binding;
}

/**
 * USER/WORKDIR/SHELL before anything sets them, every field present (as in
 * `stateOf`): one object shape for every state, so that building the model
 * and the rules reading it stay on V8's fast paths (a spread of states of
 * several shapes is not).
 */
function initialState(stage: Stage | undefined, workdir: string | undefined): InstructionState {
  // States are never changed once made, so every stage shares the default SHELL and the unset or `/` WORKDIR.
  return { stage, user: undefined, workdir: workdir === '/' ? ROOT_WORKDIR : workdir === undefined ? NO_WORKDIR : { path: workdir, instruction: undefined }, shell: DEFAULT_SHELL_STATE };
}

const DEFAULT_SHELL_STATE: ShellState = { command: [...DEFAULT_SHELL], instruction: undefined };
const NO_WORKDIR: WorkdirState = { path: undefined, instruction: undefined };
const ROOT_WORKDIR: WorkdirState = { path: '/', instruction: undefined };
/** The state a new stage holds until its own is made (every stage object is made with all its fields). */
const NO_STATE: InstructionState = initialState(undefined, undefined);

/** A state, its fields in `initialState`'s order. */
function stateOf(stage: Stage | undefined, user: UserState | undefined, workdir: WorkdirState, shell: ShellState): InstructionState {
  return { stage, user, workdir, shell };
}

/** WORKDIR semantics: relative paths build on the previous directory; the result is cleaned. */
function resolveWorkdir(previous: string | undefined, next: string | undefined): string | undefined {
  if (next === undefined || next === '') return next === '' ? previous : undefined;
  const first = next.charCodeAt(0);
  if (first === 0x2f /* / */) return cleanPosixPath(next);
  if (first === 0x5c /* \ */ || isDriveLetterPath(next)) return next; // Windows path: leave as written
  if (previous === undefined) return undefined;
  return cleanPosixPath(`${previous}/${next}`);
}

/** `C:\` or `C:/` at the start. */
function isDriveLetterPath(path: string): boolean {
  const letter = path.charCodeAt(0) | 0x20;
  if (letter < 0x61 || letter > 0x7a || path.charCodeAt(1) !== 0x3a) return false;
  const separator = path.charCodeAt(2);
  return separator === 0x5c || separator === 0x2f;
}

/** An absolute path with no empty, `.` or `..` segment and no trailing slash (`/app`, as most are). */
function isCleanAbsolute(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return false;
  if (path.length === 1) return true;
  let segmentStart = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    const length = i - segmentStart;
    if (length === 0) return false;
    if (path.charCodeAt(segmentStart) === 0x2e && (length === 1 || (length === 2 && path.charCodeAt(segmentStart + 1) === 0x2e))) return false;
    segmentStart = i + 1;
  }
  return true;
}

function cleanPosixPath(path: string): string {
  if (isCleanAbsolute(path)) return path;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}
