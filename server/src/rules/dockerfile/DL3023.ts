import { asciiLowerCase } from '../../dockerfile/characters';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3023: Rule = {
  id: 'DL3023',
  source: 'hadolint',
  severity: 'error',
  summary: 'COPY --from cannot reference its own FROM alias.',
  docs: `A stage cannot copy files out of itself: while it is being built there is no finished image of it to copy from, and the build fails. To move files around inside a stage use \`RUN cp\`, or copy from another stage.`,
  examples: {
    fire: ['FROM node:22 AS web\nCOPY --from=web /app/dist /srv\n', 'FROM golang:1.22 AS build\nFROM alpine:3.20 AS final\nCOPY --from=FINAL /a /b\n'],
    pass: ['FROM node:22 AS web\nRUN npm run build\nFROM nginx:1.27 AS final\nCOPY --from=web /app/dist /usr/share/nginx/html\n'],
  },
  ...perInstruction({
    names: ['COPY'],
    having: 'flags',
    triggers: false,
    visit(instruction, context, report) {
      for (const flag of instruction.flags) {
        if (flag.name !== 'from' || flag.value === undefined || !flag.valueRange) continue;
        const stage = context.model.stageOf(instruction);
        if (!stage) return;
        const value = context.model.expandedValue(flag.value, instruction);
        if (value === undefined) continue;
        const own = stage.name !== undefined ? asciiLowerCase(value) === stage.name : false;
        const ownIndex = /^[0-9]+$/.test(value) && Number(value) === stage.index;
        if (!own && !ownIndex) continue;
        report({ range: flag.valueRange, message: `COPY --from=${value} refers to the stage this COPY is in: a stage cannot copy from itself` });
      }
    },
  }),
};
