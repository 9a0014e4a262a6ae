// npm run bench: every benchmark under test/bench, one after another so they do
// not compete for the two cores. Each is bundled by esbuild first, as the
// shipped server is, so figures are those of production code, not of a
// transpile-on-load dev loader. Prints figures; asserts nothing.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeComposeSchema } from './compose-schema.mjs';

writeComposeSchema();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const benches = readdirSync(join(root, 'test/bench')).filter((name) => name.endsWith('.bench.ts') && (!only || name === `${only}.bench.ts` || (!existsSync(join(root, 'test/bench', `${only}.bench.ts`)) && name.includes(only)))).sort();
let failed = false;
for (const bench of benches) {
  const outfile = join(root, 'out/bench', bench.replace(/\.ts$/, '.js'));
  await build({ absWorkingDir: root, entryPoints: [join('test/bench', bench)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning', define: { BERTH_VERSION: '"bench"' } });
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
