import { perStage } from '../context';
import type { Rule } from '../types';

export const DL3029: Rule = {
  id: 'DL3029',
  aliases: ['FromPlatformFlagConstDisallowed'],
  source: 'hadolint',
  severity: 'warning',
  summary: 'Do not use --platform flag with FROM.',
  docs: `A fixed platform (\`FROM --platform=linux/amd64 …\`) makes the image that platform wherever it is built, so a multi-platform build silently produces the wrong image for the others, and builds on other machines run under emulation. Leave the platform to the build (\`docker build --platform\`). Platform variables that BuildKit sets for each build are fine: \`--platform=$BUILDPLATFORM\` (the usual cross-compilation stage), \`$TARGETPLATFORM\`, and values built from \`$BUILDOS\`, \`$BUILDARCH\`, \`$TARGETOS\`, \`$TARGETARCH\` and their variants are not reported.`,
  examples: {
    fire: ['FROM --platform=linux/amd64 debian:12\n', 'FROM --platform=linux/arm64 golang:1.22 AS build\n'],
    pass: [
      'FROM debian:12\n',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n',
      'FROM --platform="${TARGETPLATFORM:-linux/amd64}" debian:12\n',
      'FROM --platform=$BUILDOS/$BUILDARCH golang:1.22 AS build\n',
    ],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, _context, report) {
      const from = stage.from;
      const platform = from.from?.platform;
      if (!platform || platform.value === undefined || platform.value === '') return;
      const valueRange = platform.valueRange;
      const usesBuildPlatform = from.variables.some(
        (reference) =>
          PER_BUILD.has(reference.name) && valueRange !== undefined && reference.range.start >= valueRange.start && reference.range.end <= valueRange.end,
      );
      if (usesBuildPlatform) return;
      report({
        range: platform.range,
        message: `Do not fix the platform in FROM (--platform=${platform.value}): let the build choose it, or use $BUILDPLATFORM / $TARGETPLATFORM`,
      });
    },
  }),
};

/** Platform ARGs BuildKit fills in for each build. */
const PER_BUILD = new Set(['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT']);
