import { perInstruction } from '../context';
import type { Rule } from '../types';
import { DNF_OPTIONS_WITH_VALUES, rpmInstallWord, reportUncleanedInstalls, type CacheCleaning } from './_packageManagers';

export const DL3040: Rule = {
  id: 'DL3040',
  source: 'hadolint',
  severity: 'warning',
  summary: '`dnf clean all` missing after dnf command.',
  docs: `\`dnf install\` (and \`microdnf install\`) keeps repository metadata and packages in its cache, and whatever a \`RUN\` leaves behind stays in its layer. End the same \`RUN\` with \`dnf clean all\` (\`microdnf clean all\` for microdnf; \`rm -rf /var/cache/dnf\` or \`/var/cache/yum\` also works) after the last install. A cache mount on the cache directory keeps it out of the image, so it needs no cleaning.`,
  examples: {
    fire: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1\n',
      'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9 && dnf clean all\n',
    ],
    pass: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 && dnf clean all\n',
      'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9 \\\n && microdnf clean all\n',
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 && rm -rf /var/cache/dnf/*\n',
      'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y nginx-1.26.1\n',
    ],
  },
  ...perInstruction({
    commands: ['dnf', 'microdnf'],
    triggers: true,
    visit(instruction, context, report) {
      reportUncleanedInstalls(context, instruction, DNF_CACHE, report);
    },
  }),
};

const DNF_CACHE: CacheCleaning = {
  tools: ['dnf', 'microdnf'],
  optionsWithValues: DNF_OPTIONS_WITH_VALUES,
  installWord: rpmInstallWord,
  cleans: ([first, second]) => first?.value === 'clean' && second?.value === 'all',
  cacheDirs: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'],
  message: (tool) => `\`${tool} clean all\` missing after this ${tool} install: the package cache stays in the image layer`,
};
