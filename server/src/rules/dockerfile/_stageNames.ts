import type { RuleContext } from '../context';

/**
 * The index of the first stage of each name (names come from the FROM lines, which
 * every rule may read): one table per run, shared by DL3022 and DL3024.
 */
export function firstStageIndexes(context: RuleContext): ReadonlyMap<string, number> {
  return context.memo(firstStageIndexes, readFirstStageIndexes);
}

function readFirstStageIndexes(context: RuleContext): Map<string, number> {
  const first = new Map<string, number>();
  for (const stage of context.model.stages) if (stage.name !== undefined && !first.has(stage.name)) first.set(stage.name, stage.index);
  return first;
}
