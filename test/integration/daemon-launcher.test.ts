import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectToDaemon, daemonLogPath } from '../../client/src/runtime/daemonLauncher';
import { readDiscoveryFile } from '../../runtime/src/protocol/discoveryFile';
import { PROTOCOL_VERSION } from '../../runtime/src/protocol/types';
import { repoRoot } from '../support/paths';

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
