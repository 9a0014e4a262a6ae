import type { Rule } from '../types';
import { eachAfterFirstInStage } from './_repeated';

export const DL4004: Rule = {
  id: 'DL4004',
  source: 'hadolint',
  severity: 'error',
  aliases: ['MultipleInstructionsDisallowed'],
  summary: 'Multiple `ENTRYPOINT` instructions found.',
  docs: `A stage's image keeps only its last \`ENTRYPOINT\`, so every earlier one is dead code that misleads the reader about what the container runs. Keep one \`ENTRYPOINT\` per stage. Each \`ENTRYPOINT\` after the first in a stage is reported.`,
  examples: {
    fire: ['FROM alpine:3.20\nENTRYPOINT ["/docker-entrypoint.sh"]\nENTRYPOINT ["/usr/local/bin/app"]\n'],
    pass: ['FROM alpine:3.20 AS debug\nENTRYPOINT ["/bin/sh"]\nFROM alpine:3.20\nENTRYPOINT ["/usr/local/bin/app"]\nCMD ["--help"]\n'],
  },
  ...eachAfterFirstInStage('ENTRYPOINT', 'Multiple ENTRYPOINT instructions in this stage: only the last one takes effect'),
};
