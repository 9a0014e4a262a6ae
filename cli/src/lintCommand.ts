import { readFileSync } from 'node:fs';
import { formatFindings, LINT_FORMATS, type LintFormat } from '../../server/src/lint/format';
import { lintPaths, LintInputError, type FindingSeverity } from '../../server/src/lint/lint';
import { LINT_USAGE, UsageError } from './usage';

type Threshold = FindingSeverity | 'none';
const THRESHOLDS: Record<string, Threshold> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', hint: 'hint', none: 'none' };
const RANK: Record<Threshold, number> = { error: 4, warning: 3, info: 2, hint: 1, none: 99 };
const LANGUAGES = ['dockerfile', 'compose'];

interface LintArguments {
  format: LintFormat;
  threshold?: Threshold;
  configPath?: string;
  ignore: string[];
  shellcheck: boolean;
  /** Lint only this kind; by default both, each file as its name says. */
  language?: 'dockerfile' | 'compose';
  paths: string[];
}

function parseLintArgs(args: string[]): LintArguments | 'help' {
  const parsed: LintArguments = { format: 'tty', ignore: [], shellcheck: true, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '-' || !arg.startsWith('-')) {
      parsed.paths.push(arg);
      continue;
    }
    if (arg === '--no-shellcheck') {
      parsed.shellcheck = false;
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`, LINT_USAGE);
      return next;
    };
    switch (flag) {
      case '--format':
      case '-f': {
        const requested = value();
        if (!LINT_FORMATS.includes(requested as LintFormat)) throw new UsageError(`--format "${requested}": expected one of ${LINT_FORMATS.join(', ')}`, LINT_USAGE);
        parsed.format = requested as LintFormat;
        break;
      }
      case '--failure-threshold':
      case '-t': {
        const requested = value();
        const known = THRESHOLDS[requested];
        if (!known) throw new UsageError(`--failure-threshold "${requested}": expected error, warning, info, style or none`, LINT_USAGE);
        parsed.threshold = known;
        break;
      }
      case '--config':
      case '-c':
        parsed.configPath = value();
        break;
      case '--ignore':
        parsed.ignore.push(...value().split(',').filter(Boolean));
        break;
      case '--lang': {
        const language = value();
        if (!LANGUAGES.includes(language)) throw new UsageError(`--lang "${language}": expected one of ${LANGUAGES.join(', ')}`, LINT_USAGE);
        parsed.language = language as 'dockerfile' | 'compose';
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}" for berth lint`, LINT_USAGE);
    }
  }
  if (parsed.paths.length === 0) throw new UsageError('berth lint needs at least one PATH (use - for stdin)', LINT_USAGE);
  return parsed;
}

export function runLint(args: string[]): number {
  const parsed = parseLintArgs(args);
  if (parsed === 'help') {
    process.stdout.write(LINT_USAGE + '\n');
    return 0;
  }
  let report;
  try {
    report = lintPaths(parsed.paths, { configPath: parsed.configPath, ignore: parsed.ignore, shellcheck: parsed.shellcheck, language: parsed.language, readStdin: () => readFileSync(0, 'utf8') });
  } catch (error) {
    if (!(error instanceof LintInputError)) throw error;
    process.stderr.write(`berth lint: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(formatFindings(report.findings, parsed.format, parsed.format === 'tty' && process.stdout.isTTY === true, report.languages));
  // The flag wins over the config file, which wins over hadolint's default.
  const configured = report.failureThreshold === 'style' ? 'hint' : report.failureThreshold;
  const threshold = parsed.threshold ?? configured ?? 'info';
  return report.findings.some((finding) => RANK[finding.severity] >= RANK[threshold]) ? 1 : 0;
}
