import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
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
  it('keeps a code cache in BERTH_CACHE_DIR after its first run, gives the same findings with it, and keeps none when it is off', () => {
    const cache = mkdtempSync(join(tmpdir(), 'berth-cli-cache-'));
    const dir = workspace({ Dockerfile: 'FROM debian:12\nRUN apt-get install curl\n' });
    const lint = (cacheDir: string) =>
      spawnSync(process.execPath, [cliBundle, 'lint', '--format', 'json', join(dir, 'Dockerfile')], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, BERTH_CACHE_DIR: cacheDir } });
    const first = lint(cache);
    assert.equal(first.status, 1, first.stderr);
    const files = readdirSync(join(cache, 'code-cache'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^main-[0-9a-f]{16}-[0-9a-f]{8}\.cache$/);
    const second = lint(cache);
    assert.deepEqual({ status: second.status, stdout: second.stdout }, { status: first.status, stdout: first.stdout });
    assert.deepEqual(readdirSync(join(cache, 'code-cache')), files);
    const off = lint('off');
    assert.equal(off.stdout, first.stdout);
  });

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
    assert.match(format.stderr, /--format "xml": expected one of tty, json, sarif, checkstyle/);
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

  it('--format sarif writes SARIF 2.1.0 that validates against its schema', () => {
    const dir = workspace({ Dockerfile: 'FROM node:latest\nMAINTAINER me\n' });
    const { code, stdout } = berth(['lint', '--format', 'sarif', join(dir, 'Dockerfile')]);
    assert.equal(code, 1);
    const log = JSON.parse(stdout) as { runs: Array<{ results: unknown[]; tool: { driver: { rules: { id: string }[] } } }> };
    const schema = createRequire(import.meta.url)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(stdout)), JSON.stringify(validate.errors, null, 2));
    const results = log.runs[0]!.results as Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
    assert.deepEqual(results.map((result) => [result.ruleId, result.level, result.locations[0]!.physicalLocation.region.startLine]), [['DL3007', 'warning', 1], ['DL4000', 'error', 2]]);
    assert.deepEqual(log.runs[0]!.tool.driver.rules.map((rule) => rule.id), ['DL3007', 'DL4000']);
  });

  it('--format checkstyle writes escaped XML grouped by file', () => {
    const dir = workspace({ 'a&"b"/Dockerfile': 'FROM node:latest\nMAINTAINER me\n' });
    const { stdout } = berth(['lint', '--format', 'checkstyle', join(dir, 'a&"b"')]);
    const escapedPath = join(dir, 'a&amp;&quot;b&quot;', 'Dockerfile');
    assert.ok(stdout.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n  <file name="${escapedPath}">\n`), stdout);
    assert.match(stdout, /<error line="1" column="11" severity="warning" message="[^"]*" source="DL3007"\/>/);
    assert.equal((stdout.match(/<error /g) ?? []).length, 2);
  });

  it('applies the nearest .hadolint.yaml: ignored codes, overrides and failure-threshold', () => {
    const dir = workspace({
      '.hadolint.yaml': 'ignored: [DL4000]\noverride:\n  info: [DL3007]\nfailure-threshold: warning\n',
      'app/Dockerfile': 'FROM node:latest\nMAINTAINER me\n',
    });
    const { code, stdout } = berth(['lint', '--format', 'json', join(dir, 'app')]);
    assert.deepEqual(JSON.parse(stdout).map((f: { code: string; severity: string }) => `${f.code}:${f.severity}`), ['DL3007:info']);
    assert.equal(code, 0, 'an info finding is below the config\'s failure-threshold of warning');
    assert.equal(berth(['lint', '--failure-threshold', 'info', join(dir, 'app')]).code, 1, 'the flag wins over the config');
  });

  it('--config and --ignore take precedence over lookup', () => {
    const dir = workspace({ 'strict.yaml': 'override:\n  error: [DL3007]\n', Dockerfile: 'FROM node:latest\nMAINTAINER me\n' });
    const { stdout } = berth(['lint', '--format', 'json', '--config', join(dir, 'strict.yaml'), '--ignore', 'DL4000', join(dir, 'Dockerfile')]);
    assert.deepEqual(JSON.parse(stdout).map((f: { code: string; severity: string }) => `${f.code}:${f.severity}`), ['DL3007:error']);
  });

  it('reports a broken config in the config file itself and still lints', () => {
    const dir = workspace({ '.hadolint.yaml': 'ignored: [DL4000]\nfailure-threshold: loud\n', Dockerfile: 'FROM node:20\nMAINTAINER me\n' });
    const { code, stdout } = berth(['lint', '--format', 'json', join(dir, 'Dockerfile')]);
    const findings = JSON.parse(stdout) as Array<{ file: string; line: number; code: string; message: string }>;
    assert.deepEqual(findings.map((f) => [f.file, f.line, f.code]), [[join(dir, '.hadolint.yaml'), 2, 'hadolint-config']]);
    assert.match(findings[0]!.message, /failure-threshold must be one of/);
    assert.equal(code, 1);
  });

  it('reads the .dockerignore beside the Dockerfile for CopyIgnoredFile', () => {
    const text = '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY secrets/key.pem /etc/key.pem\n';
    const dir = workspace({ '.dockerignore': 'secrets/\n', Dockerfile: text, 'web.Dockerfile': text, 'web.Dockerfile.dockerignore': '*.log\n' });
    const codes = (file: string) => JSON.parse(berth(['lint', '--format', 'json', '--no-shellcheck', join(dir, file)]).stdout).map((f: { code: string }) => f.code);
    assert.deepEqual(codes('Dockerfile'), ['CopyIgnoredFile']);
    assert.deepEqual(codes('web.Dockerfile'), [], '<Dockerfile>.dockerignore wins over .dockerignore');
  });

  it('--lang compose lints compose files across the project: semantic, cross-file and schema findings', () => {
    const dir = workspace({
      'compose.yaml': 'services:\n  web:\n    build:\n      context: ./web\n      target: runtime\n    depends_on: [db]\n    imgae: nginx\n',
      'web/Dockerfile': 'FROM alpine:3.20 AS build\nFROM build AS final\n',
      'notes/compose.txt': 'not: compose\n',
    });
    const { code, stdout } = berth(['lint', '--lang', 'compose', '--format', 'json', dir]);
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as { file: string; line: number; code: string; message: string }[];
    assert.ok(findings.every((finding) => finding.file === join(dir, 'compose.yaml')), 'only compose files are linted');
    const byCode = new Map(findings.map((finding) => [finding.code, finding]));
    assert.match(byCode.get('undefined-service')?.message ?? '', /"db"/);
    assert.match(byCode.get('unknown-build-target')?.message ?? '', /runtime/);
    assert.equal(byCode.get('unknown-build-target')?.line, 5);
    assert.match(byCode.get('schema')?.message ?? '', /imgae.*did you mean "image"/);
  });

  it('lints Dockerfiles and compose files alike by default, each as its name says, and describes each code as its own kind in SARIF', () => {
    const dir = workspace({
      'Dockerfile': 'FROM alpine:3.20\nEXPOSE abc\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["x:1"]\n    depends_on: [db]\n',
      'notes.yaml': 'services: {}\n',
    });
    const json = berth(['lint', '--format', 'json', dir]);
    assert.equal(json.code, 1, json.stderr);
    const found = (JSON.parse(json.stdout) as { file: string; code: string }[]).map((finding) => `${finding.file.slice(dir.length + 1)} ${finding.code}`);
    assert.deepEqual(found, ['compose.yaml invalid-port', 'compose.yaml undefined-service', 'Dockerfile invalid-port']);
    // A compose file given by name is read as one (it made two dozen unknown-instruction errors as a Dockerfile).
    const named = berth(['lint', '--format', 'json', join(dir, 'compose.yaml')]);
    assert.deepEqual((JSON.parse(named.stdout) as { code: string }[]).map((finding) => finding.code), ['invalid-port', 'undefined-service']);
    assert.deepEqual((JSON.parse(berth(['lint', '--lang', 'dockerfile', '--format', 'json', dir]).stdout) as { file: string }[]).map((finding) => finding.file), [join(dir, 'Dockerfile')]);
    const rules = (JSON.parse(berth(['lint', '--format', 'sarif', dir]).stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] }).runs[0]!.tool.driver.rules;
    assert.deepEqual(rules.map((rule) => [rule.id, rule.helpUri?.replace(/^.*\/docs\/rules\//, '')]), [['invalid-port', undefined], ['undefined-service', 'compose/undefined-service.md']]);
  });

  it('--lang compose honours # berth ignore= pragmas and links compose checks\' pages in SARIF', () => {
    const dir = workspace({
      'compose.yaml': '# berth global ignore=obsolete-version\nversion: "3"\nservices:\n  web:\n    image: nginx\n    # berth ignore=undefined-service\n    depends_on: [db]\n    networks: [front]\n    ports: ["80:80", "80:80/udp", "x:1"]\n',
      // A Dockerfile rule's code silenced in .hadolint.yaml does not silence the compose check of the same name.
      '.hadolint.yaml': 'ignored: [invalid-port]\n',
    });
    const json = berth(['lint', '--lang', 'compose', '--format', 'json', dir]);
    assert.equal(json.code, 1);
    const codes = (JSON.parse(json.stdout) as { code: string }[]).map((finding) => finding.code);
    assert.deepEqual(codes, ['undefined-network', 'invalid-port']);
    const sarif = berth(['lint', '--lang', 'compose', '--format', 'sarif', dir]);
    const rules = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string; shortDescription?: { text: string } }[] } } }[] }).runs[0]!.tool.driver.rules;
    const invalidPort = rules.find((rule) => rule.id === 'invalid-port');
    assert.match(invalidPort?.helpUri ?? '', /\/docs\/rules\/compose\/invalid-port\.md$/);
    assert.match(invalidPort?.shortDescription?.text ?? '', /port/i);
  });
});
