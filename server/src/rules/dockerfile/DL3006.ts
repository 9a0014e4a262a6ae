import { isImageReference, splitImageReference } from '../../dockerfile';
import { perStage } from '../context';
import type { Rule } from '../types';

export const DL3006: Rule = {
  id: 'DL3006',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Always tag the version of an image explicitly.',
  docs: `An image without a tag means \`:latest\`, which moves: the same Dockerfile builds something different next month. Name the tag (or a digest) you tested with. Stage names, \`scratch\` and images given wholly by a variable are not images to tag.`,
  examples: {
    fire: ['FROM debian\n', 'FROM registry.example.com:5000/team/app AS build\n'],
    pass: ['FROM debian:12\n', 'FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000\n', 'FROM scratch\n', 'FROM alpine:3.20 AS base\nFROM base\n', 'ARG IMAGE\nFROM ${IMAGE}\n', 'FROM --platform linux/amd64 debian:12\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, _context, report) {
      const { base } = stage;
      if (base.scratch || base.stage || !base.token || base.value === undefined) return;
      // The expanded value decides: `FROM ${IMAGE}` with IMAGE=debian:12 is tagged.
      const parts = splitImageReference(base.value);
      // A name Docker cannot parse at all is invalid-image-reference's finding first.
      if (!parts.tag && !parts.digest && isImageReference(base.value)) {
        report({ range: base.token.range, message: `Always tag the version of an image explicitly: ${base.value} has no tag` });
      }
    },
  }),
};
