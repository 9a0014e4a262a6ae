// `npm test` and its parts. One `node --test` run over every selected file, so the
// runner's closing lines count all of them.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suite = process.argv[2] ?? 'all';
const suites = { all: ['unit', 'integration', 'e2e'], unit: ['unit'], integration: ['integration'], e2e: ['e2e'] };
if (!suites[suite]) {
  console.error(`test: unknown suite "${suite}" (expected ${Object.keys(suites).join(', ')})`);
  process.exit(2);
}
const parts = suites[suite];

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`test: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

if (suite === 'all') run('type check', process.execPath, ['scripts/typecheck.mjs']);
// Tests run the real bundles and inspect (or, in e2e, install) the real .vsix.
run('build', process.execPath, ['scripts/build.mjs']);
run('package', process.execPath, ['scripts/package.mjs']);
if (parts.includes('integration') || parts.includes('e2e')) {
  // Brings up a real engine (and the base image tests build FROM) when this
  // machine can: root on Debian. Elsewhere the engine tests say why they skip.
  const canSetUp = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canSetUp || process.env.CI === 'true') run('engine setup', 'bash', ['scripts/engine-setup.sh']);
}

const files = parts.flatMap((part) => {
  const folder = join('test', part);
  if (!existsSync(join(root, folder))) return [];
  return readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(folder, name));
});
// Every temporary folder the tests make (workspaces, sockets, daemon homes) lands
// in one folder of this run, removed at the end whatever the tests left behind.
const runTmp = mkdtempSync(join(tmpdir(), 'berth-test-run-'));
const label = `tests (${parts.join(', ')}: ${files.length} files)`;
console.log(`\n▶ ${label}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  // `berth` keeps its code cache in this run's folder too, not in the user's cache directory.
  env: { ...process.env, TMPDIR: runTmp, BERTH_CACHE_DIR: join(runTmp, 'berth-cache') },
});
rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
if (result.status !== 0) {
  console.error(`test: ${label} failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status || 1);
}
