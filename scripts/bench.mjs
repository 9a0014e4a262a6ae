// npm run bench: every benchmark under test/bench, one after another so they do
// not compete for the two cores. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const benches = readdirSync(join(root, 'test/bench')).filter((name) => name.endsWith('.bench.ts') && (!only || name.includes(only))).sort();
let failed = false;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('test/bench', bench)], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
