// The pure parts of the daemon's streams, without an engine: the Engine API's
// multiplexed framing, the replay buffer and the stats figures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Demultiplexer, type OutputChannel } from '../../runtime/src/streams/demux';
import { OutputBatch } from '../../runtime/src/streams/outputBatch';
import { OutputRing } from '../../runtime/src/streams/ring';
import { decodeStreamFrame } from '../../runtime/src/protocol/streamFrames';
import { toStatsSample } from '../../runtime/src/streams/stats';

const frame = (type: number, payload: string | Buffer) => {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

function demux(chunks: Buffer[]): { channel: OutputChannel; text: string }[] {
  const out: { channel: OutputChannel; text: string }[] = [];
  const splitter = new Demultiplexer((channel, data) => out.push({ channel, text: data.toString('latin1') }));
  for (const chunk of chunks) splitter.push(chunk);
  assert.equal(splitter.incomplete, 0, 'every frame finished');
  return out;
}

/** Joins what each channel received, so the assertions do not depend on how it was cut. */
const byChannel = (pieces: { channel: OutputChannel; text: string }[]) => ({
  stdout: pieces.filter((piece) => piece.channel === 'stdout').map((piece) => piece.text).join(''),
  stderr: pieces.filter((piece) => piece.channel === 'stderr').map((piece) => piece.text).join(''),
});

describe('stream framing', () => {
  const stream = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, ''), frame(1, 'out two\n'), frame(3, 'engine error\n'), frame(1, Buffer.alloc(20_000, 'x'))]);
  const expected = { stdout: `out one\nout two\n${'x'.repeat(20_000)}`, stderr: 'err one\nengine error\n' };

  it('splits stdout and stderr frames, in one chunk or cut anywhere', () => {
    assert.deepEqual(byChannel(demux([stream])), expected);
    for (const size of [1, 3, 7, 8, 9, 13, 4096]) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < stream.length; offset += size) chunks.push(stream.subarray(offset, offset + size));
      assert.deepEqual(byChannel(demux(chunks)), expected, `chunks of ${size} bytes`);
    }
    for (let cut = 1; cut < 40; cut++) assert.deepEqual(byChannel(demux([stream.subarray(0, cut), stream.subarray(cut)])), expected, `cut at ${cut}`);
  });

  it('sends consecutive frames of one channel as one frame, in the order of channel changes', () => {
    const lines = Buffer.concat([frame(1, 'a\n'), frame(1, 'b\n'), frame(2, 'c\n'), frame(1, 'd\n'), frame(1, 'e\n')]);
    const batch = new OutputBatch('s1');
    new Demultiplexer((channel, data) => batch.add(channel, data)).push(lines);
    const runs = batch.take();
    const frames = runs.map((run) => decodeStreamFrame(run.frame)!).map(({ streamId, channel, data }) => ({ streamId, channel, text: data.toString() }));
    for (const run of runs) run.done();
    assert.deepEqual(frames, [
      { streamId: 's1', channel: 'stdout', text: 'a\nb\n' },
      { streamId: 's1', channel: 'stderr', text: 'c\n' },
      { streamId: 's1', channel: 'stdout', text: 'd\ne\n' },
    ]);
  });

  it('keeps each batch intact while it is in flight, though its buffers are reused afterwards', () => {
    // A read buffer the engine side reuses, as the daemon's shared one is.
    const read = Buffer.alloc(50_000);
    const batch = new OutputBatch('s2');
    const inFlight: { expected: string; run: ReturnType<OutputBatch['take']>[number] }[] = [];
    for (let round = 0; round < 40; round++) {
      read.fill(String.fromCharCode(97 + (round % 26)));
      batch.add(round % 3 === 0 ? 'stderr' : 'stdout', read);
      for (const run of batch.take()) inFlight.push({ expected: run.data.toString(), run });
      // Frames are written out late and out of turn; a finished one frees its space for the next rounds.
      if (round % 2 === 1) inFlight.splice(0, 1)[0]!.run.done();
      for (const { expected, run } of inFlight) assert.equal(run.data.toString(), expected, `round ${round}: a frame in flight was overwritten`);
    }
    const sent = inFlight.reduce((total, { run }) => total + run.data.length, 0);
    assert.ok(sent > 0);
    batch.close();
  });

  it('passes a large frame on as it arrives instead of holding it whole', () => {
    const big = frame(1, Buffer.alloc(100_000, 'y'));
    const seen: number[] = [];
    const splitter = new Demultiplexer((_channel, data) => seen.push(data.length));
    splitter.push(big.subarray(0, 1008));
    assert.deepEqual(seen, [1000]);
    assert.equal(splitter.incomplete, 99_000);
    splitter.push(big.subarray(1008));
    assert.deepEqual(seen, [1000, 99_000]);
    assert.equal(splitter.incomplete, 0);
  });

  it('keeps the last bytes of output for a replay, channel by channel', () => {
    const ring = new OutputRing(10);
    ring.push('stdout', Buffer.from('abc'));
    ring.push('stderr', Buffer.from('def'));
    assert.equal(ring.truncated, false);
    ring.push('stdout', Buffer.from('ghijk'));
    assert.equal(ring.bytes, 10);
    assert.equal(ring.truncated, true);
    assert.deepEqual(
      ring.contents().map((chunk) => [chunk.channel, chunk.data.toString()]),
      [
        ['stdout', 'bc'],
        ['stderr', 'def'],
        ['stdout', 'ghijk'],
      ],
    );
    ring.push('stdout', Buffer.from('0123456789ABC'));
    assert.deepEqual(
      ring.contents().map((chunk) => [chunk.channel, chunk.data.toString()]),
      [['stdout', '3456789ABC']],
    );
    const typing = new OutputRing(64 * 1024);
    for (const key of 'hello') typing.push('stdout', Buffer.from(key));
    assert.deepEqual(
      typing.contents().map((chunk) => chunk.data.toString()),
      ['hello'],
    );
  });

  it('computes stats figures as docker stats does', () => {
    const sample = toStatsSample({
      read: '2026-01-01T00:00:01.5Z',
      pids_stats: { current: 3 },
      cpu_stats: { cpu_usage: { total_usage: 2_000_000_000, percpu_usage: [1, 1, 1, 1] }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
      memory_stats: { usage: 300, limit: 1000, stats: { total_inactive_file: 100 } },
      networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 5 }, { op: 'Write', value: 7 }, { op: 'read', value: 1 }, { op: 'Total', value: 13 }] },
    });
    assert.deepEqual(sample, {
      time: '2026-01-01T00:00:01.5Z',
      cpuPercent: 20, // 1e9 of 1e10 system time, on 2 CPUs
      onlineCpus: 2,
      memoryUsage: 200, // without the inactive page cache
      memoryLimit: 1000,
      memoryPercent: 20,
      networkRx: 11,
      networkTx: 22,
      blockRead: 6,
      blockWrite: 7,
      pids: 3,
    });
    // cgroup v2 names the page cache inactive_file; the first sample has no previous CPU reading.
    const first = toStatsSample({ memory_stats: { usage: 50, limit: 0, stats: { inactive_file: 10 } }, cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2, 3] } } });
    assert.equal(first.memoryUsage, 40);
    assert.equal(first.memoryPercent, 0);
    assert.equal(first.onlineCpus, 3);
    assert.equal(first.cpuPercent, 0);
  });
});
