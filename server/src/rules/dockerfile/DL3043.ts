import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3043: Rule = {
  id: 'DL3043',
  source: 'hadolint',
  severity: 'error',
  summary: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  docs: `\`ONBUILD\` stores an instruction to run when another Dockerfile builds \`FROM\` this image. Docker refuses three instructions as such triggers: \`ONBUILD\` (no chaining), \`FROM\` (a trigger cannot start a new stage) and \`MAINTAINER\`. Write the trigger as a different instruction, or drop it (use \`LABEL\` for the author).`,
  examples: {
    fire: ['FROM alpine:3.20\nONBUILD ONBUILD RUN echo nested\n', 'FROM alpine:3.20\nONBUILD FROM debian:12\n', 'FROM alpine:3.20\nONBUILD MAINTAINER Jane Doe\n'],
    pass: ['FROM alpine:3.20\nONBUILD COPY . /app\nONBUILD RUN make -C /app\n'],
  },
  ...perInstruction({
    names: ['ONBUILD'],
    triggers: false,
    visit(instruction, _context, report) {
      const trigger = instruction.trigger;
      if (!trigger) return;
      if (trigger.name !== 'ONBUILD' && trigger.name !== 'FROM' && trigger.name !== 'MAINTAINER') return;
      report({ range: trigger.keywordRange, message: `${trigger.name} is not allowed as an ONBUILD trigger` });
    },
  }),
};
