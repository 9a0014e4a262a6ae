import type { Instruction } from '../../dockerfile';
import { hasFlag, positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';

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
      for (const { script, tool, name } of context.commandsOf(instruction)) {
        if (name !== 'yum' || !tool.name) continue;
        const editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
        const positionals = positionalArgs(tool, YUM_OPTIONS_WITH_VALUES);
        const first = positionals[0];
        const second = positionals[1];
        let sub = first;
        if (first?.value !== undefined && GROUPS.has(first.value) && second?.value === 'install') sub = second;
        else if (first?.value === undefined || !INSTALLS.has(first.value)) continue;
        if (!sub || hasFlag(tool, 'y', 'assumeyes', YUM_OPTIONS_WITH_VALUES)) continue;
        const fixes: Fix[] = editable
          ? [{ title: 'Add -y', edits: [{ range: { start: sub.docRange.end, end: sub.docRange.end }, newText: ' -y' }] }]
          : [];
        report({
          range: { start: tool.name.docRange.start, end: sub.docRange.end },
          message: `yum ${sub === first ? sub.value : `${first?.value} install`} without -y waits for a confirmation no one can give during a build: add -y`,
          fixes,
        });
      }
    },
  }),
};

const INSTALLS = new Set(['install', 'groupinstall', 'localinstall']);
const GROUPS = new Set(['group', 'groups', 'module']);
const YUM_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '-x', '--exclude', '--color', '--releasever', '--setopt', '--downloaddir', '--disableplugin',
  '--enableplugin',
];

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
