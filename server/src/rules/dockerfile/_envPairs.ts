import type { Instruction, VariableReference } from '../../dockerfile';

/**
 * Whether `reference` sits in the value of one pair of an ENV instruction and
 * names a variable another pair of that same ENV sets: Docker expands the whole
 * instruction before setting any of it, so the reference still reads the value
 * from before (DL3044's finding; UndefinedVar leaves it to DL3044).
 */
export function setBySameEnv(instruction: Instruction, reference: VariableReference): boolean {
  if (instruction.name !== 'ENV') return false;
  // Loops, not findIndex/some: asked for every variable of every ENV, where closures would be made each time.
  const pairs = instruction.keyValues;
  if (!pairs) return false;
  let inValue = -1;
  for (let at = 0; at < pairs.length && inValue < 0; at++) {
    const value = pairs[at]!.value;
    if (value !== undefined && reference.range.start >= value.range.start && reference.range.end <= value.range.end) inValue = at;
  }
  if (inValue < 0) return false;
  for (let at = 0; at < pairs.length; at++) if (at !== inValue && pairs[at]!.key.value === reference.name) return true;
  return false;
}
