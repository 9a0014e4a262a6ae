/**
 * Shared by the label rules (DL3048–DL3058): LABEL pairs with keys and values
 * as Docker stores them (quotes removed, variables expanded when known), and
 * the settings the label-schema examples assume.
 */
import type { Instruction, KeyValuePair, TextRange } from '../../dockerfile';
import { NONE } from '../../dockerfile/none';
import { newMap, perInstruction, type RuleContext } from '../context';
import type { LabelKind, LintSettings } from '../settings';
import type { Finding } from '../types';

export interface LabelEntry {
  instruction: Instruction;
  pair: KeyValuePair;
  /** The key as Docker stores it; undefined when it depends on an unknown variable. */
  key: string | undefined;
  /** The value as Docker stores it; undefined when unknown or when the pair has no value at all (a syntax error). */
  value: string | undefined;
  keyRange: TextRange;
  /** The value as written; the whole pair when the value is empty. */
  valueRange: TextRange;
}

/** The pairs of one LABEL instruction, in order (worked out once per run: every label rule asks). */
export function labelEntriesOf(context: RuleContext, instruction: Instruction): LabelEntry[] {
  const known = context.memo(labelEntriesOf, newMap<Instruction, LabelEntry[]>);
  let entries = known.get(instruction);
  if (!entries) known.set(instruction, (entries = readLabelEntries(context, instruction)));
  return entries;
}

function readLabelEntries(context: RuleContext, instruction: Instruction): LabelEntry[] {
  const entries: LabelEntry[] = [];
  for (const pair of instruction.keyValues ?? NONE) {
    const key = context.model.expandedValue(pair.key.value, instruction);
    const value = pair.value ? context.model.expandedValue(pair.value.value, instruction) : undefined;
    const valueRange = pair.value && pair.value.range.end > pair.value.range.start ? pair.value.range : pair.range;
    entries.push({ instruction, pair, key, value, keyRange: pair.key.range, valueRange });
  }
  return entries;
}

/**
 * `perInstruction` for label rules: `visit` gets every pair of every LABEL (and
 * LABEL trigger, when asked), in document order; none when the settings leave
 * the rule nothing to check (`enabled`).
 */
export function perLabel(
  options: { triggers: boolean; enabled?: (settings: LintSettings) => boolean },
  visit: (entry: LabelEntry, context: RuleContext, report: (finding: Finding) => void) => void,
) {
  return perInstruction({
    names: ['LABEL'],
    triggers: options.triggers,
    visit(instruction, context, report) {
      if (options.enabled && !options.enabled(context.settings)) return;
      for (const entry of labelEntriesOf(context, instruction)) visit(entry, context, report);
    },
  });
}

/** The labels the schema requires to be of `kind`. */
export function labelsOfKind(context: RuleContext, kind: LabelKind): Set<string> {
  const names = new Set<string>();
  for (const [name, wanted] of context.settings.labelSchema) if (wanted === kind) names.add(name);
  return names;
}

/**
 * A rule about labels whose value must have a format: reports each non-empty,
 * statically known value of a label of `kind` that `valid` rejects. Empty
 * values are DL3051's, and values hidden behind unknown variables cannot be judged.
 */
export function checkLabelFormat(kind: LabelKind, valid: (value: string) => boolean, finding: (entry: LabelEntry & { key: string; value: string }) => Finding) {
  const memoKey = `labels of kind ${kind}`;
  const wantedLabels = (context: RuleContext) => labelsOfKind(context, kind);
  return perInstruction({
    names: ['LABEL'],
    triggers: false,
    visit(instruction, context, report) {
      // No schema (the default): nothing to look up.
      if (context.settings.labelSchema.size === 0) return;
      const wanted = context.memo(memoKey, wantedLabels);
      if (wanted.size === 0) return;
      for (const entry of labelEntriesOf(context, instruction)) {
        const { key, value } = entry;
        if (key === undefined || value === undefined || value === '' || !wanted.has(key)) continue;
        if (!valid(value)) report(finding({ ...entry, key, value }));
      }
    },
  });
}

/**
 * The settings a rule's examples assume. The label rules do nothing until a
 * label schema is configured, so their examples only show anything with one.
 */
export interface WithExampleSettings {
  exampleSettings: Partial<LintSettings>;
}

/** The schema the label rules' examples are written against (as `.hadolint.yaml` would give it). */
export const EXAMPLE_LABEL_SCHEMA: ReadonlyMap<string, LabelKind> = new Map<string, LabelKind>([
  ['org.opencontainers.image.title', 'text'],
  ['org.opencontainers.image.source', 'url'],
  ['org.opencontainers.image.created', 'rfc3339'],
  ['org.opencontainers.image.licenses', 'spdx'],
  ['org.opencontainers.image.revision', 'hash'],
  ['org.opencontainers.image.version', 'semver'],
  ['org.opencontainers.image.authors', 'email'],
]);

/** How the docs show the example schema. */
export const EXAMPLE_SCHEMA_DOC = `The examples assume this \`.hadolint.yaml\`:

\`\`\`yaml
label-schema:
  org.opencontainers.image.title: text
  org.opencontainers.image.source: url
  org.opencontainers.image.created: rfc3339
  org.opencontainers.image.licenses: spdx
  org.opencontainers.image.revision: hash
  org.opencontainers.image.version: semver
  org.opencontainers.image.authors: email
\`\`\``;
