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
      const fromUpper = isUpperCase(keyword);
      const fromLower = !fromUpper && keyword === keyword.toLowerCase();
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

/** `keyword === keyword.toUpperCase()`, without the copy for the usual ASCII keyword. */
function isUpperCase(keyword: string): boolean {
  for (let i = 0; i < keyword.length; i++) {
    const code = keyword.charCodeAt(i);
    if (code >= 0x61 && code <= 0x7a) return false;
    if (code > 0x7f) return keyword === keyword.toUpperCase();
  }
  return true;
}
