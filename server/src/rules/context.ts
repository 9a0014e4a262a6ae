import type { DockerfileModel, Instruction, InstructionState, Stage } from '../dockerfile';
import { commandName, listCommands, parseShell, unwrapUncached, type ParsedScript, type SimpleCommand, type UnwrappedCommand } from '../shell';
import type { LintSettings } from './settings';
import type { Finding } from './types';

/** A shell script a RUN instruction executes, with offsets mapped to the document. */
export interface RunScript {
  parsed: ParsedScript;
  /** The shell that runs it, e.g. `['/bin/sh', '-c']`. */
  shell: readonly string[];
  /**
   * Where it came from: the RUN line itself, `sh -c` of an exec form, a heredoc
   * body, or an exec form without a shell, read as the one command it runs.
   */
  origin: 'shell-form' | 'exec-form' | 'heredoc' | 'exec-command';
}

/** One simple command of a RUN script, as most command rules want it. */
export interface RunCommand {
  /** The RUN instruction (an ONBUILD trigger when `onbuild` is set). */
  instruction: Instruction;
  /** The ONBUILD instruction whose trigger `instruction` is. */
  onbuild: Instruction | undefined;
  script: RunScript;
  /** The command as written, wrappers included (`allCommands` order). */
  command: SimpleCommand;
  /** The command with its wrappers peeled off (`unwrap(command)`). */
  tool: UnwrappedCommand;
  /** `commandName(tool)`: `apt-get` for `sudo /usr/bin/apt-get …`. */
  name: string | undefined;
}

/**
 * A rule that looks at one instruction at a time (see `perInstruction`). The
 * incremental linter may then check only the instructions an edit changed and
 * reuse what the rule found before for the others (rules/incremental.ts), so a
 * local rule promises that what it reports for an instruction lies within the
 * instruction's lines or the comments and blank lines above it, and depends
 * only on:
 * - that text (the instruction, its heredocs, the comments and blank lines above it);
 * - the parser directives and the settings;
 * - what the state instructions (FROM, ARG, ENV, USER, WORKDIR, SHELL) make of
 *   it: `model.expand`/`expandedValue`/`lookupVariable`/`declaredVariable`/`variablesAt`/`stateAt`/`stageOf` at the
 *   instruction, and what stages get from their FROM lines (index, name, base,
 *   platform, which stage is last, `usedBy` of kind 'from');
 * - `dependsOn` of the other instructions, when the rule declares one.
 * It never reads other instructions (`context.instructions`, `stage.instructions`,
 * their scripts, COPY --from and mount uses).
 */
export interface LocalCheck {
  /** Instruction names (upper case) the rule looks at; every instruction when omitted. */
  names?: readonly string[];
  /** Only RUN instructions running one of these commands (`RunCommand.name`); replaces `names`. */
  commands?: readonly string[];
  /**
   * Only instructions (of those `names` allows) that have something in this field: flags, variable
   * references, a JSON array, empty continuation lines. Most instructions have none, and a list
   * per field, made once per run, spares a visit to each of the others.
   */
  having?: InstructionPart;
  /** Also visit ONBUILD triggers, with the ONBUILD instruction as `onbuild`. */
  triggers: boolean;
  visit(instruction: Instruction, context: RuleContext, report: (finding: Finding) => void, onbuild: Instruction | undefined): void;
  /**
   * A positionless summary of any instruction (from its own text alone) that
   * this rule's findings elsewhere depend on, e.g. "writes APT::Get::Assume-Yes"
   * for a rule that accepts an install configured by an earlier RUN; '' when
   * the instruction says nothing that matters.
   */
  dependsOn?(instruction: Instruction, context: RuleContext): string;
}

/**
 * `check` and `local` of a rule that looks at one instruction at a time:
 * `visit` is called for each instruction named in `local.names` (and each such
 * ONBUILD trigger when `local.triggers`), in document order.
 */
export function perInstruction(local: LocalCheck): { check: (context: RuleContext, report: (finding: Finding) => void) => void; local: LocalCheck } {
  const check = (context: RuleContext, report: (finding: Finding) => void) => context.forEachLocal(local, report);
  LOCAL_CHECKS.set(local, check);
  return { check, local };
}

/** Whether the rule's `check` is still the one `perInstruction` made for its `local` (a copy with its own `check` is not local). */
export function isLocalRule(rule: { check: unknown; local?: LocalCheck }): rule is { check: unknown; local: LocalCheck } {
  return rule.local !== undefined && LOCAL_CHECKS.get(rule.local) === rule.check;
}

const LOCAL_CHECKS = new WeakMap<LocalCheck, unknown>();

/**
 * A rule that looks at one stage at a time (see `perStage`): what it reports
 * for a stage lies within the stage's text (its instructions, from the FROM's
 * comments above it to the last one's lines) and depends only on:
 * - that text;
 * - whatever a local rule may depend on (see `LocalCheck`: the parser
 *   directives, the settings, what the state instructions make of the stage's
 *   instructions, and what stages get from their FROM lines, such as the
 *   stage's index and whether it is the last).
 * It never reads other stages' instructions, nor the uses of its stage by
 * others (`usedBy` of kinds 'copy-from' and 'mount-from').
 * The instructions before the first FROM form a section of their own, visited
 * with `stage` undefined when `preamble` is set.
 */
export type StageCheck =
  | { preamble: false; visit(instructions: readonly Instruction[], stage: Stage, context: RuleContext, report: (finding: Finding) => void): void }
  | { preamble: true; visit(instructions: readonly Instruction[], stage: Stage | undefined, context: RuleContext, report: (finding: Finding) => void): void };

/** `check` and `stage` of a rule that looks at one stage at a time: `visit` is called for each stage in order. */
export function perStage(stage: StageCheck): { check: (context: RuleContext, report: (finding: Finding) => void) => void; stage: StageCheck } {
  const check = (context: RuleContext, report: (finding: Finding) => void) => {
    // `current` names the section, as for local rules: the incremental linter files a first run's findings by it.
    try {
      if (stage.preamble) {
        const preamble = context.preamble();
        context.current = preamble[0];
        if (preamble.length > 0) stage.visit(preamble, undefined, context, report);
      }
      for (const each of context.model.stages) {
        context.current = each.from;
        stage.visit(each.instructions, each, context, report);
      }
    } finally {
      context.current = undefined;
    }
  };
  STAGE_CHECKS.set(stage, check);
  return { check, stage };
}

/** Whether the rule's `check` is still the one `perStage` made for its `stage`. */
export function isStageRule(rule: { check: unknown; stage?: StageCheck }): rule is { check: unknown; stage: StageCheck } {
  return rule.stage !== undefined && STAGE_CHECKS.get(rule.stage) === rule.check;
}

const STAGE_CHECKS = new WeakMap<StageCheck, unknown>();

const EMPTY: readonly never[] = [];

/** `context.memo(key, newMap<K, V>)`: a table per run, without a new closure at every call. */
export function newMap<K, V>(): Map<K, V> {
  return new Map();
}

/** Where `RuleContext.fact` keeps facts. */
export interface FactStore {
  get(instruction: Instruction, name: string): unknown;
  set(instruction: Instruction, name: string, value: unknown): void;
}

/** The facts of one run (a plain run's, which the incremental linter may take over on the first edit). */
export class FactTable implements FactStore {
  // A table per fact name: a run asks a handful of names about many instructions.
  private readonly byName = new Map<string, Map<Instruction, unknown>>();

  get(instruction: Instruction, name: string): unknown {
    return this.byName.get(name)?.get(instruction);
  }

  set(instruction: Instruction, name: string, value: unknown): void {
    let known = this.byName.get(name);
    if (!known) this.byName.set(name, (known = new Map()));
    known.set(instruction, value);
  }

  forEach(visit: (instruction: Instruction, name: string, value: unknown) => void): void {
    for (const [name, known] of this.byName) for (const [instruction, value] of known) visit(instruction, name, value);
  }
}

interface RunReading {
  scripts: RunScript[];
  commands: RunCommand[] | undefined;
}

/**
 * What every rule sees: the model computed once per text, lint settings, RUN
 * scripts and their commands read once on first request, per-instruction facts,
 * and tables shared by all rules (`memo`).
 */
export class RuleContext {
  private readonly runReadings = new Map<Instruction, RunReading>();
  /**
   * The RUN last asked about and what was read of it: the rules visiting a RUN
   * ask for its scripts and commands one after another.
   */
  private lastRun: Instruction | undefined = undefined;
  private lastReading: RunReading | undefined = undefined;
  private all: readonly Instruction[] | undefined;
  private onbuildOf: Map<Instruction, Instruction> | undefined;
  private readonly memos = new Map<unknown, unknown>();
  private readonly stageIndexes = new Map<string, (readonly Instruction[] | undefined)[]>();
  private instructionsBeforeFrom: readonly Instruction[] | undefined;
  /**
   * The top-level instructions local rules visit; all of them unless the
   * incremental linter narrows it to those that changed.
   */
  scope: readonly Instruction[] | undefined;
  /** The top-level instruction a local rule is visiting (its ONBUILD for a trigger); the first instruction of the section a stage rule is visiting. */
  current: Instruction | undefined;

  private readonly facts: FactStore;

  constructor(
    readonly model: DockerfileModel,
    readonly settings: LintSettings,
    options: { facts?: FactStore } = {},
  ) {
    this.facts = options.facts ?? new FactTable();
  }

  get text(): string {
    return this.model.ast.text;
  }

  get instructions(): Instruction[] {
    return this.model.ast.instructions;
  }

  /** Every instruction, with ONBUILD triggers right after their ONBUILD. */
  allInstructions(): readonly Instruction[] {
    if (this.all) return this.all;
    const instructions = this.model.ast.instructions;
    // Lists of instructions, not of (instruction, ONBUILD) pairs: triggers are rare, and `onbuildOfTrigger` finds their ONBUILD.
    if (this.onbuildTable().size === 0) return (this.all = instructions);
    const all: Instruction[] = [];
    for (const instruction of instructions) {
      all.push(instruction);
      if (instruction.trigger) all.push(instruction.trigger);
    }
    return (this.all = all);
  }

  /** The ONBUILD instruction whose trigger this is; undefined for top-level instructions. */
  onbuildOfTrigger(instruction: Instruction): Instruction | undefined {
    const onbuildOf = this.onbuildTable();
    return onbuildOf.size === 0 ? undefined : onbuildOf.get(instruction);
  }

  /** Asked for every RUN after each edit: a table of the (few) triggers, not a list of every instruction. */
  private onbuildTable(): Map<Instruction, Instruction> {
    if (!this.onbuildOf) {
      const onbuildOf = new Map<Instruction, Instruction>();
      for (const each of this.model.ast.instructions) if (each.trigger) onbuildOf.set(each.trigger, each);
      this.onbuildOf = onbuildOf;
    }
    return this.onbuildOf;
  }

  /** The instructions of a stage (triggers not included) whose name is `name`, in order; one pass over the stage serves every rule. */
  stageInstructionsNamed(stage: Stage, name: string): readonly Instruction[] {
    if (this.model.stages[stage.index] !== stage) return EMPTY;
    // Per name asked (a few: USER, CMD, …), a list per stage by index, made when that stage is first asked
    // (after an edit the incremental linter asks about the edited stage only).
    let byStage = this.stageIndexes.get(name);
    if (!byStage) this.stageIndexes.set(name, (byStage = []));
    let found = byStage[stage.index];
    if (!found) {
      let named: Instruction[] | undefined;
      for (const instruction of stage.instructions) if (instruction.name === name) (named ??= []).push(instruction);
      byStage[stage.index] = found = named ?? EMPTY;
    }
    return found;
  }

  /** The top-level instructions before the first FROM (asked by every stage rule that looks at them: cut once). */
  preamble(): readonly Instruction[] {
    if (this.instructionsBeforeFrom) return this.instructionsBeforeFrom;
    const first = this.model.stages[0];
    const instructions = this.model.ast.instructions;
    if (!first) return (this.instructionsBeforeFrom = instructions);
    let end = 0;
    while (end < instructions.length && instructions[end] !== first.from) end++;
    return (this.instructionsBeforeFrom = end === 0 ? EMPTY : instructions.slice(0, end));
  }

  stateAt(instruction: Instruction): InstructionState {
    return this.model.stateAt(instruction);
  }

  /** The shell scripts a RUN instruction runs; empty for other instructions. */
  scripts(instruction: Instruction): readonly RunScript[] {
    return instruction.name === 'RUN' ? this.runReading(instruction).scripts : EMPTY;
  }

  /** The simple commands of one RUN instruction, wrappers peeled off, in script order; empty for other instructions. */
  commandsOf(instruction: Instruction): readonly RunCommand[] {
    if (instruction.name !== 'RUN') return EMPTY;
    const reading = this.runReading(instruction);
    if (reading.commands) return reading.commands;
    const list: RunCommand[] = [];
    const onbuild = this.onbuildOfTrigger(instruction);
    // The context keeps these lists, so the shell module's caches would only add weak map entries.
    for (const script of reading.scripts) {
      // The parser's own list when it kept one: `listCommands` would copy it for a caller that might change it.
      for (const command of script.parsed.simpleCommands ?? listCommands(script.parsed)) {
        const name = commandName(command);
        const tool = unwrapUncached(command, name);
        list.push({ instruction, onbuild, script, command, tool, name: tool === command ? name : commandName(tool) });
      }
    }
    return (reading.commands = list);
  }

  /** What this context has read of a RUN: its scripts, parsed on first request, and their commands once asked for. */
  private runReading(instruction: Instruction): RunReading {
    if (instruction === this.lastRun) return this.lastReading!;
    let reading = this.runReadings.get(instruction);
    if (!reading) {
      reading = { scripts: readRunScripts(instruction, this.model.stateAt(instruction).shell.command, this.model.ast.text), commands: undefined };
      this.runReadings.set(instruction, reading);
    }
    this.lastRun = instruction;
    this.lastReading = reading;
    return reading;
  }

  /**
   * A fact about one instruction that follows from its own text alone, such as
   * how many commands a RUN runs: computed once, and kept by the incremental
   * linter for as long as the instruction is unchanged, so a rule that needs it
   * for every instruction does not parse every RUN again after each edit.
   * `name` must say everything `compute` depends on besides the instruction.
   */
  fact<T extends string | number | boolean>(instruction: Instruction, name: string, compute: () => T): T {
    const known = this.facts.get(instruction, name);
    if (known !== undefined) return known as T;
    const value = compute();
    this.facts.set(instruction, name, value);
    return value;
  }

  /**
   * A value computed once per context and shared by every rule that asks with
   * the same key (e.g. a helper's per-stage table).
   */
  memo<T>(key: unknown, compute: (context: RuleContext) => T): T {
    // `compute` gets the context so that a hot caller can pass a module-level function rather than a new closure each call.
    const known = this.memos.get(key);
    if (known !== undefined || this.memos.has(key)) return known as T;
    const value = compute(this);
    this.memos.set(key, value);
    return value;
  }

  /**
   * Calls `check.visit` for each instruction in scope that `check` looks at, in
   * document order (each ONBUILD trigger after its ONBUILD), keeping `current` on
   * the top-level instruction. For a rule's `check` called by itself: the runner
   * hands instructions to every local rule in one pass (`LocalPlan`).
   */
  forEachLocal(check: LocalCheck, report: (finding: Finding) => void): void {
    try {
      for (const instruction of this.scope ?? this.model.ast.instructions) {
        this.current = instruction;
        if (this.looksAt(check, instruction)) check.visit(instruction, this, report, undefined);
        const trigger = instruction.trigger;
        if (check.triggers && trigger && this.looksAt(check, trigger)) check.visit(trigger, this, report, instruction);
      }
    } finally {
      this.current = undefined;
    }
  }

  /** Whether a local check looks at this instruction (by its name, or the commands of a RUN). */
  private looksAt(check: LocalCheck, instruction: Instruction): boolean {
    if (check.commands) return this.commandsOf(instruction).some((command) => command.name !== undefined && check.commands!.includes(command.name));
    if (check.having && !instructionHas(instruction, check.having)) return false;
    return check.names === undefined || check.names.includes(instruction.name);
  }
}

/** The parts of an instruction that `LocalCheck.having` can ask for. */
export type InstructionPart = 'flags' | 'variables' | 'json' | 'emptyContinuationLines';

export function instructionHas(instruction: Instruction, part: InstructionPart): boolean {
  switch (part) {
    case 'flags':
      return instruction.flags.length > 0;
    case 'variables':
      return instruction.variables.length > 0;
    case 'json':
      return instruction.json !== undefined;
    case 'emptyContinuationLines':
      return instruction.emptyContinuationLines.length > 0;
  }
}

const HEREDOC_ONLY = /^(?:\s*\d?<<-?\S+)+\s*$/;
const SHELL_C = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

function readRunScripts(instruction: Instruction, shell: readonly string[], text: string): RunScript[] {
  // Each way out returns its list as a literal: most RUNs have one script, and a list grown by a push starts with room for sixteen.
  if (instruction.form === 'exec') {
    // ["sh", "-c", "script"] is a shell script in disguise; other exec forms run no shell.
    const args = instruction.args;
    // Read by index: destructuring would step an iterator.
    const program = args.length > 0 ? args[0] : undefined;
    const flag = args.length > 1 ? args[1] : undefined;
    const script = args.length > 2 ? args[2] : undefined;
    if (program && flag && script && SHELL_C.test(program.value) && flag.value === '-c') {
      const rawIndex = jsonStringIndex(text, script.range.start);
      return [{ parsed: parseShell(script.value, { offsets: rawIndex }), shell: [program.value, '-c'], origin: 'exec-form' }];
    }
    return args.length > 0 ? [{ parsed: execFormAsCommand(instruction, text), shell: [], origin: 'exec-command' }] : [];
  }
  const line = instruction.args[0];
  const heredocsRunAsScript = instruction.heredocs.length > 0 && (!line || HEREDOC_ONLY.test(line.value));
  if (heredocsRunAsScript) {
    // Offsets as numbers or pieces, which the shell parser maps without calling back.
    return instruction.heredocs.map((heredoc) => ({ parsed: parseShell(heredoc.content, { offsets: heredoc.bodyRange.start }), shell, origin: 'heredoc' }));
  }
  if (!line) return [];
  const base = line.logicalRange.start;
  const heredocs = instruction.heredocs;
  // Asked before indexing: reading `heredocs[-1]` of an empty list looks the key up the slow way, and costs more than the rest of this function.
  if (heredocs.length === 0) return [{ parsed: parseShell(line.value, { offsets: instruction.logical.offsetsFrom(base) }), shell, origin: 'shell-form' }];
  const first = heredocs[0]!;
  const last = heredocs[heredocs.length - 1]!;
  // `RUN cat <<EOF > file && make`: the shell gets the line, then the heredoc bodies
  // and their terminators, exactly as they follow in the Dockerfile.
  const bodies = text.slice(first.bodyRange.start, last.terminatorRange?.end ?? last.bodyRange.end);
  const lineLength = line.value.length;
  const offsets = (i: number) =>
    i < lineLength ? instruction.logical.sourceOffset(base + i) : i === lineLength ? instruction.logical.sourceEnd(base + i) : first.bodyRange.start + (i - lineLength - 1);
  return [{ parsed: parseShell(`${line.value}\n${bodies}`, { offsets }), shell, origin: 'shell-form' }];
}

/**
 * `["pip", "install", "x"]` runs no shell, but rules about commands still apply:
 * quote each element as one shell word so the reader sees the same argv.
 */
function execFormAsCommand(instruction: Instruction, text: string): ParsedScript {
  let script = '';
  const pieces: { start: number; valueLength: number; quoted: boolean; rawIndex: (index: number) => number }[] = [];
  for (const element of instruction.args) {
    if (script) script += ' ';
    const plain = /^[\w@%+=:,./-]+$/.test(element.value);
    const word = plain ? element.value : `'${element.value.replace(/'/g, `'\\''`)}'`;
    pieces.push({ start: script.length, valueLength: element.value.length, quoted: !plain, rawIndex: jsonStringIndex(text, element.range.start) });
    script += word;
  }
  return parseShell(script, {
    offsets: (i) => {
      const piece = pieces.findLast((candidate) => candidate.start <= i) ?? pieces[0]!;
      return piece.rawIndex(Math.max(0, Math.min(i - piece.start - (piece.quoted ? 1 : 0), piece.valueLength - 1)));
    },
  });
}

/**
 * Maps an index in a decoded JSON string to the document offset of the raw
 * character it came from, stepping over escapes (`\"`, `\n`, `\u00e9`).
 */
function jsonStringIndex(text: string, quoteOffset: number): (index: number) => number {
  const starts: number[] = [];
  let raw = text.charCodeAt(quoteOffset) === 34 ? quoteOffset + 1 : quoteOffset;
  return (index) => {
    while (starts.length <= index && raw < text.length && text.charCodeAt(raw) !== 34) {
      starts.push(raw);
      raw += text.charCodeAt(raw) !== 92 ? 1 : text.charCodeAt(raw + 1) === 117 ? 6 : 2;
    }
    return starts[index] ?? raw;
  };
}
