import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntryNames } from '../support/zip';
import { manifest, repoRoot, vsixPath } from '../support/paths';

describe('the .vsix', () => {
  const names = () => {
    assert.ok(existsSync(vsixPath), `${vsixPath} is missing: run npm run package`);
    return zipEntryNames(vsixPath);
  };

  it('holds the bundles and the assets the manifest points at', () => {
    const entries = names();
    for (const bundle of ['out/client/extension.js', 'out/server/start.js', 'out/server/server.js', 'out/runtime/daemon.js', 'out/cli/berth.js', 'out/cli/main.js']) {
      assert.ok(entries.includes(`extension/${bundle}`), `${bundle} missing from the .vsix`);
    }
    const contributes = (manifest as unknown as { contributes: { grammars: { path: string }[]; viewsContainers: { activitybar: { icon: string }[] } } }).contributes;
    for (const grammar of contributes.grammars) assert.ok(entries.includes(join('extension', grammar.path)), `${grammar.path} missing`);
    assert.ok(entries.includes(`extension/${contributes.viewsContainers.activitybar[0]!.icon}`));
  });

  it('holds every bundle the client requires after activation', () => {
    // scripts/build.mjs splits the language client, the daemon launcher and the command implementations out of extension.js.
    const client = readFileSync(join(repoRoot, 'out/client/extension.js'), 'utf8');
    const lateParts = [...client.matchAll(/require\("\.\/([^"]+)"\)/g)].map((match) => `out/client/${match[1]}`);
    assert.deepEqual(lateParts.sort(), ['out/client/commands.js', 'out/client/daemonLauncher.js', 'out/client/languageClient.js']);
    const entries = names();
    for (const part of lateParts) assert.ok(entries.includes(`extension/${part}`), `${part} missing from the .vsix`);
  });

  it('leaves out sources, tests, source maps and node_modules', () => {
    const leaked = names().filter((name) => /\.ts$|\.map$|\/node_modules\/|^extension\/(test|client\/src|server\/src|runtime\/src|cli\/src|scripts|examples)\//.test(name));
    assert.deepEqual(leaked, []);
  });

  it('stays under 2 MB', () => {
    const size = statSync(vsixPath).size;
    assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${(size / 1024).toFixed(0)} KiB`);
  });

  it('points main and bin at bundles it ships', () => {
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const entries = names();
    assert.ok(entries.includes(join('extension', packageJson.main)));
    assert.ok(entries.includes(join('extension', packageJson.bin.berth)));
  });
});
