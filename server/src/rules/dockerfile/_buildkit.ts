/**
 * Helpers shared by the BuildKit build checks (not a rule: the leading `_`
 * keeps it out of the generated rule index).
 */

import type { Instruction, TextRange, VariableReference } from '../../dockerfile';
import type { RuleContext } from '../context';

/**
 * Build arguments BuildKit defines for every build (its `defaultArgs`): usable
 * in FROM lines, and inside a stage only after `ARG NAME`.
 */
export const BUILDKIT_DEFAULT_ARGS: readonly string[] = [
  'BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
];

/**
 * Whether `# check=experimental=<name>` (or `experimental=all`) turns on an
 * experimental check, as BuildKit reads its check directive. Experimental
 * checks are off unless asked for, even under `skip=all`.
 */
export function experimentalCheckEnabled(context: RuleContext, id: string): boolean {
  for (const directive of context.model.ast.directives) {
    if (directive.name !== 'check' || !directive.active) continue;
    for (const part of directive.value.split(';')) {
      const equals = part.indexOf('=');
      if (equals < 0 || part.slice(0, equals).trim() !== 'experimental') continue;
      const names = part.slice(equals + 1).split(',').map((name) => name.trim());
      if (names.includes('all') || names.includes(id)) return true;
    }
  }
  return false;
}

/** Levenshtein distance (insertions, deletions, substitutions of UTF-16 units). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * BuildKit's "did you mean": the first candidate closer than 3 edits, closest
 * first (case-sensitive); none when the name itself is a candidate.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    if (candidate === name) return undefined;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function within(range: TextRange, outer: TextRange): boolean {
  return range.start >= outer.start && range.end <= outer.end;
}

/** References of `instruction` expanded by the builder inside `range`. */
export function builderReferencesIn(instruction: Instruction, range: TextRange | undefined): readonly VariableReference[] {
  // Asked for every FROM line: most have no variable at all.
  if (!range || instruction.variables.length === 0) return NO_REFERENCES;
  return instruction.variables.filter((reference) => reference.expandedBy === 'builder' && within(reference.range, range));
}

const NO_REFERENCES: readonly VariableReference[] = [];

/** Whether `builderReferencesIn` would find any, without the list. */
export function hasBuilderReference(instruction: Instruction, range: TextRange | undefined): boolean {
  if (!range) return false;
  for (const reference of instruction.variables) if (reference.expandedBy === 'builder' && within(reference.range, range)) return true;
  return false;
}

/** The text of a document range, when it sits on one line (so an edit there cannot swallow a continuation). */
export function singleLineText(context: RuleContext, range: TextRange): string | undefined {
  const text = context.text.slice(range.start, range.end);
  return /[\r\n]/.test(text) ? undefined : text;
}
