import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isComposeFileName } from '../compose';

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile)(\..+)?$|\.(Dockerfile|dockerfile)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist', 'vendor']);

export function isDockerfileName(path: string): boolean {
  return DOCKERFILE_NAME.test(basename(path));
}

export type LintLanguage = 'dockerfile' | 'compose';

/** A file to lint, and as what. */
export interface LintTarget {
  path: string;
  language: LintLanguage;
}

/**
 * Expands directories into the Dockerfiles and compose files under them (only
 * those of `language` when it is given), keeping given files as they are. A given
 * file is linted as `language`, else as what its name says: a compose file by
 * compose's names, anything else (and stdin) as a Dockerfile, as hadolint does.
 */
export function expandLintPaths(paths: string[], language?: LintLanguage): LintTarget[] {
  const targets: LintTarget[] = [];
  for (const path of paths) {
    if (path === '-' || !statSync(path).isDirectory()) targets.push({ path, language: language ?? (path !== '-' && isComposeFileName(basename(path)) ? 'compose' : 'dockerfile') });
    else collect(path, targets, language);
  }
  return targets;
}

function collect(directory: string, targets: LintTarget[], language: LintLanguage | undefined): void {
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) collect(path, targets, language);
    } else if (entry.isFile()) {
      if (language !== 'compose' && isDockerfileName(entry.name)) targets.push({ path, language: 'dockerfile' });
      else if (language !== 'dockerfile' && isComposeFileName(entry.name)) targets.push({ path, language: 'compose' });
    }
  }
}
