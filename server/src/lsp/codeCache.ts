/**
 * Loads a CommonJS bundle with a V8 code cache kept in a directory.
 *
 * A freshly started language server compiles each function of its bundle the
 * first time it runs. For the first lint of a small Dockerfile that compiling
 * is most of the work, and the bundle's top level costs as much again before
 * the server can answer at all. V8 can save what it compiled and take it back
 * on a later start: the cache is written once per bundle, V8 and flags, some
 * seconds after a start that had none (by then the first lint has compiled
 * what it runs, and the cache holds that too), and read by every start after.
 *
 * V8 checks a cache against its own version, its flags and the source's
 * length, not the source's content, so the file name carries a hash of the
 * bundle: an updated bundle of the same length never runs stale code. A cache
 * V8 refuses anyway is written again. Files are written whole (a temporary
 * file, then a rename), so two servers starting at once never read half of one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** Where cache files live; made when the first one is written. */
  directory: string;
  /**
   * When to write a cache if there was none to use: some time after loading (a
   * long-lived server, once its first work is done), or as the process exits
   * (a command line run, however short).
   */
  write: { afterMs: number } | 'on-exit';
  /** Told why a cache could not be written; the bundle runs either way. */
  onError(message: string): void;
}

/** What became of the cache: used, refused by V8, or not there. */
export type CodeCacheOutcome = 'used' | 'rejected' | 'missing';

export function loadWithCodeCache(bundlePath: string, options: CodeCacheOptions): CodeCacheOutcome {
  const source = readFileSync(bundlePath, 'utf8');
  // `<bundle>-<its content>-<V8 and flags>.cache`: a bundle run under other flags (berth lsp's parent and its
  // child) keeps a cache of its own beside it, and an updated bundle's caches replace the old one's.
  const hash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
  const bundle = `${basename(bundlePath, '.js')}-`;
  const prefix = `${bundle}${hash(source, 16)}-`;
  const name = `${prefix}${hash(`${process.versions.v8}\0${process.execArgv.join(' ')}`, 8)}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(options.directory, name));
  } catch {
    // No cache yet (or none readable): compile as usual and write one later.
  }
  // Node's own CommonJS wrapper, so the bundle sees what require() would give it.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData });
  const outcome: CodeCacheOutcome = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  if (outcome !== 'used') {
    const write = () => writeCache(script, options, { bundle, prefix, name });
    if (options.write === 'on-exit') process.once('exit', write);
    else setTimeout(write, options.write.afterMs).unref();
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return outcome;
}

/** `bundle`, `prefix`: how the names of all this bundle's caches, and of this version's, start. */
function writeCache(script: Script, options: CodeCacheOptions, { bundle, prefix, name }: { bundle: string; prefix: string; name: string }): void {
  const temporary = join(options.directory, `${name}.${process.pid}.tmp`);
  try {
    mkdirSync(options.directory, { recursive: true });
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, join(options.directory, name));
    // Caches of earlier versions of the bundle (an update) are never read again.
    for (const file of readdirSync(options.directory)) {
      if (file.startsWith(bundle) && !file.startsWith(prefix) && file.endsWith('.cache')) rmSync(join(options.directory, file), { force: true });
    }
  } catch (error) {
    // A disk that filled up midway leaves no half-written file behind (nor, when even that fails, an exception).
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written there.
    }
    options.onError(`could not write the code cache in ${options.directory}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
