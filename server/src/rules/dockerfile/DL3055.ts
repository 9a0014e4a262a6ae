import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

/** A short (7) or full (40) lower-case hexadecimal git commit hash. */
export function isGitHash(value: string): boolean {
  return /^(?:[0-9a-f]{7}|[0-9a-f]{40})$/.test(value);
}

export const DL3055: Rule & WithExampleSettings = {
  id: 'DL3055',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is not a valid git hash.',
  docs: `Reported only when the label schema gives a label the kind \`hash\`: its value must be a git commit hash, either the short form (7 hexadecimal digits) or the full 40, in lower case — what \`git rev-parse --short HEAD\` or \`git rev-parse HEAD\` print. A branch or tag name does not pin the source the image was built from.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.revision="main"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="3F9A2C1"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="3f9a2c1"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="3f9a2c1d4e5b6a7980716253443f2e1d0c9b8a79"\n',
      'FROM alpine:3.20\nARG GIT_SHA\nLABEL org.opencontainers.image.revision=$GIT_SHA\n',
    ],
  },
  ...checkLabelFormat('hash', isGitHash, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not a git hash: '${value}' (expected 7 or 40 lower-case hexadecimal digits)` })),
};
