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

/**
 * What a `set` command does to `pipefail`, as `setCommandOptions(command)?.get('pipefail')`
 * would say, without building the map: true, false, or undefined when it is no
 * `set` or leaves pipefail alone. Rules ask this of every command before a pipe.
 */
export function pipefailChange(command: SimpleCommand): boolean | undefined {
  // `set` ends in `t`: most commands are told apart without cutting their name out of a path.
  const written = command.name?.value;
  if (written === undefined || written.charCodeAt(written.length - 1) !== 116) return undefined;
  if (commandName(command) !== 'set' || command.name!.quoted) return undefined;
  let change: boolean | undefined;
  const args = command.args;
  for (let index = 0; index < args.length; index++) {
    const value = args[index]!.value;
    if (value === undefined) continue;
    const sign = value.charCodeAt(0);
    if (value === '--' || value === '-' || (sign !== 45 && sign !== 43)) break;
    let valuesTaken = 0;
    // Only `o` letters name options (with the next unused word); the letters of `LETTER_OPTIONS` never mean pipefail.
    for (let at = 1; at < value.length; at++) {
      if (value.charCodeAt(at) !== 111) continue;
      const name = args[index + 1 + valuesTaken]?.value;
      if (name === undefined || name.startsWith('-') || name.startsWith('+')) continue;
      if (name === 'pipefail') change = sign === 45;
      valuesTaken++;
    }
    index += valuesTaken;
  }
  return change;
}
