import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; name: string; publisher: string };
export const cliBundle = join(repoRoot, 'out/cli/berth.js');
export const serverBundle = join(repoRoot, 'out/server/server.js');
export const vsixPath = join(repoRoot, `berth-${manifest.version}.vsix`);
