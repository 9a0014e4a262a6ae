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
export function runRules(model: DockerfileModel, rules: readonly Rule[], settings: LintSettings): LintRun {
  const pragmas = readPragmas(model.ast);
  const context = new RuleContext(model, settings);
  const instructionAt = instructionFinder(model.ast.instructions);
  const results: LintResult[] = [];
  const failures: LintRun['failures'] = [];

  const skipped = (code: string, source: RuleSource) =>
    settings.ignored.has(code) || pragmas.globallyIgnored.has(code) || (source === 'buildkit' && pragmas.skipAllBuildChecks);

  const severityOf = (code: string, source: RuleSource, declared: Severity): Severity =>
    settings.severityOverrides.get(code) ?? (source === 'buildkit' && pragmas.buildChecksAreErrors ? 'error' : declared);

  const ignoredHere = (code: string, range: TextRange) => {
    if (settings.disableIgnorePragma) return false;
    const instruction = instructionAt(range.start);
    return instruction !== undefined && (pragmas.ignoredAt.get(instruction)?.has(code) ?? false);
  };

  for (const problem of model.ast.problems) {
    if (skipped(problem.code, 'syntax')) continue;
    results.push({ code: problem.code, source: 'syntax', severity: severityOf(problem.code, 'syntax', problem.severity), range: problem.range, message: problem.message, fixes: [] });
  }

  for (const rule of rules) {
    const names = [rule.id, ...(rule.aliases ?? [])];
    // An alias from BuildKit's list answers to `# check=skip=all` too.
    if (names.some((name) => skipped(name, rule.aliases?.includes(name) ? 'buildkit' : rule.source))) continue;
    const severity = severityOf(rule.id, rule.source, rule.severity);
    try {
      rule.check(context, (finding) => {
        if (names.some((name) => ignoredHere(name, finding.range))) return;
        results.push({ code: rule.id, source: rule.source, severity, range: finding.range, message: finding.message, fixes: finding.fixes ?? [] });
      });
    } catch (error) {
      failures.push({ code: rule.id, error });
    }
  }
  results.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code));
  return { results, failures };
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
