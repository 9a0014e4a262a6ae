// Entry of out/cli/berth.js (the `berth` command): runs main.js beside it
// through a V8 code cache in the user's cache directory (see
// server/src/lsp/codeCache.ts), so that a `berth lint` after the first
// compiles next to nothing: most of a short run is otherwise compiling the
// bundle. The cache is written as the first run exits. A cache directory that
// cannot be written only costs that speed, so nothing is said about it: a lint
// in CI should print findings, not warnings about a read-only home.
// BERTH_CACHE_DIR chooses the directory; BERTH_CACHE_DIR=off turns it off.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadWithCodeCache } from '../../server/src/lsp/codeCache';

const bundle = join(__dirname, 'main.js');
const directory = codeCacheDirectory();
if (directory) loadWithCodeCache(bundle, { directory, write: 'on-exit', onError: () => undefined });
else require(bundle);

/** Where caches go on this platform, as other command line tools keep theirs. */
function codeCacheDirectory(): string | undefined {
  const chosen = process.env.BERTH_CACHE_DIR;
  if (chosen === 'off') return undefined;
  if (chosen) return join(chosen, 'code-cache');
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ? join(process.env.LOCALAPPDATA, 'berth', 'Cache', 'code-cache') : undefined;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'berth', 'code-cache');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'berth', 'code-cache');
}
