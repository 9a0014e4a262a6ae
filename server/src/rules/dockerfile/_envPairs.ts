import type { Instruction, VariableReference } from '../../dockerfile';

/**
 * Whether `reference` sits in the value of one pair of an ENV instruction and
 * names a variable another pair of that same ENV sets: Docker expands the whole
 * instruction before setting any of it, so the reference still reads the value
 * from before (DL3044's finding; UndefinedVar leaves it to DL3044).
 */
export function setBySameEnv(instruction: Instruction, reference: VariableReference): boolean {
  if (instruction.name !== 'ENV') return false;
  const pairs = instruction.keyValues ?? [];
  const inValue = pairs.findIndex(({ value }) => value !== undefined && reference.range.start >= value.range.start && reference.range.end <= value.range.end);
  return inValue >= 0 && pairs.some((pair, at) => at !== inValue && pair.key.value === reference.name);
}
