import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

interface Start {
  outcome: string;
  /** What the bundle exported. */
  answer: unknown;
  errors: string[];
  /** The cache directory's files once the write was due. */
  files: string[];
}

// Each start is a fresh process, as each language server start is: V8 keeps
// what it compiled in memory, so a second load in one process would not show
// what the cache file does.
function startBundle(bundle: string, directory: string, nodeFlags: readonly string[] = []): Start {
  const child = join(mkdtempSync(join(tmpdir(), 'berth-code-cache-child-')), 'start.ts');
  writeFileSync(
    child,
    `import { readdirSync } from 'node:fs';
import { loadWithCodeCache } from ${JSON.stringify(join(repoRoot, 'server/src/lsp/codeCache.ts'))};
const errors: string[] = [];
const outcome = loadWithCodeCache(${JSON.stringify(bundle)}, { directory: ${JSON.stringify(directory)}, write: { afterMs: 0 }, onError: (message) => errors.push(message) });
setTimeout(() => {
  let files: string[] = [];
  try { files = readdirSync(${JSON.stringify(directory)}).sort(); } catch {}
  console.log(JSON.stringify({ outcome, answer: (globalThis as { answer?: unknown }).answer, errors, files }));
}, 100);
`,
  );
  const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', child], { encoding: 'utf8', cwd: repoRoot });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Start;
}

function bundleIn(folder: string, answer: number): string {
  const bundle = join(folder, 'server.js');
  // Enough code for V8 to have something to cache, and a value that says which version ran.
  const functions = Array.from({ length: 50 }, (_, i) => `function part${i}(x) { return x * ${i} + ${answer}; }`).join('\n');
  writeFileSync(bundle, `"use strict";\n${functions}\nglobalThis.answer = part1(0) + require('node:path').basename('/a/b').length - 1;\nmodule.exports = { answer: ${answer} };\n`);
  return bundle;
}

describe('code cache of the language server bundle', () => {
  it('runs the bundle without a cache, writes one, and the next start uses it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
    const bundle = bundleIn(folder, 42);
    const directory = join(folder, 'cache');
    const first = startBundle(bundle, directory);
    assert.deepEqual({ outcome: first.outcome, answer: first.answer, errors: first.errors }, { outcome: 'missing', answer: 42, errors: [] });
    assert.equal(first.files.length, 1, 'one cache file, no temporary file left');
    assert.match(first.files[0]!, /^server-[0-9a-f]{16}-[0-9a-f]{8}\.cache$/);
    const second = startBundle(bundle, directory);
    assert.deepEqual({ outcome: second.outcome, answer: second.answer, files: second.files }, { outcome: 'used', answer: 42, files: first.files });
  });

  it('writes again a cache V8 refuses, and uses the new one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
    const bundle = bundleIn(folder, 7);
    const directory = join(folder, 'cache');
    const [file] = startBundle(bundle, directory).files;
    writeFileSync(join(directory, file!), 'not a code cache');
    const refused = startBundle(bundle, directory);
    assert.deepEqual({ outcome: refused.outcome, answer: refused.answer, files: refused.files }, { outcome: 'rejected', answer: 7, files: [file] });
    assert.notEqual(readFileSync(join(directory, file!), 'utf8'), 'not a code cache');
    assert.equal(startBundle(bundle, directory).outcome, 'used');
  });

  it('never runs an earlier bundle\'s code: an updated bundle of the same length gets a cache of its own, and the old one goes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
    const directory = join(folder, 'cache');
    const [old] = startBundle(bundleIn(folder, 1), directory).files;
    const updated = startBundle(bundleIn(folder, 2), directory);
    assert.deepEqual({ outcome: updated.outcome, answer: updated.answer }, { outcome: 'missing', answer: 2 });
    assert.equal(updated.files.length, 1);
    assert.notEqual(updated.files[0], old);
    assert.deepEqual(readdirSync(directory), updated.files);
  });

  it('keeps a cache per set of Node flags, so runs under different flags do not replace each other\'s', () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
    const bundle = bundleIn(folder, 3);
    const directory = join(folder, 'cache');
    const [plain] = startBundle(bundle, directory).files;
    const flagged = startBundle(bundle, directory, ['--max-semi-space-size=32']);
    assert.equal(flagged.outcome, 'missing');
    assert.equal(flagged.files.length, 2);
    assert.ok(flagged.files.includes(plain!));
    assert.equal(startBundle(bundle, directory).outcome, 'used');
    assert.equal(startBundle(bundle, directory, ['--max-semi-space-size=32']).outcome, 'used');
  });

  it('still runs the bundle when the cache cannot be written, and says where and why', () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
    const bundle = bundleIn(folder, 5);
    // A file where the cache directory should be.
    const directory = join(folder, 'taken');
    writeFileSync(directory, '');
    const start = startBundle(bundle, directory);
    assert.equal(start.answer, 5);
    assert.equal(start.errors.length, 1);
    assert.match(start.errors[0]!, new RegExp(`could not write the code cache in ${directory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });
});
