import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/**
 * The .hadolint.yaml that applies to a Dockerfile: the nearest one upward from
 * the file (stopping at `stopAt`, the workspace root, when given), then those
 * hadolint itself reads: the working directory, then the user's config folders.
 */
export function findHadolintConfig(file: string, options: { stopAt?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): string | undefined {
  const env = options.env ?? process.env;
  const stopAt = options.stopAt ? resolve(options.stopAt) : undefined;
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const found = firstExisting(dir, CONFIG_NAMES);
    if (found) return found;
    if (dir === stopAt || dirname(dir) === dir) break;
  }
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return (
    firstExisting(resolve(options.cwd ?? process.cwd()), CONFIG_NAMES) ??
    firstExisting(configHome, ['hadolint.yaml', 'hadolint.yml']) ??
    firstExisting(join(homedir(), '.hadolint'), ['hadolint.yaml', 'hadolint.yml']) ??
    firstExisting(homedir(), CONFIG_NAMES)
  );
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
