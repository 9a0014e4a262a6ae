import { commandName, isInside } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3003: Rule = {
  id: 'DL3003',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Use WORKDIR to switch to a directory.',
  docs: `A \`cd\` in a RUN lasts only until the end of that RUN, and every later instruction starts over in the WORKDIR. Set the directory with \`WORKDIR\` instead: it applies to the following RUN, COPY, ADD, CMD and ENTRYPOINT instructions, creates the directory if needed and shows in the image's configuration. A \`cd\` inside a subshell \`( … )\` or a command substitution \`$( … )\` is a deliberately local change and is not reported.`,
  examples: {
    fire: ['FROM debian:12\nRUN cd /usr/src/app && make\n', 'FROM debian:12\nRUN mkdir -p /opt/tool; cd /opt/tool; ./configure\n'],
    pass: ['FROM debian:12\nWORKDIR /usr/src/app\nRUN make\n', 'FROM debian:12\nRUN (cd /opt/tool && ./configure) && echo "$(cd /opt && pwd)"\n'],
  },
  ...perInstruction({
    // A `cd` as written is a `cd` unwrapped too: only RUNs with one are visited.
    commands: ['cd'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { command } of context.commandsOf(instruction)) {
        if (commandName(command) !== 'cd' || !command.name) continue;
        if (isInside(command, 'subshell') || isInside(command, 'substitution')) continue;
        report({ range: command.name.docRange, message: 'cd only lasts until the end of this RUN: use WORKDIR to switch to a directory' });
      }
    },
  }),
};
