import type { DockerfileModel, Instruction, TextRange } from '../dockerfile';
import { RuleContext } from './context';
import { readPragmas } from './pragmas';
import type { LintSettings } from './settings';
import type { Fix, Rule, RuleSource, Severity } from './types';

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
 * Runs every rule once over the shared model, then applies what the file
 * (pragmas, `# check=`) and the settings say about each finding.
 */
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
}

export function createSuppressor(model: DockerfileModel, settings: LintSettings): Suppressor {
  const pragmas = readPragmas(model.ast);
  const instructionAt = instructionFinder(model.ast.instructions);
  const isSkipped = (code: string, source: RuleSource) =>
    settings.ignored.has(code) || pragmas.globallyIgnored.has(code) || (source === 'buildkit' && pragmas.skipAllBuildChecks);
  return {
    skipped: (names, source) => names.some((name, index) => isSkipped(name, index > 0 ? 'buildkit' : source)),
    ignoredAt(names, range) {
      if (settings.disableIgnorePragma) return false;
      const instruction = instructionAt(range.start);
      const ignored = instruction && pragmas.ignoredAt.get(instruction);
      return ignored ? names.some((name) => ignored.has(name)) : false;
    },
    severity: (code, source, declared) => settings.severityOverrides.get(code) ?? (source === 'buildkit' && pragmas.buildChecksAreErrors ? 'error' : declared),
  };
}

/**
 * Runs every rule once over the shared model, then applies what the file
 * (pragmas, `# check=`) and the settings say about each finding.
 */
export function runRules(model: DockerfileModel, rules: readonly Rule[], settings: LintSettings): LintRun {
  const suppressor = createSuppressor(model, settings);
  const context = new RuleContext(model, settings);
  const results: LintResult[] = [];
  const failures: LintRun['failures'] = [];

  for (const problem of model.ast.problems) {
    if (suppressor.skipped([problem.code], 'syntax')) continue;
    results.push({ code: problem.code, source: 'syntax', severity: suppressor.severity(problem.code, 'syntax', problem.severity), range: problem.range, message: problem.message, fixes: [] });
  }

  for (const rule of rules) {
    // Aliases are BuildKit's names for the same check, so `# check=skip=all` reaches them too.
    const names = [rule.id, ...(rule.aliases ?? [])];
    if (rule.enabledByDefault === false && !settings.severityOverrides.has(rule.id)) continue;
    if (suppressor.skipped(names, rule.source)) continue;
    const severity = suppressor.severity(rule.id, rule.source, rule.severity);
    try {
      rule.check(context, (finding) => {
        if (suppressor.ignoredAt(names, finding.range)) return;
        results.push({ code: rule.id, source: rule.source, severity, range: finding.range, message: finding.message, fixes: finding.fixes ?? [] });
      });
    } catch (error) {
      failures.push({ code: rule.id, error });
    }
  }
  results.sort(byPosition);
  return { results, failures };
}

export function byPosition(a: LintResult, b: LintResult): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code);
}

/** The top-level instruction whose range holds an offset (binary search; instructions are in order). */
function instructionFinder(instructions: readonly Instruction[]): (offset: number) => Instruction | undefined {
  return (offset) => {
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
  };
}
