import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle, manifest } from '../support/paths';

function berth(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cliBundle, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('berth CLI', () => {
  it('prints the package version', () => {
    const { code, stdout } = berth(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), `berth ${manifest.version}`);
  });

  it('prints help naming every command', () => {
    const { code, stdout } = berth(['--help']);
    assert.equal(code, 0);
    for (const command of ['lint', 'lsp', 'daemon']) assert.match(stdout, new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('rejects an unknown command with a usage error and exit 2', () => {
    const { code, stderr } = berth(['deploy']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "deploy"/);
    assert.match(stderr, /usage: berth <command>/);
  });

  it('rejects a bad flag of a command with that command\'s usage', () => {
    const lint = berth(['lint', '--colour', 'x']);
    assert.equal(lint.code, 2);
    assert.match(lint.stderr, /unknown option "--colour" for berth lint/);
    assert.match(lint.stderr, /usage: berth lint/);
    const format = berth(['lint', '--format', 'xml', 'Dockerfile']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format "xml": expected one of tty, json/);
    const daemon = berth(['daemon', '--listen', 'tcp:0.0.0.0:80']);
    assert.equal(daemon.code, 2);
    assert.match(daemon.stderr, /loopback only/);
    const lsp = berth(['lsp']);
    assert.equal(lsp.code, 2);
    assert.match(lsp.stderr, /needs exactly one transport/);
  });

  it('lints a directory: finds Dockerfiles by name and exits 1 on an error', () => {
    const dir = workspace({
      'good/Dockerfile': 'FROM alpine:3.20\nRUN echo ok\n',
      'bad/build.Dockerfile': '# comment\nRUN echo before from\nFROM alpine:3.20\n',
      'notes.txt': 'RUN not a dockerfile\n',
    });
    const { code, stdout } = berth(['lint', '--format', 'json', dir]);
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(findings, [
      {
        file: join(dir, 'bad/build.Dockerfile'),
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 4,
        severity: 'error',
        code: 'DL3061',
        message: findings[0]!.message,
        source: 'berth',
      },
    ]);
    assert.match(String(findings[0]!.message), /before any FROM/);
  });

  it('exits 0 on a clean file and reads stdin from -', () => {
    assert.equal(berth(['lint', '-'], 'FROM alpine:3.20\n').code, 0);
    const dirty = berth(['lint', '-'], 'RUN x\n');
    assert.equal(dirty.code, 1);
    assert.match(dirty.stdout, /^-:1:1 error DL3061 /);
  });

  it('honours --failure-threshold none', () => {
    assert.equal(berth(['lint', '--failure-threshold', 'none', '-'], 'RUN x\n').code, 0);
  });

  it('exits 2 naming a file it cannot read', () => {
    const { code, stderr } = berth(['lint', '/nonexistent/Dockerfile']);
    assert.equal(code, 2);
    assert.match(stderr, /\/nonexistent\/Dockerfile: no such file or directory/);
  });
});
