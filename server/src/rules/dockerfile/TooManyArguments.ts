import type { Rule } from '../types';
import { argumentMeantAsFlagValue, editDistance, perSyntaxTarget, spanOf, usesOtherFrontend } from './_syntax';

export const TooManyArguments: Rule = {
  id: 'too-many-arguments',
  source: 'syntax',
  severity: 'error',
  summary: 'The instruction has more arguments than Docker accepts.',
  docs: `\`FROM\` takes exactly one image, optionally followed by \`AS <name>\`; anything else on the line (a second image, a misspelt \`AS\`, a comment after the name) makes Docker refuse the file with "FROM requires either one or three arguments". \`HEALTHCHECK NONE\` takes nothing after \`NONE\`. Remove the extra words, or move comments to their own line: a \`#\` only starts a comment at the beginning of a line.`,
  examples: {
    fire: [
      'FROM alpine:3.20 build\n',
      'FROM alpine:3.20 AS build extra\n',
      'FROM alpine:3.20 AS build # the build stage\n',
      'FROM alpine:3.20 ASS build\n',
      'FROM alpine:3.20\nHEALTHCHECK NONE curl -f http://localhost/\n',
    ],
    pass: [
      'FROM alpine:3.20\n',
      'FROM --platform=$BUILDPLATFORM alpine:3.20 as build\n',
      // `linux/amd64` is --platform's missing value (invalid-flag-value), not the image.
      'FROM --platform linux/amd64 alpine:3.20 AS build\n',
      'FROM alpine:3.20\nHEALTHCHECK NONE\n',
      'FROM alpine:3.20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n',
    ],
  },
  ...perSyntaxTarget(['FROM', 'HEALTHCHECK'], (instruction, context, report) => {
    if (usesOtherFrontend(context)) return;
    if (instruction.name === 'FROM') {
      // `FROM --platform linux/amd64 alpine`: the first word is the flag's missing value (invalid-flag-value).
      const args = argumentMeantAsFlagValue(instruction) ? instruction.args.slice(1) : instruction.args;
      if (args.length < 2) return;
      const hasAs = args[1]!.value.toLowerCase() === 'as';
      if (hasAs && args.length === 2) return; // a missing name: missing-arguments
      if (hasAs && args.length === 3) return;
      const extra = hasAs ? args.slice(3) : args.slice(1);
      const words = extra.map((arg) => arg.value).join(' ');
      const keyword = args[1]!;
      if (!hasAs && args.length === 3 && editDistance(keyword.value.toLowerCase(), 'as') === 1) {
        const wanted = instruction.keyword === instruction.keyword.toLowerCase() ? 'as' : 'AS';
        report({
          range: keyword.range,
          message: `'${keyword.value}' is not AS: FROM takes an image and optionally AS <name>`,
          fixes: [{ title: `Change '${keyword.value}' to '${wanted}'`, edits: [{ range: keyword.range, newText: wanted }] }],
        });
        return;
      }
      report({
        range: spanOf(extra[0]!, extra[extra.length - 1]!),
        message: hasAs
          ? `Unexpected '${words}' after the stage name: FROM takes an image and optionally AS <name>`
          : `Unexpected '${words}' after the image: FROM takes an image and optionally AS <name>`,
      });
    } else if (instruction.name === 'HEALTHCHECK') {
      const health = instruction.healthcheck;
      if (health?.type?.value.toUpperCase() !== 'NONE' || health.command.length === 0) return;
      report({
        range: spanOf(health.command[0]!, health.command[health.command.length - 1]!),
        message: 'HEALTHCHECK NONE takes no arguments',
      });
    }
  }),
};
