/**
 * .dockerignore matching, pure over strings, following Docker's reader
 * (moby/patternmatcher/ignorefile) and matcher (moby/patternmatcher):
 * - a line starting with `#` is a comment; lines are trimmed; empty lines are skipped;
 * - `!pattern` re-includes what earlier patterns excluded; the last matching
 *   pattern decides;
 * - patterns and paths are cleaned (`a/./b/../c` is `a/c`), a leading `/` is
 *   dropped (patterns are relative to the context root) and so is a trailing `/`;
 * - `*` matches any run of characters but `/`, `?` one character but `/`,
 *   `[...]` a character class, `\` escapes the next character;
 * - `**` matches any number of directories (zero included): `**∕x` is `x` at
 *   any depth, `dir/**` everything below `dir`;
 * - a path is excluded when it or one of its parent directories matches
 *   (`tmp` excludes `tmp/a/b.txt`).
 */

/** One pattern as Docker keeps it after reading the file. */
interface CompiledPattern {
  text: string;
  exclusion: boolean;
  /** Undefined when the pattern is malformed (Docker rejects the whole file; we skip the line). */
  regexp: RegExp | undefined;
}

/** The lines of a .dockerignore file as Docker reads them: comments and blanks dropped, paths normalised. */
export function readDockerignore(lines: readonly string[] | string): string[] {
  const list = typeof lines === 'string' ? lines.split(/\r?\n/) : lines;
  const patterns: string[] = [];
  list.forEach((raw, index) => {
    let line = index === 0 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (line.startsWith('#')) return;
    line = line.trim();
    if (line === '') return;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    if (line.length > 0) {
      line = cleanPath(line);
      if (line.length > 1 && line.startsWith('/')) line = line.slice(1);
    }
    patterns.push(exclusion ? `!${line}` : line);
  });
  return patterns;
}

/**
 * Lexical path cleaning as Go's path.Clean: collapse `//`, drop `.`, resolve
 * `..` where possible; '' becomes '.'.
 */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** A source path as it is looked up in the build context: relative to its root, cleaned. */
export function contextPath(source: string): string {
  const cleaned = cleanPath(source.replace(/^\/+/, ''));
  return cleaned.replace(/^\/+/, '') || '.';
}

const REGEXP_SPECIAL = '.+()|{}$^';

function compile(pattern: string): RegExp | undefined {
  let source = '^';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    i++;
    if (char === '*') {
      if (pattern[i] === '*') {
        i++;
        if (pattern[i] === '/') i++; // `**/` behaves as `**`
        source += i >= pattern.length ? '.*' : '(?:.*/)?';
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '\\') {
      if (i < pattern.length) {
        source += escapeRegexp(pattern[i]!);
        i++;
      } else {
        source += '\\\\';
      }
    } else if (char === '[' || char === ']') {
      source += char;
    } else {
      source += escapeRegexp(char);
    }
  }
  source += '$';
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

function escapeRegexp(char: string): string {
  return REGEXP_SPECIAL.includes(char) || char === '\\' || char === '[' || char === ']' || char === '*' || char === '?' ? `\\${char}` : char;
}

function compilePatterns(patterns: readonly string[]): CompiledPattern[] {
  const compiled: CompiledPattern[] = [];
  for (const raw of patterns) {
    let text = raw.trim();
    if (text === '') continue;
    const exclusion = text.startsWith('!');
    if (exclusion) text = text.slice(1);
    if (text === '') continue; // a lone `!` is an error for Docker; ignore it
    text = cleanPath(text);
    compiled.push({ text, exclusion, regexp: compile(text) });
  }
  return compiled;
}

/** Matches context paths against the patterns of a .dockerignore. */
export class DockerignoreMatcher {
  private readonly patterns: CompiledPattern[];

  /** `lines`: the .dockerignore's lines as written (comments and blank lines allowed). */
  constructor(lines: readonly string[] | string) {
    this.patterns = compilePatterns(readDockerignore(lines));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /**
   * Whether the context path is excluded: it, or one of its parent
   * directories, matches the last deciding pattern (patternmatcher's
   * MatchesOrParentMatches). `path` is relative to the context root.
   */
  excludes(path: string): boolean {
    const file = contextPath(path);
    const slash = file.lastIndexOf('/');
    const parent = slash < 0 ? '.' : file.slice(0, slash);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      // An inclusion cannot change an excluded path, nor an exception a kept one.
      if (pattern.exclusion !== matched || !pattern.regexp) continue;
      let match = pattern.regexp.test(file);
      if (!match && parent !== '.') {
        for (let i = 1; i <= parentDirs.length && !match; i++) match = pattern.regexp.test(parentDirs.slice(0, i).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}
