// Engine API version negotiation, as the docker CLI does it: the daemon speaks
// the older of the engine's version (from /_ping) and its own newest, and
// refuses an engine older than the oldest it supports, saying so. The daemon
// reaches the real engine through a relay that records every request line and
// can make the engine look older or newer than it is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEngineEndpoint, type EngineEndpoint } from '../../runtime/src/engine/endpoint';
import { compareApiVersions, MAX_API_VERSION, MIN_API_VERSION } from '../../runtime/src/engine/httpClient';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo } from '../../runtime/src/protocol/types';
import { useEngine } from '../support/engine';
import { untilEngines } from '../support/engineHealth';

/** A unix-socket relay to the engine; `claim` makes /_ping (and, for an old engine, /version) name another API version. */
class VersionRelay {
  readonly path = join(mkdtempSync(join(tmpdir(), 'berth-version-')), 'engine.sock');
  readonly requests: string[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  /**
   * `claim` newer than the engine: /_ping says so, and requests for that version
   * go on to the engine at its own. `claim` older: /_ping and /version say so.
   */
  constructor(
    private readonly real: string,
    private readonly claim?: string,
  ) {
    this.server = createServer((downstream) => {
      const upstream = netConnect(defaultEngineEndpoint().socketPath!);
      this.sockets.add(downstream).add(upstream);
      // Node's client sends a request's head in one write and waits for the answer before the next one on a socket.
      downstream.on('data', (chunk) => {
        const text = chunk.toString('latin1');
        const firstLine = text.split('\r\n', 1)[0]!;
        if (/^[A-Z]+ \//.test(firstLine)) this.requests.push(firstLine);
        if (this.claim && /^GET \/_ping /.test(firstLine)) return void downstream.write(answer('OK', 'text/plain', this.claim));
        if (this.claim && compareApiVersions(this.claim, this.real) < 0 && / \/v[\d.]+\/version /.test(firstLine)) {
          return void downstream.write(answer(JSON.stringify({ Version: '18.09.0', ApiVersion: this.claim, Os: 'linux', Arch: 'amd64' }), 'application/json', this.claim));
        }
        upstream.write(this.claim && compareApiVersions(this.claim, this.real) > 0 ? Buffer.from(text.replace(`/v${MAX_API_VERSION}/`, `/v${this.real}/`), 'latin1') : chunk);
      });
      upstream.pipe(downstream);
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
      downstream.on('close', () => upstream.destroy());
    });
  }

  endpoint(): EngineEndpoint {
    return { url: `unix://${this.path}`, source: 'test relay', socketPath: this.path };
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  close(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

function answer(body: string, type: string, apiVersion: string): string {
  return `HTTP/1.1 200 OK\r\nApi-Version: ${apiVersion}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A daemon serving only the relay, and the engine's health once it is no longer connecting. */
async function healthThrough(relay: VersionRelay): Promise<{ daemon: RunningDaemon; connection: RuntimeConnection; engine: EngineInfo }> {
  await relay.listen();
  const dir = mkdtempSync(join(tmpdir(), 'berth-version-daemon-'));
  const daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines: [relay.endpoint()] });
  const connection = await RuntimeConnection.connect(daemon.discovery);
  const settled = (list: EngineInfo[]) => (list[0]!.health.state === 'connecting' ? undefined : list[0]);
  const engine = await untilEngines(connection, settled, 'the relayed engine to be past connecting');
  return { daemon, connection, engine };
}

describe('Engine API version negotiation', () => {
  const engine = useEngine();
  let real = '';
  const relays: VersionRelay[] = [];
  const daemons: { daemon: RunningDaemon; connection: RuntimeConnection }[] = [];

  before(async () => {
    if (engine.client()) real = (await engine.client().json<{ ApiVersion: string }>('GET', '/version')).ApiVersion;
  });
  after(async () => {
    for (const { daemon, connection } of daemons) {
      connection.close();
      await daemon.stop();
    }
    for (const relay of relays) relay.close();
  });
  const through = async (claim?: string) => {
    const relay = new VersionRelay(real, claim);
    relays.push(relay);
    const session = await healthThrough(relay);
    daemons.push(session);
    return { relay, ...session };
  };

  it('speaks the engine\'s own API version, asked with /_ping, on every request', async (t) => {
    if (engine.missing(t)) return;
    const { relay, connection, engine: info } = await through();
    assert.equal(info.health.state === 'ready' && info.health.apiVersion, real);
    await connection.request('container.inspect', { id: 'berth-test-no-such-container' }).catch(() => undefined);
    const [ping, ...rest] = relay.requests;
    assert.match(ping!, /^GET \/_ping /);
    assert.ok(rest.length > 3, relay.requests.join('\n'));
    assert.deepEqual(rest.filter((line) => !line.includes(` /v${real}/`)), [], `every request after /_ping names /v${real}/`);
  });

  it(`speaks its own newest version (${MAX_API_VERSION}) to an engine newer than that`, async (t) => {
    if (engine.missing(t)) return;
    const { relay, engine: info } = await through('1.99');
    assert.equal(info.health.state, 'ready', JSON.stringify(info.health));
    assert.deepEqual(relay.requests.slice(1).filter((line) => !line.includes(` /v${MAX_API_VERSION}/`)), []);
  });

  it(`refuses an engine older than API ${MIN_API_VERSION}, naming both versions`, async (t) => {
    if (engine.missing(t)) return;
    const { engine: info } = await through('1.38');
    assert.deepEqual(info.health, { state: 'unreachable', reason: `engine API 1.38 is older than ${MIN_API_VERSION}, the oldest Berth supports` });
  });
});
