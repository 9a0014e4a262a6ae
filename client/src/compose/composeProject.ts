import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * Which compose project a file or a running container belongs to, from the
 * labels compose puts on its containers and, before anything runs, from the
 * file itself (its top-level `name:`, else its folder's name, as compose
 * names projects).
 */

export const PROJECT_LABEL = 'com.docker.compose.project';
const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';
const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';

/** The compose files a container's project was started from (absolute), from its labels. */
export function composeFilesOf(labels: Record<string, string>): string[] {
  const files = (labels[CONFIG_FILES_LABEL] ?? '').split(',').map((file) => file.trim()).filter(Boolean);
  const workingDir = labels[WORKING_DIR_LABEL];
  return files.map((file) => (isAbsolute(file) || !workingDir ? file : join(workingDir, file)));
}

/** The project name compose gives a file: its top-level `name:`, else its folder's name made lower case without the characters compose drops. */
export function projectNameOf(file: string, text: string): string {
  const named = /^name:[ \t]*(["']?)([^"'#\n]*?)\1[ \t]*(#.*)?$/m.exec(text)?.[2]?.trim();
  if (named && !named.includes('${')) return named;
  return basename(dirname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}
