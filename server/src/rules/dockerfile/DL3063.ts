import { isReservedStageName } from '../../dockerfile';
import { perStage } from '../context';
import type { Rule } from '../types';

export const DL3063: Rule = {
  id: 'DL3063',
  source: 'hadolint',
  severity: 'warning',
  aliases: ['ReservedStageName'],
  summary: 'Stage name should not be a reserved word.',
  docs: `\`scratch\` names the empty image and \`context\` the build context, so a stage named either cannot be told apart from them where stages are referenced (\`FROM\`, \`COPY --from\`, \`RUN --mount=from=\`). Stage names are compared without regard to case. Pick another name.`,
  examples: {
    fire: ['FROM golang:1.23 AS context\nRUN go build -o /app .\n', 'FROM alpine:3.20 AS Scratch\n'],
    pass: ['FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\n', 'FROM alpine:3.20 AS build-context\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, _context, report) {
      if (!stage.name || !stage.nameToken || !isReservedStageName(stage.name)) return;
      report({ range: stage.nameToken.range, message: `'${stage.nameToken.value}' is reserved and cannot be used as a stage name` });
    },
  }),
};
