import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

// RFC 5322 addr-spec: dot-atom or quoted local part, dot-atom or literal domain.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const DOMAIN_LITERAL = '\\[[^\\[\\]\\\\\\s]*\\]';
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

/** A bare e-mail address (RFC 5322 addr-spec): `jane@example.com`, not `Jane <jane@example.com>`. */
export function isEmail(value: string): boolean {
  return ADDR_SPEC.test(value);
}

export const DL3058: Rule & WithExampleSettings = {
  id: 'DL3058',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is not a valid email format - must conform to RFC5322.',
  docs: `Reported only when the label schema gives a label the kind \`email\`: its value must be a bare e-mail address as RFC 5322 defines one (\`team@example.com\`). A display name around it (\`Team <team@example.com>\`), a list, or a URL is not one. If the label should hold a name too, give it the kind \`text\` in the schema.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Payments Team <payments@example.com>"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="payments at example.com"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="payments@example.com"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.authors=first.last+docker@mail.example.co.uk\n',
    ],
  },
  ...checkLabelFormat('email', isEmail, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not a valid e-mail address: '${value}'` })),
};
