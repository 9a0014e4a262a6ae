import { perStage } from '../context';
import { firstStageIndexes } from './_stageNames';
import type { Rule } from '../types';

export const DL3024: Rule = {
  id: 'DL3024',
  source: 'hadolint',
  severity: 'error',
  aliases: ['DuplicateStageName'],
  summary: 'FROM aliases (stage names) must be unique.',
  docs: `Stage names are how \`COPY --from\`, \`RUN --mount=from=\`, \`FROM <stage>\` and \`--target\` find a stage. Two stages with the same name (compared without regard to case) make those references ambiguous: give each stage its own name. BuildKit reports the same thing as \`DuplicateStageName\`; \`# check=skip=DuplicateStageName\` silences this rule too.`,
  examples: {
    fire: ['FROM golang:1.22 AS build\nFROM node:22 AS build\n', 'FROM golang:1.22 AS Build\nFROM node:22 AS build\n'],
    pass: ['FROM golang:1.22 AS build-go\nFROM node:22 AS build-web\nFROM alpine:3.20\n'],
  },
  ...perStage({
    // Other stages' names come from their FROM lines, which a stage rule may read.
    preamble: false,
    visit(_instructions, stage, context, report) {
      if (stage.name === undefined || !stage.nameToken) return;
      const first = firstStageIndexes(context).get(stage.name)!;
      if (first === stage.index) return;
      report({
        range: stage.nameToken.range,
        message: `Stage name '${stage.nameToken.value}' is already used by stage ${first}: stage names must be unique`,
      });
    },
  }),
};
