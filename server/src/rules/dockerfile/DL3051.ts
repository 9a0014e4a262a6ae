import type { Rule } from '../types';
import { EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, perLabel, type WithExampleSettings } from './_labels';

export const DL3051: Rule & WithExampleSettings = {
  id: 'DL3051',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is empty.',
  docs: `Reported only when a label schema is configured: a label the schema requires is set, but to an empty value, which satisfies the letter of the schema and nothing else. Give it a real value. A value that comes from a variable is judged by the variable's value when that is known (an \`ARG\` default, an \`ENV\`), and not at all otherwise.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.title=""\n', 'FROM alpine:3.20\nARG TITLE=\nLABEL org.opencontainers.image.title=$TITLE\n'],
    pass: ['FROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop" com.example.note=""\n', 'FROM alpine:3.20\nARG TITLE\nLABEL org.opencontainers.image.title=$TITLE\n'],
  },
  ...perLabel({ triggers: false, enabled: (settings) => settings.labelSchema.size > 0 }, ({ key, value, pair }, context, report) => {
    if (key === undefined || value !== '' || !context.settings.labelSchema.has(key)) return;
    report({ range: pair.range, message: `Label '${key}' is empty` });
  }),
};
