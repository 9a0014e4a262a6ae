import { expandVariables, isImageReference } from '../../dockerfile';
import { perStage } from '../context';
import type { Rule } from '../types';
import { hasBuilderReference } from './_buildkit';

export const InvalidDefaultArgInFrom: Rule = {
  id: 'InvalidDefaultArgInFrom',
  source: 'buildkit',
  severity: 'warning',
  summary: 'The default values of the global ARGs used in FROM should give a valid image name.',
  docs: `A Dockerfile should build without any \`--build-arg\`. When \`FROM\` is made of global ARGs, their defaults must add up to a valid image reference: \`ARG VERSION\` followed by \`FROM alpine:$VERSION\` expands to \`alpine:\` unless the caller passes \`VERSION\`, and the build fails. Give the ARG a default (\`ARG VERSION=3.20\`), or use a default in place: \`FROM alpine:\${VERSION:-3.20}\`.`,
  examples: {
    fire: ['ARG VERSION\nFROM alpine:$VERSION\n', 'ARG IMAGE\nFROM $IMAGE\n', 'ARG SUFFIX=":"\nFROM alpine${SUFFIX}\n'],
    pass: ['ARG VERSION=3.20\nFROM alpine:$VERSION\n', 'ARG VERSION\nFROM alpine:${VERSION:-3.20}\n', 'ARG VARIANT\nFROM alpine:3.20${VARIANT}\n', 'FROM --platform=$BUILDPLATFORM golang:1.23-${TARGETARCH}\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, context, report) {
      const model = context.model;
      const from = stage.from;
      const image = from.from?.image;
      if (!image || !hasBuilderReference(from, image.range)) return;
      // Expand with the defaults only: an ARG without default is unset, a platform ARG unknown here.
      const result = expandVariables(
        image.value,
        (name) => {
          const binding = model.lookupVariable(name, from);
          if (!binding) return undefined;
          if (binding.kind === 'predefined') return null;
          if (!binding.pair?.value) return undefined;
          return binding.value ?? null;
        },
        { escapeChar: model.ast.escapeChar },
      );
      if (result.error !== undefined || result.value === undefined) return;
      if (isImageReference(result.value)) return;
      report({
        range: image.range,
        message:
          result.value === ''
            ? `With the ARG defaults, FROM ${image.value} gives an empty image name: give the ARG a default value`
            : `With the ARG defaults, FROM ${image.value} gives "${result.value}", which is not a valid image name: give the ARG a default value`,
      });
    },
  }),
};
