import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import type { EngineEndpoint } from '../../runtime/src/engine/endpoint';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo, StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { engineIn, untilEngines } from '../support/engineHealth';

const dockerSocket = () => defaultEngineEndpoint().socketPath ?? '/var/run/docker.sock';

/** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, made with openssl; and a second CA nobody trusts. */
function makeCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=Berth test ${ca}`, '-keyout', `${ca}-key.pem`, '-out', `${ca}.pem`);
  }
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, ca] of [['server', 'ca'], ['cert', 'ca'], ['stranger', 'other-ca']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name === 'server' ? 'localhost' : 'client'}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-CAcreateserial', '-days', '1', '-extfile', name === 'server' ? 'server.ext' : 'client.ext', '-out', `${name}.pem`);
  }
  // The layout DOCKER_CERT_PATH has: ca.pem, cert.pem, key.pem.
  writeFileSync(join(dir, 'key.pem'), readFileSync(join(dir, 'cert-key.pem')));
}

/** An HTTPS server that demands a client certificate signed by the CA and relays each request to the local engine. */
function tlsEngine(dir: string): Promise<HttpsServer> {
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'server-key.pem')), cert: readFileSync(join(dir, 'server.pem')), ca: readFileSync(join(dir, 'ca.pem')), requestCert: true, rejectUnauthorized: true },
    (request, response) => {
      const upstream = httpRequest({ socketPath: dockerSocket(), method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        // A long-lived answer such as /events must reach the client before its first event does.
        response.flushHeaders();
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      response.on('close', () => upstream.destroy());
      request.pipe(upstream);
    },
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Engine `id` once its health is `state`. */
const waitForHealth = (connection: RuntimeConnection, id: string, state: EngineInfo['health']['state'], timeoutMs = 10_000) =>
  untilEngines(connection, engineIn(state, id), `engine ${id} to be ${state}`, timeoutMs);

describe('engines over plain TCP, TLS, ssh, and a socket that appears late', () => {
  const engine = useEngine();
  const dir = mkdtempSync(join(tmpdir(), 'berth-transports-'));
  const daemons: RunningDaemon[] = [];
  const connections: RuntimeConnection[] = [];
  const containers: string[] = [];
  const closers: (() => void)[] = [];
  let tls: HttpsServer | undefined;

  const daemonFor = async (engines: EngineEndpoint[]) => {
    const home = mkdtempSync(join(dir, 'daemon-'));
    const daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(home, 's.sock') }, discoveryPath: join(home, 'r.json'), engines });
    daemons.push(daemon);
    const connection = await RuntimeConnection.connect(daemon.discovery);
    connections.push(connection);
    return connection;
  };

  /** A server that passes each connection through to the machine's engine socket (closed after the tests); `halfOpen` as dockerd's TCP listener is. */
  const engineRelay = (halfOpen = false): Server => {
    const relayed = new Set<Socket>();
    const relay = createServer({ allowHalfOpen: halfOpen }, (downstream) => {
      const upstream = netConnect({ path: dockerSocket(), allowHalfOpen: halfOpen });
      relayed.add(downstream).add(upstream);
      downstream.pipe(upstream).pipe(downstream);
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
    });
    closers.push(() => {
      relay.close();
      for (const socket of relayed) socket.destroy();
    });
    return relay;
  };

  /**
   * Starts a container on the machine's engine and runs `sh -c script` in it
   * through the daemon's engine `engineId`, `input` written to its stdin; its
   * stdout, its end and the container.
   */
  const execThrough = async (connection: RuntimeConnection, engineId: string, script: string, input: string) => {
    const { Id } = await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['sleep', '60'], Labels: { [TEST_LABEL]: '1' } });
    containers.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    let output = '';
    const exec = await connection.request('container.exec', { engine: engineId, id: Id, cmd: ['sh', '-c', script], tty: false });
    const ended = new Promise<StreamEnd>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stream.end; output so far ${JSON.stringify(output)}`)), 10_000);
      connection.onNotification('stream.data', (data: StreamData) => {
        if (data.streamId === exec.streamId && data.channel === 'stdout') output += Buffer.from(data.data, 'base64').toString();
      });
      connection.onNotification('stream.end', (message: StreamEnd) => {
        if (message.streamId !== exec.streamId) return;
        clearTimeout(timer);
        resolve(message);
      });
    });
    await connection.request('stream.write', { streamId: exec.streamId, data: input, eof: true });
    const end = await ended;
    return { output, end, id: Id };
  };

  before(async () => {
    if (!engine.client()) return;
    makeCertificates(dir);
    tls = await tlsEngine(dir);
  });
  after(async () => {
    for (const connection of connections) connection.close();
    for (const daemon of daemons) await daemon.stop();
    tls?.close();
    tls?.closeAllConnections();
    for (const close of closers) close();
    const client = engine.client();
    if (client) for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
  });

  it('speaks TLS with the client certificate from a DOCKER_CERT_PATH-style directory, verifying the engine', async (t) => {
    if (engine.missing(t)) return;
    const port = (tls!.address() as AddressInfo).port;
    const endpoint: EngineEndpoint = { id: 'tls', url: `tcp://localhost:${port}`, source: 'test', host: 'localhost', port, tls: { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), verify: true } };
    const connection = await daemonFor([endpoint]);
    const ready = await waitForHealth(connection, 'tls', 'ready');
    const direct = await engine.client().json<{ Version: string }>('GET', '/version');
    assert.equal(ready.health.state === 'ready' && ready.health.version, direct.Version);
    const listed = (await connection.request('containers.list', { engine: 'tls' })).map((item) => item.id).sort();
    const expected = (await engine.client().json<{ Id: string }[]>('GET', '/containers/json?all=1')).map((item) => item.Id).sort();
    assert.deepEqual(listed, expected);
  });

  it('says why TLS fails: no client certificate, a certificate the engine does not trust, an engine it cannot verify, a missing file', async (t) => {
    if (engine.missing(t)) return;
    const port = (tls!.address() as AddressInfo).port;
    const attempt = async (settings: EngineEndpoint['tls']) => {
      const client = new EngineHttpClient({ url: `tcp://127.0.0.1:${port}`, source: 'test', host: '127.0.0.1', port, tls: settings });
      try {
        await client.negotiate();
        return 'connected';
      } catch (error) {
        return (error as Error).message;
      } finally {
        client.dispose();
      }
    };
    const ca = join(dir, 'ca.pem');
    assert.match(await attempt({ caFile: ca, verify: true }), /TLS connection to tcp:\/\/127\.0\.0\.1:\d+ failed: .*check the certificates/);
    assert.match(await attempt({ caFile: ca, certFile: join(dir, 'stranger.pem'), keyFile: join(dir, 'stranger-key.pem'), verify: true }), /TLS connection .* failed/);
    assert.match(await attempt({ caFile: join(dir, 'other-ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), verify: true }), /TLS connection .* failed: .*certificate/i);
    assert.equal(await attempt({ certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), verify: false }), 'connected', 'SkipTLSVerify connects without the CA');
    assert.match(await attempt({ caFile: join(dir, 'missing', 'ca.pem'), verify: true }), /cannot read the CA certificate .*missing\/ca\.pem: ENOENT/);
  });

  it('reaches an engine through the stdio of the ssh program, exec terminals included', async (t) => {
    if (engine.missing(t)) return;
    // Stands in for `ssh … docker system dial-stdio`: records its argv, then bridges stdio to the engine socket.
    const fakeSsh = join(dir, 'fake-ssh');
    const argvFile = join(dir, 'ssh-argv.json');
    writeFileSync(
      fakeSsh,
      `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
        `const socket = require('net').connect(${JSON.stringify(dockerSocket())});\nprocess.stdin.pipe(socket);\nsocket.pipe(process.stdout);\nsocket.on('close', () => process.exit(0));\n`,
    );
    chmodSync(fakeSsh, 0o755);
    const connection = await daemonFor([{ id: 'far', url: 'ssh://deploy@build.example:2222', source: 'test', ssh: { host: 'build.example', user: 'deploy', port: 2222, command: fakeSsh } }]);
    await waitForHealth(connection, 'far', 'ready');
    assert.deepEqual(JSON.parse(readFileSync(argvFile, 'utf8').split('\n')[0]!), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '-l', 'deploy', '-p', '2222', '--', 'build.example', 'docker', 'system', 'dial-stdio']);

    // Stdin reaches the process through the hijacked connection, itself carried by the ssh program's stdio.
    const { output, end } = await execThrough(connection, 'far', 'read line; echo "via ssh: $line"', 'hello\n');
    assert.equal(end.exitCode, 0, JSON.stringify(end));
    assert.match(output, /via ssh: hello/);
  });

  it('reaches an engine over plain TCP (tcp://), its live model and an exec with stdin included', async (t) => {
    if (engine.missing(t)) return;
    // The engine's API on a loopback TCP port, as `dockerd -H tcp://127.0.0.1:PORT` serves it;
    // half-open both ways, as dockerd is: stdin's end must not end the output.
    const relay = engineRelay(true);
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as AddressInfo;
    const connection = await daemonFor([{ id: 'tcp', url: `tcp://127.0.0.1:${port}`, source: 'test', host: '127.0.0.1', port }]);
    await waitForHealth(connection, 'tcp', 'ready');
    const { output, end, id: Id } = await execThrough(connection, 'tcp', 'read line; echo "via tcp: $line"', 'hello\n');
    assert.equal(end.exitCode, 0, JSON.stringify(end));
    assert.match(output, /via tcp: hello/);
    // The model over TCP is the engine's: the container started above is listed running.
    assert.equal((await connection.request('containers.list', { engine: 'tcp' })).find((container) => container.id === Id)?.state, 'running');
  });

  it('connects as soon as an engine socket appears, without waiting out the backoff', async (t) => {
    if (engine.missing(t)) return;
    const socketPath = join(dir, 'late.sock');
    const connection = await daemonFor([{ id: 'late', url: `unix://${socketPath}`, source: 'test', socketPath }]);
    const down = await waitForHealth(connection, 'late', 'unreachable');
    assert.match(down.health.state === 'unreachable' ? down.health.reason : '', /no engine socket at .*late\.sock/);
    // Three failed attempts (0.5 s, 1 s, 2 s apart): the next one is 4 s away.
    await new Promise((resolve) => setTimeout(resolve, 3700));
    const relay = engineRelay();
    await new Promise<void>((resolve) => relay.listen(socketPath, resolve));
    await waitForHealth(connection, 'late', 'ready', 2500);
  });
});
