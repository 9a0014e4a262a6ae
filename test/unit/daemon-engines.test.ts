import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type DaemonOptions } from '../../runtime/src/daemon';
import { RuntimeConnection, RuntimeRequestError } from '../../runtime/src/protocol/connection';
import { readDiscoveryFile, writeDiscoveryFile } from '../../runtime/src/protocol/discoveryFile';
import { RuntimeErrorCode, type EngineInfo } from '../../runtime/src/protocol/types';
import { repoRoot } from '../support/paths';
import { untilEngines } from '../support/engineHealth';

/** A daemon in a temporary directory serving no discovered engine, with its own saved-engines file. */
async function daemonIn(dir: string, options: Partial<DaemonOptions> = {}) {
  const daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 'runtime.sock') }, discoveryPath: join(dir, 'runtime.json'), engines: [], userEnginesFile: join(dir, 'engines.json'), ...options });
  const connection = await RuntimeConnection.connect(daemon.discovery);
  return {
    daemon,
    connection,
    async stop() {
      connection.close();
      await daemon.stop();
    },
  };
}

/** The engine list once `test` holds for it (waiting on engines.changed). */
/** The engine list once `test` holds of it. */
const enginesWhen = (connection: RuntimeConnection, test: (engines: EngineInfo[]) => boolean, what: string) =>
  untilEngines(connection, (list) => (test(list) ? list : undefined), what, 5000);

async function failure(promise: Promise<unknown>): Promise<RuntimeRequestError> {
  try {
    await promise;
  } catch (error) {
    return error as RuntimeRequestError;
  }
  throw new Error('expected the request to fail');
}

const unreachable = (engine: EngineInfo | undefined) => (engine?.health.state === 'unreachable' ? engine.health.reason : undefined);

describe('engines added and removed at run time', () => {
  it('adds an engine, reports its health, saves it for the next daemon, and removes it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    const first = await daemonIn(dir);
    const missing = join(dir, 'missing.sock');
    const added = await first.connection.request('engines.add', { url: `unix://${missing}`, name: 'lab' });
    assert.equal(added.id, 'lab');
    assert.equal(added.source, 'added by the user');
    const engines = await enginesWhen(first.connection, (list) => unreachable(list[0]) !== undefined, 'the added engine to be unreachable');
    assert.deepEqual(engines.map((engine) => [engine.id, engine.added]), [['lab', true]]);
    assert.match(unreachable(engines[0])!, new RegExp(`no engine socket at ${missing}`));

    const saved = JSON.parse(readFileSync(join(dir, 'engines.json'), 'utf8'));
    assert.deepEqual(saved, { engines: [{ id: 'lab', url: `unix://${missing}` }] });
    assert.equal(statSync(join(dir, 'engines.json')).mode & 0o777, 0o600);
    await first.stop();

    const second = await daemonIn(dir);
    assert.deepEqual((await second.connection.request('engines.list', {})).map((engine) => engine.id), ['lab'], 'the saved engine comes back');
    const removedNotice = enginesWhen(second.connection, (list) => list.length === 0, 'the engine to go');
    assert.deepEqual(await second.connection.request('engines.remove', { engine: 'lab' }), {});
    await removedNotice;
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'engines.json'), 'utf8')), { engines: [] });
    const again = await failure(second.connection.request('engines.remove', { engine: 'lab' }));
    assert.equal(again.code, RuntimeErrorCode.UnknownEngine);
    await second.stop();
  });

  it('names added engines after their host, and refuses duplicates, bad URLs and bad params by field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    const { connection, stop } = await daemonIn(dir);
    const tcp = await connection.request('engines.add', { url: 'tcp://127.0.0.1:1', tls: { verify: false } });
    assert.equal(tcp.id, '127.0.0.1');
    const duplicate = await failure(connection.request('engines.add', { url: 'tcp://127.0.0.1:1' }));
    assert.match(duplicate.message, /already served as engine "127\.0\.0\.1"/);
    const cases: [unknown, RegExp][] = [
      [{ url: 'http://example' }, /param "url": "http:\/\/example" is not a supported engine address/],
      [{ url: 'tcp://example' }, /must look like tcp:\/\/HOST:PORT/],
      [{}, /param "url" is required/],
      [{ url: 'tcp://a:2', tls: true }, /param "tls" must be an object/],
      [{ url: 'tcp://a:2', tls: { verify: 'yes' } }, /tls: param "verify" must be a boolean/],
      [{ url: 'unix:///x.sock', tls: {} }, /"tls" is for tcp:\/\/ engines/],
      [{ url: 'tcp://a:2', name: 'Has Spaces' }, /param "name" must be lowercase/],
      [{ url: 'tcp://a:3', name: '127.0.0.1' }, /an engine named "127\.0\.0\.1" exists already/],
    ];
    for (const [params, message] of cases) {
      const error = await failure(connection.request('engines.add', params as never));
      assert.equal(error.code, RuntimeErrorCode.InvalidParams, JSON.stringify(params));
      assert.match(error.message, message);
    }
    assert.equal((await connection.request('engines.list', {})).length, 1, 'nothing refused was added');
    await stop();
  });

  it('refuses to remove an engine it discovered rather than one the user added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    const socket = join(dir, 'found.sock');
    const { connection, stop } = await daemonIn(dir, { engines: [{ id: 'found', url: `unix://${socket}`, source: 'default socket', socketPath: socket }] });
    const error = await failure(connection.request('engines.remove', { engine: 'found' }));
    assert.match(error.message, /engine "found" was found by default socket, not added with engines\.add/);
    await stop();
  });

  it('serves a saved engine beside a discovered one that took its name, and removes the right one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    writeFileSync(join(dir, 'engines.json'), JSON.stringify({ engines: [{ id: 'docker', url: 'tcp://127.0.0.1:3' }, { id: 'keep', url: 'tcp://127.0.0.1:4' }] }));
    const socket = join(dir, 'found.sock');
    const { connection, stop } = await daemonIn(dir, { engines: [{ id: 'docker', url: `unix://${socket}`, source: 'default socket', socketPath: socket }] });
    const engines = await connection.request('engines.list', {});
    assert.deepEqual(engines.map((engine) => [engine.id, engine.endpoint, engine.added ?? false]), [['docker', `unix://${socket}`, false], ['docker-2', 'tcp://127.0.0.1:3', true], ['keep', 'tcp://127.0.0.1:4', true]]);
    await connection.request('engines.remove', { engine: 'docker-2' });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'engines.json'), 'utf8')), { engines: [{ id: 'keep', url: 'tcp://127.0.0.1:4' }] });
    await stop();
  });

  it('reports a broken saved-engines file as an engine\'s reason, keeps serving, and does not overwrite the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    writeFileSync(join(dir, 'engines.json'), '{"engines": [');
    const { connection, stop } = await daemonIn(dir);
    const engines = await enginesWhen(connection, (list) => unreachable(list[0]) !== undefined, 'the problem to be reported');
    assert.match(unreachable(engines[0])!, /engines\.json is not valid JSON/);
    const error = await failure(connection.request('engines.add', { url: 'tcp://127.0.0.1:2' }));
    assert.match(error.message, /cannot save the engine: .*engines\.json is not valid JSON/);
    assert.equal(readFileSync(join(dir, 'engines.json'), 'utf8'), '{"engines": [');
    assert.equal((await connection.request('runtime.hello', {})).pid, process.pid);
    await stop();
  });

  it('says clearly when ssh cannot reach the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    const { connection, stop } = await daemonIn(dir);
    await connection.request('engines.add', { url: 'ssh://nobody@berth-no-such-host.invalid', name: 'far' });
    const engines = await enginesWhen(connection, (list) => unreachable(list[0]) !== undefined, 'ssh to fail');
    // What ssh itself said, or that there is no ssh to run.
    assert.match(unreachable(engines[0])!, /ssh to nobody@berth-no-such-host\.invalid exited with status 255: .*berth-no-such-host\.invalid|the ssh program "ssh" was not found \(install an OpenSSH client/);
    await stop();
  });
});

describe('one daemon per user', () => {
  it('a second `berth daemon` finds the live one and exits 0 saying so', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'berth-xdg-'));
    const dir = join(runtimeDir, 'berth');
    const first = await daemonIn(dir);
    const second = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'runtime/src/main.ts'), '--engine', 'unix:///nonexistent.sock'], {
      env: { ...process.env, XDG_RUNTIME_DIR: runtimeDir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`already running \\(pid ${process.pid}, ws\\+unix://.*\\); not starting another`));
    assert.equal(readDiscoveryFile(join(dir, 'runtime.json'))?.pid, process.pid, 'the live daemon\'s file is left alone');
    await first.stop();
  });

  it('replaces a discovery file left by a daemon that died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-stale-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeDiscoveryFile(join(dir, 'runtime.json'), { pid: Number(dead.stdout), version: '0.0.1', protocol: 1, url: 'ws+unix:///gone.sock', token: '0'.repeat(64) });
    writeFileSync(join(dir, 'runtime.sock'), 'left behind');
    const { daemon, connection, stop } = await daemonIn(dir);
    assert.equal(readDiscoveryFile(join(dir, 'runtime.json'))?.pid, process.pid);
    assert.notEqual(daemon.discovery.token, '0'.repeat(64));
    assert.equal((await connection.request('runtime.hello', {})).pid, process.pid);
    await stop();
    assert.equal(existsSync(join(dir, 'runtime.json')), false);
  });
});
