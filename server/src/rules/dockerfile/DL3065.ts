import { expandVariables } from '../../dockerfile';
import { perStage } from '../context';
import type { Rule } from '../types';
import { builderReferencesIn } from './_buildkit';

// Expanding with this stand-in shows whether the flag's value is $TARGETPLATFORM and nothing else.
const SENTINEL = 'sentinel-os/sentinel-arch';

export const DL3065: Rule = {
  id: 'DL3065',
  source: 'hadolint',
  severity: 'warning',
  aliases: ['RedundantTargetPlatform'],
  summary: 'Setting `FROM --platform` to predefined `$TARGETPLATFORM` is redundant as this is the default behavior.',
  docs: `A stage is built for the target platform unless told otherwise, so \`FROM --platform=$TARGETPLATFORM\` says nothing and suggests something special is going on. Drop the flag. \`--platform\` earns its place with \`$BUILDPLATFORM\`, to run compilers natively while cross-building for the target.`,
  examples: {
    fire: ['FROM --platform=$TARGETPLATFORM alpine:3.20\n', 'FROM --platform=${TARGETPLATFORM} golang:1.23 AS build\n'],
    pass: ['FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM alpine:3.20\n', 'FROM --platform=linux/arm64 alpine:3.20\n', 'ARG VARIANT=\nFROM --platform=${TARGETPLATFORM}${VARIANT} alpine:3.20\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, context, report) {
      const from = stage.from;
      const flag = from.from?.platform;
      if (!flag || flag.value === undefined || !flag.valueRange) return;
      const references = builderReferencesIn(from, flag.valueRange);
      // Only TARGETPLATFORM is substituted, and the result is exactly its value.
      if (references.length === 0 || references.some((reference) => reference.name !== 'TARGETPLATFORM' || reference.malformed)) return;
      const expanded = expandVariables(flag.value, (name) => (name === 'TARGETPLATFORM' ? SENTINEL : undefined), {
        escapeChar: context.model.ast.escapeChar,
        processQuotes: false,
      });
      if (expanded.value !== SENTINEL) return;
      // Remove the flag and the blanks after it.
      let end = flag.range.end;
      while (context.text[end] === ' ' || context.text[end] === '\t') end++;
      report({
        range: flag.range,
        message: `--platform=${flag.rawValue ?? flag.value} is redundant: FROM already pulls the base image for the target platform`,
        fixes: [{ title: 'Remove the --platform flag', edits: [{ range: { start: flag.range.start, end }, newText: '' }] }],
      });
    },
  }),
};
