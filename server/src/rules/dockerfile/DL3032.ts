import { perInstruction } from '../context';
import type { Rule } from '../types';
import { rpmInstallWord, YUM_OPTIONS_WITH_VALUES, reportUncleanedInstalls, type CacheCleaning } from './_packageManagers';

export const DL3032: Rule = {
  id: 'DL3032',
  source: 'hadolint',
  severity: 'warning',
  summary: '`yum clean all` missing after yum command.',
  docs: `\`yum install\` leaves downloaded packages and repository metadata in \`/var/cache/yum\`, and whatever a \`RUN\` leaves behind is baked into its layer for good. End the same \`RUN\` with \`yum clean all\` (or \`rm -rf /var/cache/yum\`) after the last install. A cache mount on \`/var/cache/yum\` (\`RUN --mount=type=cache,target=/var/cache/yum …\`) keeps the cache out of the image, so it needs no cleaning.`,
  examples: {
    fire: ['FROM centos:7\nRUN yum install -y httpd-2.4.6\n', 'FROM centos:7\nRUN yum clean all && yum install -y httpd-2.4.6\n'],
    pass: [
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 \\\n && rm -rf /var/cache/yum/*\n',
      'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n',
    ],
  },
  ...perInstruction({
    commands: ['yum'],
    triggers: true,
    visit(instruction, context, report) {
      reportUncleanedInstalls(context, instruction, YUM_CACHE, report);
    },
  }),
};

const YUM_CACHE: CacheCleaning = {
  tools: ['yum'],
  optionsWithValues: YUM_OPTIONS_WITH_VALUES,
  installWord: rpmInstallWord,
  cleans: ([first, second]) => first?.value === 'clean' && second?.value === 'all',
  cacheDirs: ['/var/cache/yum'],
  message: () => '`yum clean all` missing after this yum install: the package cache stays in the image layer',
};
