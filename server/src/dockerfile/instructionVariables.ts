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
import { NONE } from './none';
import type { ExpansionContext, Instruction, TextRange, Token, VariableReference } from './types';
import { extractVariableReferencesInRange, scanReferences } from './variables';

const BUILDER_EXPANDED_ARGS = new Set(['ADD', 'COPY', 'VOLUME', 'EXPOSE', 'WORKDIR', 'USER', 'STOPSIGNAL']);
const SHELL_EXPANDED_COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

export function collectInstructionVariables(instruction: Instruction, source: string, escapeChar: string): VariableReference[] {
  const name = instruction.name;
  if (name === 'ONBUILD' || !instruction.known) return NONE;
  // Most instructions have no `$` at all: skip the per-token scans.
  if (instruction.heredocs.length === 0 && !instruction.logical.text.includes('$')) return NONE;
  const collector = new ReferenceCollector(instruction.logical, escapeChar);

  for (const flag of instruction.flags) {
    // Flag values were already unquoted by the flag reader; Docker then expands
    // the unquoted text, so quotes in the raw value are not shell quotes here.
    if (flag.valueLogicalRange) collector.logicalRange(flag.valueLogicalRange.start, flag.valueLogicalRange.end, 'builder', false);
  }

  if (name === 'FROM') {
    if (instruction.from?.image) collector.token(instruction.from.image, 'builder');
  } else if (name === 'ENV' || name === 'LABEL' || name === 'ARG') {
    for (const pair of instruction.keyValues ?? NONE) {
      collector.token(pair.key, 'builder');
      if (pair.value) collector.token(pair.value, 'builder');
    }
  } else if (BUILDER_EXPANDED_ARGS.has(name)) {
    for (const arg of instruction.args) collector.token(arg, 'builder', instruction.form === 'exec');
  } else if (SHELL_EXPANDED_COMMANDS.has(name)) {
    if (instruction.form === 'shell') for (const arg of instruction.args) collector.token(arg, 'shell');
  } else if (name === 'HEALTHCHECK') {
    if (instruction.form === 'shell') for (const arg of instruction.healthcheck?.command ?? NONE) collector.token(arg, 'shell');
  }

  for (const heredoc of instruction.heredocs) {
    if (heredoc.quoted) continue;
    const context: ExpansionContext = name === 'RUN' ? 'shell' : 'builder';
    collector.documentRange(source, heredoc.bodyRange, context);
  }
  return collector.references;
}

class ReferenceCollector {
  /** `NONE` until a reference is found. */
  references: VariableReference[] = NONE;
  private toDocumentRange: ((start: number, end: number) => TextRange) | undefined;
  /**
   * The first `$` at or after `dollarFrom` in the logical text is at `dollarAt`
   * (-1: none): parts are mostly visited in order, so one search serves every
   * part up to that `$` and the line is searched about once in all.
   */
  private dollarFrom = -1;
  private dollarAt = -1;

  constructor(
    private readonly logical: LogicalLine,
    private readonly escapeChar: string,
  ) {}

  /** `isJsonString`: the token is a quoted JSON string; scan inside the quotes. */
  token(token: Token, context: ExpansionContext, isJsonString = false): void {
    const { start, end } = token.logicalRange;
    if (isJsonString) this.logicalRange(start + 1, end - 1, context, true);
    else this.logicalRange(start, end, context, true);
  }

  logicalRange(start: number, end: number, context: ExpansionContext, processQuotes: boolean): void {
    if (end <= start || !this.hasDollar(start, end)) return;
    const logical = this.logical;
    const found = scanReferences(
      logical.text,
      start,
      end,
      context === 'shell' ? '\\' : this.escapeChar,
      processQuotes,
      context,
      (this.toDocumentRange ??= (from, to) => logical.sourceRange(from, to)),
    );
    this.add(found);
  }

  /** Whether logical [start, end) holds a `$`. */
  private hasDollar(start: number, end: number): boolean {
    if (!(this.dollarFrom >= 0 && this.dollarFrom <= start && (this.dollarAt < 0 || this.dollarAt >= start))) {
      this.dollarFrom = start;
      this.dollarAt = this.logical.text.indexOf('$', start);
    }
    return this.dollarAt >= 0 && this.dollarAt < end;
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
    this.add(found);
  }

  private add(found: VariableReference[]): void {
    if (found.length === 0) return;
    if (this.references === NONE) this.references = found;
    else for (const reference of found) this.references.push(reference);
  }
}
