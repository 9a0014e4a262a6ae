import type { VariableReference } from '../../dockerfile';
import { perStage, type RuleContext } from '../context';
import type { Finding, Rule } from '../types';
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
      for (const reference of builderReferencesIn(from, from.from?.image?.range)) check(context, reference, report);
      for (const reference of builderReferencesIn(from, from.from?.platform?.valueRange)) check(context, reference, report);
    },
  }),
};

function check(context: RuleContext, reference: VariableReference, report: (finding: Finding) => void): void {
  if (isDeclared(context, reference.name)) return;
  const suggestion = suggestName(reference.name, declaredArgs(context));
  report({
    range: reference.range,
    message: `FROM uses '${reference.name}', which is not declared with ARG before the first FROM${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
  });
}

const DEFAULT_ARGS: ReadonlySet<string> = new Set(BUILDKIT_DEFAULT_ARGS);

/** Every ARG before the first FROM counts, with or without a default (a handful: looked through, no table made). */
function isDeclared(context: RuleContext, name: string): boolean {
  if (DEFAULT_ARGS.has(name)) return true;
  for (const binding of context.model.globalArgs) if (binding.name === name) return true;
  return false;
}

/** The names `isDeclared` accepts, each once, for "did you mean". */
function declaredArgs(context: RuleContext): string[] {
  return [...new Set([...context.model.globalArgs.map((binding) => binding.name), ...BUILDKIT_DEFAULT_ARGS])];
}
