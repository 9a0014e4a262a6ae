import { hasFlag } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** wget options that take a value, so that their value is not read as more options. */
const WGET_OPTIONS_WITH_VALUES = [
  '-o', '--output-file', '-a', '--append-output', '-O', '--output-document', '-i', '--input-file', '-B', '--base', '-e', '--execute',
  '-t', '--tries', '-T', '--timeout', '-w', '--wait', '-U', '--user-agent', '-P', '--directory-prefix', '-Q', '--quota', '-l', '--level',
  '-D', '--domains', '-R', '--reject', '-A', '--accept', '-X', '--exclude-directories', '-I', '--include-directories', '--progress',
  '--header', '--user', '--password', '--http-user', '--http-password', '--post-data', '--post-file', '--body-data', '--body-file',
  '--method', '--load-cookies', '--save-cookies', '--ca-certificate', '--ca-directory', '--certificate', '--private-key', '--limit-rate',
  '--bind-address', '--referer', '--secure-protocol', '--connect-timeout', '--read-timeout', '--dns-timeout', '--waitretry',
];

export const DL3047: Rule = {
  id: 'DL3047',
  source: 'hadolint',
  severity: 'info',
  summary: '`wget` without flag `--progress` will result in excessively bloated build logs when downloading larger files.',
  docs: `Without a terminal, \`wget\` falls back to printing a line of dots for every few kilobytes, so one large download writes thousands of lines into the build log. Choose the output: \`--progress=dot:giga\` (one dot per larger chunk), or \`-q\` / \`-nv\` to keep \`wget\` quiet, or \`-o <file>\` to log elsewhere.`,
  examples: {
    fire: ['FROM debian:12\nRUN wget https://example.com/tool.tar.gz\n', 'FROM debian:12\nRUN wget -O /tmp/tool.tar.gz https://example.com/tool.tar.gz && tar -xzf /tmp/tool.tar.gz\n'],
    pass: [
      'FROM debian:12\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n',
      'FROM debian:12\nRUN wget -qO- https://example.com/install.sh | sh\n',
      'FROM debian:12\nRUN wget -nv https://example.com/tool.tar.gz\n',
      'FROM debian:12\nRUN wget --quiet -O /tmp/x https://example.com/x\n',
      'FROM debian:12\nRUN wget -o /tmp/wget.log https://example.com/x\n',
    ],
  },
  ...perInstruction({
    commands: ['wget'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool: command, name } of context.commandsOf(instruction)) {
        if (name !== 'wget' || !command.name) continue;
        const quiet =
          hasFlag(command, ['q', 'o', 'a'], ['quiet', 'output-file', 'append-output', 'no-verbose', 'progress'], WGET_OPTIONS_WITH_VALUES) ||
          command.args.some((arg) => arg.value === '-nv');
        if (quiet) continue;
        report({
          range: command.name.docRange,
          message: 'wget without --progress fills the build log with progress dots: use --progress=dot:giga, or -q / -nv',
        });
      }
    },
  }),
};
