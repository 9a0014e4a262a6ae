import type { Rule } from '../types';
import { argumentMeantAsFlagValue, editDistance, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const UnknownHealthcheckType: Rule = {
  id: 'unknown-healthcheck-type',
  source: 'syntax',
  severity: 'error',
  summary: 'HEALTHCHECK must be followed by CMD or NONE.',
  docs: `After its options, \`HEALTHCHECK\` takes either \`CMD <command>\` (the check to run) or \`NONE\` (turn off a check inherited from the base image). Writing the command directly, as in \`HEALTHCHECK curl -f http://localhost/\`, makes Docker stop with "Unknown type in HEALTHCHECK". The quick fix inserts the missing \`CMD\`, or corrects a misspelt \`CMD\`/\`NONE\`.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nHEALTHCHECK curl -f http://localhost/ || exit 1\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=30s CMDD true\n',
      'FROM alpine:3.20\nHEALTHCHECK ["curl", "-f", "http://localhost/"]\n',
    ],
    pass: [
      'FROM alpine:3.20\nHEALTHCHECK CMD curl -f http://localhost/\n',
      'FROM alpine:3.20\nhealthcheck cmd true\nHEALTHCHECK none\n',
      // `30s` is --interval's missing value (invalid-flag-value), not the type.
      'FROM alpine:3.20\nHEALTHCHECK --interval 30s CMD true\n',
    ],
  },
  ...perSyntaxTarget(['HEALTHCHECK'], (instruction, context, report) => {
    if (usesOtherFrontend(context)) return;
    const type = instruction.name === 'HEALTHCHECK' ? instruction.healthcheck?.type : undefined;
    // `HEALTHCHECK --interval 30s CMD …`: `30s` is the flag's missing value (invalid-flag-value), not a type.
    if (!type || argumentMeantAsFlagValue(instruction) === type) return;
    const upper = type.value.toUpperCase();
    if (upper === 'CMD' || upper === 'NONE') return;
    const lower = instruction.keyword === instruction.keyword.toLowerCase();
    const near = ['CMD', 'NONE'].find((candidate) => editDistance(upper, candidate) === 1);
    const fix = near
      ? { title: `Change '${type.value}' to '${lower ? near.toLowerCase() : near}'`, edits: [{ range: type.range, newText: lower ? near.toLowerCase() : near }] }
      : { title: 'Insert CMD', edits: [{ range: { start: type.range.start, end: type.range.start }, newText: lower ? 'cmd ' : 'CMD ' }] };
    report({
      range: type.range,
      message: near
        ? `Unknown HEALTHCHECK type '${type.value}' (did you mean ${near}?)`
        : `HEALTHCHECK needs CMD before the command (or NONE): '${type.value}' is not a HEALTHCHECK type`,
      fixes: [fix],
    });
  }),
};
