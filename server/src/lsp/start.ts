// Entry of out/server/start.js, which the extension starts: runs server.js
// beside it, through a V8 code cache when given `--code-cache-dir=DIR` (see
// codeCache.ts), else as a plain require(). Kept apart from server.js so that
// the cache covers the whole server; this file is a few lines of its own.
import { join } from 'node:path';
import { loadWithCodeCache } from './codeCache';

const bundle = join(__dirname, 'server.js');
const directory = process.argv.find((arg) => arg.startsWith('--code-cache-dir='))?.slice('--code-cache-dir='.length);
if (directory) {
  loadWithCodeCache(bundle, {
    directory,
    write: { afterMs: 5000 },
    // stderr reaches the editor's output channel for the server, which is where a user would look.
    onError: (message) => process.stderr.write(`berth language server: ${message}\n`),
  });
} else {
  require(bundle);
}
