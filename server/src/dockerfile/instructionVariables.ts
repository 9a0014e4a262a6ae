/**
 * Finds the variable references of an instruction, in the parts that get
 * expanded and by whom:
 * - by the builder: FROM image and flag values, ADD/COPY/VOLUME/EXPOSE/
 *   WORKDIR/USER/STOPSIGNAL arguments, ENV/LABEL/ARG keys and values, every
 *   flag value (`--from`, `--chown`, `--mount`, `--platform`...), and bodies
 *   of unquoted COPY/ADD heredocs (quotes are not special there);
 * - by the shell at run time: shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK
 *   commands and bodies of unquoted RUN heredocs. The shell always uses `\`
 *   as escape, whatever the escape directive says.
 * Exec-form commands are never expanded; ONBUILD's own text is not (its
 * trigger is handled as an instruction of its own).
 */

import type { LogicalLine } from './logicalLine';
import type { ExpansionContext, Instruction, TextRange, Token, VariableReference } from './types';
import { extractVariableReferencesInRange } from './variables';

const BUILDER_EXPANDED_ARGS = new Set(['ADD', 'COPY', 'VOLUME', 'EXPOSE', 'WORKDIR', 'USER', 'STOPSIGNAL']);
const SHELL_EXPANDED_COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

export function collectInstructionVariables(instruction: Instruction, source: string, escapeChar: string): VariableReference[] {
  const name = instruction.name;
  if (name === 'ONBUILD' || !instruction.known) return [];
  // Most instructions have no `$` at all: skip the per-token scans.
  if (instruction.heredocs.length === 0 && !instruction.logical.text.includes('$')) return [];
  const collector = new ReferenceCollector(instruction.logical, escapeChar);

  for (const flag of instruction.flags) {
    // Flag values were already unquoted by the flag reader; Docker then expands
    // the unquoted text, so quotes in the raw value are not shell quotes here.
    if (flag.valueLogicalRange) collector.logicalRange(flag.valueLogicalRange, 'builder', false);
  }

  if (name === 'FROM') {
    if (instruction.from?.image) collector.token(instruction.from.image, 'builder');
  } else if (name === 'ENV' || name === 'LABEL' || name === 'ARG') {
    for (const pair of instruction.keyValues ?? []) {
      collector.token(pair.key, 'builder');
      if (pair.value) collector.token(pair.value, 'builder');
    }
  } else if (BUILDER_EXPANDED_ARGS.has(name)) {
    for (const arg of instruction.args) collector.token(arg, 'builder', instruction.form === 'exec');
  } else if (SHELL_EXPANDED_COMMANDS.has(name)) {
    if (instruction.form === 'shell') for (const arg of instruction.args) collector.token(arg, 'shell');
  } else if (name === 'HEALTHCHECK') {
    if (instruction.form === 'shell') for (const arg of instruction.healthcheck?.command ?? []) collector.token(arg, 'shell');
  }

  for (const heredoc of instruction.heredocs) {
    if (heredoc.quoted) continue;
    const context: ExpansionContext = name === 'RUN' ? 'shell' : 'builder';
    collector.documentRange(source, heredoc.bodyRange, context);
  }
  return collector.references;
}

class ReferenceCollector {
  readonly references: VariableReference[] = [];

  private readonly toDocumentRange: (start: number, end: number) => TextRange;

  constructor(
    private readonly logical: LogicalLine,
    private readonly escapeChar: string,
  ) {
    this.toDocumentRange = (start, end) => logical.sourceRange(start, end);
  }

  /** `isJsonString`: the token is a quoted JSON string; scan inside the quotes. */
  token(token: Token, context: ExpansionContext, isJsonString = false): void {
    const { start, end } = token.logicalRange;
    if (isJsonString) this.logicalRange({ start: start + 1, end: end - 1 }, context, true);
    else this.logicalRange(token.logicalRange, context, true);
  }

  logicalRange(range: TextRange, context: ExpansionContext, processQuotes: boolean): void {
    if (range.end <= range.start) return;
    const found = extractVariableReferencesInRange(this.logical.text, range.start, range.end, {
      escapeChar: context === 'shell' ? '\\' : this.escapeChar,
      processQuotes,
      expandedBy: context,
      toDocumentRange: this.toDocumentRange,
    });
    for (const reference of found) this.references.push(reference);
  }

  /**
   * Heredoc bodies: Docker expands COPY/ADD bodies without treating quotes as
   * special; a RUN body is a script, where the shell's quoting applies.
   */
  documentRange(source: string, range: TextRange, context: ExpansionContext): void {
    const found = extractVariableReferencesInRange(source, range.start, range.end, {
      escapeChar: context === 'shell' ? '\\' : this.escapeChar,
      processQuotes: context === 'shell',
      expandedBy: context,
    });
    for (const reference of found) this.references.push(reference);
  }
}
