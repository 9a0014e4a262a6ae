import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildContextTar } from '../../runtime/src/operations/buildContext';
import { instructionLines, lineOfStep, readStep } from '../../runtime/src/operations/buildSteps';
import { readTar, tarOf, TarFormatError, type TarEntry } from '../../runtime/src/operations/tar';

const LONG_NAME = `${'deep/'.repeat(40)}a-file-whose-name-alone-is-longer-than-the-hundred-bytes-ustar-keeps-for-a-name-field-so-pax-holds-it.txt`;

async function entriesOf(source: Readable | Buffer, chunkSize = 0): Promise<{ entry: TarEntry; data?: string }[]> {
  const found: { entry: TarEntry; data?: string }[] = [];
  let stream: Readable;
  if (Buffer.isBuffer(source)) {
    // Cut into small pieces, so headers and data straddle chunk boundaries.
    const pieces: Buffer[] = [];
    for (let at = 0; at < source.length; at += chunkSize || source.length) pieces.push(source.subarray(at, at + (chunkSize || source.length)));
    stream = Readable.from(pieces);
  } else stream = source;
  await readTar(
    stream,
    (entry) => {
      found.push({ entry });
      return entry.type === 'file';
    },
    (_entry, data) => (found[found.length - 1]!.data = data.toString('utf8')),
  );
  return found;
}

describe('tar writer and reader', () => {
  it('writes archives GNU tar reads, long and non-ASCII names included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
    try {
      const archive = tarOf([
        { entry: { name: 'plain.txt', type: 'file', mode: 0o640, size: 0, mtime: 1_700_000_000_000 }, data: Buffer.from('plain\n') },
        { entry: { name: LONG_NAME, type: 'file', mode: 0o644, size: 0, mtime: 1_700_000_000_000 }, data: Buffer.from('long\n') },
        { entry: { name: 'ünïcödé.txt', type: 'file', mode: 0o644, size: 0, mtime: 1_700_000_000_000 }, data: Buffer.from('ü\n') },
        { entry: { name: 'folder', type: 'directory', mode: 0o755, size: 0, mtime: 1_700_000_000_000 } },
        { entry: { name: 'folder/link', type: 'symlink', mode: 0o777, size: 0, mtime: 1_700_000_000_000, linkTarget: `../${'x'.repeat(120)}` } },
      ]);
      writeFileSync(join(dir, 'a.tar'), archive);
      const listing = execFileSync('tar', ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
      assert.match(listing, /^-rw-r----- .* 6 2023-11-1\d \d\d:\d\d plain\.txt$/m);
      assert.ok(listing.includes(LONG_NAME), listing);
      assert.ok(listing.includes('ünïcödé.txt'), listing);
      assert.ok(listing.includes(`folder/link -> ../${'x'.repeat(120)}`), listing);
      mkdirSync(join(dir, 'out'));
      execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', join(dir, 'out')]);
      assert.equal(execFileSync('cat', [join(dir, 'out', LONG_NAME)], { encoding: 'utf8' }), 'long\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads GNU tar’s archives, whatever the chunking, long names and links included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
    try {
      mkdirSync(join(dir, 'src', ...LONG_NAME.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(dir, 'src', LONG_NAME), 'long\n');
      writeFileSync(join(dir, 'src', 'small.txt'), 'x'.repeat(1000));
      symlinkSync(`/${'t'.repeat(150)}`, join(dir, 'src', 'far-link'));
      for (const format of ['gnu', 'pax']) {
        const archive = execFileSync('tar', ['-c', `--format=${format}`, '-C', join(dir, 'src'), '.']);
        for (const chunkSize of [0, 7, 512, 1000]) {
          const entries = await entriesOf(archive, chunkSize);
          const long = entries.find(({ entry }) => entry.name === `./${LONG_NAME}`);
          assert.equal(long?.data, 'long\n', `${format}, chunks of ${chunkSize}`);
          assert.equal(entries.find(({ entry }) => entry.name === './small.txt')?.data, 'x'.repeat(1000));
          assert.equal(entries.find(({ entry }) => entry.name === './far-link')?.entry.linkTarget, `/${'t'.repeat(150)}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not an archive, and an archive cut short', async () => {
    await assert.rejects(entriesOf(Buffer.alloc(1024, 'x')), TarFormatError);
    const archive = tarOf([{ entry: { name: 'a.txt', type: 'file', mode: 0o644, size: 0, mtime: 0 }, data: Buffer.alloc(2000, 'a') }]);
    await assert.rejects(entriesOf(archive.subarray(0, 1200)), /ends in the middle of an entry/);
  });
});

describe('build context', () => {
  it('leaves out what .dockerignore excludes, keeps exceptions, and always sends the Dockerfile and .dockerignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-context-'));
    try {
      mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
      mkdirSync(join(dir, 'docs'));
      mkdirSync(join(dir, 'build'));
      writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), '');
      writeFileSync(join(dir, 'docs', 'a.md'), '');
      writeFileSync(join(dir, 'docs', 'keep.md'), '');
      writeFileSync(join(dir, 'build', 'Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(dir, 'app.js'), 'console.log(1)\n');
      writeFileSync(join(dir, 'debug.log'), '');
      writeFileSync(join(dir, '.dockerignore'), '# comments are skipped\nnode_modules\n*.log\ndocs\n!docs/keep.md\nbuild\n.dockerignore\n');
      const names = (await entriesOf(await buildContextTar({ context: dir, dockerfile: 'build/Dockerfile' }))).map(({ entry }) => entry.name);
      assert.deepEqual(names, ['.dockerignore', 'app.js', 'build/Dockerfile', 'docs/keep.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('failing build step → Dockerfile line', () => {
  it('counts instructions as the legacy builder numbers its steps, skipping comments, directives and continuations', () => {
    const dockerfile = ['# syntax=docker/dockerfile:1', '# a comment', 'FROM busybox AS base', '', 'RUN echo one \\', '    two', '# between', 'COPY <<EOF /x', 'heredoc body', 'EOF', 'FROM base', 'CMD ["true"]'].join('\n');
    assert.deepEqual(instructionLines(dockerfile), [3, 5, 8, 11, 12]);
  });

  it("reads Docker's steps over the whole file and Podman's steps within a stage", () => {
    const dockerfile = ['ARG BASE=busybox', 'FROM $BASE AS base', 'RUN echo one', '', 'FROM base', '# fails', 'RUN echo two && \\', '    exit 3', 'RUN echo never'].join('\n');
    const docker = readStep('Step 4/6 : FROM base\n ---> 6157f8bdb8b7\nStep 5/6 : RUN echo two &&     exit 3\n ---> Running in 86a6662de0f9\n');
    assert.deepEqual(docker, { index: 5 });
    assert.equal(lineOfStep(dockerfile, docker!), 7);
    const podman = readStep('[1/2] STEP 2/2: RUN echo one\none\n[2/2] STEP 1/3: FROM 06f77bcd0af7\n[2/2] STEP 2/3: RUN echo two &&     exit 3\ntwo\n');
    assert.deepEqual(podman, { index: 2, stage: 2 });
    assert.equal(lineOfStep(dockerfile, podman!), 7);
    // One stage: Podman leaves the stage out, and a global ARG is not one of its steps.
    assert.equal(lineOfStep(dockerfile, readStep('STEP 2/2: RUN echo one\n')!), 3);
    assert.equal(readStep('two\nRemoving intermediate container 86a6662de0f9\n'), undefined);
    assert.equal(lineOfStep(dockerfile, { index: 9, stage: 2 }), undefined);
  });
});
