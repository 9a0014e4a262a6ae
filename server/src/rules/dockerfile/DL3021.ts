import { perInstruction } from '../context';
import type { Rule } from '../types';
import { argumentMeantAsFlagValue } from './_syntax';

export const DL3021: Rule = {
  id: 'DL3021',
  source: 'hadolint',
  severity: 'error',
  summary: 'COPY with more than 2 arguments requires the last argument to end with /.',
  docs: `When \`COPY\` is given several sources, the destination has to be a directory, and Docker only accepts it as one when it ends with \`/\`; otherwise the build fails. Write the destination with a trailing slash (\`COPY a.txt b.txt /app/\`). Here-documents count as sources too.`,
  examples: {
    fire: ['FROM alpine:3.20\nCOPY package.json package-lock.json /app\n', 'FROM alpine:3.20\nCOPY ["a.txt", "b.txt", "/srv/data"]\n'],
    pass: [
      'FROM alpine:3.20\nCOPY package.json package-lock.json /app/\n',
      'FROM alpine:3.20\nCOPY package.json /app/package.json\n',
      'FROM alpine:3.20\nCOPY ["a.txt", "b.txt", "/srv/data/"]\n',
      'FROM alpine:3.20\nARG DEST=/opt/tool/\nCOPY bin lib ${DEST}\n',
      // `build` is --from's missing value, not a source: invalid-flag-value reports the flag.
      'FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from build /out /out\n',
    ],
  },
  ...perInstruction({
    names: ['COPY'],
    triggers: true,
    visit(instruction, context, report) {
      // `COPY --from build /out /out`: `build` is the flag's missing value (invalid-flag-value), not a source.
      const sources = instruction.args.length - 1 - (argumentMeantAsFlagValue(instruction) ? 1 : 0);
      if (sources < 2) return;
      const destination = instruction.args[instruction.args.length - 1]!;
      const exec = instruction.form === 'exec';
      let value: string | undefined = destination.value;
      if (!exec) {
        // Shell-form words keep their quotes; expand variables the way the builder does.
        value = value.includes('$') || /["']/.test(value) ? context.model.expand(value, instruction).value : value;
      }
      if (value === undefined || value.endsWith('/') || value.endsWith('\\')) return;
      const quotedWord = !exec && /["']$/.test(destination.value);
      const insertAt = exec ? destination.range.end - 1 : destination.range.end;
      report({
        range: destination.range,
        message: `COPY with ${sources} sources needs a directory destination ending with '/': write '${value}/'`,
        fixes:
          quotedWord || destination.value.includes('$')
            ? []
            : [{ title: `Add a trailing '/' to ${value}`, edits: [{ range: { start: insertAt, end: insertAt }, newText: '/' }] }],
      });
    },
  }),
};
