import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { manifest, repoRoot } from '../support/paths';

interface Contributes {
  commands: { command: string; title: string }[];
  menus: Record<string, { command: string; when?: string }[]>;
  configuration: { properties: Record<string, { default?: unknown }> };
}

const contributes = (manifest as unknown as { contributes: Contributes }).contributes;

function clientFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(repoRoot, 'client', 'src'));
  return files;
}

/** Each `.get('key', fallback)` of a file, under the section of the `getConfiguration('berth…')` before it. */
function settingsReads(file: string): { key: string; fallback: string }[] {
  const reads: { key: string; fallback: string }[] = [];
  let section: string | undefined;
  for (const match of file.matchAll(/getConfiguration\('(berth(?:\.\w+)?)'|\.get(?:<.+?>)?\('([\w.]+)', ([^)]*)\)/g)) {
    if (match[1]) section = match[1];
    else if (section) reads.push({ key: `${section}.${match[2]}`, fallback: match[3]!.trim() });
  }
  return reads;
}

describe('the extension manifest and the client agree', () => {
  const files = clientFiles();
  const source = files.join('\n');

  it('every contributed command is registered by the client (a menu item never does nothing)', () => {
    // Ids written as template literals (`berth.swarm.${kind}.create`) count for every id they can spell.
    const templates = [...source.matchAll(/`(berth\.[\w.${}]+)`/g)].map(([, template]) => new RegExp(`^${template!.replace(/\./g, '\\.').replace(/\$\{\w+\}/g, '[\\w]+')}$`));
    const unregistered = contributes.commands.map((entry) => entry.command).filter((id) => !source.includes(`'${id}'`) && !templates.some((template) => template.test(id)));
    assert.deepEqual(unregistered, []);
  });

  it('every menu entry names a contributed command', () => {
    const known = new Set(contributes.commands.map((entry) => entry.command));
    const unknown = Object.entries(contributes.menus).flatMap(([menu, entries]) => entries.filter((entry) => !known.has(entry.command)).map((entry) => `${menu}: ${entry.command}`));
    assert.deepEqual(unknown, []);
  });

  it('every berth.* setting the client reads is declared, with the default the client assumes', () => {
    const reads = files.flatMap(settingsReads);
    assert.ok(reads.length >= 6, `found the settings reads: ${JSON.stringify(reads)}`);
    for (const { key, fallback } of reads) {
      const declared = contributes.configuration.properties[key];
      assert.ok(declared, `${key} is read but not declared`);
      assert.equal(JSON.stringify(declared.default), fallback.replace(/^'(.*)'$/, '"$1"'), `${key}: the client's fallback matches the declared default`);
    }
  });
});
