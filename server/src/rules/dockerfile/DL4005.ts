import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL4005: Rule = {
  id: 'DL4005',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Use SHELL to change the default shell.',
  docs: `Relinking \`/bin/sh\` (\`ln -sf /bin/bash /bin/sh\`) changes the shell for every program in the image that calls \`/bin/sh\`, not just for your \`RUN\` lines, and hides the change from anyone reading the Dockerfile. To run \`RUN\` commands with another shell, say so with \`SHELL ["/bin/bash", "-c"]\`.`,
  examples: {
    fire: ['FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n', 'FROM debian:12\nRUN rm /bin/sh && ln -s /bin/bash /bin/sh\n'],
    pass: ['FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', 'FROM debian:12\nRUN ln -sf /usr/share/zoneinfo/UTC /etc/localtime\n'],
  },
  ...perInstruction({
    commands: ['ln'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool: command, name } of context.commandsOf(instruction)) {
        if (name !== 'ln') continue;
        const target = command.args.find((arg) => arg.value === '/bin/sh');
        if (!target) continue;
        report({ range: target.docRange, message: 'Relinking /bin/sh changes the shell for the whole image: use SHELL to change the shell RUN uses' });
      }
    },
  }),
};
