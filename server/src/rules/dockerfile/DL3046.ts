import { findFlags, hasFlag } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** useradd options that take a value (short and long). */
const USERADD_OPTIONS_WITH_VALUES = [
  '-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid',
  '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-s', '--shell',
  '-u', '--uid', '-Z', '--selinux-user', '--selinux-range',
];

export const DL3046: Rule = {
  id: 'DL3046',
  source: 'hadolint',
  severity: 'warning',
  summary: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  docs: `\`useradd\` records every user in \`/var/log/lastlog\` and \`/var/log/faillog\`, sparse files sized by the highest UID. In an image layer a sparse file is stored in full, so a UID such as \`100000\` or more adds gigabytes of zeros. Pass \`-l\` (\`--no-log-init\`) whenever you give \`useradd\` a high UID.`,
  examples: {
    fire: ['FROM debian:12\nRUN useradd -u 123456 app\n', 'FROM debian:12\nARG APP_UID=2000000\nRUN groupadd app && useradd --uid="${APP_UID}" -g app app\n'],
    pass: [
      'FROM debian:12\nRUN useradd -l -u 123456 app\n',
      'FROM debian:12\nRUN useradd --no-log-init --uid 123456 app\n',
      'FROM debian:12\nRUN useradd -u 10001 app\n',
      'FROM debian:12\nRUN useradd -r -s /bin/false -u "$APP_UID" app\n',
    ],
  },
  ...perInstruction({
    commands: ['useradd'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool: command, name } of context.commandsOf(instruction)) {
        if (name !== 'useradd') continue;
        const uidFlag = findFlags(command, 'u', 'uid', USERADD_OPTIONS_WITH_VALUES).at(-1);
        if (!uidFlag || hasFlag(command, 'l', 'no-log-init', USERADD_OPTIONS_WITH_VALUES)) continue;
        let uid = uidFlag.value;
        if (uid === undefined) {
          // `-u "$UID"`: the ARG or ENV value, when the Dockerfile says what it is.
          const raw = uidFlag.valueWord?.raw ?? (uidFlag.word.raw.startsWith('--') ? uidFlag.word.raw.slice(uidFlag.word.raw.indexOf('=') + 1) : undefined);
          if (raw !== undefined) uid = context.model.expand(raw, instruction).value;
        }
        if (uid === undefined || !/^[0-9]{6,}$/.test(uid)) continue;
        report({
          range: { start: uidFlag.word.docRange.start, end: (uidFlag.valueWord ?? uidFlag.word).docRange.end },
          message: `useradd with the high UID ${uid} and without -l (--no-log-init): the lastlog and faillog files grow to fit it and bloat the image`,
        });
      }
    },
  }),
};
