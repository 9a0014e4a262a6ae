/** Command names as lint rules compare them. */
import type { SimpleCommand } from './ast';

/**
 * The command's literal name without its directory: `/usr/bin/apt-get` →
 * `apt-get`. Wrappers are not skipped (`sudo apt-get` → `sudo`; see `unwrap`).
 * Undefined when there is no name or it is computed at run time (`$PIP install`).
 */
export function commandName(command: SimpleCommand): string | undefined {
  const name = command.name?.value;
  if (name === undefined) return undefined;
  // A loop rather than `lastIndexOf`, which costs several times more on these short strings (rules ask for every command).
  let slash = name.length - 1;
  while (slash >= 0 && name.charCodeAt(slash) !== 47) slash--;
  return slash >= 0 && slash < name.length - 1 ? name.slice(slash + 1) : name;
}
