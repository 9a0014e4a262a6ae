import type { Rule } from '../types';
import { flagValueRange, hasVariable, isHealthcheckNone, parseGoInt, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const InvalidHealthcheckRetries: Rule = {
  id: 'invalid-healthcheck-retries',
  source: 'syntax',
  severity: 'error',
  summary: 'HEALTHCHECK --retries must be a whole number that is not negative.',
  docs: `\`HEALTHCHECK --retries\` is how many consecutive failed checks mark the container unhealthy. Docker parses it as a 32-bit integer and rejects text, fractions and negative numbers; it does not expand variables here.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nHEALTHCHECK --retries=three CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --retries=-1 CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --retries=2.5 CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --retries=99999999999 CMD true\n',
    ],
    pass: ['FROM alpine:3.20\nHEALTHCHECK --retries=3 CMD true\n', 'FROM alpine:3.20\nHEALTHCHECK --retries= CMD true\n', 'FROM alpine:3.20\nHEALTHCHECK --retries=0 CMD true\n'],
  },
  ...perSyntaxTarget(['HEALTHCHECK'], (instruction, context, report) => {
    if (instruction.flags.length === 0 || isHealthcheckNone(instruction) || usesOtherFrontend(context)) return;
    for (const flag of instruction.flags) {
      if (flag.name !== 'retries' || flag.value === undefined || flag.value === '') continue;
      const retries = parseGoInt(flag.value, 32);
      let problem: string | undefined;
      if (retries === undefined) {
        problem = hasVariable(flag.value) ? 'Docker does not expand variables in HEALTHCHECK options' : 'use a whole number such as 3';
      } else if (retries < 0) {
        problem = 'it cannot be negative';
      }
      if (problem) report({ range: flagValueRange(instruction, flag), message: `Invalid --retries '${flag.value}': ${problem}` });
    }
  }),
};
