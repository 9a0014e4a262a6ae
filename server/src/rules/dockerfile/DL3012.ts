import { perStage } from '../context';
import type { Rule } from '../types';

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
  ...perStage({
    preamble: false,
    visit(instructions, _stage, _context, report) {
      // Every one after the first: a look through the stage, no list of them made.
      let seen = false;
      for (const instruction of instructions) {
        if (instruction.name !== 'HEALTHCHECK') continue;
        if (seen) report({ range: instruction.keywordRange, message: 'This stage already has a HEALTHCHECK: only the last one takes effect' });
        seen = true;
      }
    },
  }),
};
