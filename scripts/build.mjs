// Bundles the four programs Berth ships into out/: the extension client, the
// language server, the runtime daemon and the `berth` CLI. Everything a program
// needs is bundled, so the .vsix carries no node_modules.
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeRuleIndex } from './rule-index.mjs';
import { writeComposeSchema } from './compose-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const programs = [
  // Only the client may see `vscode`: it is external there and missing everywhere
  // else, so an accidental import from server/ or runtime/ fails the build.
  { entry: 'client/src/extension.ts', out: 'out/client/extension.js', external: ['vscode'] },
  { entry: 'server/src/lsp/main.ts', out: 'out/server/server.js' },
  { entry: 'runtime/src/main.ts', out: 'out/runtime/daemon.js' },
  { entry: 'cli/src/main.ts', out: 'out/cli/berth.js', banner: '#!/usr/bin/env node' },
];

writeRuleIndex();
writeComposeSchema();
rmSync(join(root, 'out'), { recursive: true, force: true });
await Promise.all(
  programs.map((program) =>
    build({
      absWorkingDir: root,
      entryPoints: [program.entry],
      outfile: program.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // ws loads these optional native speed-ups inside try/catch; we ship without them.
      external: [...(program.external ?? []), 'bufferutil', 'utf-8-validate'],
      minify: !dev,
      sourcemap: dev ? 'inline' : 'linked',
      sourcesContent: dev,
      banner: program.banner ? { js: program.banner } : undefined,
      define: { BERTH_VERSION: JSON.stringify(manifest.version) },
      logLevel: 'warning',
    }),
  ),
);
chmodSync(join(root, 'out/cli/berth.js'), 0o755);
console.log(`built ${programs.length} bundles into out/ (${dev ? 'development' : 'production'})`);
