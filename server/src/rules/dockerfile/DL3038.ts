import { perInstruction } from '../context';
import type { Rule } from '../types';
import { DNF_OPTIONS_WITH_VALUES, rpmPromptingInstall, reportPromptingCommands, type AssumeYes } from './_packageManagers';

export const DL3038: Rule = {
  id: 'DL3038',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Use the -y switch to avoid manual input `dnf install -y <package>`.',
  docs: `Without \`-y\` (\`--assumeyes\`), \`dnf install\` stops to ask for confirmation; a build has no one to answer, so the command fails. Add \`-y\` (the same goes for \`microdnf\`). The quick fix inserts it after the subcommand.`,
  examples: {
    fire: ['FROM fedora:40\nRUN dnf install nginx-1.26.1 && dnf clean all\n', 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install shadow-utils-4.9\n'],
    pass: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 && dnf clean all\n',
      'FROM fedora:40\nRUN dnf --assumeyes --setopt=install_weak_deps=False install nginx-1.26.1\n',
      'FROM fedora:40\nRUN dnf -qy group install "C Development Tools and Libraries"\n',
      'FROM fedora:40\nRUN dnf makecache\n',
    ],
  },
  ...perInstruction({
    commands: ['dnf', 'microdnf'],
    triggers: true,
    visit(instruction, context, report) {
      reportPromptingCommands(context, instruction, DNF_ASSUME_YES, report);
    },
  }),
};

const DNF_ASSUME_YES: AssumeYes = {
  tools: ['dnf', 'microdnf'],
  optionsWithValues: DNF_OPTIONS_WITH_VALUES,
  prompting: rpmPromptingInstall,
  short: 'y',
  long: 'assumeyes',
  fix: { title: 'Add -y', newText: ' -y', after: 'subcommand' },
  message: (tool, subcommand) => `${tool} ${subcommand} without -y waits for a confirmation no one can give during a build: add -y`,
};
