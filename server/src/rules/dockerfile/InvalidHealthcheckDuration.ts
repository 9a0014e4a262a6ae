import type { Rule } from '../types';
import { flagValueRange, hasVariable, isHealthcheckNone, parseGoDuration, perSyntaxTarget, usesOtherFrontend } from './_syntax';

const DURATION_FLAGS = ['interval', 'timeout', 'start-period', 'start-interval'];

export const InvalidHealthcheckDuration: Rule = {
  id: 'invalid-healthcheck-duration',
  source: 'syntax',
  severity: 'error',
  summary: 'A HEALTHCHECK duration is not a valid duration of at least 1ms.',
  docs: `\`HEALTHCHECK --interval\`, \`--timeout\`, \`--start-period\` and \`--start-interval\` take Go durations: a number with a unit, such as \`30s\`, \`1m30s\`, \`1.5h\` or \`500ms\` (units \`ns\`, \`us\`, \`ms\`, \`s\`, \`m\`, \`h\`). A bare number like \`30\` has no unit and is rejected, as is anything below one millisecond other than \`0\` (which means "use the default"). Docker does not expand variables in these options, so \`--interval=$INTERVAL\` fails too.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nHEALTHCHECK --interval=30 CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --timeout=3 seconds CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --start-period=100us CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=-5s CMD true\n',
      'FROM alpine:3.20\nARG INTERVAL=30s\nHEALTHCHECK --interval=$INTERVAL CMD true\n',
    ],
    pass: [
      'FROM alpine:3.20\nHEALTHCHECK --interval=1m30s --timeout=500ms --start-period=0 --start-interval=1.5s CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval= CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=oops NONE\n',
    ],
  },
  ...perSyntaxTarget(['HEALTHCHECK'], (instruction, context, report) => {
    if (instruction.flags.length === 0 || isHealthcheckNone(instruction) || usesOtherFrontend(context)) return;
    for (const flag of instruction.flags) {
      if (!DURATION_FLAGS.includes(flag.name) || flag.value === undefined || flag.value === '') continue;
      const duration = parseGoDuration(flag.value);
      let problem: string | undefined;
      if (duration === undefined) {
        problem = hasVariable(flag.value)
          ? 'Docker does not expand variables in HEALTHCHECK options'
          : /^[+-]?\d+(?:\.\d*)?$/.test(flag.value)
            ? `add a unit, such as ${flag.value}s`
            : 'use a number with a unit, such as 30s, 1m30s or 500ms';
      } else if (duration !== 0 && duration < 1e6) {
        problem = 'it must be 0 or at least 1ms';
      }
      if (!problem) continue;
      report({ range: flagValueRange(instruction, flag), message: `Invalid --${flag.name} '${flag.value}': ${problem}` });
    }
  }),
};
