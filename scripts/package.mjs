// Packs out/ and the extension's assets into berth-<version>.vsix with vsce.
// Dependencies are bundled, so vsce is told not to collect node_modules.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `berth-${version}.vsix`;
const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--out', vsix], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (result.status !== 0) {
  console.error(`package: vsce failed with exit code ${result.status}`);
  process.exit(1);
}
console.log(`package: ${vsix} (${(statSync(join(root, vsix)).size / 1024).toFixed(0)} KiB)`);
