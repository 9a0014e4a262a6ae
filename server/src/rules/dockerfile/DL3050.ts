import type { Rule } from '../types';
import { EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, perLabel, type WithExampleSettings } from './_labels';

export const DL3050: Rule & WithExampleSettings = {
  id: 'DL3050',
  source: 'hadolint',
  severity: 'info',
  summary: 'Superfluous label(s) present.',
  docs: `Reported only with strict labels on (\`strict-labels: true\` in \`.hadolint.yaml\`, or \`--strict-labels\`): then every label must be one the label schema names, so a team's images carry exactly the agreed metadata. With strict labels on and no schema at all, every label is superfluous. Remove the label, or add it to the schema.

${EXAMPLE_SCHEMA_DOC}

and \`strict-labels: true\`.`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA, strictLabels: true },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop" com.example.owner=payments\n'],
    pass: ['FROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop" org.opencontainers.image.version=1.4.2\n'],
  },
  ...perLabel({ triggers: false, enabled: (settings) => settings.strictLabels }, ({ key, keyRange }, context, report) => {
    if (key === undefined || context.settings.labelSchema.has(key)) return;
    report({ range: keyRange, message: `Superfluous label '${key}': strict labels allow only the labels in the label schema` });
  }),
};
