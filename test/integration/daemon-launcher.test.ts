import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectToDaemon, daemonLogPath } from '../../runtime/src/protocol/launcher';
import { readDiscoveryFile } from '../../runtime/src/protocol/discoveryFile';
import { PROTOCOL_VERSION } from '../../runtime/src/protocol/types';
import { spawnSync } from 'node:child_process';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { cliBundle, repoRoot } from '../support/paths';

// The launcher is the client's half of "start or find the daemon"; it has no
// VS Code dependency, so it runs here against the real bundled daemon.
describe('starting or finding the daemon', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'berth-xdg-'));
  const previous = process.env.XDG_RUNTIME_DIR;
  process.env.XDG_RUNTIME_DIR = runtimeDir;
  const daemonScript = join(repoRoot, 'out/runtime/daemon.js');
  const log: string[] = [];

  after(() => {
    const discovery = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'));
    if (discovery) process.kill(discovery.pid, 'SIGTERM');
    process.env.XDG_RUNTIME_DIR = previous;
  });

  it('starts the bundled daemon in the background when none runs', async () => {
    const connection = await connectToDaemon(daemonScript, (line) => log.push(line));
    const hello = await connection.request('runtime.hello', { client: 'test', protocol: PROTOCOL_VERSION });
    connection.close();
    assert.notEqual(hello.pid, process.pid);
    assert.equal(readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'))?.pid, hello.pid);
    assert.match(log.join('\n'), /started the Berth daemon/);
    assert.match(readFileSync(daemonLogPath(), 'utf8'), /listening on ws\+unix:/);
  });

  it('connects to the running daemon instead of starting another', async () => {
    const first = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'))!;
    const connection = await connectToDaemon(daemonScript, (line) => log.push(line));
    const hello = await connection.request('runtime.hello', { client: 'test', protocol: PROTOCOL_VERSION });
    connection.close();
    assert.equal(hello.pid, first.pid);
    assert.match(log.at(-1)!, /connected to the running Berth daemon/);
  });

  it('starts a fresh daemon when the recorded one is gone', async () => {
    const first = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'))!;
    process.kill(first.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const connection = await connectToDaemon(daemonScript, (line) => log.push(line));
    const hello = await connection.request('runtime.hello', { client: 'test', protocol: PROTOCOL_VERSION });
    connection.close();
    assert.notEqual(hello.pid, first.pid);
  });
});

// An Electron build or an older Node may not know one of DAEMON_NODE_FLAGS: Node
// answers an unknown option with exit code 9, and the daemon must start anyway.
describe('starting the daemon on a runtime without its memory flags', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'berth-xdg-'));
  const previous = { xdg: process.env.XDG_RUNTIME_DIR, execPath: process.execPath };
  const daemonScript = join(repoRoot, 'out/runtime/daemon.js');
  // A runtime that refuses --single-threaded-gc as Node refuses any unknown option, and notes each start.
  const runtime = join(runtimeDir, 'old-node');
  const starts = join(runtimeDir, 'starts.log');
  writeFileSync(
    runtime,
    `#!/bin/sh\necho "$*" >> '${starts}'\ncase " $* " in *" --single-threaded-gc "*) echo "$0: bad option: --single-threaded-gc" >&2; exit 9;; esac\nexec '${process.execPath}' "$@"\n`,
    { mode: 0o755 },
  );

  after(() => {
    const discovery = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'));
    if (discovery) process.kill(discovery.pid, 'SIGTERM');
    process.env.XDG_RUNTIME_DIR = previous.xdg;
    process.execPath = previous.execPath;
  });

  it('starts the daemon without the flags after the runtime refuses them', async () => {
    process.env.XDG_RUNTIME_DIR = runtimeDir;
    process.execPath = runtime;
    const connection = await connectToDaemon(daemonScript, () => undefined);
    process.execPath = previous.execPath;
    const hello = await connection.request('runtime.hello', { client: 'test', protocol: PROTOCOL_VERSION });
    connection.close();
    const tries = readFileSync(starts, 'utf8').trim().split('\n');
    assert.equal(tries.length, 2, `the runtime was started ${tries.length} times: ${tries.join(' | ')}`);
    assert.match(tries[0]!, /--single-threaded-gc/);
    assert.doesNotMatch(tries[1]!, /--max-semi-space-size|--single-threaded-gc/);
    const commandLine = readFileSync(`/proc/${hello.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(commandLine.includes(daemonScript), `the daemon answering is not the bundle: ${commandLine.join(' ')}`);
  });
});

describe('choosing the engines of a daemon the launcher starts', () => {
  const engine = useEngine();
  const runtimeDir = mkdtempSync(join(tmpdir(), 'berth-xdg-'));
  after(() => {
    const discovery = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'));
    if (discovery) process.kill(discovery.pid, 'SIGTERM');
  });

  it('serves the engine the docker CLI would use and the user\'s added engines, not the other sockets present, when discovery is off', async (t) => {
    if (engine.missing(t)) return; // the engine's socket is the "other socket present" left out
    const missingSocket = join(runtimeDir, 'missing-docker.sock');
    const addedSocket = join(runtimeDir, 'added-docker.sock');
    const home = join(runtimeDir, 'home');
    mkdirSync(join(home, '.berth'), { recursive: true });
    writeFileSync(join(home, '.berth/engines.json'), JSON.stringify({ engines: [{ id: 'mine', url: `unix://${addedSocket}` }] }));
    const saved = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, DOCKER_HOST: process.env.DOCKER_HOST, HOME: process.env.HOME };
    Object.assign(process.env, { XDG_RUNTIME_DIR: runtimeDir, DOCKER_HOST: `unix://${missingSocket}`, HOME: home });
    try {
      const connection = await connectToDaemon(join(repoRoot, 'out/runtime/daemon.js'), () => undefined, { discover: false });
      const engines = await connection.request('engines.list', {});
      connection.close();
      assert.deepEqual(
        engines.map((info) => `${info.id} ${info.endpoint} (from ${info.source})`),
        [`docker-host unix://${missingSocket} (from DOCKER_HOST)`, `mine unix://${addedSocket} (from added by the user)`],
      );
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('berth ps', () => {
  const engine = useEngine();
  const runtimeDir = mkdtempSync(join(tmpdir(), 'berth-xdg-'));
  const created: string[] = [];
  after(async () => {
    for (const id of created) await engine.client()?.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    const discovery = readDiscoveryFile(join(runtimeDir, 'berth/runtime.json'));
    if (discovery) process.kill(discovery.pid, 'SIGTERM');
  });

  it('lists containers through the daemon, starting it when none runs', async (t) => {
    if (engine.missing(t)) return;
    const name = `berth-test-ps-${process.pid}`;
    const { Id } = await engine.client().json<{ Id: string }>('POST', `/containers/create?name=${name}`, { Image: BASE_IMAGE, Cmd: ['sleep', '30'], Labels: { [TEST_LABEL]: '1' } });
    created.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    const env = { ...process.env, XDG_RUNTIME_DIR: runtimeDir };
    const table = spawnSync(process.execPath, [cliBundle, 'ps'], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^CONTAINER ID\s+IMAGE\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/m);
    assert.match(table.stdout, new RegExp(`^${Id.slice(0, 12)}\\s+${BASE_IMAGE.replace(/[/.]/g, '\\$&')}\\s+.*Up .*${name}$`, 'm'));
    const json = spawnSync(process.execPath, [cliBundle, 'ps', '--all', '--format', 'json'], { env, encoding: 'utf8', timeout: 30_000 });
    const listed = JSON.parse(json.stdout) as { id: string; state: string }[];
    assert.equal(listed.find((container) => container.id === Id)?.state, 'running');
    assert.ok(readDiscoveryFile(join(runtimeDir, 'berth/runtime.json')), 'the daemon it started keeps running for the editor');
  });
});
