import type { TextRange } from '../dockerfile';
import type { LocalCheck, RuleContext, StageCheck } from './context';
import type { LintSettings } from './settings';

/** hadolint's levels; BuildKit's checks are warnings (errors with `# check=error=true`). */
export type Severity = 'error' | 'warning' | 'info' | 'style';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'style'];

export interface TextEdit {
  range: TextRange;
  newText: string;
}

/** A quick fix offered with a finding. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  range: TextRange;
  message: string;
  fixes?: Fix[];
}

/** Where a rule's code comes from, so users find the rule under the name they know. */
export type RuleSource = 'hadolint' | 'buildkit' | 'berth' | 'syntax';

/**
 * One rule, one file: its stable code, default severity, documentation and
 * examples, and the check itself, which reads the shared model and reports.
 */
export interface Rule {
  /** `DL3008`, `ConsistentInstructionCasing`, or a syntax code. */
  id: string;
  source: RuleSource;
  severity: Severity;
  /**
   * Other tools' names for the same check (a BuildKit name for a hadolint rule).
   * The finding is reported once, under `id`; skipping or ignoring by an alias works too.
   */
  aliases?: string[];
  /**
   * `false` for rules hadolint ships switched off (DL1001, DL3057): they run only
   * when a config or setting gives them a severity.
   */
  enabledByDefault?: false;
  /** One sentence shown as the rule's title. */
  summary: string;
  /** Why it matters and what to do, in Markdown. */
  docs: string;
  /** Dockerfiles written for this project: each `fire` one must trigger the rule, each `pass` one must not. */
  examples: { fire: string[]; pass: string[] };
  /** Settings the examples need (a rule driven by configuration is silent without it). */
  exampleSettings?: Partial<LintSettings>;
  check(context: RuleContext, report: (finding: Finding) => void): void;
  /**
   * Set (with `check`) by `perInstruction` for rules that look at one
   * instruction at a time, so the incremental linter can re-check only the
   * instructions that changed. See `LocalCheck` for what such a rule promises.
   */
  local?: LocalCheck;
  /**
   * Set (with `check`) by `perStage` for rules that look at one stage at a
   * time, so the incremental linter can re-check only the stages that changed.
   * See `StageCheck` for what such a rule promises.
   */
  stage?: StageCheck;
}
