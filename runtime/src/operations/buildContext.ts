// The build context as the docker CLI sends it: the context folder as a tar
// stream, without what `.dockerignore` excludes, made lazily so a large
// context is read from disk only as fast as the engine takes it.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { DockerignoreMatcher } from '../../../server/src/rules/dockerignore';
import { END_OF_ARCHIVE, padding, tarHeader, type TarEntry } from './tar';

export interface BuildContextOptions {
  /** Absolute folder. */
  context: string;
  /** The Dockerfile, relative to the context (`/`-separated). */
  dockerfile: string;
}

/** The `.dockerignore` lines of a context: `<Dockerfile>.dockerignore` beside the Dockerfile wins, as BuildKit does. */
async function ignoreLines(context: string, dockerfile: string): Promise<string> {
  for (const candidate of [`${dockerfile}.dockerignore`, '.dockerignore']) {
    try {
      return await readFile(join(context, candidate), 'utf8');
    } catch {
      // not there: try the next
    }
  }
  return '';
}

/**
 * Whether a context path is sent. Like the docker CLI, the Dockerfile and
 * `.dockerignore` are always sent, even when `.dockerignore` names them (the
 * engine needs them; they still do not reach the image unless COPY asks).
 */
export async function contextFilter(options: BuildContextOptions): Promise<ContextFilter> {
  const lines = await ignoreLines(options.context, options.dockerfile);
  const matcher = new DockerignoreMatcher(lines);
  const dockerfile = posix.normalize(options.dockerfile);
  const always = new Set([dockerfile, '.dockerignore']);
  const hasExceptions = /^\s*!/m.test(lines);
  return {
    keep: (path) => always.has(path) || !matcher.excludes(path),
    // Without `!` exceptions nothing below an excluded folder comes back, so it need not be read.
    walkExcluded: (folder) => hasExceptions || dockerfile.startsWith(`${folder}/`),
  };
}

export interface ContextFilter {
  keep(path: string): boolean;
  /** Whether an excluded folder must still be walked for paths kept below it. */
  walkExcluded(folder: string): boolean;
}

async function* entries(root: string, { keep, walkExcluded }: ContextFilter): AsyncGenerator<Buffer> {
  // Depth first, names sorted, as the CLI's archive walk does.
  const walk = async function* (relative: string): AsyncGenerator<Buffer> {
    const names = (await readdir(relative ? join(root, relative) : root)).sort();
    for (const name of names) {
      const path = relative ? `${relative}/${name}` : name;
      const absolute = join(root, path);
      const stats = await lstat(absolute);
      const isDirectory = stats.isDirectory();
      // An excluded folder may still hold a re-included path (`!dir/keep`): walk it, send only what is kept.
      const kept = keep(path);
      if (!kept && !(isDirectory && walkExcluded(path))) continue;
      const base: Omit<TarEntry, 'type'> = { name: path, mode: stats.mode & 0o7777, size: 0, mtime: stats.mtimeMs };
      if (isDirectory) {
        if (kept) yield tarHeader({ ...base, type: 'directory' });
        yield* walk(path);
      } else if (stats.isSymbolicLink()) {
        yield tarHeader({ ...base, type: 'symlink', linkTarget: await readlink(absolute) });
      } else if (stats.isFile()) {
        yield tarHeader({ ...base, type: 'file', size: stats.size });
        // The header promised stats.size bytes: a file that grows or shrinks meanwhile is cut or padded to it.
        let sent = 0;
        const content = stats.size > 0 ? (createReadStream(absolute, { end: stats.size - 1 }) as AsyncIterable<Buffer>) : [];
        for await (const chunk of content) {
          const part = chunk.subarray(0, stats.size - sent);
          sent += part.length;
          if (part.length) yield part;
        }
        if (sent < stats.size) yield Buffer.alloc(stats.size - sent);
        yield padding(stats.size);
      }
      // Sockets, devices and fifos have no place in a build context.
    }
  };
  yield* walk('');
  yield END_OF_ARCHIVE;
}

/** The context as a tar stream honouring `.dockerignore`. */
export async function buildContextTar(options: BuildContextOptions): Promise<Readable> {
  const keep = await contextFilter(options);
  return Readable.from(entries(options.context, keep), { objectMode: false });
}
