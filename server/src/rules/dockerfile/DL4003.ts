import type { Rule } from '../types';
import { eachAfterFirstInStage } from './_repeated';

export const DL4003: Rule = {
  id: 'DL4003',
  source: 'hadolint',
  severity: 'warning',
  aliases: ['MultipleInstructionsDisallowed'],
  summary: 'Multiple `CMD` instructions found.',
  docs: `A stage's image keeps only its last \`CMD\`; earlier ones do nothing, and usually mean a leftover or a misunderstanding (to run several processes, use a script or a process manager as the one \`CMD\`). Keep one \`CMD\` per stage. Each \`CMD\` after the first in a stage is reported.`,
  examples: {
    fire: ['FROM node:22\nCMD ["npm", "run", "migrate"]\nCMD ["node", "server.js"]\n'],
    pass: ['FROM node:22 AS test\nCMD ["npm", "test"]\nFROM node:22\nCMD ["node", "server.js"]\n', 'FROM node:22\nONBUILD CMD ["npm", "start"]\nCMD ["node", "server.js"]\n'],
  },
  ...eachAfterFirstInStage('CMD', 'Multiple CMD instructions in this stage: only the last one takes effect'),
};
