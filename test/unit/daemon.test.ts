import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startDaemon, DaemonAlreadyRunningError, type RunningDaemon } from '../../runtime/src/daemon';
import { parseDaemonArgs, UsageError } from '../../runtime/src/daemonCommand';
import { RuntimeConnection, RuntimeRequestError } from '../../runtime/src/protocol/connection';
import { PROTOCOL_VERSION, RuntimeErrorCode } from '../../runtime/src/protocol/types';
import { untilEngines } from '../support/engineHealth';

/** The HTTP status a WebSocket upgrade gets with these headers. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('runtime daemon without an engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-daemon-'));
  const discoveryPath = join(dir, 'runtime.json');
  const missingSocket = join(dir, 'no-engine.sock');
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;

  before(async () => {
    daemon = await startDaemon({
      listen: { kind: 'unix', socketPath: join(dir, 'runtime.sock') },
      discoveryPath,
      engines: [{ url: `unix://${missingSocket}`, source: 'test', socketPath: missingSocket }],
    });
    connection = await RuntimeConnection.connect(daemon.discovery);
  });
  after(async () => {
    connection?.close();
    await daemon?.stop();
  });

  it('writes a 0600 discovery file with pid, version, protocol, url and a 256-bit token', () => {
    const written = JSON.parse(readFileSync(discoveryPath, 'utf8'));
    assert.deepEqual(Object.keys(written).sort(), ['pid', 'protocol', 'token', 'url', 'version']);
    assert.equal(written.pid, process.pid);
    assert.equal(written.protocol, PROTOCOL_VERSION);
    assert.match(written.token, /^[0-9a-f]{64}$/);
    assert.equal(written.url, `ws+unix://${join(dir, 'runtime.sock')}`);
    assert.equal(statSync(discoveryPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'runtime.sock')).mode & 0o777, 0o600);
  });

  it('refuses upgrades without the right token (401) and from browsers or foreign hosts (403)', async () => {
    const { url, token } = daemon.discovery;
    assert.equal(await upgradeStatus(url, {}), 401);
    assert.equal(await upgradeStatus(url, { Authorization: `Bearer ${'0'.repeat(64)}` }), 401);
    assert.equal(await upgradeStatus(url, { Authorization: `Bearer ${token}`, Origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(url, { Authorization: `Bearer ${token}`, Host: 'evil.example' }), 403);
    assert.equal(await upgradeStatus(url, { Authorization: `Bearer ${token}` }), 101);
  });

  it('answers hello with its version and protocol', async () => {
    const hello = await connection.request('runtime.hello', { client: 'test', protocol: PROTOCOL_VERSION });
    assert.equal(hello.protocol, PROTOCOL_VERSION);
    assert.equal(hello.pid, process.pid);
  });

  it('reports the engine as unreachable with a reason a user can act on', async () => {
    const engines = await untilEngines(connection, (list) => (list[0]?.health.state === 'connecting' ? undefined : list), 'the engine to be past connecting');
    assert.equal(engines.length, 1);
    assert.deepEqual(engines[0]!.health, { state: 'unreachable', reason: `no engine socket at ${missingSocket} (is the Docker daemon running?)` });
  });

  it('answers errors with JSON-RPC codes: unknown method, unknown engine, unreachable engine, none ready', async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected an error'), (error: RuntimeRequestError) => error);
    // @ts-expect-error: deliberately not a method of the protocol
    assert.equal((await failure(connection.request('containers.destroyAll', {}))).code, RuntimeErrorCode.MethodNotFound);
    assert.equal((await failure(connection.request('containers.list', { engine: 'nope' }))).code, RuntimeErrorCode.UnknownEngine);
    const unreachable = await failure(connection.request('containers.list', { engine: 'engine-1' }));
    assert.equal(unreachable.code, RuntimeErrorCode.EngineUnreachable);
    assert.match(unreachable.message, /no engine socket/);
    const noneReady = await failure(connection.request('containers.list', {}));
    assert.equal(noneReady.code, RuntimeErrorCode.NoEngineReady);
    assert.match(noneReady.message, /no engine is ready \(engine-1: unreachable: no engine socket/);
  });

  it('answers a frame that is not JSON with a parse error instead of dying', async () => {
    const raw = new WebSocket(daemon.discovery.url, { headers: { Authorization: `Bearer ${daemon.discovery.token}` } });
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send('{not json');
    const reply = JSON.parse(String(await new Promise((resolve) => raw.once('message', resolve))));
    raw.close();
    assert.equal(reply.error.code, RuntimeErrorCode.ParseError);
    assert.equal((await connection.request('runtime.hello', { client: 'test', protocol: 1 })).pid, process.pid);
  });

  it('closes a connection that sends an oversized message or a text frame that is not UTF-8, and keeps serving', async () => {
    const closeOf = async (send: (raw: WebSocket) => void) => {
      const raw = new WebSocket(daemon.discovery.url, { headers: { Authorization: `Bearer ${daemon.discovery.token}` } });
      raw.on('error', () => undefined);
      await new Promise((resolve) => raw.once('open', resolve));
      const closed = new Promise<[number, string]>((resolve) => raw.once('close', (code, reason) => resolve([code, reason.toString()])));
      send(raw);
      return closed;
    };
    const [tooBig] = await closeOf((raw) => raw.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'runtime.hello', params: { client: 'x'.repeat(16 * 1024 * 1024) } })));
    assert.equal(tooBig, 1009);
    const [notUtf8] = await closeOf((raw) => raw.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }));
    assert.equal(notUtf8, 1007);
    assert.equal((await connection.request('runtime.hello', { client: 'test', protocol: 1 })).pid, process.pid);
  });

  it('refuses to start a second daemon on the same discovery file', async () => {
    // The file names a live process (this one), so a second daemon must not take it over.
    const sameFile = startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 'second.sock') }, discoveryPath, engines: [] });
    await assert.rejects(sameFile, DaemonAlreadyRunningError);
  });
});

describe('runtime daemon lifecycle', () => {
  it('listens on loopback TCP when asked and removes its files when stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-daemon-'));
    const discoveryPath = join(dir, 'runtime.json');
    const daemon = await startDaemon({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, discoveryPath, engines: [] });
    assert.match(daemon.discovery.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const connection = await RuntimeConnection.connect(daemon.discovery);
    assert.deepEqual(await connection.request('engines.list', {}), []);
    connection.close();
    await daemon.stop();
    assert.equal(existsSync(discoveryPath), false);
  });

  it('listens on a unix socket by default, and on a free loopback port on Windows, which has no socket files', () => {
    assert.deepEqual(parseDaemonArgs([], 'linux').listen, { kind: 'unix' });
    assert.deepEqual(parseDaemonArgs([], 'darwin').listen, { kind: 'unix' });
    assert.deepEqual(parseDaemonArgs([], 'win32').listen, { kind: 'tcp', host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseDaemonArgs(['--listen', 'tcp:127.0.0.1:7070'], 'win32').listen, { kind: 'tcp', host: '127.0.0.1', port: 7070 });
    assert.throws(() => parseDaemonArgs(['--listen', 'unix'], 'win32'), (error: Error) => error instanceof UsageError && /not available on Windows; use tcp:127\.0\.0\.1:PORT/.test(error.message));
  });

  it('keeps serving when clients hang up in the middle of the handshake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-daemon-'));
    const daemon = await startDaemon({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, discoveryPath: join(dir, 'runtime.json'), engines: [] });
    try {
      const port = Number(new URL(daemon.discovery.url).port);
      const upgrade = `GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n`;
      // Refused (no token) and accepted upgrades alike, each cut off with a reset as soon as it is sent.
      for (const authorization of ['', `Authorization: Bearer ${daemon.discovery.token}\r\n`]) {
        for (let i = 0; i < 20; i++) {
          await new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => {
              socket.write(`${upgrade}${authorization}\r\n`);
              socket.resetAndDestroy();
              setTimeout(resolve, 5);
            });
            socket.on('error', () => undefined);
          });
        }
      }
      const connection = await RuntimeConnection.connect(daemon.discovery);
      assert.deepEqual(await connection.request('engines.list', {}), []);
      connection.close();
    } finally {
      await daemon.stop();
    }
  });

  it('exits by itself when idle, once its last client leaves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-daemon-'));
    const daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines: [], idleExitMs: 200 });
    const connection = await RuntimeConnection.connect(daemon.discovery);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(existsSync(join(dir, 'r.json')), true, 'a connected client keeps the daemon up');
    connection.close();
    await daemon.stopped;
    assert.equal(existsSync(join(dir, 'r.json')), false);
    assert.equal(existsSync(join(dir, 's.sock')), false);
  });
});
