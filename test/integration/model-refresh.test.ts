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
  /** The first line of every request the daemon sent through. */
  seen: string[] = [];
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
        if (/^[A-Z]+ \//.test(firstLine)) this.seen.push(firstLine);
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

/**
 * A unix-socket relay to the engine that lags as dockerd's container list can:
 * after a container's `die` event has gone by, its next re-read is answered
 * with that container's answer from before (still `running`).
 */
class LaggingRelay {
  readonly path = join(mkdtempSync(join(tmpdir(), 'berth-lagging-')), 'engine.sock');
  /** Re-reads answered from before the `die` event. */
  lagged = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly lastAnswer = new Map<string, Buffer>();
  private readonly died = new Set<string>();

  constructor() {
    this.server = createServer((downstream) => {
      const upstream = netConnect(defaultEngineEndpoint().socketPath!);
      this.sockets.add(downstream).add(upstream);
      // The container a re-read on this connection is for; its answer (one read: a small JSON body) is kept.
      let reReading: string | undefined;
      downstream.on('data', (chunk) => {
        const firstLine = chunk.toString('latin1', 0, Math.min(chunk.length, 512)).split('\r\n', 1)[0]!;
        const id = /^GET \S*\/containers\/json\?all=1&filters=(\S+)/.exec(firstLine)?.[1];
        reReading = id ? (JSON.parse(decodeURIComponent(id)) as { id: string[] }).id[0] : undefined;
        const stale = reReading && this.died.has(reReading) ? this.lastAnswer.get(reReading) : undefined;
        if (stale) {
          this.died.delete(reReading!);
          this.lagged++;
          reReading = undefined;
          downstream.write(stale);
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (reReading) this.lastAnswer.set(reReading, chunk);
        reReading = undefined;
        // Events pass through: note each container that dies.
        for (const match of chunk.toString('latin1').matchAll(/"status":"die","id":"([0-9a-f]{64})"/g)) this.died.add(match[1]!);
        downstream.write(chunk);
      });
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
      upstream.on('end', () => downstream.end());
      downstream.on('close', () => upstream.destroy());
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  close(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

describe('live model when the engine\'s list lags its events', () => {
  const engine = useEngine();
  const relay = new LaggingRelay();
  let session: DaemonSession;
  const containers: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    await relay.listen();
    session = await startDaemonSession('model-lag', [{ url: `unix://${relay.path}`, source: 'lagging relay', socketPath: relay.path }]);
  });
  after(async () => {
    for (const id of containers) await engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    await session?.stop();
    relay.close();
  });

  it('reads a container again when the read after its die event still says running, so it shows exited', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('state.subscribe', { kinds: ['container'] });
    const client = engine.client();
    const { Id } = await client.json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['sleep', '1'], Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } });
    containers.push(Id);
    const exited = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the container never showed exited in the model')), 10_000);
      const stop = connection.onNotification('state.changed', (change: StateChange) => {
        if (change.id !== Id || (change as StateChange<'container'>).item?.state !== 'exited') return;
        clearTimeout(timer);
        stop();
        resolve();
      });
    });
    await client.json('POST', `/containers/${Id}/start`);
    await client.json('POST', `/containers/${Id}/wait`);
    await exited;
    assert.equal(relay.lagged, 1, 'the read right after the die event was answered from before it');
    assert.equal((await connection.request('containers.list', {})).find((container) => container.id === Id)?.state, 'exited');
  });
});

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

  it('re-reads a container once for a burst of its events, not once per event', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('state.subscribe', { kinds: ['container'] });
    const client = engine.client();
    const { Id } = await client.json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['sleep', '30'], Labels: { [TEST_LABEL]: '1' } });
    containers.push(Id);
    await client.json('POST', `/containers/${Id}/start`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reReads = () => relay.seen.filter((line) => line.startsWith('GET ') && line.includes('/containers/json?all=1&filters=') && line.includes(Id)).length;
    const before = reReads();
    // 20 exec_create events for the container, sent at once.
    await Promise.all(Array.from({ length: 20 }, () => client.json('POST', `/containers/${Id}/exec`, { Cmd: ['true'] })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = reReads() - before;
    // Without coalescing each event is a re-read; events that arrive during a re-read make one more after it.
    assert.ok(during >= 1 && during <= 10, `${during} re-reads for a burst of 20 events`);
  });
});
