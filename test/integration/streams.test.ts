import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startDaemon, type DaemonOptions, type RunningDaemon } from '../../runtime/src/daemon';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import { RuntimeConnection, RuntimeRequestError } from '../../runtime/src/protocol/connection';
import { RuntimeErrorCode, type EngineInfo, type StatsSample, type StreamData, type StreamEnd } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { engineIn, untilEngines } from '../support/engineHealth';

/** Everything a connection receives on its streams, by stream id. */
class Collector {
  readonly output = new Map<string, { channel: string; data: Buffer }[]>();
  readonly samples = new Map<string, StatsSample[]>();
  readonly ends = new Map<string, StreamEnd>();
  private readonly waiters = new Set<() => void>();

  constructor(connection: RuntimeConnection) {
    connection.onNotification('stream.data', (message: StreamData) => {
      if (message.channel === 'stats') this.samples.set(message.streamId, [...(this.samples.get(message.streamId) ?? []), message.data]);
      else this.output.set(message.streamId, [...(this.output.get(message.streamId) ?? []), { channel: message.channel, data: Buffer.from(message.data, 'base64') }]);
      this.wake();
    });
    connection.onNotification('stream.end', (message) => {
      assert.equal(this.ends.has(message.streamId), false, `a second stream.end for ${message.streamId}`);
      this.ends.set(message.streamId, message);
      this.wake();
    });
  }

  text(streamId: string, channel?: 'stdout' | 'stderr'): string {
    return Buffer.concat((this.output.get(streamId) ?? []).filter((chunk) => !channel || chunk.channel === channel).map((chunk) => chunk.data)).toString('utf8');
  }

  until<T>(test: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = test();
        if (value === undefined || value === false) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  textMatching(streamId: string, pattern: RegExp, channel?: 'stdout' | 'stderr'): Promise<string> {
    return this.until(() => pattern.test(this.text(streamId, channel)) && this.text(streamId, channel), `${pattern} on ${streamId}${channel ? ` (${channel})` : ''}; so far: ${JSON.stringify(this.text(streamId, channel).slice(-300))}`);
  }

  end(streamId: string, timeoutMs = 10_000): Promise<StreamEnd> {
    return this.until(() => this.ends.get(streamId), `the end of ${streamId}`, timeoutMs);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected an error'), (error: RuntimeRequestError) => error);

async function connectReady(daemon: RunningDaemon): Promise<RuntimeConnection> {
  const connection = await RuntimeConnection.connect(daemon.discovery);
  await untilEngines(connection, engineIn('ready'), 'the engine to be ready');
  return connection;
}

describe('streams: logs, exec, attach and stats through the daemon', () => {
  const engine = useEngine();
  const daemons: RunningDaemon[] = [];
  const connections: RuntimeConnection[] = [];
  const containers: string[] = [];
  let daemon: RunningDaemon;
  let connection: RuntimeConnection;
  let streams: Collector;
  /** A running container that sleeps, for exec and stats. */
  let sleeper = '';

  const newDaemon = async (options: Partial<DaemonOptions> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-streams-'));
    const started = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), ...options });
    daemons.push(started);
    return started;
  };
  const connectTo = async (to: RunningDaemon) => {
    const opened = await connectReady(to);
    connections.push(opened);
    return opened;
  };
  /** Creates (and unless told otherwise starts) a labelled container. */
  const container = async (config: Record<string, unknown>, start = true) => {
    const client = engine.client();
    const { Id } = await client.json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Labels: { [TEST_LABEL]: '1' }, ...config });
    containers.push(Id);
    if (start) await client.json('POST', `/containers/${Id}/start`);
    return Id;
  };

  before(async () => {
    if (!engine.client()) return;
    daemon = await newDaemon({ streams: { detachGraceMs: 10_000 } });
    connection = await connectTo(daemon);
    streams = new Collector(connection);
    sleeper = await container({ Cmd: ['sleep', '600'] });
  });
  after(async () => {
    for (const opened of connections) opened.close();
    for (const started of daemons) await started.stop();
    const client = engine.client();
    if (client) for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
  });

  it('reads the logs of a finished container, stdout and stderr apart, all or the tail', async (t) => {
    if (engine.missing(t)) return;
    const id = await container({ Cmd: ['sh', '-c', 'for line in out-1 err-1 out-2 err-2 out-3; do case $line in out*) echo $line;; *) echo $line >&2;; esac; sleep 0.1; done'] });
    await engine.client().json('POST', `/containers/${id}/wait`);

    const all = await connection.request('container.logs', { id });
    assert.deepEqual({ kind: all.kind, tty: all.tty, stdin: all.stdin }, { kind: 'logs', tty: false, stdin: false });
    assert.equal((await streams.end(all.streamId)).reason, 'ended');
    assert.equal(streams.text(all.streamId, 'stdout'), 'out-1\nout-2\nout-3\n');
    assert.equal(streams.text(all.streamId, 'stderr'), 'err-1\nerr-2\n');

    // The engine keeps both in one log, in the order written (the sleeps make that order certain).
    const tail = await connection.request('container.logs', { id, tail: 2 });
    await streams.end(tail.streamId);
    assert.equal(streams.text(tail.streamId, 'stdout'), 'out-3\n');
    assert.equal(streams.text(tail.streamId, 'stderr'), 'err-2\n');

    const stamped = await connection.request('container.logs', { id, tail: 1, timestamps: true });
    await streams.end(stamped.streamId);
    assert.match(streams.text(stamped.streamId), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out-3\n$/);

    const none = await connection.request('container.logs', { id, since: Math.floor(Date.now() / 1000) + 3600 });
    await streams.end(none.streamId);
    assert.equal(streams.text(none.streamId), '', 'nothing since an hour from now');
  });

  it('follows the logs of a running container until it exits', async (t) => {
    if (engine.missing(t)) return;
    const id = await container({ Cmd: ['sh', '-c', 'echo first; sleep 1; echo second >&2; sleep 1; echo third'] });
    const { streamId } = await connection.request('container.logs', { id, follow: true });
    await streams.textMatching(streamId, /first\n/, 'stdout');
    assert.equal(streams.ends.has(streamId), false, 'still following');
    await streams.textMatching(streamId, /second\n/, 'stderr');
    const end = await streams.end(streamId);
    assert.equal(end.reason, 'ended');
    assert.equal(streams.text(streamId, 'stdout'), 'first\nthird\n');
  });

  it('follows logs until the client closes the stream', async (t) => {
    if (engine.missing(t)) return;
    const id = await container({ Cmd: ['sh', '-c', 'while :; do echo tick; sleep 0.2; done'] });
    const { streamId } = await connection.request('container.logs', { id, follow: true, tail: 0 });
    await streams.textMatching(streamId, /tick\n/);
    assert.deepEqual(await connection.request('stream.close', { streamId }), {});
    assert.equal((await streams.end(streamId)).reason, 'closed');
    const failed = await failure(connection.request('stream.close', { streamId }));
    assert.equal(failed.code, RuntimeErrorCode.UnknownStream);
  });

  it('runs sh in a TTY: typing, resizing and the exit code', async (t) => {
    if (engine.missing(t)) return;
    const opened = await connection.request('container.exec', { id: sleeper, cmd: ['sh'], tty: true, cols: 80, rows: 24 });
    assert.deepEqual({ kind: opened.kind, tty: opened.tty, stdin: opened.stdin }, { kind: 'exec', tty: true, stdin: true });
    const { streamId } = opened;
    assert.deepEqual(await connection.request('stream.write', { streamId, data: 'echo hello-$((6*7))\n' }), { written: 20 });
    await streams.textMatching(streamId, /hello-42/);
    await connection.request('stream.write', { streamId, data: 'stty size\n' });
    await streams.textMatching(streamId, /\r\n24 80\r\n/);
    await connection.request('stream.resize', { streamId, cols: 100, rows: 40 });
    await connection.request('stream.write', { streamId, data: Buffer.from('stty size\n').toString('base64'), encoding: 'base64' });
    await streams.textMatching(streamId, /\r\n40 100\r\n/);
    await connection.request('stream.write', { streamId, data: 'exit 3\n' });
    const end = await streams.end(streamId);
    assert.deepEqual(end, { streamId, reason: 'ended', exitCode: 3 });
    assert.equal((streams.output.get(streamId) ?? []).every((chunk) => chunk.channel === 'stdout'), true, 'a TTY has one output channel');
  });

  it('runs a command without a TTY, stdout and stderr apart, with env, workdir and user', async (t) => {
    if (engine.missing(t)) return;
    const { streamId, tty } = await connection.request('container.exec', { id: sleeper, cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; echo "$GREETING" "$(pwd)" "$(id -u)"; exit 7'], tty: false, env: ['GREETING=hi there'], workdir: '/tmp', user: '1234' });
    assert.equal(tty, false);
    const end = await streams.end(streamId);
    assert.equal(end.exitCode, 7);
    assert.equal(streams.text(streamId, 'stdout'), 'to-out\nhi there /tmp 1234\n');
    assert.equal(streams.text(streamId, 'stderr'), 'to-err\n');
  });

  it('defaults to the container\'s shell (sh when there is no bash) and passes stdin through to EOF', async (t) => {
    if (engine.missing(t)) return;
    const { streamId } = await connection.request('container.exec', { id: sleeper, tty: false });
    await connection.request('stream.write', { streamId, data: 'echo shell=$0\n', eof: false });
    await streams.textMatching(streamId, /shell=sh\n/, 'stdout');
    await connection.request('stream.write', { streamId, data: 'echo to-stderr >&2\n', eof: true });
    const end = await streams.end(streamId);
    assert.equal(end.exitCode, 0, `sh ends at the end of its input: ${JSON.stringify(streams.text(streamId))}`);
    assert.equal(streams.text(streamId, 'stdout'), 'shell=sh\n');
    assert.equal(streams.text(streamId, 'stderr'), 'to-stderr\n');
 
    // Where there is a bash, that is the default.
    const withBash = await container({ Cmd: ['sleep', '600'] });
    const setup = await connection.request('container.exec', { id: withBash, tty: false, cmd: ['sh', '-c', 'printf "#!/bin/sh\\necho fake-bash\\nexec sh \\"\\$@\\"\\n" > /bin/bash && chmod +x /bin/bash'] });
    assert.equal((await streams.end(setup.streamId)).exitCode, 0, streams.text(setup.streamId));
    const bash = await connection.request('container.exec', { id: withBash, tty: false });
    await streams.textMatching(bash.streamId, /^fake-bash\n/, 'stdout');
    await connection.request('stream.close', { streamId: bash.streamId });
  });

  it('attaches to a container running cat: what is written comes back', async (t) => {
    if (engine.missing(t)) return;
    const id = await container({ Cmd: ['cat'], OpenStdin: true, StdinOnce: true });
    const opened = await connection.request('container.attach', { id });
    assert.deepEqual({ kind: opened.kind, tty: opened.tty, stdin: opened.stdin }, { kind: 'attach', tty: false, stdin: true });
    await connection.request('stream.write', { streamId: opened.streamId, data: 'ping-attach\n' });
    await streams.textMatching(opened.streamId, /ping-attach\n/, 'stdout');
    // Closing stdin ends cat (StdinOnce), and so the container: its exit code ends the stream.
    await connection.request('stream.write', { streamId: opened.streamId, data: '', eof: true });
    assert.deepEqual(await streams.end(opened.streamId), { streamId: opened.streamId, reason: 'ended', exitCode: 0 });
  });

  it('attaches to a container with a TTY: resize, exit code, and its logs as one terminal stream', async (t) => {
    if (engine.missing(t)) return;
    const id = await container({ Cmd: ['sh'], Tty: true, OpenStdin: true });
    const { streamId, tty } = await connection.request('container.attach', { id });
    assert.equal(tty, true);
    await connection.request('stream.resize', { streamId, cols: 77, rows: 33 });
    await connection.request('stream.write', { streamId, data: 'stty size\n' });
    await streams.textMatching(streamId, /\r\n33 77\r\n/);
    await connection.request('stream.write', { streamId, data: 'exit 4\n' });
    assert.deepEqual(await streams.end(streamId), { streamId, reason: 'ended', exitCode: 4 });

    const logs = await connection.request('container.logs', { id });
    assert.equal(logs.tty, true);
    await streams.end(logs.streamId);
    assert.match(streams.text(logs.streamId, 'stdout'), /33 77\r\n/);
    assert.equal(streams.text(logs.streamId, 'stderr'), '');
  });

  it('delivers stats samples with memory figures', async (t) => {
    if (engine.missing(t)) return;
    const { streamId, kind } = await connection.request('container.stats', { id: sleeper });
    assert.equal(kind, 'stats');
    const [sample] = await streams.until(() => streams.samples.get(streamId), 'a stats sample');
    assert.ok(sample!.memoryUsage > 0, `memory usage ${sample!.memoryUsage}`);
    assert.ok(sample!.memoryLimit >= sample!.memoryUsage);
    assert.ok(sample!.pids >= 1);
    assert.ok(sample!.onlineCpus >= 1);
    assert.ok(sample!.cpuPercent >= 0);
    assert.ok(!Number.isNaN(Date.parse(sample!.time)));
    await connection.request('stream.close', { streamId });
    assert.equal((await streams.end(streamId)).reason, 'closed');
  });

  it('ends a stats stream when its container stops, and at once for a container that is not running', async (t) => {
    if (engine.missing(t)) return;
    const short = await container({ Cmd: ['sleep', '600'] });
    const { streamId } = await connection.request('container.stats', { id: short });
    await streams.until(() => streams.samples.get(streamId), 'a stats sample');
    await engine.client().json('POST', `/containers/${short}/kill`);
    const end = await streams.end(streamId);
    assert.equal(end.reason, 'ended', JSON.stringify(end));
    assert.ok((streams.samples.get(streamId) ?? []).every((sample) => !sample.time.startsWith('0001-')));

    const stopped = await container({ Cmd: ['true'] }, false);
    const never = await connection.request('container.stats', { id: stopped });
    assert.equal((await streams.end(never.streamId)).reason, 'ended');
    assert.equal(streams.samples.get(never.streamId), undefined, 'no samples from a container that is not running');
  });

  it('keeps an exec session for a client that drops and re-attaches, replaying its output', async (t) => {
    if (engine.missing(t)) return;
    const first = await connectTo(daemon);
    const firstStreams = new Collector(first);
    const { streamId } = await first.request('container.exec', { id: sleeper, cmd: ['sh'], tty: true });
    await first.request('stream.write', { streamId, data: 'echo one-$((1+1)); (sleep 1; echo late-$((2*3))) &\n' });
    await firstStreams.textMatching(streamId, /one-2/);
    first.close();

    // Output made while nobody is attached is kept too.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = await connectTo(daemon);
    const secondStreams = new Collector(second);
    const reattached = await second.request('stream.reattach', { streamId });
    assert.deepEqual({ kind: reattached.kind, tty: reattached.tty, truncated: reattached.truncated }, { kind: 'exec', tty: true, truncated: false });
    assert.ok(reattached.replayed > 0);
    const replay = secondStreams.text(streamId);
    assert.equal(Buffer.byteLength(replay), reattached.replayed, 'the replay arrives before the answer');
    assert.match(replay, /one-2/);
    assert.match(replay, /late-6/);

    await second.request('stream.write', { streamId, data: 'echo two-$((2+2))\n' });
    await secondStreams.textMatching(streamId, /two-4/);

    // A third client takes the session over; the second is told and can no longer write.
    const third = await connectTo(daemon);
    const thirdStreams = new Collector(third);
    await third.request('stream.reattach', { streamId });
    assert.equal((await secondStreams.end(streamId)).reason, 'taken over');
    const refused = await failure(second.request('stream.write', { streamId, data: 'echo nope\n' }));
    assert.equal(refused.code, RuntimeErrorCode.UnknownStream);
    assert.match(refused.message, /not attached to this connection/);
    await third.request('stream.write', { streamId, data: 'exit 5\n' });
    assert.deepEqual(await thirdStreams.end(streamId), { streamId, reason: 'ended', exitCode: 5 });
  });

  it('forgets a detached session once its grace period runs out, and ends logs with their client', async (t) => {
    if (engine.missing(t)) return;
    const quick = await newDaemon({ streams: { detachGraceMs: 200 } });
    const id = await container({ Cmd: ['sleep', '600'] });
    const processes = async () => (await engine.client().json<{ Processes: string[][] }>('GET', `/containers/${id}/top`)).Processes.length;
    const first = await connectTo(quick);
    const { streamId } = await first.request('container.exec', { id, cmd: ['sh'], tty: true });
    const logs = await first.request('container.logs', { id, follow: true });
    // The engine answers exec start a moment before the process exists.
    for (let waited = 0; (await processes()) < 2 && waited < 3000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await processes(), 2, 'sleep and the shell');
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = await connectTo(quick);
    for (const gone of await Promise.all([streamId, logs.streamId].map((stream) => failure(second.request('stream.reattach', { streamId: stream }))))) {
      assert.equal(gone.code, RuntimeErrorCode.UnknownStream);
      assert.match(gone.message, /^stream\.reattach: no stream "/);
    }
    // The shell was told its input ended (the engine does not end an exec whose connection closes).
    for (let waited = 0; (await processes()) > 1 && waited < 3000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await processes(), 1, 'the shell is gone');
  });

  it('says clearly when the container does not exist or the stream is unknown', async (t) => {
    if (engine.missing(t)) return;
    const missing = 'berth-test-no-such-container';
    // Each request's failure is caught as it is made: a rejection left unhandled would fail the test.
    for (const error of await Promise.all([
      failure(connection.request('container.logs', { id: missing })),
      failure(connection.request('container.exec', { id: missing, tty: true })),
      failure(connection.request('container.attach', { id: missing })),
      failure(connection.request('container.stats', { id: missing })),
    ])) {
      assert.equal(error.code, RuntimeErrorCode.EngineError);
      assert.match(error.message, /^container\.\w+: .*no such container: berth-test-no-such-container/i);
      assert.deepEqual(error.data, { status: 404 });
    }
    const stopped = await container({ Cmd: ['true'] }, false);
    const notRunning = await failure(connection.request('container.exec', { id: stopped, tty: false, cmd: ['true'] }));
    assert.equal(notRunning.code, RuntimeErrorCode.EngineError);
    assert.match(notRunning.message, /not running/);
    assert.match((await failure(connection.request('container.attach', { id: stopped }))).message, /not running/);

    for (const error of await Promise.all([
      failure(connection.request('stream.write', { streamId: 'nope', data: 'x' })),
      failure(connection.request('stream.resize', { streamId: 'nope', cols: 80, rows: 24 })),
      failure(connection.request('stream.close', { streamId: 'nope' })),
      failure(connection.request('stream.reattach', { streamId: 'nope' })),
    ])) {
      assert.equal(error.code, RuntimeErrorCode.UnknownStream);
      assert.match(error.message, /^stream\.\w+: no stream "nope"/);
    }
  });

  it('refuses bad params with a message naming the field', async (t) => {
    if (engine.missing(t)) return;
    const cases: [Promise<RuntimeRequestError>, RegExp][] = [
      // @ts-expect-error: tty is required
      [failure(connection.request('container.exec', { id: sleeper })), /container\.exec: param "tty" is required/],
      [failure(connection.request('container.exec', { id: sleeper, tty: true, cols: 0, rows: 10 })), /param "cols" must be a whole number from 1 to 65535/],
      [failure(connection.request('container.exec', { id: sleeper, tty: true, cols: 80 })), /param "rows" is required with "cols"/],
      [failure(connection.request('container.exec', { id: sleeper, tty: false, cmd: [] })), /param "cmd" must name a program/],
      [failure(connection.request('container.exec', { id: sleeper, tty: false, env: ['NOVALUE'] })), /param "env" entries must be NAME=value/],
      // @ts-expect-error: cmd is an argv array, never a shell string
      [failure(connection.request('container.exec', { id: sleeper, tty: false, cmd: 'ls -l' })), /param "cmd" must be an array of strings/],
      [failure(connection.request('container.logs', { id: sleeper, tail: -1 })), /container\.logs: param "tail" must be a whole number/],
      // @ts-expect-error: unknown param
      [failure(connection.request('container.stats', { id: sleeper, stream: true })), /unknown param "stream"/],
      // @ts-expect-error: deliberately a wrong encoding
      [failure(connection.request('stream.write', { streamId: 'x', data: 'x', encoding: 'hex' })), /param "encoding" must be "utf8" or "base64"/],
      [failure(connection.request('stream.resize', { streamId: 'x', cols: 80.5, rows: 24 })), /stream\.resize: param "cols" must be a whole number/],
    ];
    for (const [request, message] of cases) {
      const error = await request;
      assert.equal(error.code, RuntimeErrorCode.InvalidParams, error.message);
      assert.match(error.message, message);
    }
    // A logs or stats stream takes no input, and a stream without a TTY cannot be resized.
    const logs = await connection.request('container.logs', { id: sleeper, follow: true });
    assert.match((await failure(connection.request('stream.write', { streamId: logs.streamId, data: 'x' }))).message, /logs stream, which has no stdin/);
    assert.match((await failure(connection.request('stream.resize', { streamId: logs.streamId, cols: 80, rows: 24 }))).message, /has no TTY/);
    assert.match((await failure(connection.request('stream.reattach', { streamId: logs.streamId }))).message, /only exec and attach streams can be re-attached/);
    await connection.request('stream.close', { streamId: logs.streamId });
  });

  it('pauses the engine for a client that stops reading, then ends the stream as too slow', async (t) => {
    if (engine.missing(t)) return;
    const slow = await newDaemon({ streams: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, slowClientMs: 1000 } });
    const socket = new WebSocket(slow.discovery.url, { headers: { Authorization: `Bearer ${slow.discovery.token}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const received: { method?: string; id?: number; result?: { streamId: string }; params?: { streamId: string; data?: string; reason?: string } }[] = [];
    let bytes = 0;
    socket.on('message', (data: Buffer) => {
      bytes += data.length;
      received.push(JSON.parse(data.toString()));
    });
    let closeCode: number | undefined;
    socket.on('close', (code) => (closeCode = code));
    const answer = async (id: number, method: string, params: unknown) => {
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      for (let waited = 0; waited < 10_000; waited += 20) {
        const reply = received.find((message) => message.id === id);
        if (reply) return reply;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no answer to ${method}`);
    };
    for (let attempt = 0; ; attempt++) {
      const engines = (await answer(1000 + attempt, 'engines.list', {})) as unknown as { result: EngineInfo[] };
      if (engines.result[0]?.health.state === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reply = await answer(1, 'container.exec', { id: sleeper, cmd: ['yes', 'a line of output that repeats without end'], tty: false });
    const streamId = reply.result!.streamId;
    // Stop reading: the daemon's send buffer fills, it stops reading the engine, and gives up after slowClientMs.
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    socket.resume();
    for (let waited = 0; waited < 10_000 && !received.some((message) => message.method === 'stream.end'); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const end = received.find((message) => message.method === 'stream.end');
    assert.equal(end?.params?.streamId, streamId);
    assert.equal(end?.params?.reason, 'client too slow');
    assert.equal(closeCode, undefined, 'the client itself was not cut off');
    // `yes` writes hundreds of MB/s: without the pause this would be far past the 32 MiB cut-off.
    assert.ok(bytes < 16 * 1024 * 1024, `received ${bytes} bytes`);
    socket.close();
  });

  it('ends every stream with a reason when the engine goes away', async (t) => {
    if (engine.missing(t)) return;
    // The daemon reaches the engine through a relay that the test can cut.
    const relayPath = join(mkdtempSync(join(tmpdir(), 'berth-relay-')), 'engine.sock');
    const relayed = new Set<Socket>();
    const relay: Server = createServer((downstream) => {
      const upstream = netConnect(defaultEngineEndpoint().socketPath!);
      relayed.add(downstream).add(upstream);
      downstream.pipe(upstream).pipe(downstream);
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(relayPath, resolve));
    const cut = await newDaemon({ engines: [{ url: `unix://${relayPath}`, source: 'test relay', socketPath: relayPath }] });
    const client = await connectTo(cut);
    const cutStreams = new Collector(client);
    const logs = await client.request('container.logs', { id: sleeper, follow: true });
    const exec = await client.request('container.exec', { id: sleeper, cmd: ['sh'], tty: true });
    await client.request('stream.write', { streamId: exec.streamId, data: 'echo up-$((1+1))\n' });
    await cutStreams.textMatching(exec.streamId, /up-2/);

    relay.close();
    for (const socket of relayed) socket.destroy();
    for (const { streamId } of [logs, exec]) {
      const end = await cutStreams.end(streamId);
      assert.equal(end.reason, 'engine unreachable', JSON.stringify(end));
      assert.ok(end.message && end.message.length > 0);
    }
  });
});
