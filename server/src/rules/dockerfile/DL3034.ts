import type { Instruction } from '../../dockerfile';
import { hasFlag, positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';

export const DL3034: Rule = {
  id: 'DL3034',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Non-interactive switch missing from `zypper` command: `zypper install -y`.',
  docs: `\`zypper install\`, \`remove\`, \`source-install\` and \`patch\` ask for confirmation unless told not to; in a build nobody answers and the command fails. Pass \`-n\` (\`--non-interactive\`, before the subcommand) or \`-y\` (\`--no-confirm\`, after it). The quick fix adds \`-n\` right after \`zypper\`.`,
  examples: {
    fire: ['FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean\n', 'FROM opensuse/leap:15.6\nRUN zypper rm vim\n'],
    pass: [
      'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n',
      'FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl=8.6.0 && zypper clean\n',
      'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean\n',
      'FROM opensuse/leap:15.6\nRUN zypper rm --no-confirm vim\n',
      'FROM opensuse/leap:15.6\nRUN zypper refresh\n',
    ],
  },
  ...perInstruction({
    commands: ['zypper'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { script, tool, name } of context.commandsOf(instruction)) {
        if (name !== 'zypper' || !tool.name) continue;
        const editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
        const sub = positionalArgs(tool, ZYPPER_OPTIONS_WITH_VALUES)[0];
        if (sub?.value === undefined || !PROMPTING.has(sub.value)) continue;
        if (hasFlag(tool, ['n', 'y'], ['non-interactive', 'no-confirm'], ZYPPER_OPTIONS_WITH_VALUES)) continue;
        const at = tool.name.docRange.end;
        const fixes: Fix[] = editable ? [{ title: 'Add -n (--non-interactive)', edits: [{ range: { start: at, end: at }, newText: ' -n' }] }] : [];
        report({
          range: { start: tool.name.docRange.start, end: sub.docRange.end },
          message: `zypper ${sub.value} without -n or -y waits for a confirmation no one can give during a build: use zypper -n ${sub.value}`,
          fixes,
        });
      }
    },
  }),
};

const PROMPTING = new Set(['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']);
const ZYPPER_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
