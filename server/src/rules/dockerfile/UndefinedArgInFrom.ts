import type { VariableReference } from '../../dockerfile';
import { perStage, type RuleContext } from '../context';
import type { Rule } from '../types';
import { BUILDKIT_DEFAULT_ARGS, builderReferencesIn, suggestName } from './_buildkit';

export const UndefinedArgInFrom: Rule = {
  id: 'UndefinedArgInFrom',
  source: 'buildkit',
  severity: 'warning',
  summary: 'FROM should only use ARGs declared before the first FROM.',
  docs: `A \`FROM\` line (its image and its \`--platform\`) can only use the ARGs declared before the first \`FROM\`, plus the platform ARGs BuildKit provides (\`BUILDPLATFORM\`, \`TARGETPLATFORM\`, \`TARGETARCH\`…). Any other name expands to an empty string, which is usually a typo (\`$BULIDPLATFORM\`) or an ARG declared inside a stage instead of at the top. Declare it before the first \`FROM\`.`,
  examples: {
    fire: ['FROM alpine:$VERSION\n', 'ARG TAG=3.20\nFROM alpine:${TAG}${SUFFIX}\n', 'FROM --platform=$BULIDPLATFORM golang:1.23\n'],
    pass: ['ARG VERSION=3.20\nFROM alpine:$VERSION\n', 'ARG DEBUG\nFROM alpine:3.20${DEBUG}\n', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n', 'ARG VARIANT\nFROM alpine:${VARIANT:-3.20}\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, context, report) {
      // Most FROM lines name their image or stage without a variable.
      const from = stage.from;
      if (from.variables.length === 0) return;
      const { declared, known } = context.memo(declaredArgs, declaredArgs);
      const check = (reference: VariableReference) => {
        if (known.has(reference.name)) return;
        const suggestion = suggestName(reference.name, declared);
        report({
          range: reference.range,
          message: `FROM uses '${reference.name}', which is not declared with ARG before the first FROM${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
        });
      };
      for (const reference of builderReferencesIn(from, from.from?.image?.range)) check(reference);
      for (const reference of builderReferencesIn(from, from.from?.platform?.valueRange)) check(reference);
    },
  }),
};

/** Every ARG before the first FROM counts, with or without a default (a table per run, shared by the stages). */
function declaredArgs(context: RuleContext): { declared: string[]; known: Set<string> } {
  const declared = [...new Set([...context.model.globalArgs.map((binding) => binding.name), ...BUILDKIT_DEFAULT_ARGS])];
  return { declared, known: new Set(declared) };
}
