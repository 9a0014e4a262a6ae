import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The .dockerignore that applies when the Dockerfile's folder is the build
 * context: `<Dockerfile>.dockerignore` beside it wins, as BuildKit does, else
 * `.dockerignore`. Returns its path, or undefined.
 */
export function findDockerignore(dockerfile: string): string | undefined {
  const specific = join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`);
  if (existsSync(specific)) return specific;
  const general = join(dirname(dockerfile), '.dockerignore');
  return existsSync(general) ? general : undefined;
}

/** Its lines, or undefined when there is none or it cannot be read. */
export function readDockerignore(dockerfile: string): string[] | undefined {
  const path = findDockerignore(dockerfile);
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}
