import { perInstruction } from '../context';
import type { Rule } from '../types';
import { rpmPromptingInstall, YUM_OPTIONS_WITH_VALUES, reportPromptingCommands, type AssumeYes } from './_packageManagers';

export const DL3030: Rule = {
  id: 'DL3030',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Use the -y switch to avoid manual input `yum install -y <package>`.',
  docs: `Without \`-y\` (\`--assumeyes\`), \`yum install\` stops to ask for confirmation; a build has no one to answer, so the command fails. Add \`-y\`. The quick fix inserts it after the subcommand.`,
  examples: {
    fire: ['FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n', 'FROM centos:7\nRUN yum groupinstall "Development Tools"\n'],
    pass: [
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
      'FROM centos:7\nRUN yum -q --assumeyes install httpd-2.4.6\n',
      'FROM centos:7\nRUN yum install -qy httpd-2.4.6\n',
      'FROM centos:7\nRUN yum --enablerepo=epel -y localinstall /tmp/tool-1.0.rpm\n',
    ],
  },
  ...perInstruction({
    commands: ['yum'],
    triggers: true,
    visit(instruction, context, report) {
      reportPromptingCommands(context, instruction, YUM_ASSUME_YES, report);
    },
  }),
};

const YUM_ASSUME_YES: AssumeYes = {
  tools: ['yum'],
  optionsWithValues: YUM_OPTIONS_WITH_VALUES,
  prompting: rpmPromptingInstall,
  short: 'y',
  long: 'assumeyes',
  fix: { title: 'Add -y', newText: ' -y', after: 'subcommand' },
  message: (tool, subcommand) => `${tool} ${subcommand} without -y waits for a confirmation no one can give during a build: add -y`,
};
