import { isValidStageName } from '../../dockerfile';
import type { Rule } from '../types';
import { argumentMeantAsFlagValue, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const InvalidStageName: Rule = {
  id: 'invalid-stage-name',
  source: 'syntax',
  severity: 'error',
  summary: 'A stage name must start with a letter and use only letters, digits, -, _ and .',
  docs: `Docker compares stage names case-insensitively and accepts only names that start with a letter followed by letters, digits, \`-\`, \`_\` or \`.\`. Anything else, such as \`FROM node:22 AS 1st\`, \`AS build/app\` or \`AS $NAME\` (stage names are never expanded), fails the build with "invalid name for build stage". Rename the stage, and update the \`COPY --from\` and \`FROM\` lines that refer to it.`,
  examples: {
    fire: ['FROM alpine:3.20 AS 1st\n', 'FROM alpine:3.20 AS build/app\n', 'ARG NAME=build\nFROM alpine:3.20 AS ${NAME}\n'],
    pass: ['FROM alpine:3.20 AS build-1.0_final\n', 'FROM alpine:3.20 AS Build\n', 'FROM alpine:3.20\n'],
  },
  ...perSyntaxTarget(['FROM'], (instruction, context, report) => {
    // Without the word meant as a missing --platform value (`FROM --platform linux/amd64 alpine AS 1st`).
    const args = argumentMeantAsFlagValue(instruction) ? instruction.args.slice(1) : instruction.args;
    if (args.length !== 3 || usesOtherFrontend(context)) return;
    const [, as, name] = args;
    if (!as || !name || as.value.toLowerCase() !== 'as') return;
    if (isValidStageName(name.value)) return;
    report({
      range: name.range,
      message: `Invalid stage name '${name.value}': it must start with a letter and contain only letters, digits, '-', '_' and '.'`,
    });
  }),
};
