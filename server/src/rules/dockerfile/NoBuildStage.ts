import type { Rule } from '../types';
import { usesOtherFrontend } from './_syntax';

export const NoBuildStage: Rule = {
  id: 'no-build-stage',
  source: 'syntax',
  severity: 'error',
  summary: 'The Dockerfile declares build arguments but no FROM.',
  docs: `A Dockerfile builds one or more stages, each starting with \`FROM\`. A file holding only \`ARG\` lines has nothing to build, and Docker stops with "dockerfile contains no stages to build". Add a \`FROM\` after the arguments. (A file where another instruction comes before any \`FROM\` is reported by DL3061.)`,
  examples: {
    fire: ['ARG VERSION=3.20\n', '# base image\nARG IMAGE=alpine\nARG TAG=3.20\n'],
    pass: ['ARG VERSION=3.20\nFROM alpine:${VERSION}\n', '# nothing yet\n', 'RUN echo hello\n'],
  },
  check(context, report) {
    if (usesOtherFrontend(context)) return;
    // ONBUILD triggers run in later builds: only the file's own instructions count.
    let first: (typeof context.instructions)[number] | undefined;
    for (const instruction of context.instructions) {
      if (!instruction.known) continue;
      if (instruction.name !== 'ARG') return;
      first ??= instruction;
    }
    if (!first) return;
    report({ range: first.keywordRange, message: 'This Dockerfile has no FROM instruction, so there is no stage to build' });
  },
};
