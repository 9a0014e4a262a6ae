/** What a `set` builtin call turns on or off (`set -euxo pipefail`, `set +e`). */
import type { SimpleCommand } from './ast';
import { commandName } from './names';

/** `set -x` letters and the `set -o` names they stand for. */
const LETTER_OPTIONS: Readonly<Record<string, string>> = {
  a: 'allexport',
  b: 'notify',
  C: 'noclobber',
  e: 'errexit',
  f: 'noglob',
  h: 'hashall',
  m: 'monitor',
  n: 'noexec',
  u: 'nounset',
  v: 'verbose',
  x: 'xtrace',
};

/**
 * Option changes made by a `set` command, by long name (`errexit`, `pipefail`):
 * true for `-`, false for `+`. Each `o` in a cluster takes the next word as an
 * option name, so `set -euxo pipefail` and `set -o errexit -o pipefail` both
 * work. Undefined when the command is not `set`.
 */
export function setCommandOptions(command: SimpleCommand): Map<string, boolean> | undefined {
  if (commandName(command) !== 'set' || command.name?.quoted) return undefined;
  const changes = new Map<string, boolean>();
  const args = command.args;
  for (let index = 0; index < args.length; index++) {
    const value = args[index]!.value;
    if (value === undefined) continue;
    const sign = value[0];
    // `set --`, `set -` and the first operand start the positional parameters.
    if (value === '--' || value === '-' || (sign !== '-' && sign !== '+')) break;
    const enable = sign === '-';
    let valuesTaken = 0;
    for (const letter of value.slice(1)) {
      if (letter === 'o') {
        const name = args[index + 1 + valuesTaken]?.value;
        if (name === undefined || name.startsWith('-') || name.startsWith('+')) continue;
        changes.set(name, enable);
        valuesTaken++;
      } else if (LETTER_OPTIONS[letter]) {
        changes.set(LETTER_OPTIONS[letter]!, enable);
      }
    }
    index += valuesTaken;
  }
  return changes;
}
