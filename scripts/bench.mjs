// npm run bench: every benchmark under test/bench, one after another so they do
// not compete for the two cores. Each is bundled by esbuild first, as the
// shipped server is, so figures are those of production code, not of a
// transpile-on-load dev loader. Prints figures; asserts nothing.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeComposeSchema } from './compose-schema.mjs';

writeComposeSchema();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const benches = readdirSync(join(root, 'test/bench')).filter((name) => name.endsWith('.bench.ts') && (!only || name === `${only}.bench.ts` || (!existsSync(join(root, 'test/bench', `${only}.bench.ts`)) && name.includes(only)))).sort();
const LANGUAGE_SERVER_BENCHES = new Set(['lint.bench.ts', 'editing.bench.ts', 'parser.bench.ts', 'compose.bench.ts', 'compose-editing.bench.ts', 'compose-schema.bench.ts']);
const flagsModule = join(root, 'out/bench/nodeFlags.cjs');
await build({ absWorkingDir: root, entryPoints: ['server/src/lsp/nodeFlags.ts'], outfile: flagsModule, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { LANGUAGE_SERVER_NODE_FLAGS: languageServerFlags } = createRequire(import.meta.url)(flagsModule);
let failed = false;
for (const bench of benches) {
  const outfile = join(root, 'out/bench', bench.replace(/\.ts$/, '.js'));
  await build({ absWorkingDir: root, entryPoints: [join('test/bench', bench)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning', define: { BERTH_VERSION: '"bench"' } });
  // What the language server does is measured as the editor runs it: under its Node flags (the peers
  // measured in the same process run under them too).
  const flags = LANGUAGE_SERVER_BENCHES.has(bench) ? languageServerFlags : [];
  console.log(`\n=== ${bench}${flags.length > 0 ? ` (node ${flags.join(' ')}, as the editor starts the language server)` : ''}`);
  const result = spawnSync(process.execPath, [...flags, outfile], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
