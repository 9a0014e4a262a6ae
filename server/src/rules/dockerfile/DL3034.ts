import { perInstruction } from '../context';
import type { Rule } from '../types';
import { ZYPPER_OPTIONS_WITH_VALUES, reportPromptingCommands, type AssumeYes } from './_packageManagers';

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
      reportPromptingCommands(context, instruction, ZYPPER_ASSUME_YES, report);
    },
  }),
};

const PROMPTING = new Set(['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']);

const ZYPPER_ASSUME_YES: AssumeYes = {
  tools: ['zypper'],
  optionsWithValues: ZYPPER_OPTIONS_WITH_VALUES,
  prompting: ([sub]) => (sub?.value !== undefined && PROMPTING.has(sub.value) ? { word: sub, label: sub.value } : undefined),
  short: ['n', 'y'],
  long: ['non-interactive', 'no-confirm'],
  fix: { title: 'Add -n (--non-interactive)', newText: ' -n', after: 'tool' },
  message: (tool, subcommand) => `${tool} ${subcommand} without -n or -y waits for a confirmation no one can give during a build: use ${tool} -n ${subcommand}`,
};
