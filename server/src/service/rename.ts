/**
 * Rename for stages and ARG/ENV variables, over the symbol index of
 * navigation.ts (which decides what belongs together: see the rules there).
 *
 * What can be renamed: a stage name (at `AS name`, `FROM name`, `--from=name`
 * or `from=name` in a mount) and a variable declared by ARG or ENV (at its
 * declaration or any use, shell-expanded `$NAME` in RUN included). Every
 * occurrence of the symbol in the document is rewritten; numeric `--from=0`
 * references keep pointing at the stage by index and are left as they are.
 *
 * What is refused, with a reason: anything that is not such a name
 * (instruction keywords, image names, flags, plain words), predefined ARGs the
 * builder sets (TARGETPLATFORM, HTTP_PROXY, …), a numeric stage index, a name
 * written through a variable, and a `$NAME` that no ARG/ENV declares.
 *
 * The new name is checked the way Docker checks it: a stage name must match
 * `^[a-z][a-z0-9-_.]*$` once lower-cased (Docker lower-cases stage names
 * before checking, so `Build` is accepted and compared as `build`) and not be
 * `scratch` or `context`, nor the name of another stage; a variable name must
 * match `^[A-Za-z_][A-Za-z0-9_]*$` and not be a predefined ARG. Finally the
 * renamed text is analysed again and every stage and variable reference must
 * resolve exactly as before; otherwise the rename is refused, naming the first
 * place whose meaning would change (a capture by another variable or stage of
 * the new name, or a use the rename cannot rewrite, such as `--from=$STAGE`).
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { analyzeDockerfile, isReservedStageName, isValidStageName, predefinedArg, type DockerfileModel, type TextRange } from '../dockerfile';
import { occurrenceAt, symbolIndex, toRange, type DockerfileSymbol, type Occurrence } from './navigation';

/** Why a rename cannot be done; the adapter reports it to the user as an error. */
export interface RenameRefusal {
  error: string;
}

export type PrepareRenameOutcome = { range: Range; placeholder: string } | RenameRefusal;
export type RenameOutcome = WorkspaceEdit | RenameRefusal;

export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isRenameRefusal(outcome: PrepareRenameOutcome | RenameOutcome): outcome is RenameRefusal {
  return typeof (outcome as RenameRefusal).error === 'string';
}

/** The range and current text of the name at `position`, or why it cannot be renamed. */
export function dockerfilePrepareRename(document: TextDocument, model: DockerfileModel, position: Position): PrepareRenameOutcome {
  const found = renameTarget(model, document.offsetAt(position));
  if ('error' in found) return found;
  return { range: toRange(document, found.occurrence.range), placeholder: found.occurrence.text };
}

/** The edits renaming the symbol at `position` to `newName`, or why that cannot be done. */
export function dockerfileRename(document: TextDocument, model: DockerfileModel, position: Position, newName: string): RenameOutcome {
  const found = renameTarget(model, document.offsetAt(position));
  if ('error' in found) return found;
  const { symbol } = found;
  const problem = symbol.kind === 'stage' ? checkStageName(model, symbol, newName) : checkVariableName(newName);
  if (problem) return { error: problem };

  const occurrences = symbolIndex(model).occurrencesOf(symbol).filter((occurrence) => occurrence.fixed === undefined);
  const edits: TextEdit[] = occurrences.map((occurrence) => ({ range: toRange(document, occurrence.range), newText: newName }));
  const changed = meaningChange(model, occurrences, newName);
  if (changed) return { error: changed };
  return { changes: { [document.uri]: edits } };
}

// ---- what is under the cursor --------------------------------------------

type RenameTarget = { occurrence: Occurrence; symbol: DockerfileSymbol } | RenameRefusal;

function renameTarget(model: DockerfileModel, offset: number): RenameTarget {
  const occurrence = occurrenceAt(model, offset);
  if (!occurrence) return { error: notRenameable(model, offset) };
  const symbol = occurrence.symbol;
  if (!symbol) {
    return {
      error: `\`${occurrence.text}\` is not declared by an ARG or ENV instruction in this Dockerfile, so there is nothing to rename.`,
    };
  }
  if (symbol.kind === 'variable' && symbol.predefined) {
    return { error: `\`${symbol.name}\` is a build argument the builder sets itself; its name cannot be changed.` };
  }
  if (occurrence.fixed === 'index') {
    const stage = symbol.kind === 'stage' ? symbol.stage : undefined;
    return {
      error: stage?.nameToken
        ? `\`${occurrence.text}\` refers to a stage by its index; rename the stage at its name \`${stage.nameToken.value}\` instead.`
        : `\`${occurrence.text}\` refers to a stage by its index, and that stage has no name to rename.`,
    };
  }
  if (occurrence.fixed === 'indirect') {
    return {
      error:
        symbol.kind === 'stage'
          ? `\`${occurrence.text}\` names the stage through a variable or escapes; rename the stage at its \`AS\` name instead.`
          : `The name \`${occurrence.text}\` is spelled indirectly here, so it cannot be renamed.`,
    };
  }
  return { occurrence, symbol };
}

/** The reason for a position that holds no stage or variable name. */
function notRenameable(model: DockerfileModel, offset: number): string {
  for (const instruction of model.ast.instructions) {
    if (offset < instruction.range.start || offset > instruction.range.end) continue;
    for (let current: typeof instruction | undefined = instruction; current; current = current.trigger) {
      if (offset >= current.keywordRange.start && offset <= current.keywordRange.end && current.keyword) {
        return `\`${current.keyword}\` is an instruction keyword; only stage names and ARG/ENV variables can be renamed.`;
      }
      for (const flag of current.flags) {
        if (offset >= flag.range.start && offset <= (flag.valueRange?.start ?? flag.range.end) - (flag.valueRange ? 1 : 0)) {
          return `\`--${flag.name}\` is an option of ${current.name}; only stage names and ARG/ENV variables can be renamed.`;
        }
      }
    }
    const image = instruction.from?.image;
    if (image && offset >= image.range.start && offset <= image.range.end) {
      return `\`${image.value}\` is an image, not a stage of this Dockerfile; image names cannot be renamed.`;
    }
  }
  return 'Only stage names and ARG/ENV variables can be renamed.';
}

// ---- checking the new name -----------------------------------------------

function checkStageName(model: DockerfileModel, symbol: DockerfileSymbol & { kind: 'stage' }, newName: string): string | undefined {
  const lower = newName.toLowerCase();
  if (!isValidStageName(lower)) {
    return `\`${newName}\` is not a valid stage name: it must start with a letter and contain only letters, digits, \`-\`, \`_\` and \`.\`.`;
  }
  if (isReservedStageName(lower)) return `\`${lower}\` is reserved by Docker and cannot name a stage.`;
  const other = model.stages.find((stage) => stage !== symbol.stage && stage.name === lower);
  if (other) {
    const line = model.ast.lineIndex.positionAt(other.from.range.start).line + 1;
    return `A stage named \`${lower}\` already exists (line ${line}).`;
  }
  return undefined;
}

function checkVariableName(newName: string): string | undefined {
  if (!VARIABLE_NAME_PATTERN.test(newName)) {
    return `\`${newName}\` is not a valid variable name: it must start with a letter or \`_\` and contain only letters, digits and \`_\`.`;
  }
  if (predefinedArg(newName)) return `\`${newName}\` is a build argument the builder sets itself; choose another name.`;
  return undefined;
}

// ---- would the meaning change? -------------------------------------------

/**
 * Applies the rename to the text, analyses the result and compares what every
 * reference resolves to. Returns a reason when anything differs.
 */
function meaningChange(model: DockerfileModel, occurrences: Occurrence[], newName: string): string | undefined {
  const text = model.ast.text;
  const sorted = [...occurrences].sort((a, b) => a.range.start - b.range.start);
  let renamed = '';
  let last = 0;
  for (const occurrence of sorted) {
    if (occurrence.range.start < last) continue; // never overlapping; be safe
    renamed += text.slice(last, occurrence.range.start) + newName;
    last = occurrence.range.end;
  }
  renamed += text.slice(last);

  const after = analyzeDockerfile(renamed);
  const beforeGroups = resolutions(model);
  const afterGroups = resolutions(after);
  const generic = `Renaming to \`${newName}\` would change how the Dockerfile is read; choose another name.`;
  if (beforeGroups.length !== afterGroups.length) return generic;
  const describe = (where: DockerfileModel, range: TextRange): string => {
    const line = where.ast.lineIndex.positionAt(range.start).line + 1;
    return `Renaming to \`${newName}\` would change what \`${where.ast.text.slice(range.start, range.end)}\` on line ${line} refers to.`;
  };
  for (let i = 0; i < beforeGroups.length; i++) {
    const was = beforeGroups[i];
    const now = afterGroups[i];
    const count = Math.max(was.length, now.length);
    for (let j = 0; j < count; j++) {
      if (was[j] && now[j] && was[j].target === now[j].target) continue;
      // A use that the rename could not rewrite shows in the old text; a new capture in the new one.
      return was[j] ? describe(model, was[j].range) : describe(after, now[j].range);
    }
  }
  return undefined;
}

interface Resolution {
  /** Where the reference is (in the analysed text). */
  range: TextRange;
  /** What it resolves to, independent of offsets. */
  target: string;
}

/**
 * Per instruction, every variable reference and stage use in document order,
 * with what it resolves to named by instruction and key index (so the lists of
 * two versions of a text can be compared).
 */
function resolutions(model: DockerfileModel): Resolution[][] {
  const instructions = model.ast.instructions;
  const declarationIds = new Map<unknown, string>();
  instructions.forEach((instruction, i) => {
    instruction.keyValues?.forEach((pair, j) => declarationIds.set(pair, `${i}.${j}`));
  });
  const groups: Resolution[][] = instructions.map((instruction) =>
    instruction.variables.map((reference) => {
      const binding = model.lookupVariable(reference.name, instruction);
      const target = binding ? (binding.pair ? declarationIds.get(binding.pair) ?? '?' : `predefined ${binding.name}`) : 'none';
      return { range: reference.nameRange, target: `variable ${target}` };
    }),
  );
  const instructionIndex = symbolIndex(model).instructionIndex;
  for (const stage of model.stages) {
    for (const use of stage.usedBy) {
      const group = groups[instructionIndex.get(use.instruction) ?? -1];
      group?.push({ range: use.range, target: `stage ${use.kind} ${stage.index}` });
    }
  }
  for (const group of groups) group.sort((a, b) => a.range.start - b.range.start || a.target.localeCompare(b.target));
  return groups;
}
