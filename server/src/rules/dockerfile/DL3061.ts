import type { Rule } from '../types';

export const DL3061: Rule = {
  id: 'DL3061',
  source: 'hadolint',
  severity: 'error',
  summary: 'A Dockerfile must begin with FROM, ARG or a comment.',
  docs: `Every build step runs inside a stage, and a stage starts at \`FROM\`. Only \`ARG\` (to parameterise the \`FROM\` lines) and comments may come before the first \`FROM\`; anything else fails the build.`,
  examples: {
    fire: ['RUN echo hello\nFROM alpine:3.20\n', 'LABEL a=b\n'],
    pass: ['# base\nARG VERSION=3.20\nFROM alpine:${VERSION}\nRUN echo hello\n'],
  },
  check(context, report) {
    for (const instruction of context.instructions) {
      if (instruction.name === 'FROM') return;
      if (instruction.name === 'ARG' || !instruction.known) continue;
      report({
        range: instruction.keywordRange,
        message: `${instruction.name} comes before any FROM: a Dockerfile must begin with FROM, ARG or a comment`,
      });
      return;
    }
  },
};
