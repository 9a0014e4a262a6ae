import type { Instruction, Stage } from '../../dockerfile';

/**
 * The stage's last USER (triggers not included), shared by DL3002 and DL3066.
 * Looked for from the end: a stage's USER is usually among its last lines, so
 * this reads a few instructions where a list of the stage's USERs reads them all.
 */
export function lastUser(stage: Stage): Instruction | undefined {
  const instructions = stage.instructions;
  for (let i = instructions.length - 1; i >= 0; i--) if (instructions[i]!.name === 'USER') return instructions[i];
  return undefined;
}
