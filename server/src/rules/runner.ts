import type { DockerfileModel, Instruction, TextRange } from '../dockerfile';
import { RuleContext } from './context';
import { LocalPlan } from './localPlan';
import { readPragmas, type FilePragmas } from './pragmas';
import type { LintSettings } from './settings';
import type { Finding, Fix, Rule, RuleSource, Severity } from './types';

export interface LintResult {
  code: string;
  source: RuleSource;
  severity: Severity;
  range: TextRange;
  message: string;
  fixes: Fix[];
}

export interface LintRun {
  results: LintResult[];
  /** Rules that threw; the others still ran. Reported by the caller's log, never to the user as findings. */
  failures: { code: string; error: unknown }[];
}

/**
 * Decides, for a finding from any source (a rule, the parser, ShellCheck),
 * whether it is reported and at which severity, from what the file (pragmas,
 * `# check=`) and the settings say.
 */
export interface Suppressor {
  /** Skipped before running at all: ignored in settings or the whole file. */
  skipped(names: readonly string[], source: RuleSource): boolean;
  /** Ignored by a pragma above the instruction holding `range`. */
  ignoredAt(names: readonly string[], range: TextRange): boolean;
  severity(code: string, source: RuleSource, declared: Severity): Severity;
  /** The file says nothing that changes `skipped` or `severity`: both follow from the settings alone. */
  neutral: boolean;
}

export function createSuppressor(model: DockerfileModel, settings: LintSettings): Suppressor {
  return new FileSuppressor(model, settings);
}

/** A class rather than an object of closures: one is made for every lint. */
class FileSuppressor implements Suppressor {
  private readonly pragmas: FilePragmas;
  readonly neutral: boolean;

  constructor(
    private readonly model: DockerfileModel,
    private readonly settings: LintSettings,
  ) {
    const pragmas = (this.pragmas = readPragmas(model.ast));
    this.neutral = pragmas.globallyIgnored.size === 0 && !pragmas.skipAllBuildChecks && !pragmas.buildChecksAreErrors;
  }

  skipped(names: readonly string[], source: RuleSource): boolean {
    for (let index = 0; index < names.length; index++) if (this.isSkipped(names[index]!, index > 0 ? 'buildkit' : source)) return true;
    return false;
  }

  private isSkipped(code: string, source: RuleSource): boolean {
    return this.settings.ignored.has(code) || this.pragmas.globallyIgnored.has(code) || (source === 'buildkit' && this.pragmas.skipAllBuildChecks);
  }

  ignoredAt(names: readonly string[], range: TextRange): boolean {
    if (this.settings.disableIgnorePragma || this.pragmas.ignoredAt.size === 0) return false;
    const instruction = instructionAt(this.model.ast.instructions, range.start);
    const ignored = instruction && this.pragmas.ignoredAt.get(instruction);
    return ignored ? names.some((name) => ignored.has(name)) : false;
  }

  severity(code: string, source: RuleSource, declared: Severity): Severity {
    return this.settings.severityOverrides.get(code) ?? (source === 'buildkit' && this.pragmas.buildChecksAreErrors ? 'error' : declared);
  }
}

/**
 * Runs every rule once over the shared model, then applies what the file
 * (pragmas, `# check=`) and the settings say about each finding.
 */
export function runRules(model: DockerfileModel, rules: readonly Rule[], settings: LintSettings, options: RunOptions = {}): LintRun {
  const context = options.context ?? new RuleContext(model, settings);
  const run = startRun(model, settings);
  const prepared = run.prepareAll(rules);
  // One reporter for the whole run, pointed at the rule that runs: a closure per rule (or two) is
  // a fixed cost of every lint, a tenth of a small file's.
  let current: RuleRun | undefined;
  let currentIndex = 0;
  const observe = options.observe;
  const report = observe
    ? (finding: Finding) => {
        observe(currentIndex, finding, context.current);
        run.add(current!, finding);
      }
    : (finding: Finding) => run.add(current!, finding);
  // Local rules in one pass over the file (see LocalPlan); a rule that throws stops there, the others go on.
  const plan = LocalPlan.of(rules);
  plan.run(context, {
    enter(index) {
      current = prepared[index];
      currentIndex = index;
      return current !== undefined;
    },
    report,
    fail: (index, error) => run.fail(prepared[index]!.rule, error),
  });
  const others = plan.others;
  const otherChecks = plan.otherChecks;
  for (let i = 0; i < others.length; i++) {
    const index = others[i]!;
    const ruleRun = prepared[index];
    if (!ruleRun) continue;
    current = ruleRun;
    currentIndex = index;
    try {
      otherChecks[i]!.call(ruleRun.rule, context, report);
    } catch (error) {
      run.fail(ruleRun.rule, error);
    }
  }
  return run.finish();
}

export interface RunOptions {
  /** The context to run in (the caller keeps it, with its facts and parsed scripts); a new one by default. */
  context?: RuleContext;
  /** Told of every finding as it is reported, before pragmas and settings: the rule's index, and `context.current`. */
  observe?: (rule: number, finding: Finding, current: Instruction | undefined) => void;
}

/** What the runner knows about a rule before running it. */
export interface RuleRun {
  rule: Rule;
  /** The rule's code and aliases: a pragma or setting naming any of them applies. */
  names: readonly string[];
  severity: Severity;
}

/**
 * One lint run: syntax problems first, then each rule through `runPrepared`,
 * findings filtered by pragmas and settings as they come; `finish` sorts them.
 * Shared by `runRules` and the incremental linter.
 */
export function startRun(model: DockerfileModel, settings: LintSettings): OpenRun {
  return new OpenRun(model, settings);
}

/** A lint run under way (`startRun`): a class rather than an object of closures, since every lint makes one. */
export class OpenRun {
  private readonly suppressor: Suppressor;
  private readonly results: LintResult[] = [];
  private readonly failures: LintRun['failures'] = [];

  constructor(
    model: DockerfileModel,
    private readonly settings: LintSettings,
  ) {
    const suppressor = (this.suppressor = createSuppressor(model, settings));
    for (const problem of model.ast.problems) {
      if (suppressor.skipped([problem.code], 'syntax')) continue;
      this.results.push({ code: problem.code, source: 'syntax', severity: suppressor.severity(problem.code, 'syntax', problem.severity), range: problem.range, message: problem.message, fixes: [] });
    }
  }

  /** Whether the rule runs at all, and how its findings are reported; undefined when it is off. */
  prepare(rule: Rule): RuleRun | undefined {
    if (rule.enabledByDefault === false && !this.settings.severityOverrides.has(rule.id)) return undefined;
    const names = namesOf(rule);
    if (this.suppressor.skipped(names, rule.source)) return undefined;
    return { rule, names, severity: this.suppressor.severity(rule.id, rule.source, rule.severity) };
  }

  /**
   * `prepare` of each rule. What it gives depends on the settings and on what the file
   * says about skipping and severities; most files say nothing, and then the answers
   * made for the same settings and rules before are used again.
   */
  prepareAll(rules: readonly Rule[]): readonly (RuleRun | undefined)[] {
    if (!this.suppressor.neutral) return rules.map((rule) => this.prepare(rule));
    let byRules = PREPARED.get(this.settings);
    if (!byRules) PREPARED.set(this.settings, (byRules = new WeakMap()));
    let prepared = byRules.get(rules);
    if (!prepared) byRules.set(rules, (prepared = rules.map((rule) => this.prepare(rule))));
    return prepared;
  }

  /** Reports one finding of a prepared rule, unless a pragma silences it there. */
  add(run: RuleRun, finding: Finding): void {
    if (this.suppressor.ignoredAt(run.names, finding.range)) return;
    this.results.push({ code: run.rule.id, source: run.rule.source, severity: run.severity, range: finding.range, message: finding.message, fixes: finding.fixes ?? [] });
  }

  fail(rule: Rule, error: unknown): void {
    this.failures.push({ code: rule.id, error });
  }

  runPrepared(run: RuleRun, check: (report: (finding: Finding) => void) => void): void {
    try {
      check((finding) => this.add(run, finding));
    } catch (error) {
      this.fail(run.rule, error);
    }
  }

  finish(): LintRun {
    this.results.sort(byPosition);
    return { results: this.results, failures: this.failures };
  }
}

/** Aliases are BuildKit's names for the same check, so `# check=skip=all` reaches them too. */
function namesOf(rule: Rule): readonly string[] {
  let names = NAMES.get(rule);
  if (!names) NAMES.set(rule, (names = [rule.id, ...(rule.aliases ?? [])]));
  return names;
}

const NAMES = new WeakMap<Rule, readonly string[]>();

/** `prepareAll`'s answers for files that say nothing about skipping or severities, by settings and rule list. */
const PREPARED = new WeakMap<LintSettings, WeakMap<readonly Rule[], readonly (RuleRun | undefined)[]>>();

export function byPosition(a: LintResult, b: LintResult): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code);
}

/** The top-level instruction whose range holds an offset (binary search; instructions are in order). */
function instructionAt(instructions: readonly Instruction[], offset: number): Instruction | undefined {
  let low = 0;
  let high = instructions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = instructions[mid]!.range;
    if (offset < range.start) high = mid - 1;
    else if (offset >= range.end && !(offset === range.end && mid === instructions.length - 1)) low = mid + 1;
    else return instructions[mid];
  }
  return undefined;
}
