import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

// RFC 3986 building blocks.
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT_ENCODED = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT_ENCODED})`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT_ENCODED})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT_ENCODED})*`;
const IP_LITERAL = `\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]`;
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const HIER_PART = `(?://${AUTHORITY}(?:/${SEGMENT})*|/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?|${SEGMENT_NZ}(?:/${SEGMENT})*|)`;
const QUERY = `(?:${PCHAR}|[/?])*`;
const ABSOLUTE_URI = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${HIER_PART}(?:\\?${QUERY})?(?:#${QUERY})?$`);

/** An absolute URI as RFC 3986 defines it: a scheme, then the rest in URI characters. */
export function isUri(value: string): boolean {
  return ABSOLUTE_URI.test(value);
}

export const DL3052: Rule & WithExampleSettings = {
  id: 'DL3052',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is not a valid URL.',
  docs: `Reported only when the label schema gives a label the kind \`url\`: its value must be an absolute URI as RFC 3986 defines it — a scheme such as \`https:\` followed by URI characters, so no spaces and no bare host names like \`github.com/acme/shop\`. Tools follow these links (the OCI \`source\` and \`documentation\` labels, for instance), so write the full URL.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.source="github.com/acme/shop"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://example.com/acme shop"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/acme/shop"\n',
      'FROM alpine:3.20\nARG REPO=https://git.example.com/acme/shop.git\nLABEL org.opencontainers.image.source=$REPO\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.title="not a url, and not meant to be"\n',
    ],
  },
  ...checkLabelFormat('url', isUri, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not a valid URL: '${value}'` })),
};
