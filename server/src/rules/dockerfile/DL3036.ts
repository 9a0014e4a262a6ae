import { perInstruction } from '../context';
import type { Rule } from '../types';
import { ZYPPER_OPTIONS_WITH_VALUES, reportUncleanedInstalls, type CacheCleaning } from './_packageManagers';

export const DL3036: Rule = {
  id: 'DL3036',
  source: 'hadolint',
  severity: 'warning',
  summary: '`zypper clean` missing after zypper use.',
  docs: `\`zypper install\` keeps repository metadata and downloaded packages in \`/var/cache/zypp\`, and whatever a \`RUN\` leaves behind stays in its layer. End the same \`RUN\` with \`zypper clean\` (\`zypper cc\`, or \`rm -rf /var/cache/zypp\`) after the last install. A cache mount on \`/var/cache/zypp\` keeps the cache out of the image, so it needs no cleaning.`,
  examples: {
    fire: ['FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n', 'FROM opensuse/leap:15.6\nRUN zypper clean && zypper -n in curl=8.6.0\n'],
    pass: [
      'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n',
      'FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && zypper cc -a\n',
      'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n install curl=8.6.0\n',
    ],
  },
  ...perInstruction({
    commands: ['zypper'],
    triggers: true,
    visit(instruction, context, report) {
      reportUncleanedInstalls(context, instruction, ZYPPER_CACHE, report);
    },
  }),
};

const ZYPPER_CACHE: CacheCleaning = {
  tools: ['zypper'],
  optionsWithValues: ZYPPER_OPTIONS_WITH_VALUES,
  installWord: ([sub]) => (sub?.value === 'install' || sub?.value === 'in' ? sub : undefined),
  cleans: ([sub]) => sub?.value === 'clean' || sub?.value === 'cc',
  cacheDirs: ['/var/cache/zypp'],
  message: () => '`zypper clean` missing after this zypper install: the package cache stays in the image layer',
};
