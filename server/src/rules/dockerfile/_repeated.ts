import type { Instruction } from '../../dockerfile';
import { perStage } from '../context';
import type { Finding } from '../types';

/**
 * The stage rule of DL3012, DL4003 and DL4004: every instruction named `name` after
 * the first in a stage is reported (only the last one takes effect), found by one
 * look through the stage, with no list of them made.
 */
export function eachAfterFirstInStage(name: string, message: string) {
  return perStage({
    preamble: false,
    visit(instructions: readonly Instruction[], _stage, _context, report: (finding: Finding) => void) {
      let seen = false;
      for (const instruction of instructions) {
        if (instruction.name !== name) continue;
        if (seen) report({ range: instruction.keywordRange, message });
        seen = true;
      }
    },
  });
}
