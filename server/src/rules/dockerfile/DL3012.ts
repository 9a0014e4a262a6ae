import type { Rule } from '../types';
import { eachAfterFirstInStage } from './_repeated';

export const DL3012: Rule = {
  id: 'DL3012',
  source: 'hadolint',
  severity: 'error',
  summary: 'Multiple HEALTHCHECK instructions.',
  docs: `An image has one health check: when a stage has several \`HEALTHCHECK\` instructions, only the last one takes effect and the others are dead code that misleads the reader. Keep a single \`HEALTHCHECK\` per stage (combine the probes into one command if you need several).`,
  examples: {
    fire: ['FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK --interval=10s CMD curl -f http://localhost/health || exit 1\n'],
    pass: [
      'FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n',
      'FROM nginx:1.27 AS web\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nFROM web\nHEALTHCHECK NONE\n',
    ],
  },
  ...eachAfterFirstInStage('HEALTHCHECK', 'This stage already has a HEALTHCHECK: only the last one takes effect'),
};
