import type { Stage } from '../../dockerfile';
import type { Rule } from '../types';
import type { WithExampleSettings } from './_labels';

export const DL3049: Rule & WithExampleSettings = {
  id: 'DL3049',
  source: 'hadolint',
  severity: 'info',
  summary: 'Label `<label>` is missing.',
  docs: `Reported only when a label schema is configured (\`label-schema\` in \`.hadolint.yaml\`, or \`--require-label\`): every label in the schema must be set in the image, so a stage that ends up as an image but sets no such label is reported at its \`FROM\`. A stage built \`FROM\` an earlier stage that sets the label inherits it. Stages that other stages build on or copy from are intermediate steps, not shipped images, and are not reported. Add the label with \`LABEL\`.

The examples assume this \`.hadolint.yaml\`:

\`\`\`yaml
label-schema:
  org.opencontainers.image.title: text
\`\`\``,
  exampleSettings: { labelSchema: new Map([['org.opencontainers.image.title', 'text']]) },
  examples: {
    fire: ['FROM alpine:3.20\nRUN echo hello\n', 'FROM golang:1.23 AS build\nLABEL org.opencontainers.image.title="Shop"\nFROM alpine:3.20\nCOPY --from=build /out /app\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop"\n',
      'FROM alpine:3.20 AS base\nLABEL org.opencontainers.image.title="Shop"\nFROM base\nRUN echo inherits the label\n',
      'FROM golang:1.23 AS build\nRUN go build -o /out .\nFROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop"\nCOPY --from=build /out /app\n',
    ],
  },
  check(context, report) {
    // No schema (the default): nothing required.
    if (context.settings.labelSchema.size === 0) return;
    const required = [...context.settings.labelSchema.keys()];

    // Per stage: the label keys it sets, and whether some key is unknown (a variable).
    const own = new Map<Stage, { keys: Set<string>; unknownKey: boolean }>();
    for (const stage of context.model.stages) {
      const keys = new Set<string>();
      let unknownKey = false;
      for (const instruction of stage.instructions) {
        if (instruction.name !== 'LABEL') continue;
        for (const pair of instruction.keyValues ?? []) {
          const key = context.model.expand(pair.key.value, instruction).value;
          if (key === undefined) unknownKey = true;
          else keys.add(key);
        }
      }
      own.set(stage, { keys, unknownKey });
    }
    const mayHave = (stage: Stage | undefined, label: string): boolean => {
      for (let current = stage; current; current = current.base.stage) {
        const labels = own.get(current);
        if (labels && (labels.keys.has(label) || labels.unknownKey)) return true;
      }
      return false;
    };

    for (const stage of context.model.stages) {
      // Only stages nothing else builds on or copies from become images.
      if (stage.usedBy.some((use) => use.user !== stage)) continue;
      const missing = required.filter((label) => !mayHave(stage, label));
      for (const label of missing) {
        report({ range: stage.from.keywordRange, message: `Label '${label}' is missing: the label schema requires it` });
      }
    }
  },
};
