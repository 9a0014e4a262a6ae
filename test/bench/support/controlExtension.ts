// The activation bench's control: an extension that does nothing (an empty
// activate()), activated the way Berth is when its view opens (`onView`, an
// activity-bar container of its own). In the same kind of window, its "Load
// Code + Call Activate" is the floor VS Code reports for any extension at that
// moment: whatever it shows beyond a few milliseconds is other extensions'
// work landing in the same tick, not the extension's own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CONTROL_ID = 'berth-dev.berth-activation-control';
/** The title of its activity-bar container. */
export const CONTROL_TITLE = 'Activation Control';

/** Packs the control extension into `outFile` (once; later calls reuse it). */
export function controlVsix(repoRoot: string, outFile: string): string {
  if (existsSync(outFile)) return outFile;
  const dir = mkdtempSync(join(tmpdir(), 'berth-activation-control-'));
  try {
    const manifest = {
      name: 'berth-activation-control',
      displayName: 'Berth Activation Control',
      description: 'An extension that does nothing, activated by its view: the floor of the activation figures.',
      version: '0.0.1',
      publisher: 'berth-dev',
      license: 'MIT',
      engines: { vscode: '^1.90.0' },
      main: './extension.js',
      activationEvents: ['onView:berthActivationControl.view'],
      contributes: {
        viewsContainers: { activitybar: [{ id: 'berthActivationControl', title: CONTROL_TITLE, icon: 'icon.svg' }] },
        views: { berthActivationControl: [{ id: 'berthActivationControl.view', name: CONTROL_TITLE }] },
      },
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(join(dir, 'extension.js'), 'exports.activate = function activate() {};\nexports.deactivate = function deactivate() {};\n');
    writeFileSync(join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect x="4" y="4" width="16" height="16" fill="none" stroke="currentColor"/></svg>\n');
    writeFileSync(join(dir, 'README.md'), '# Berth Activation Control\n');
    writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
    const vsce = join(repoRoot, 'node_modules/.bin/vsce');
    const packed = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', outFile], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    if (packed.status !== 0 || !existsSync(outFile)) throw new Error(`vsce could not pack the control extension: ${(packed.stderr || packed.stdout || packed.error?.message || '').slice(-400)}`);
    return outFile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
