import type { Severity } from './types';

/** Everything that changes what the rules report: hadolint's config keys plus Berth's. */
export interface LintSettings {
  /** Codes never reported (`ignored` in .hadolint.yaml, `--ignore`). */
  ignored: ReadonlySet<string>;
  /** Severity per code (`override` in .hadolint.yaml, berth.dockerfile.rules). */
  severityOverrides: ReadonlyMap<string, Severity>;
  /** Registries FROM may pull from (DL3026); empty means any. */
  trustedRegistries: readonly string[];
  /** Required labels and their kinds (DL3049–DL3058). */
  labelSchema: ReadonlyMap<string, LabelKind>;
  /** Report labels not in the schema (DL3050). */
  strictLabels: boolean;
  /** Ignore `# hadolint ignore=` pragmas. */
  disableIgnorePragma: boolean;
  /** Check RUN scripts with ShellCheck when it is installed. */
  shellcheck: boolean;
  /** Lines of the build context's .dockerignore, when one was found (CopyIgnoredFile). */
  dockerignore?: readonly string[];
}

export type LabelKind = 'text' | 'url' | 'semver' | 'hash' | 'rfc3339' | 'spdx' | 'email';

export const DEFAULT_LINT_SETTINGS: LintSettings = {
  ignored: new Set(),
  severityOverrides: new Map(),
  trustedRegistries: [],
  labelSchema: new Map(),
  strictLabels: false,
  disableIgnorePragma: false,
  shellcheck: true,
};
