import type { Rule } from '../types';
import { perSyntaxTarget, usesOtherFrontend } from './_syntax';

const NOT_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export const InvalidOnbuildTrigger: Rule = {
  id: 'invalid-onbuild-trigger',
  source: 'syntax',
  severity: 'error',
  summary: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.',
  docs: `\`ONBUILD\` records an instruction to run at the start of builds based on this image. Docker refuses three instructions as triggers: \`ONBUILD\` itself (triggers cannot be chained), \`FROM\` (the later build already has its own base) and \`MAINTAINER\`. Move what you need into the child Dockerfile, or record the author with \`LABEL\`.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nONBUILD ONBUILD RUN echo hi\n',
      'FROM alpine:3.20\nONBUILD FROM debian:12\n',
      'FROM alpine:3.20\nonbuild maintainer Jane Doe\n',
    ],
    pass: ['FROM alpine:3.20\nONBUILD RUN echo hi\nONBUILD COPY . /app\n', 'FROM alpine:3.20\nONBUILD LABEL stage=child\n'],
  },
  ...perSyntaxTarget([...NOT_TRIGGERS], (instruction, context, report, onbuild) => {
    if (!onbuild || usesOtherFrontend(context)) return;
    report({
      range: instruction.keywordRange,
      message:
        instruction.name === 'ONBUILD'
          ? 'ONBUILD triggers cannot be chained: ONBUILD ONBUILD is not allowed'
          : `${instruction.name} is not allowed as an ONBUILD trigger`,
    });
  }),
};
