import { flagValue, positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3037: Rule = {
  id: 'DL3037',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Specify version with `zypper install -y <package>[=]<version>`.',
  docs: `An unpinned \`zypper install curl\` gets whatever version the repositories offer on the day of the build, so rebuilds can change the image or break it. Pin each package with \`=\` (\`curl=8.6.0\`) or bound it with \`>=\`, \`<=\`, \`>\` or \`<\` (quote or escape those for the shell: \`'curl>=8.6'\`). Local \`.rpm\` files, packages named by a variable, and patterns, patches or products selected with \`-t\` are not reported.`,
  examples: {
    fire: ['FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean\n', 'FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 git-core && zypper clean\n'],
    pass: [
      'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n',
      "FROM opensuse/leap:15.6\nRUN zypper -n install 'curl>=8.6' git-core\\<3 && zypper clean\n",
      'FROM opensuse/leap:15.6\nRUN zypper -n install /tmp/tool-1.0-1.x86_64.rpm && zypper clean\n',
      'FROM opensuse/leap:15.6\nRUN zypper -n install -t pattern devel_basis && zypper clean\n',
      'FROM opensuse/leap:15.6\nARG PACKAGES="curl=8.6.0 git-core=2.43.0"\nRUN zypper -n install $PACKAGES && zypper clean\n',
    ],
  },
  ...perInstruction({
    commands: ['zypper'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name !== 'zypper') continue;
        const positionals = positionalArgs(tool, ZYPPER_OPTIONS_WITH_VALUES);
        const sub = positionals[0]?.value;
        if (sub !== 'install' && sub !== 'in') continue;
        const type = flagValue(tool, 't', 'type', ZYPPER_OPTIONS_WITH_VALUES);
        if (type !== undefined && type !== 'package') continue;
        for (const word of positionals.slice(1)) {
          const value = word.value;
          if (value === undefined || value === '' || /[=<>]/.test(value) || value.endsWith('.rpm')) continue;
          report({ range: word.docRange, message: `Pin the version of ${value}: zypper install ${value}=<version>` });
        }
      }
    },
  }),
};

const ZYPPER_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];
