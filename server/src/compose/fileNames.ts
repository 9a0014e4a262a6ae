/**
 * Which files are compose files, and which files make up the project of one.
 *
 * By name: `compose.yaml`, `compose.yml`, `compose.<anything>.yaml|yml` and
 * `docker-compose<anything>.yaml|yml` (the names compose looks for, their
 * override files, and the usual variants such as `docker-compose.prod.yml`);
 * by the user's globs (`berth.compose.files`), VS Code style.
 */

import { posix, win32 } from 'node:path';

/** compose's default file names, in the order it looks for them. */
export const DEFAULT_COMPOSE_FILES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** compose's override file names, in the order it looks for them. */
export const DEFAULT_OVERRIDE_FILES: readonly string[] = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

const COMPOSE_NAME = /^(?:compose\.ya?ml|compose\..+\.ya?ml|docker-compose.*\.ya?ml)$/;

/** The last segment of a path or URI (without a query or fragment). */
export function baseName(path: string): string {
  const clean = String(path).replace(/[?#].*$/, '');
  const cut = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  return cut >= 0 ? clean.slice(cut + 1) : clean;
}

/** True for the names compose files have: `compose.yaml`, `compose.yml`, `compose.*.y(a)ml`, `docker-compose*.y(a)ml`. */
export function isComposeFileName(path: string): boolean {
  return COMPOSE_NAME.test(baseName(path));
}

const globCache = new Map<string, RegExp>();

/**
 * A VS Code style glob as a regular expression over `/`-separated paths:
 * `*` and `?` within a segment, `**` across segments, `{a,b}` alternatives and
 * `[...]` classes (`[!...]` negated).
 */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches any number of segments (including none); a trailing `**` anything.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:[^/]*/)*';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        out += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  while (braces-- > 0) out += ')';
  let regex: RegExp;
  try {
    regex = new RegExp(`^${out}$`);
  } catch {
    regex = /(?!)/;
  }
  if (globCache.size > 500) globCache.clear();
  globCache.set(glob, regex);
  return regex;
}

/**
 * Whether `path` matches `glob`. A glob without `/` is matched against the file
 * name; one with `/` against the path, anywhere at a segment boundary unless
 * it starts with `/` (so `deploy/*.yml` matches `/work/app/deploy/a.yml`).
 */
export function matchesGlob(path: string, glob: string): boolean {
  const pattern = String(glob).trim().replace(/\\/g, '/');
  if (!pattern) return false;
  const normalized = String(path).replace(/\\/g, '/').replace(/^file:\/\//, '');
  if (!pattern.includes('/')) return globToRegExp(pattern).test(baseName(normalized));
  if (pattern.startsWith('/')) return globToRegExp(pattern).test(normalized);
  const regex = globToRegExp(pattern.startsWith('**/') ? pattern : `**/${pattern}`);
  return regex.test(normalized) || regex.test(normalized.replace(/^\/+/, ''));
}

/** A matcher for the files the user declared compose files (`berth.compose.files`), plus the names compose uses. */
export function composeFileMatcher(globs: readonly string[] = []): (path: string) => boolean {
  const list = globs.filter((glob) => typeof glob === 'string' && glob.trim() !== '');
  return (path) => isComposeFileName(path) || list.some((glob) => matchesGlob(path, glob));
}

function pathApi(path: string) {
  return /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\') ? win32 : posix;
}

/**
 * The files compose would load for a project containing `file` when run in its
 * directory without `-f`: the first existing default file plus the first
 * existing override file. A file with another name (`compose.prod.yaml`) is a
 * project of its own. `file` itself is always part of the result.
 */
export function projectFilesFor(file: string, exists: (path: string) => boolean): string[] {
  const candidates = candidatesFor(file);
  if (!candidates) return [file];
  const main = candidates.main ? candidates.main.find((candidate) => safeExists(exists, candidate)) : file;
  const override = candidates.override ? candidates.override.find((candidate) => safeExists(exists, candidate)) : file;
  return [main, override].filter((path): path is string => path !== undefined);
}

/** The paths of the other default files beside a file (undefined for a file with another name): asked after every keystroke. */
interface Candidates {
  /** The default files, unless `file` is one. */
  main: string[] | undefined;
  /** The override files, unless `file` is one. */
  override: string[] | undefined;
}

const candidatesByFile = new Map<string, Candidates | null>();
const CANDIDATES_KEPT = 256;

function candidatesFor(file: string): Candidates | undefined {
  let known = candidatesByFile.get(file);
  if (known === undefined) {
    const api = pathApi(file);
    const dir = api.dirname(file);
    const name = api.basename(file);
    const isDefault = DEFAULT_COMPOSE_FILES.includes(name);
    const isOverride = DEFAULT_OVERRIDE_FILES.includes(name);
    known =
      isDefault || isOverride
        ? {
            main: isDefault ? undefined : DEFAULT_COMPOSE_FILES.map((candidate) => api.join(dir, candidate)),
            override: isOverride ? undefined : DEFAULT_OVERRIDE_FILES.map((candidate) => api.join(dir, candidate)),
          }
        : null;
    if (candidatesByFile.size >= CANDIDATES_KEPT) candidatesByFile.clear();
    candidatesByFile.set(file, known);
  }
  return known ?? undefined;
}

function safeExists(exists: (path: string) => boolean, path: string): boolean {
  try {
    return exists(path) === true;
  } catch {
    return false;
  }
}
