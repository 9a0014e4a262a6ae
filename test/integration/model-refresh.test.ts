// The live model re-reads an object after its events; when the engine refuses
// that read (a busy engine answering 500, a read timing out), the object must
// not stay as it was until its next event. The daemon reaches the engine
// through a relay here that refuses chosen requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import type { StateChange } from '../../runtime/src/protocol/types';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

/** A unix-socket relay to the engine that answers 500 to the next `count` requests whose first line matches `pattern`. */
class RefusingRelay {
  readonly path = join(mkdtempSync(join(tmpdir(), 'berth-refusing-')), 'engine.sock');
  refused: string[] = [];
  private refuse = 0;
  private pattern = /^$/;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((downstream) => {
      const upstream = netConnect(defaultEngineEndpoint().socketPath!);
      this.sockets.add(downstream).add(upstream);
      // Node's client sends a request's head in one write and waits for the answer before the next one on a socket.
      downstream.on('data', (chunk) => {
        const firstLine = chunk.toString('latin1', 0, Math.min(chunk.length, 512)).split('\r\n', 1)[0]!;
        if (this.refuse > 0 && this.pattern.test(firstLine)) {
          this.refuse--;
          this.refused.push(firstLine);
          const body = '{"message":"refused by the test relay"}';
          downstream.write(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(downstream);
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
      downstream.on('close', () => upstream.destroy());
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  refuseNext(count: number, pattern: RegExp): void {
    this.refuse = count;
    this.pattern = pattern;
  }

  close(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

describe('live model when the engine refuses a re-read', () => {
  const engine = useEngine();
  const relay = new RefusingRelay();
  let session: DaemonSession;
  const containers: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    await relay.listen();
    session = await startDaemonSession('model-refresh', [{ url: `unix://${relay.path}`, source: 'test relay', socketPath: relay.path }]);
  });
  after(async () => {
    for (const id of containers) await engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    await session?.stop();
    relay.close();
  });

  it('reads a container again after a refused re-read, so it shows running', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('state.subscribe', { kinds: ['container'] });
    const name = `berth-test-refresh-${process.pid}-${Date.now()}`;
    const running = new Promise<StateChange<'container'>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} never showed running in the model`)), 10_000);
      const stop = connection.onNotification('state.changed', (change: StateChange) => {
        if (change.kind !== 'container' || (change as StateChange<'container'>).item?.name !== name || (change as StateChange<'container'>).item?.state !== 'running') return;
        clearTimeout(timer);
        stop();
        resolve(change as StateChange<'container'>);
      });
    });
    // The model's re-read of one container lists containers filtered by its id:
    // refused for as long as the container's events (create, connect, start) keep coming.
    relay.refuseNext(Infinity, /^GET \S*\/containers\/json\?all=1&filters=/);
    const client = engine.client();
    const { Id } = await client.json<{ Id: string }>('POST', `/containers/create?name=${name}`, { Image: BASE_IMAGE, Cmd: ['sleep', '30'], Labels: { [TEST_LABEL]: '1' } });
    containers.push(Id);
    await client.json('POST', `/containers/${Id}/start`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    relay.refuseNext(0, /^$/);
    assert.ok(relay.refused.length >= 1, 'the relay refused the model’s re-reads');

    const change = await running;
    assert.equal(change.id, Id);
    const listed = await connection.request('containers.list', { all: true });
    assert.equal(listed.find((container: { id: string }) => container.id === Id)?.state, 'running');
  });
});
