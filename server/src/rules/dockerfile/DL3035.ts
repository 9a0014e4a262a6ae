import { allCommands, commandName, positionalArgs, unwrap } from '../../shell';
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
  check(context, report) {
    for (const instruction of context.allInstructions()) {
      for (const script of context.scripts(instruction)) {
        for (const command of allCommands(script.parsed)) {
          const tool = unwrap(command);
          if (commandName(tool) !== 'zypper') continue;
          const sub = positionalArgs(tool, ZYPPER_OPTIONS_WITH_VALUES)[0];
          if (sub?.value !== 'dist-upgrade' && sub?.value !== 'dup') continue;
          report({ range: sub.docRange, message: `Do not use zypper ${sub.value}: start from a newer base image and install pinned packages instead` });
        }
      }
    }
  },
};

const ZYPPER_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];
