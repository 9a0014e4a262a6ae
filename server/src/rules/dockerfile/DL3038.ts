import type { Instruction } from '../../dockerfile';
import { hasFlag, positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';

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
      for (const { script, tool, name } of context.commandsOf(instruction)) {
        if ((name !== 'dnf' && name !== 'microdnf') || !tool.name) continue;
        const editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
        const [first, second] = positionalArgs(tool, DNF_OPTIONS_WITH_VALUES);
        let sub = first;
        if (first?.value !== undefined && GROUPS.has(first.value) && second?.value === 'install') sub = second;
        else if (first?.value === undefined || !INSTALLS.has(first.value)) continue;
        if (!sub || hasFlag(tool, 'y', 'assumeyes', DNF_OPTIONS_WITH_VALUES)) continue;
        const fixes: Fix[] = editable
          ? [{ title: 'Add -y', edits: [{ range: { start: sub.docRange.end, end: sub.docRange.end }, newText: ' -y' }] }]
          : [];
        report({
          range: { start: tool.name.docRange.start, end: sub.docRange.end },
          message: `${name} ${sub === first ? sub.value : `${first?.value} install`} without -y waits for a confirmation no one can give during a build: add -y`,
          fixes,
        });
      }
    },
  }),
};

const INSTALLS = new Set(['install', 'groupinstall', 'localinstall']);
const GROUPS = new Set(['group', 'groups', 'module']);
const DNF_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x', '--exclude', '--color', '--releasever', '--setopt',
  '--downloaddir', '--destdir', '--disableplugin', '--enableplugin', '--forcearch', '--comment', '--repofrompath',
];

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
