/**
 * What a per-service check found in one service, kept per service node across
 * versions: the merged node of a service an edit did not touch is the same
 * object from one version to the next (parse.ts, interpolation.ts, merge.ts),
 * so after a keystroke only the edited service is checked again.
 *
 * A kept result is used again only when the service's name and key are the
 * same and every question its check asked outside the service (does a path
 * exist, a file's text, how a path resolves) still gets the same answer from
 * the current project: the questions are asked again, the check's logic is
 * not. Findings keep the range objects of the nodes they were reported at,
 * which the incremental parse moves in place, so they stay where they belong.
 */

import type { ComposeCheck, ComposeCheckContext, ComposeCheckFinding } from './check';
import type { ServiceInfo } from './model';
import type { ComposeMap, ComposeNode, TextRange } from './types';
import { MemoSlot } from './memo';

const EXISTS = 0;
const READ = 1;
const RESOLVE = 2;
const JOIN = 3;

/** The results of every per-service check of a run for one service, with the questions they asked (kind, argument, argument, answer). */
interface KeptService {
  name: string;
  keyRange: TextRange;
  seesDirectories: boolean;
  /** The checks run, in order (the same array object for the same checks). */
  checks: readonly ComposeCheck[];
  /** Pairs of the index of a check in `checks` and a finding. */
  findings: (number | ComposeCheckFinding)[] | undefined;
  questions: unknown[] | undefined;
}

const kept = new MemoSlot<KeptService>();

/** The last list of checks run: the next run with the same checks gets the same array, so kept results match by identity. */
let lastChecks: readonly ComposeCheck[] = [];

function sameChecks(checks: readonly ComposeCheck[]): readonly ComposeCheck[] {
  if (checks.length !== lastChecks.length || checks.some((check, index) => check !== lastChecks[index])) lastChecks = checks;
  return lastChecks;
}

/**
 * Runs every check's `checkService` over the services of the project in
 * order, reusing each service's kept results while they still hold; findings
 * go to `report` with the index of their check. A check that throws is
 * reported in `failed` and not run for later services.
 */
export function runServiceChecks(context: ComposeCheckContext, list: readonly ComposeCheck[], report: (check: number, finding: ComposeCheckFinding) => void, failed: Map<ComposeCheck, unknown>): void {
  const checks = sameChecks(list);
  let recording: RecordingContext | undefined;
  const seesDirectories = context.seesDirectories;
  for (const service of context.services) {
    const node = service.node;
    if (!node) continue;
    const keyRange = service.pair.keyRange;
    const known = kept.get(node);
    if (known && known.checks === checks && known.name === service.name && known.keyRange === keyRange && known.seesDirectories === seesDirectories && failed.size === 0 && stillAnswered(known.questions, context)) {
      const findings = known.findings;
      if (findings) for (let i = 0; i < findings.length; i += 2) report(findings[i] as number, findings[i + 1] as ComposeCheckFinding);
      continue;
    }
    if (!recording) {
      const started = new RecordingContext(context);
      // One report for every run: the check running is `started.check`.
      started.report = (finding) => {
        (started.findings ??= []).push(started.check, finding);
        report(started.check, finding);
      };
      recording = started;
    }
    recording.start();
    const withNode = service as ServiceInfo & { node: ComposeMap };
    let whole = true;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index]!;
      if (failed.has(check)) {
        whole = false;
        continue;
      }
      recording.check = index;
      try {
        check.checkService!(withNode, recording, recording.report);
      } catch (error) {
        failed.set(check, error);
        whole = false;
      }
    }
    // Kept as long as the service node: lists of their exact length (grown by `push`, a list keeps room to spare).
    if (whole) kept.set(node, { name: service.name, keyRange, seesDirectories, checks, findings: recording.findings?.slice(), questions: recording.questions?.slice() });
  }
}

/** Whether the questions kept results asked get the same answers now. */
function stillAnswered(questions: unknown[] | undefined, context: ComposeCheckContext): boolean {
  if (!questions) return true;
  for (let i = 0; i < questions.length; i += 4) {
    const kind = questions[i];
    const first = questions[i + 1] as string;
    const answer = questions[i + 3];
    const now =
      kind === EXISTS ? context.exists(first) : kind === READ ? context.readFile(first) : kind === RESOLVE ? context.project.resolvePath(first, questions[i + 2] as string) : context.joinPath(first, questions[i + 2] as string);
    if (now !== answer) return false;
  }
  return true;
}

/** The context per-service checks run in: the project's, with every question asked outside the service written down. */
class RecordingContext implements ComposeCheckContext {
  questions: unknown[] | undefined;
  /** The findings of the service so far, each after the index of its check. */
  findings: (number | ComposeCheckFinding)[] | undefined;
  /** The index of the check running. */
  check = 0;
  report: (finding: ComposeCheckFinding) => void = () => {};

  constructor(private readonly base: ComposeCheckContext) {}

  get project() {
    return this.base.project;
  }

  get services() {
    return this.base.services;
  }

  get seesDirectories() {
    return this.base.seesDirectories;
  }

  /** Writes a question down, once per service (the checks of a build ask about the same paths). */
  private note(kind: number, first: string, second: string | undefined, answer: unknown): void {
    const questions = (this.questions ??= []);
    for (let i = 0; i < questions.length; i += 4) if (questions[i] === kind && questions[i + 1] === first && questions[i + 2] === second) return;
    questions.push(kind, first, second, answer);
  }

  /** Begins the questions of a service. */
  start(): void {
    this.questions = undefined;
    this.findings = undefined;
  }

  exists(path: string): boolean {
    const answer = this.base.exists(path);
    this.note(EXISTS, path, undefined, answer);
    return answer;
  }

  readFile(path: string): string | undefined {
    const answer = this.base.readFile(path);
    this.note(READ, path, undefined, answer);
    return answer;
  }

  resolvePath(node: ComposeNode, path: string): string {
    const answer = this.base.resolvePath(node, path);
    this.note(RESOLVE, node.file, path, answer);
    return answer;
  }

  joinPath(base: string, path: string): string {
    const answer = this.base.joinPath(base, path);
    this.note(JOIN, base, path, answer);
    return answer;
  }
}
