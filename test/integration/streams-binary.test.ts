// Stream output as binary WebSocket frames, for a connection that asks for it
// (runtime.hello { binaryStreams: true }), against the real engine; a connection
// that does not ask keeps getting base64 in stream.data notifications.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startDaemon, type DaemonOptions, type RunningDaemon } from '../../runtime/src/daemon';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import { decodeStreamFrame } from '../../runtime/src/protocol/streamFrames';
import type { EngineInfo, StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { engineIn, untilEngines } from '../support/engineHealth';

/** What one connection receives: output by stream and channel, how it came (JSON or binary), and the ends. */
class Received {
  readonly chunks: { streamId: string; channel: string; data: Buffer; binary: boolean }[] = [];
  readonly ends = new Map<string, StreamEnd>();
  private waiters: (() => void)[] = [];

  constructor(connection: RuntimeConnection) {
    connection.onNotification('stream.data', (message: StreamData) => {
      if (message.channel === 'stdout' || message.channel === 'stderr') this.add({ streamId: message.streamId, channel: message.channel, data: Buffer.from(message.data, 'base64'), binary: false });
    });
    connection.onStreamBytes((bytes) => this.add({ ...bytes, data: Buffer.from(bytes.data), binary: true }));
    connection.onNotification('stream.end', (message) => {
      this.ends.set(message.streamId, message);
      this.wake();
    });
  }

  bytes(streamId: string, channel: string): Buffer {
    return Buffer.concat(this.chunks.filter((chunk) => chunk.streamId === streamId && chunk.channel === channel).map((chunk) => chunk.data));
  }

  forms(streamId: string): Set<boolean> {
    return new Set(this.chunks.filter((chunk) => chunk.streamId === streamId).map((chunk) => chunk.binary));
  }

  until(test: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  end(streamId: string): Promise<StreamEnd> {
    return this.until(() => this.ends.has(streamId), `the end of ${streamId}`).then(() => this.ends.get(streamId)!);
  }

  private add(chunk: { streamId: string; channel: string; data: Buffer; binary: boolean }): void {
    this.chunks.push(chunk);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

describe('binary stream frames through the daemon', () => {
  const engine = useEngine();
  const daemons: RunningDaemon[] = [];
  const connections: RuntimeConnection[] = [];
  const containers: string[] = [];
  let daemon: RunningDaemon;
  let sleeper = '';
  /** printf's format for every byte value, 0 to 255, in order. */
  const everyByteFormat = Array.from({ length: 256 }, (_, byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('');
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));

  const newDaemon = async (options: Partial<DaemonOptions> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-binary-'));
    const started = await startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), ...options });
    daemons.push(started);
    return started;
  };
  const connect = async (binaryStreams: boolean) => {
    const connection = await RuntimeConnection.connect(daemon.discovery);
    connections.push(connection);
    const hello = await connection.request('runtime.hello', { client: 'test', ...(binaryStreams ? { binaryStreams } : {}) });
    assert.equal(hello.binaryStreams, binaryStreams);
    await untilEngines(connection, engineIn('ready'), 'the engine to be ready');
    return connection;
  };

  before(async () => {
    if (!engine.client()) return;
    daemon = await newDaemon();
    const { Id } = await engine.client().json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: ['sleep', '600'], Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } });
    containers.push(Id);
    await engine.client().json('POST', `/containers/${Id}/start`);
    sleeper = Id;
  });
  after(async () => {
    for (const connection of connections) connection.close();
    for (const started of daemons) await started.stop();
    for (const id of containers) await engine.client()?.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
  });

  it('gives a connection that asked for binary frames the exact bytes, stdout and stderr apart, and the others base64 JSON', async (t) => {
    if (engine.missing(t)) return;
    const binary = await connect(true);
    const json = await connect(false);
    const binaryReceived = new Received(binary);
    const jsonReceived = new Received(json);
    // Every byte value on stdout, 200 KB of them (several frames), and every byte value once on stderr.
    const cmd = ['sh', '-c', 'i=0; while [ $i -lt 800 ]; do printf "$0"; i=$((i+1)); done; printf "$0" >&2', everyByteFormat];
    const expectedStdout = Buffer.concat(Array.from({ length: 800 }, () => everyByte));
    for (const [connection, received] of [[binary, binaryReceived], [json, jsonReceived]] as const) {
      const { streamId } = await connection.request('container.exec', { id: sleeper, cmd, tty: false });
      assert.deepEqual(await received.end(streamId), { streamId, reason: 'ended', exitCode: 0 });
      assert.ok(received.bytes(streamId, 'stdout').equals(expectedStdout), 'stdout arrives byte for byte');
      assert.ok(received.bytes(streamId, 'stderr').equals(everyByte), 'stderr arrives byte for byte, apart');
      assert.deepEqual(received.forms(streamId), new Set([connection === binary]), connection === binary ? 'only binary frames' : 'only JSON notifications');
    }
  });

  it('replays a re-attached terminal in binary frames to a connection that asked for them', async (t) => {
    if (engine.missing(t)) return;
    const json = await connect(false);
    const jsonReceived = new Received(json);
    const { streamId } = await json.request('container.exec', { id: sleeper, cmd: ['sh'], tty: true });
    await json.request('stream.write', { streamId, data: 'echo kept-$((6*7))\n' });
    await jsonReceived.until(() => /kept-42/.test(jsonReceived.bytes(streamId, 'stdout').toString()), 'the echo');
    json.close();

    const binary = await connect(true);
    const binaryReceived = new Received(binary);
    const reattached = await binary.request('stream.reattach', { streamId });
    const replay = binaryReceived.bytes(streamId, 'stdout');
    assert.equal(replay.length, reattached.replayed, 'the replay arrives before the answer');
    assert.match(replay.toString(), /kept-42/);
    assert.deepEqual(binaryReceived.forms(streamId), new Set([true]));
    await binary.request('stream.write', { streamId, data: 'echo live-$((2+3)); exit 3\n' });
    assert.deepEqual(await binaryReceived.end(streamId), { streamId, reason: 'ended', exitCode: 3 });
    assert.match(binaryReceived.bytes(streamId, 'stdout').toString(), /live-5/);
    assert.deepEqual(binaryReceived.forms(streamId), new Set([true]));
  });

  it('still pauses the engine for a binary client that stops reading, then ends the stream as too slow', async (t) => {
    if (engine.missing(t)) return;
    const slow = await newDaemon({ streams: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, slowClientMs: 1000 } });
    const socket = new WebSocket(slow.discovery.url, { headers: { Authorization: `Bearer ${slow.discovery.token}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const answers: { id?: number; method?: string; result?: { streamId?: string; engines?: EngineInfo[] }; params?: { streamId: string; reason?: string } }[] = [];
    let binaryBytes = 0;
    let closeCode: number | undefined;
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) binaryBytes += decodeStreamFrame(data)?.data.length ?? 0;
      else answers.push(JSON.parse(data.toString()));
    });
    socket.on('close', (code) => (closeCode = code));
    const waitFor = async <T>(find: () => T | undefined, what: string): Promise<T> => {
      for (let waited = 0; waited < 15_000; waited += 20) {
        const found = find();
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const request = (id: number, method: string, params: unknown) => {
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      return waitFor(() => answers.find((message) => message.id === id), `the answer to ${method}`);
    };
    for (let attempt = 0; (await request(100 + attempt, 'runtime.hello', { binaryStreams: true })).result?.engines?.[0]?.health.state !== 'ready'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const streamId = (await request(1, 'container.exec', { id: sleeper, cmd: ['yes', 'a line of output that repeats without end'], tty: false })).result!.streamId;
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    socket.resume();
    const end = await waitFor(() => answers.find((message) => message.method === 'stream.end'), 'stream.end');
    assert.deepEqual({ streamId: end.params?.streamId, reason: end.params?.reason }, { streamId, reason: 'client too slow' });
    assert.ok(binaryBytes > 0, 'output came as binary frames');
    assert.equal(closeCode, undefined, 'the client itself was not cut off');
    // `yes` writes hundreds of MB/s: without the pause this would be far past the 32 MiB cut-off.
    assert.ok(binaryBytes < 16 * 1024 * 1024, `received ${binaryBytes} bytes`);
    socket.close();
  });
});
