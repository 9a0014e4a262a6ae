/**
 * The contract of a compose check (one file per check under `checks/`), the
 * context checks read, and the runner.
 */

import { servicesOf, type ServiceInfo } from './model';
import { loadComposeProject, type ComposeHost, type ComposeProject, type LoadComposeProjectOptions } from './project';
import { runServiceChecks } from './serviceFindings';
import type { ComposeFinding, ComposeMap, ComposeNode, Severity, TextRange } from './types';

/**
 * A project written for a check's documentation and tests: files relative to
 * the project directory (compose files, Dockerfiles, `.env`, anything whose
 * existence matters), which of them are loaded (by default `compose.yaml` and,
 * when present, `compose.override.yaml`), and the process environment.
 */
export interface ComposeProjectExample {
  files: Record<string, string>;
  load?: string[];
  environment?: Record<string, string>;
}

/** A single `compose.yaml`, or a project of several files. */
export type ComposeExample = string | ComposeProjectExample;

export interface ComposeCheckFinding {
  file: string;
  range: TextRange;
  message: string;
  /** A did-you-mean replacement of the text at `range`, for quick fixes. */
  suggestion?: { text: string; range: TextRange };
}

export interface ComposeCheckContext {
  project: ComposeProject;
  services: ServiceInfo[];
  /** Whether `exists` sees directories (the host answers `exists`; otherwise it only knows files it can read). */
  seesDirectories: boolean;
  /** Whether a file or directory exists. */
  exists(path: string): boolean;
  /** A file's text, or undefined. */
  readFile(path: string): string | undefined;
  /** A path written in `node`'s file, resolved against that file's working directory. */
  resolvePath(node: ComposeNode, path: string): string;
  /** `path` resolved against `base` (unless absolute), with the project's path flavour. */
  joinPath(base: string, path: string): string;
}

export interface ComposeCheck {
  /** The stable kebab-case code findings carry. */
  id: string;
  severity: Severity;
  /** One sentence shown as the check's title. */
  summary: string;
  /** Why it matters and what to do, in Markdown. */
  docs: string;
  /** Projects written for this check: each `fire` one must trigger it, each `pass` one must not. */
  examples: { fire: ComposeExample[]; pass: ComposeExample[] };
  /** What the check finds in the project as a whole (at least one of `check` and `checkService` is given). */
  check?(context: ComposeCheckContext, report: (finding: ComposeCheckFinding) => void): void;
  /**
   * What it finds in one service (a mapping) from that service alone, plus
   * questions asked through `context` (exists, readFile, resolvePath,
   * joinPath): kept per service node and reused while those answers hold
   * (serviceFindings.ts), so findings must be reported at nodes' own ranges.
   * Runs before `check`, over every service in order.
   */
  checkService?(service: ServiceInfo & { node: ComposeMap }, context: ComposeCheckContext, report: (finding: ComposeCheckFinding) => void): void;
}

export interface ComposeCheckOptions {
  /** The checks to run (all of them by default). */
  checks?: readonly ComposeCheck[];
  /** Severity per code; `off` skips the check. */
  severities?: Readonly<Record<string, Severity | 'off'>>;
}

export interface ComposeCheckResult {
  /** Every finding, ordered by file then position. */
  findings: ComposeFinding[];
  /** The same findings per file (path or URI as given to the loader). */
  byFile: Map<string, ComposeFinding[]>;
  /** Checks that threw (the others still ran). */
  failures: { code: string; error: unknown }[];
}

export function checkContext(project: ComposeProject): ComposeCheckContext {
  return {
    project,
    services: servicesOf(project.model),
    seesDirectories: project.host.exists !== undefined,
    exists: (path) => project.exists(path),
    readFile: (path) => project.readFile(path),
    resolvePath: (node, path) => project.resolvePath(node.file, path),
    joinPath: (base, path) => project.joinPath(base, path),
  };
}

/** Runs checks over a loaded project; findings are grouped by the file they are in. */
export function runComposeChecks(project: ComposeProject, checks: readonly ComposeCheck[], options: ComposeCheckOptions = {}): ComposeCheckResult {
  const context = checkContext(project);
  const failures: ComposeCheckResult['failures'] = [];
  const { active, severities, perService, perServiceAt } = planOf(checks, options.severities);
  const sink = new FindingSink(project);
  // Every check's per-service part first (service by service, so each service's kept results are looked up once), then the project parts.
  const failed = new Map<ComposeCheck, unknown>();
  if (perService.length > 0) runServiceChecks(context, perService, (index, finding) => sink.add(perService[index]!.id, severities[perServiceAt[index]!]!, finding), failed);
  let current = 0;
  const report = (finding: ComposeCheckFinding): void => sink.add(active[current]!.id, severities[current]!, finding);
  for (; current < active.length; current++) {
    const check = active[current]!;
    if (failed.has(check)) {
      failures.push({ code: check.id, error: failed.get(check) });
      continue;
    }
    if (!check.check) continue;
    try {
      check.check(context, report);
    } catch (error) {
      failures.push({ code: check.id, error });
    }
  }
  const findings = sink.findings;
  if (findings.length > 1) findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start - b.range.start || a.range.end - b.range.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
  const byFile = new Map<string, ComposeFinding[]>();
  for (const finding of findings) {
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(finding);
  }
  return { findings, byFile, failures };
}

/** The checks that run, with their severity; those with a per-service part among them, with their index in `active`. */
interface CheckPlan {
  checks: readonly ComposeCheck[];
  given: ComposeCheckOptions['severities'];
  active: ComposeCheck[];
  severities: Severity[];
  perService: ComposeCheck[];
  perServiceAt: number[];
}

/** The last plan made: a project is checked again after every keystroke, with the same checks and severities (the same objects). */
let lastPlan: CheckPlan | undefined;

function planOf(checks: readonly ComposeCheck[], given: ComposeCheckOptions['severities']): CheckPlan {
  if (lastPlan?.checks === checks && lastPlan.given === given) return lastPlan;
  const plan: CheckPlan = { checks, given, active: [], severities: [], perService: [], perServiceAt: [] };
  for (const check of checks) {
    const severity = given?.[check.id] ?? check.severity;
    if (severity === 'off') continue;
    if (check.checkService) {
      plan.perService.push(check);
      plan.perServiceAt.push(plan.active.length);
    }
    plan.active.push(check);
    plan.severities.push(severity);
  }
  lastPlan = plan;
  return plan;
}

/** Findings as the checks report them, kept inside their file's text and each reported once per code. */
class FindingSink {
  readonly findings: ComposeFinding[] = [];
  private seen: Set<string> | undefined;

  constructor(private readonly project: ComposeProject) {}

  add(code: string, severity: Severity, finding: ComposeCheckFinding): void {
    const project = this.project;
    const text = project.files.get(finding.file)?.parsed.text ?? project.envFiles.find((env) => env.path === finding.file)?.text;
    const limit = text?.length ?? Number.MAX_SAFE_INTEGER;
    const start = Math.max(0, Math.min(finding.range.start, limit));
    const end = Math.max(start, Math.min(finding.range.end, limit));
    const key = `${code}\0${finding.file}\0${start}\0${end}\0${finding.message}`;
    const seen = (this.seen ??= new Set());
    if (seen.has(key)) return;
    seen.add(key);
    const suggestion = finding.suggestion && finding.suggestion.range.end <= limit ? { suggestion: finding.suggestion } : {};
    this.findings.push({ code, severity, file: finding.file, range: { start, end }, message: finding.message, ...suggestion });
  }
}

/** A host over an in-memory set of files (paths absolute), for examples, tests and unsaved buffers. */
export function memoryHost(files: Record<string, string> | ReadonlyMap<string, string>, directories: readonly string[] = []): ComposeHost {
  const map = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  const dirs = new Set<string>(directories.map((dir) => dir.replace(/\/+$/, '')));
  for (const path of map.keys()) {
    let dir = path;
    for (;;) {
      const cut = dir.lastIndexOf('/');
      if (cut <= 0) break;
      dir = dir.slice(0, cut);
      dirs.add(dir);
    }
  }
  dirs.add('/');
  return {
    readFile: (path) => map.get(path),
    exists: (path) => map.has(path) || dirs.has(path.replace(/\/+$/, '') || '/'),
  };
}

export const EXAMPLE_ROOT = '/project';

/** Loads an example project under `/project`. */
export function loadExample(example: ComposeExample, extra: Partial<LoadComposeProjectOptions> = {}): ComposeProject {
  const spec: ComposeProjectExample = typeof example === 'string' ? { files: { 'compose.yaml': example } } : example;
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(spec.files)) files[`${EXAMPLE_ROOT}/${path}`] = text;
  const load = spec.load ?? ['compose.yaml', ...('compose.override.yaml' in spec.files ? ['compose.override.yaml'] : [])];
  return loadComposeProject({
    files: load.map((path) => `${EXAMPLE_ROOT}/${path}`),
    host: memoryHost(files),
    environment: spec.environment ?? {},
    ...extra,
  });
}
