import type { RuntimeState } from './runtimeState';

/**
 * A tree row's object with the engine it was drawn from. With several
 * engines shown at once a row may belong to any of them, so a command run on
 * a row acts on the row's engine, never on whichever engine is active.
 */
export type OnEngine<T> = T & { engine?: string };

/** The engine a command acts on: that of the row it was run on, else (from the palette) the active one. */
export function engineOf(state: RuntimeState, row: unknown): string | undefined {
  const engine = row && typeof row === 'object' ? (row as { engine?: unknown }).engine : undefined;
  return typeof engine === 'string' ? engine : state.activeEngine?.id;
}
