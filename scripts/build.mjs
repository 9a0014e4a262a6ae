// Bundles the four programs Berth ships into out/: the extension client (with
// its late parts), the language server, the runtime daemon and the `berth` CLI.
// Everything a program needs is bundled, so the .vsix carries no node_modules.
import { analyzeMetafile, build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { writeRuleIndex } from './rule-index.mjs';
import { writeComposeSchema } from './compose-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
// --analyze: print what makes up each bundle (esbuild's metafile), largest first.
const analyze = process.argv.includes('--analyze');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Parts of the client loaded after activation, each its own bundle beside
// extension.js so that VS Code's activation-time require() of extension.js does
// not read and compile them. The client reaches one only through a run-time
// require() of its source module, which the build points at the bundle.
const lateClientParts = [
  // vscode-languageclient: two thirds of the client's code, needed once the language server starts.
  { entry: 'client/src/languageClient.ts', out: 'out/client/languageClient.js', external: ['vscode'] },
  // The daemon launcher and its WebSocket connection (ws), needed once activate has returned.
  { entry: 'runtime/src/protocol/launcher.ts', out: 'out/client/daemonLauncher.js' },
  // The implementations of most commands (client/src/commands/lazyCommands.ts), needed when one is first run.
  { entry: 'client/src/commands/commandImplementations.ts', out: 'out/client/commands.js', external: ['vscode'], plugins: [vscodeOnce()] },
];

const programs = [
  // Only the client may see `vscode`: it is external there and missing everywhere
  // else, so an accidental import from server/ or runtime/ fails the build.
  { entry: 'client/src/extension.ts', out: 'out/client/extension.js', external: ['vscode'], plugins: [requireLateParts(lateClientParts), vscodeOnce()] },
  ...lateClientParts,
  { entry: 'server/src/lsp/main.ts', out: 'out/server/server.js' },
  // What the extension starts: server.js through a V8 code cache (server/src/lsp/codeCache.ts).
  { entry: 'server/src/lsp/start.ts', out: 'out/server/start.js' },
  { entry: 'runtime/src/main.ts', out: 'out/runtime/daemon.js' },
  { entry: 'cli/src/main.ts', out: 'out/cli/main.js' },
  // The `berth` command: main.js through a V8 code cache in the user's cache directory.
  { entry: 'cli/src/start.ts', out: 'out/cli/berth.js', banner: '#!/usr/bin/env node' },
  // The stats panel's webview page: a browser script, loaded by the page, never required.
  { entry: 'client/src/webview/stats.ts', out: 'out/client/statsWebview.js', browser: true },
];

/**
 * Leaves every import of a late part's source module out of the bundle, as a
 * require() of that part's bundle file, relative to the importing bundle.
 */
function requireLateParts(parts) {
  const bySource = new Map(parts.map((part) => [join(root, part.entry).replace(/\.ts$/, ''), part.out]));
  return {
    name: 'require-late-parts',
    setup(builder) {
      builder.onResolve({ filter: /^\./ }, (args) => {
        const out = bySource.get(join(args.resolveDir, args.path).replace(/\.ts$/, ''));
        return out && args.kind !== 'entry-point' ? { path: `./${basename(out)}`, external: true } : undefined;
      });
    },
  };
}

/**
 * One copy of the `vscode` API object for the whole bundle. esbuild wraps each
 * `import * as vscode from 'vscode'` of an external CommonJS module in its own
 * __toESM(), which copies every property of the API (~300) into a new object:
 * 24 client modules made that about 10 ms of the extension host's code loading.
 * Routing every import through one module that re-exports `vscode` copies once.
 */
function vscodeOnce() {
  return {
    name: 'vscode-once',
    setup(builder) {
      builder.onResolve({ filter: /^vscode$/ }, (args) =>
        args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
      );
      builder.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
    },
  };
}

writeRuleIndex();
writeComposeSchema();
rmSync(join(root, 'out'), { recursive: true, force: true });
const results = await Promise.all(
  programs.map((program) =>
    build({
      absWorkingDir: root,
      entryPoints: [program.entry],
      outfile: program.out,
      bundle: true,
      platform: program.browser ? 'browser' : 'node',
      target: program.browser ? 'chrome120' : 'node20',
      format: program.browser ? 'iife' : 'cjs',
      // ws loads these optional native speed-ups inside try/catch; we ship without them.
      external: [...(program.external ?? []), 'bufferutil', 'utf-8-validate'],
      minify: !dev,
      sourcemap: dev ? 'inline' : 'linked',
      sourcesContent: dev,
      banner: program.banner ? { js: program.banner } : undefined,
      define: { BERTH_VERSION: JSON.stringify(manifest.version) },
      logLevel: 'warning',
      plugins: program.plugins,
      metafile: analyze,
    }),
  ),
);
if (analyze) for (const result of results) console.log(await analyzeMetafile(result.metafile));
chmodSync(join(root, 'out/cli/berth.js'), 0o755);
console.log(`built ${programs.length} bundles into out/ (${dev ? 'development' : 'production'})`);
