import { perStage } from '../context';
import type { Rule } from '../types';

export const DL3007: Rule = {
  id: 'DL3007',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag.',
  docs: `\`:latest\` is whatever the publisher pushed last, so builds stop being reproducible and can break without a change on your side. Use a release tag, or a digest.`,
  examples: {
    fire: ['FROM node:latest\n', 'FROM ghcr.io/acme/tool:latest AS tool\n'],
    pass: ['FROM node:22-alpine\n', 'FROM node:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, _context, report) {
      const from = stage.from.from;
      if (from?.imageTag?.value === 'latest' && !from.imageDigest) {
        report({ range: from.imageTag.range, message: 'Using latest is prone to errors if the image will ever update: pin the version to a release tag' });
      }
    },
  }),
};
