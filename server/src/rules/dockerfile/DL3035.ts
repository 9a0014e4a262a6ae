import { positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3035: Rule = {
  id: 'DL3035',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Do not use `zypper dist-upgrade`.',
  docs: `\`zypper dist-upgrade\` (\`dup\`) moves the whole system to whatever the repositories currently offer, possibly a new distribution release, so the image depends on the day it was built and may break. Build from a newer base image instead, and install or update only the packages you need, with pinned versions.`,
  examples: {
    fire: ['FROM opensuse/tumbleweed\nRUN zypper -n dist-upgrade\n', 'FROM opensuse/tumbleweed\nRUN zypper --non-interactive dup --no-recommends\n'],
    pass: ['FROM opensuse/leap:15.6\nRUN zypper -n update curl\n', 'FROM opensuse/leap:15.6\nRUN echo zypper dup\n'],
  },
  ...perInstruction({
    commands: ['zypper'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name !== 'zypper') continue;
        const sub = positionalArgs(tool, ZYPPER_OPTIONS_WITH_VALUES)[0];
        if (sub?.value !== 'dist-upgrade' && sub?.value !== 'dup') continue;
        report({ range: sub.docRange, message: `Do not use zypper ${sub.value}: start from a newer base image and install pinned packages instead` });
      }
    },
  }),
};

const ZYPPER_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];
