import { readFileSync } from 'node:fs';
import { formatFindings, LINT_FORMATS, type LintFormat } from '../../server/src/lint/format';
import { lintPaths, LintInputError, type FindingSeverity } from '../../server/src/lint/lint';
import { LINT_USAGE, UsageError } from './usage';

type Threshold = FindingSeverity | 'none';
const THRESHOLDS: Record<string, Threshold> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', hint: 'hint', none: 'none' };
const RANK: Record<Threshold, number> = { error: 4, warning: 3, info: 2, hint: 1, none: 99 };

export function runLint(args: string[]): number {
  let format: LintFormat = 'tty';
  let threshold: Threshold = 'info';
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(LINT_USAGE + '\n');
      return 0;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`, LINT_USAGE);
      return next;
    };
    if (flag === '--format' || flag === '-f') {
      const requested = value();
      if (!LINT_FORMATS.includes(requested as LintFormat)) throw new UsageError(`--format "${requested}": expected one of ${LINT_FORMATS.join(', ')}`, LINT_USAGE);
      format = requested as LintFormat;
    } else if (flag === '--failure-threshold' || flag === '-t') {
      const requested = value();
      const known = THRESHOLDS[requested];
      if (!known) throw new UsageError(`--failure-threshold "${requested}": expected error, warning, info, style or none`, LINT_USAGE);
      threshold = known;
    } else {
      throw new UsageError(`unknown option "${arg}" for berth lint`, LINT_USAGE);
    }
  }
  if (paths.length === 0) throw new UsageError('berth lint needs at least one PATH (use - for stdin)', LINT_USAGE);

  let findings;
  try {
    findings = lintPaths(paths, () => readFileSync(0, 'utf8'));
  } catch (error) {
    if (!(error instanceof LintInputError)) throw error;
    process.stderr.write(`berth lint: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(formatFindings(findings, format, format === 'tty' && process.stdout.isTTY === true));
  return findings.some((finding) => RANK[finding.severity] >= RANK[threshold]) ? 1 : 0;
}
