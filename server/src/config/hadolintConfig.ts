import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { TextRange } from '../dockerfile';
import type { LabelKind, LintSettings } from '../rules/settings';
import { SEVERITIES, type Severity } from '../rules/types';

export type FailureThreshold = Severity | 'none';

/** What a .hadolint.yaml says, before it is merged with defaults and flags. */
export interface HadolintConfig {
  ignored?: string[];
  override?: Partial<Record<Severity, string[]>>;
  failureThreshold?: FailureThreshold;
  trustedRegistries?: string[];
  labelSchema?: Map<string, LabelKind>;
  strictLabels?: boolean;
  disableIgnorePragma?: boolean;
}

export interface ConfigProblem {
  message: string;
  range: TextRange;
  severity: 'error' | 'warning';
}

export interface ParsedConfig {
  config: HadolintConfig;
  problems: ConfigProblem[];
}

const LABEL_KINDS: readonly LabelKind[] = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'];
const THRESHOLDS: readonly FailureThreshold[] = [...SEVERITIES, 'none'];
/** hadolint's keys that concern its own output, accepted and left to the caller. */
const OUTPUT_KEYS = new Set(['format', 'no-color', 'no-fail', 'verbose', 'notrustedregistries']);

/**
 * Reads a .hadolint.yaml as hadolint does. Every problem names the key and
 * carries its range in the file; what is valid is still used.
 */
export function parseHadolintConfig(text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  const config: HadolintConfig = {};
  const rangeOf = (node: Node | null | undefined): TextRange => (node?.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 });
  const problem = (node: Node | null | undefined, message: string, severity: ConfigProblem['severity'] = 'error') =>
    problems.push({ message, range: rangeOf(node), severity });

  for (const error of document.errors) problems.push({ message: `YAML: ${error.message.split('\n')[0]}`, range: { start: error.pos[0], end: error.pos[1] }, severity: 'error' });
  if (document.errors.length > 0) return { config, problems };
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, problems };
  if (!isMap(root)) {
    problem(root, 'a hadolint config must be a mapping of keys such as ignored, override, trustedRegistries');
    return { config, problems };
  }

  const stringList = (node: unknown, key: string): string[] | undefined => {
    if (!isSeq(node)) {
      problem(node as Node, `${key} must be a list of strings`);
      return undefined;
    }
    const values: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) values.push(String(item.value));
      else problem(item as Node, `${key}: each entry must be a string`);
    }
    return values;
  };
  const boolean = (node: unknown, key: string): boolean | undefined => {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    problem(node as Node, `${key} must be true or false`);
    return undefined;
  };

  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const value = pair.value;
    switch (key) {
      case 'ignored':
        config.ignored = stringList(value, key);
        break;
      case 'trustedRegistries':
        config.trustedRegistries = stringList(value, key);
        break;
      case 'override': {
        if (!isMap(value)) {
          problem(value as Node, 'override must map error, warning, info or style to lists of codes');
          break;
        }
        config.override = {};
        for (const entry of value.items) {
          const level = isScalar(entry.key) ? String(entry.key.value) : '';
          if (!SEVERITIES.includes(level as Severity)) {
            problem(entry.key as Node, `override: unknown severity "${level}" (expected ${SEVERITIES.join(', ')})`);
            continue;
          }
          const codes = stringList(entry.value, `override.${level}`);
          if (codes) config.override[level as Severity] = codes;
        }
        break;
      }
      case 'failure-threshold': {
        const level = isScalar(value) ? String(value.value) : '';
        if (THRESHOLDS.includes(level as FailureThreshold)) config.failureThreshold = level as FailureThreshold;
        else problem(value as Node, `failure-threshold must be one of ${THRESHOLDS.join(', ')}`);
        break;
      }
      case 'label-schema': {
        if (!isMap(value)) {
          problem(value as Node, 'label-schema must map label names to kinds');
          break;
        }
        config.labelSchema = new Map();
        for (const entry of value.items) {
          const label = isScalar(entry.key) ? String(entry.key.value) : '';
          const kind = isScalar(entry.value) ? String(entry.value.value) : '';
          if (LABEL_KINDS.includes(kind as LabelKind)) config.labelSchema.set(label, kind as LabelKind);
          else problem((entry.value ?? entry.key) as Node, `label-schema.${label}: unknown kind "${kind}" (expected ${LABEL_KINDS.join(', ')})`);
        }
        break;
      }
      case 'strict-labels':
        config.strictLabels = boolean(value, key);
        break;
      case 'disable-ignore-pragma':
        config.disableIgnorePragma = boolean(value, key);
        break;
      default:
        if (!OUTPUT_KEYS.has(key)) problem(keyNode, `unknown key "${key}" in hadolint config`, 'warning');
    }
  }
  return { config, problems };
}

/** Applies a config on top of settings; later layers (flags, editor settings) go on top of this. */
export function applyHadolintConfig(settings: LintSettings, config: HadolintConfig): LintSettings {
  const severityOverrides = new Map(settings.severityOverrides);
  for (const level of SEVERITIES) for (const code of config.override?.[level] ?? []) severityOverrides.set(code, level);
  return {
    ...settings,
    ignored: new Set([...settings.ignored, ...(config.ignored ?? [])]),
    severityOverrides,
    trustedRegistries: config.trustedRegistries ?? settings.trustedRegistries,
    labelSchema: config.labelSchema ?? settings.labelSchema,
    strictLabels: config.strictLabels ?? settings.strictLabels,
    disableIgnorePragma: config.disableIgnorePragma ?? settings.disableIgnorePragma,
  };
}
