import { perInstruction } from '../context';
import type { Rule } from '../types';

export const FromAsCasing: Rule = {
  id: 'FromAsCasing',
  source: 'buildkit',
  severity: 'warning',
  summary: 'The AS keyword should match the casing of FROM.',
  docs: `\`FROM\` and \`AS\` are read case-insensitively, but mixing cases (\`FROM image as build\`) reads as a typo. Write \`AS\` in the same case as \`FROM\`.`,
  examples: {
    fire: ['FROM alpine:3.20 as build\n', 'from alpine:3.20 AS build\n'],
    pass: ['FROM alpine:3.20 AS build\n', 'from alpine:3.20 as build\n'],
  },
  ...perInstruction({
    names: ['FROM'],
    triggers: false,
    visit(from, _context, report) {
      const keyword = from.keyword;
      const as = from.from?.asKeyword;
      if (!as) return;
      const fromUpper = keyword === keyword.toUpperCase();
      const fromLower = keyword === keyword.toLowerCase();
      const wanted = fromUpper ? 'AS' : fromLower ? 'as' : undefined;
      if (!wanted || as.value === wanted) return;
      report({
        range: as.range,
        message: `'${as.value}' and '${keyword}' keywords' casing do not match`,
        fixes: [{ title: `Write '${wanted}'`, edits: [{ range: as.range, newText: wanted }] }],
      });
    },
  }),
};
