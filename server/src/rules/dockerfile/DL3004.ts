import type { Word } from '../../shell';
import { perInstruction } from '../context';
import type { Finding, Rule } from '../types';

export const DL3004: Rule = {
  id: 'DL3004',
  source: 'hadolint',
  severity: 'error',
  summary: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root.',
  docs: `RUN steps already run as the current \`USER\`, root unless you changed it, so \`sudo\` adds nothing but a dependency on the sudo package, its configuration and its TTY and environment handling, which differ between images and make builds unpredictable. Switch users with \`USER root\` … \`USER app\` around the steps that need it; to drop privileges when the container starts, use a tool made for it such as \`gosu\` or \`su-exec\`.`,
  examples: {
    fire: ['FROM debian:12\nUSER app\nRUN sudo apt-get update\n', 'FROM debian:12\nRUN env DEBIAN_FRONTEND=noninteractive sudo -E make install\n'],
    pass: ['FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n', 'FROM debian:12\nRUN apt-get install -y --no-install-recommends sudo=1.9.13p3-1+deb12u1 && echo "app ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/app\n'],
  },
  ...perInstruction({
    names: ['RUN'],
    triggers: true,
    visit(instruction, context, report) {
      const commands = context.commandsOf(instruction);
      for (let i = 0; i < commands.length; i++) {
        const { command, tool, name } = commands[i]!;
        // Only an unwrapped command has wrappers, and a sudo left as the tool is named `sudo`.
        if (tool !== command) for (const wrapper of tool.wrappers) if (isSudo(wrapper)) report(finding(wrapper));
        if (name === 'sudo' && tool.name && isSudo(tool.name)) report(finding(tool.name));
      }
    },
  }),
};

/** `sudo` or `/usr/bin/sudo`. */
function isSudo(word: Word): boolean {
  const value = word.value;
  if (value === undefined || !value.endsWith('sudo')) return false;
  return value.length === 4 || value.charCodeAt(value.length - 5) === 0x2f;
}

function finding(word: Word): Finding {
  return { range: word.docRange, message: 'Do not use sudo in a RUN: switch with USER instead (or gosu to drop privileges at run time)' };
}
