import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { EngineInfo, StateChange, StateResync, StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { SecondEngine, secondEngineUnavailable } from '../support/secondEngine';

/** Every notification a connection receives, in order, and a way to wait for one. */
class Recorder {
  readonly seen: { method: string; params: unknown }[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(connection: RuntimeConnection) {
    for (const method of ['engines.changed', 'state.changed', 'state.resync', 'stream.data', 'stream.end'] as const) {
      connection.onNotification(method, (params: unknown) => {
        this.seen.push({ method, params });
        for (const waiter of [...this.waiters]) waiter();
      });
    }
  }

  /** The first notification of `method` after index `from` that satisfies `test`. */
  next<T>(method: string, test: (params: T) => boolean, what: string, from = 0, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.seen.slice(from).find((entry) => entry.method === method && test(entry.params as T));
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found.params as T);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

const health = (engines: EngineInfo[]) => engines.find((engine) => engine.id === 'second')?.health;

describe('the daemon when its engine is stopped and started again mid-session', () => {
  const engine = useEngine();
  const unavailable = secondEngineUnavailable();
  let second: SecondEngine | undefined;
  let daemon: RunningDaemon | undefined;
  let connection: RuntimeConnection | undefined;

  before(async () => {
    if (!engine.client() || unavailable) return;
    // Live restore keeps containers running while dockerd is down, so the streams end because the engine went, not the process.
    second = new SecondEngine(['--live-restore']);
    await second.start();
    second.loadImage();
  });
  after(async () => {
    connection?.close();
    await daemon?.stop();
    await second?.dispose();
  });

  it('ends streams with a reason, reports the engine unreachable, then recovers by itself and resyncs', async (t) => {
    if (engine.missing(t)) return;
    if (unavailable) {
      if (process.env.CI === 'true') assert.fail(`CI=true but ${unavailable}`);
      t.skip(`SECOND ENGINE UNAVAILABLE: ${unavailable}`);
      return;
    }
    const engineClient = second!.client();
    const create = async (client: typeof engineClient, name: string, cmd: string[]) => {
      // SIGKILL as stop signal: dockerd stopping must not wait for a shell that ignores SIGTERM.
      const { Id } = await client.json<{ Id: string }>('POST', `/containers/create?name=${name}`, { Image: BASE_IMAGE, Cmd: cmd, StopSignal: 'SIGKILL', Labels: { [TEST_LABEL]: '1' } });
      return Id;
    };
    const ticker = await create(engineClient, 'berth-fault-ticker', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']);
    await engineClient.json('POST', `/containers/${ticker}/start`);

    const dir = mkdtempSync(join(tmpdir(), 'berth-faults-'));
    daemon = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines: [second!.endpoint()] });
    connection = await RuntimeConnection.connect(daemon.discovery);
    const recorder = new Recorder(connection);
    if (health(await connection.request('engines.list', {}))?.state !== 'ready') await recorder.next<EngineInfo[]>('engines.changed', (list) => health(list)?.state === 'ready', 'the second engine to be ready');
    await connection.request('state.subscribe', { kinds: ['container'] });
    const logs = await connection.request('container.logs', { id: ticker, follow: true });
    const exec = await connection.request('container.exec', { id: ticker, cmd: ['sh'], tty: true });
    await connection.request('stream.write', { streamId: exec.streamId, data: 'echo alive-$((20+22))\n' });
    await recorder.next<StreamData>('stream.data', (data) => data.streamId === exec.streamId && Buffer.from(data.data as string, 'base64').toString().includes('alive-42'), 'the exec to answer');
    await recorder.next<StreamData>('stream.data', (data) => data.streamId === logs.streamId, 'the logs to flow');

    const beforeStop = recorder.seen.length;
    await second!.stop();
    const down = await recorder.next<EngineInfo[]>('engines.changed', (list) => health(list)?.state === 'unreachable', 'the engine to be reported unreachable', beforeStop);
    const downHealth = health(down);
    assert.ok(downHealth?.state === 'unreachable' && downHealth.reason.length > 0, JSON.stringify(downHealth));
    for (const { streamId } of [logs, exec]) {
      const end = await recorder.next<StreamEnd>('stream.end', (message) => message.streamId === streamId, `the end of ${streamId}`, beforeStop);
      assert.equal(end.reason, 'engine unreachable', JSON.stringify(end));
      assert.ok(end.message && end.message.length > 0, 'the end says why');
    }
    assert.equal((await connection.request('runtime.hello', {})).pid, process.pid, 'the daemon keeps serving');

    // Back up, first on a socket the daemon does not know, so a container can be created while the daemon cannot see it.
    const hidden = join(second!.dir, 'hidden.sock');
    await second!.start(hidden);
    const hiddenClient = second!.client(hidden);
    const meanwhile = await create(hiddenClient, 'berth-fault-meanwhile', ['true']);
    hiddenClient.dispose();
    const beforeReturn = recorder.seen.length;
    renameSync(hidden, second!.socketPath);

    await recorder.next<EngineInfo[]>('engines.changed', (list) => health(list)?.state === 'ready', 'the engine to be ready again', beforeReturn);
    const resync = await recorder.next<StateResync>('state.resync', (message) => message.engine === 'second' && message.kind === 'container', 'a container resync', beforeReturn);
    assert.ok(resync.items.some((item) => item.id === meanwhile), 'the container created meanwhile is in the resync');
    const added = await recorder.next<StateChange>('state.changed', (change) => change.id === meanwhile && change.action === 'added', 'the new container as a change', beforeReturn);
    assert.equal(added.engine, 'second');
    const tickerNow = (await connection.request('containers.list', { engine: 'second' })).find((item) => item.id === ticker);
    assert.equal(tickerNow?.state, 'running', 'the ticker ran on through the restart');
    const again = await connection.request('container.logs', { id: ticker, follow: true, tail: 1 });
    await recorder.next<StreamData>('stream.data', (data) => data.streamId === again.streamId, 'logs to flow again after the restart', beforeReturn);
  });
});
