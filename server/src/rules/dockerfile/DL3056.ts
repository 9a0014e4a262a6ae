import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

const NUMBER = '(?:0|[1-9][0-9]*)';
const PRERELEASE_PART = `(?:${NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_PART = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRERELEASE_PART}(?:\\.${PRERELEASE_PART})*)?(?:\\+${BUILD_PART}(?:\\.${BUILD_PART})*)?$`);

/** A Semantic Versioning 2.0.0 version: MAJOR.MINOR.PATCH, optional pre-release and build parts, no leading zeros or `v`. */
export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

export const DL3056: Rule & WithExampleSettings = {
  id: 'DL3056',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` does not conform to semantic versioning.',
  docs: `Reported only when the label schema gives a label the kind \`semver\`: its value must be a semantic version — \`MAJOR.MINOR.PATCH\`, optionally followed by a pre-release (\`-rc.1\`) and build metadata (\`+build.5\`). No \`v\` prefix, no missing parts, no leading zeros. Tools sort and compare such versions reliably; anything else they have to guess at.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.version="v1.4.2"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.version="1.4"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.version="1.4.2"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.version="2.0.0-rc.1+build.5"\n',
      'FROM alpine:3.20\nARG VERSION=1.4.2\nLABEL org.opencontainers.image.version=${VERSION}\n',
    ],
  },
  ...checkLabelFormat('semver', isSemver, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not a semantic version: '${value}' (expected MAJOR.MINOR.PATCH, e.g. 1.4.2)` })),
};
