import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { manifest, repoRoot } from '../support/paths';

function sources(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) found.push(path);
    }
  };
  walk(join(repoRoot, folder));
  return found;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

describe('architecture invariants', () => {
  it('server/, runtime/ and cli/ never import vscode or the client', () => {
    const offenders = ['server/src', 'runtime/src', 'cli/src'].flatMap((folder) =>
      sources(folder).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier === 'vscode' || specifier.startsWith('vscode/') || specifier.includes('client/src') || specifier === 'vscode-languageclient' || specifier.startsWith('vscode-languageclient/'))
          .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
      ),
    );
    assert.deepEqual(offenders, []);
  });

  it('the client reaches the runtime only through its protocol module', () => {
    const offenders = sources('client/src').flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes('runtime/src') && !specifier.includes('runtime/src/protocol/'))
        .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('the runtime protocol depends on nothing else in the runtime', () => {
    const offenders = sources('runtime/src/protocol').flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('..'))
        .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
    );
    assert.deepEqual(offenders, []);
  });
});

describe('extension manifest', () => {
  const contributes = (manifest as unknown as { activationEvents: string[]; engines: { vscode: string } }) ;

  it('activates on Dockerfiles and compose files, never on every start', () => {
    assert.ok(!contributes.activationEvents.includes('*'));
    assert.ok(contributes.activationEvents.includes('onLanguage:dockerfile'));
    assert.ok(contributes.activationEvents.includes('onLanguage:dockercompose'));
    assert.equal(contributes.engines.vscode, '^1.90.0');
  });
});
