import { perInstruction } from '../context';
import type { Rule } from '../types';
import { setBySameEnv } from './_envPairs';

export const DL3044: Rule = {
  id: 'DL3044',
  source: 'hadolint',
  severity: 'error',
  summary: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  docs: `Docker expands every value of an \`ENV\` instruction with the variables as they were *before* the instruction. In \`ENV APP_HOME=/app APP_BIN=$APP_HOME/bin\`, \`$APP_HOME\` is therefore not \`/app\` but empty (or an older value). Split the instruction: \`ENV APP_HOME=/app\` then \`ENV APP_BIN=$APP_HOME/bin\`. Referring to a variable that an earlier \`ENV\` or \`ARG\` already set is fine, and so is a variable referring to itself (\`PATH=/opt/bin:$PATH\`).`,
  examples: {
    fire: ['FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin\n', 'FROM alpine:3.20\nENV A=1 \\\n    B="${A}-x"\n', 'FROM alpine:3.20\nENV PATH=/opt/a/bin:$PATH PATH=/opt/b/bin:$PATH\n'],
    pass: [
      'FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_BIN=$APP_HOME/bin\n',
      'FROM alpine:3.20\nENV PATH=/opt/app/bin:$PATH\n',
      'FROM alpine:3.20\nARG VERSION=1.0\nENV VERSION=$VERSION TAG=v$VERSION\n',
      'FROM alpine:3.20\nENV APP=/app APPLICATION_DIR=$APPLICATION\n',
    ],
  },
  ...perInstruction({
    names: ['ENV'],
    triggers: true,
    visit(instruction, context, report) {
      if ((instruction.keyValues ?? []).length < 2) return;
      for (const reference of instruction.variables) {
        if (!setBySameEnv(instruction, reference) || context.model.lookupVariable(reference.name, instruction) !== undefined) continue;
        report({
          range: reference.range,
          message: `${reference.name} is set by this same ENV instruction, so here it still has its value from before it (empty unless the base image sets it): set ${reference.name} in an earlier ENV`,
        });
      }
    },
  }),
};
