import type { Instruction } from '../dockerfile';
import { instructionHas, isLocalRule, type InstructionPart, type LocalCheck, type RuleContext } from './context';
import type { Finding, Rule } from './types';

/** What a run of the plan tells its caller: the caller keeps each rule's state (whether it runs, where its findings go). */
export interface LocalRun {
  /** Whether the rule at this index visits the next instruction; the caller points `report` at it. */
  enter(rule: number): boolean;
  report(finding: Finding): void;
  /** The rule threw: it visits nothing more in this run. */
  fail(rule: number, error: unknown): void;
}

/**
 * Which local rules look at which instructions, worked out once per rule list.
 * A run then makes one pass over the file and hands each instruction to the
 * rules that look at it (by its name, or by the commands a RUN runs). Seventy
 * rules each looking for their own instructions cost a small file more than
 * their checks did.
 */
export class LocalPlan {
  /** Under each name some rule lists in `names`: those rules, then `everyName`'s. */
  private readonly byName = new Map<string, number[]>();
  /** Rules without `names` or `commands`: every instruction is theirs (those with `having`, only some). */
  private readonly everyName: number[] = [];
  /** Rules with `commands`, under each command name. */
  private readonly byCommand = new Map<string, number[]>();
  /** The indexes of the rules that are not local (stage rules and whole-file rules), which the caller runs one by one. */
  readonly others: readonly number[];
  /** The `check` of each of `others`, read once (a read per lint off rule objects of many shapes is a slow one). */
  readonly otherChecks: readonly Rule['check'][];
  /**
   * Each rule's check, and the parts of it the plan asks about on every visit, read once: the checks are
   * objects of many shapes, and reading their fields on every visit measured slower.
   */
  private readonly checks: readonly (LocalCheck | undefined)[];
  private readonly visits: readonly (LocalCheck['visit'] | undefined)[];
  private readonly having: readonly (InstructionPart | undefined)[];
  private readonly triggers: readonly boolean[];
  /**
   * Per rule, the last visit (`visitSerial`) that handed it a RUN by one of its commands (a rule about apt-get and
   * apt sees a RUN running both once), and the last run (`runSerial`) in which it threw: numbers, so that nothing
   * needs clearing after a run and no instruction is kept.
   */
  private readonly seenInVisit: Uint32Array;
  private readonly stoppedInRun: Uint32Array;
  private visitSerial = 0;
  private runSerial = 0;

  private constructor(rules: readonly Rule[]) {
    const checks = rules.map((rule) => (isLocalRule(rule) ? rule.local : undefined));
    this.checks = checks;
    this.visits = checks.map((check) => check?.visit);
    this.others = checks.flatMap((check, index) => (check ? [] : [index]));
    this.otherChecks = this.others.map((index) => rules[index]!.check);
    this.having = checks.map((check) => check?.having);
    this.triggers = checks.map((check) => check?.triggers === true);
    this.seenInVisit = new Uint32Array(rules.length);
    this.stoppedInRun = new Uint32Array(rules.length);
    checks.forEach((check, index) => {
      if (!check) return;
      if (check.commands) for (const name of check.commands) listUnder(this.byCommand, name).push(index);
      else if (check.names) for (const name of check.names) listUnder(this.byName, name).push(index);
      else this.everyName.push(index);
    });
    for (const list of this.byName.values()) list.push(...this.everyName);
  }

  /** The plan of a rule list (made on first use; rule lists are long-lived). */
  static of(rules: readonly Rule[]): LocalPlan {
    let plan = PLANS.get(rules);
    if (!plan) PLANS.set(rules, (plan = new LocalPlan(rules)));
    return plan;
  }

  /**
   * Hands every instruction in the context's scope (all of them unless the
   * incremental linter narrowed it), then its ONBUILD trigger, to the rules that
   * look at it, in document order; `context.current` is the top-level instruction.
   */
  run(context: RuleContext, caller: LocalRun): void {
    const instructions = context.scope ?? context.model.ast.instructions;
    this.runSerial = nextSerial(this.runSerial);
    try {
      for (let i = 0; i < instructions.length; i++) {
        const instruction = instructions[i]!;
        context.current = instruction;
        this.visitOne(instruction, undefined, context, caller);
        const trigger = instruction.trigger;
        if (trigger) this.visitOne(trigger, instruction, context, caller);
      }
    } finally {
      context.current = undefined;
    }
  }

  private visitOne(instruction: Instruction, onbuild: Instruction | undefined, context: RuleContext, caller: LocalRun): void {
    this.visitEach(this.byName.get(instruction.name) ?? this.everyName, instruction, onbuild, context, caller);
    if (instruction.name !== 'RUN' || this.byCommand.size === 0) return;
    const commands = context.commandsOf(instruction);
    const visit = (this.visitSerial = nextSerial(this.visitSerial));
    for (let c = 0; c < commands.length; c++) {
      const name = commands[c]!.name;
      const rules = name === undefined ? undefined : this.byCommand.get(name);
      if (!rules) continue;
      for (let r = 0; r < rules.length; r++) {
        const index = rules[r]!;
        if (this.seenInVisit[index] === visit) continue;
        this.seenInVisit[index] = visit;
        if (onbuild && !this.triggers[index]) continue;
        this.visit(index, instruction, onbuild, context, caller);
      }
    }
  }

  private visitEach(rules: readonly number[], instruction: Instruction, onbuild: Instruction | undefined, context: RuleContext, caller: LocalRun): void {
    for (let r = 0; r < rules.length; r++) {
      const index = rules[r]!;
      if (onbuild && !this.triggers[index]) continue;
      const having = this.having[index];
      if (having !== undefined && !instructionHas(instruction, having)) continue;
      this.visit(index, instruction, onbuild, context, caller);
    }
  }

  private visit(index: number, instruction: Instruction, onbuild: Instruction | undefined, context: RuleContext, caller: LocalRun): void {
    if (this.stoppedInRun[index] === this.runSerial || !caller.enter(index)) return;
    try {
      this.visits[index]!.call(this.checks[index], instruction, context, caller.report, onbuild);
    } catch (error) {
      this.stoppedInRun[index] = this.runSerial;
      caller.fail(index, error);
    }
  }
}

function listUnder(table: Map<string, number[]>, key: string): number[] {
  let list = table.get(key);
  if (!list) table.set(key, (list = []));
  return list;
}

/** 1, 2, … 2³²−1, then 1 again: what a Uint32Array holds, never its initial 0. */
function nextSerial(serial: number): number {
  return serial === 0xffffffff ? 1 : serial + 1;
}

const PLANS = new WeakMap<readonly Rule[], LocalPlan>();
