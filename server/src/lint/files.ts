import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isComposeFileName } from '../compose';

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile)(\..+)?$|\.(Dockerfile|dockerfile)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist', 'vendor']);

export function isDockerfileName(path: string): boolean {
  return DOCKERFILE_NAME.test(basename(path));
}

export type LintLanguage = 'dockerfile' | 'compose';

/** Expands directories into the Dockerfiles (or compose files) under them, keeping given files as they are. */
export function expandLintPaths(paths: string[], language: LintLanguage = 'dockerfile'): string[] {
  const wanted = language === 'compose' ? isComposeFileName : isDockerfileName;
  const files: string[] = [];
  for (const path of paths) {
    if (path === '-' || !statSync(path).isDirectory()) files.push(path);
    else collect(path, files, wanted);
  }
  return files;
}

function collect(directory: string, files: string[], wanted: (name: string) => boolean): void {
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) collect(path, files, wanted);
    } else if (entry.isFile() && wanted(entry.name)) {
      files.push(path);
    }
  }
}
