import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL4000: Rule = {
  id: 'DL4000',
  source: 'hadolint',
  severity: 'error',
  aliases: ['MaintainerDeprecated'],
  summary: 'MAINTAINER is deprecated.',
  docs: `\`MAINTAINER\` has been deprecated since Docker 1.13. Record the author with a label instead: \`LABEL org.opencontainers.image.authors="…"\`.`,
  examples: {
    fire: ['FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n'],
    pass: ['FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n'],
  },
  ...perInstruction({
    names: ['MAINTAINER'],
    triggers: true,
    visit(instruction, _context, report) {
      const author = instruction.argsText.replace(/"/g, '\\"');
      report({
        range: instruction.keywordRange,
        message: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead',
        fixes: [
          {
            title: 'Replace MAINTAINER with LABEL org.opencontainers.image.authors',
            edits: [{ range: { start: instruction.keywordRange.start, end: instruction.range.end }, newText: `LABEL org.opencontainers.image.authors="${author}"` }],
          },
        ],
      });
    },
  }),
};
