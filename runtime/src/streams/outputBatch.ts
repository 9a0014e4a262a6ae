// Output on its way from the engine to a client. It is copied once, from the
// engine's reads into pooled buffers, where it is laid out as finished binary
// stream frames (protocol/streamFrames.ts): sending a frame is then a view of
// the buffer, not a copy, and a stream allocates nothing per read or per batch.
// A buffer goes back to the pool once every frame in it has been written out,
// so what a fast stream holds is bounded by its client's high-water mark.
// Clients without binary frames get each run as stream.data notifications,
// written into pooled buffers too, so the only allocation is the short-lived
// base64 string.
import { streamFrameHeader } from '../protocol/streamFrames';
import type { OutputChannel } from './demux';

/**
 * Buffers of one size, reused: output passes through them at the rate the
 * engine writes, so a long stream reuses the same few instead of leaving the
 * allocator holes it may never give back to the system.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    /** Free buffers kept for the next output; beyond that, a returned buffer is left to the garbage collector. */
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}

/**
 * Buffers for frames (a frame never spans two) and notifications. Enough are
 * kept for what one fast stream has in flight: its client's high-water mark
 * (256 KiB, STREAM_DEFAULTS in streams.ts), the batch being filled (128 KiB),
 * and base64's third more.
 */
const framePool = new BufferPool(64 * 1024, 16);
const BUFFER_BYTES = framePool.size;

class PooledBuffer {
  readonly bytes = framePool.take();
  used = 0;
  /** Runs in this buffer not yet finished with (unsent, or sent and not yet written out). */
  holds = 0;
  private retired = false;

  /** No more output goes in; the buffer returns to the pool once its runs are finished with. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.holds === 0) framePool.give(this.bytes);
  }

  release(): void {
    if (--this.holds === 0 && this.retired) framePool.give(this.bytes);
  }
}

/** Consecutive output of one channel, in one pooled buffer, behind its frame header. */
export class OutputRun {
  private finished = false;

  constructor(
    readonly buffer: PooledBuffer,
    readonly channel: OutputChannel,
    private readonly start: number,
    private readonly dataStart: number,
    public end: number,
  ) {}

  /** A binary stream frame: header and output (a view, valid until `done`). */
  get frame(): Buffer {
    return this.buffer.bytes.subarray(this.start, this.end);
  }

  /** The output alone (a view, valid until `done`). */
  get data(): Buffer {
    return this.buffer.bytes.subarray(this.dataStart, this.end);
  }

  /** Sent and written out, encoded, or dropped: its part of the buffer may be reused. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.buffer.release();
  }
}

/** One stream's output not yet sent, by run of a channel, oldest first. */
export class OutputBatch {
  private current?: PooledBuffer;
  private runs: OutputRun[] = [];
  /** Output bytes added since the last `take`. */
  bytes = 0;
  private readonly headers: Record<OutputChannel, Buffer>;

  constructor(streamId: string) {
    this.headers = { stdout: streamFrameHeader(streamId, 'stdout'), stderr: streamFrameHeader(streamId, 'stderr') };
  }

  /** Copies `data` in; the caller may reuse it at once. */
  add(channel: OutputChannel, data: Buffer): void {
    this.bytes += data.length;
    let offset = 0;
    while (offset < data.length) {
      let buffer = this.current;
      let run: OutputRun | undefined = this.runs[this.runs.length - 1];
      if (!run || run.channel !== channel || run.buffer !== buffer) {
        const header = this.headers[channel];
        if (!buffer || BUFFER_BYTES - buffer.used <= header.length) {
          buffer?.retire();
          buffer = this.current = new PooledBuffer();
        }
        header.copy(buffer.bytes, buffer.used);
        const dataStart = buffer.used + header.length;
        run = new OutputRun(buffer, channel, buffer.used, dataStart, dataStart);
        buffer.used = dataStart;
        buffer.holds++;
        this.runs.push(run);
      }
      const room = BUFFER_BYTES - buffer!.used;
      if (room === 0) {
        buffer!.retire();
        this.current = undefined;
        continue;
      }
      const take = Math.min(room, data.length - offset);
      data.copy(buffer!.bytes, buffer!.used, offset, offset + take);
      buffer!.used += take;
      run.end += take;
      offset += take;
    }
  }

  /** The runs added since the last call, to be sent; each must be `done()` once finished with. */
  take(): OutputRun[] {
    const runs = this.runs;
    this.runs = [];
    this.bytes = 0;
    return runs;
  }

  /** Drops what was not taken and lets go of the buffer being filled (the stream ended, or its client left). */
  close(): void {
    for (const run of this.take()) run.done();
    this.current?.retire();
    this.current = undefined;
  }
}

const MESSAGE_END = '"}}';

/**
 * `stream.data` notifications carrying `run`'s output in base64, as UTF-8 JSON
 * in pooled buffers (as many as it takes: base64 is a third longer than the
 * output); `release` gives a message's buffer back once it is written.
 */
export function streamDataMessages(streamId: string, run: OutputRun): { message: Buffer; release(): void }[] {
  const start = `{"jsonrpc":"2.0","method":"stream.data","params":{"streamId":${JSON.stringify(streamId)},"channel":"${run.channel}","data":"`;
  const room = framePool.size - Buffer.byteLength(start) - MESSAGE_END.length;
  // Output bytes per message: whole groups of three, whose base64 fills the room.
  const perMessage = Math.max(3, Math.floor(room / 4) * 3);
  const data = run.data;
  const messages: { message: Buffer; release(): void }[] = [];
  for (let offset = 0; offset < data.length; offset += perMessage) {
    const base64 = data.toString('base64', offset, Math.min(data.length, offset + perMessage));
    const length = Buffer.byteLength(start) + base64.length + MESSAGE_END.length;
    const buffer = length <= framePool.size ? framePool.take() : Buffer.allocUnsafeSlow(length);
    let at = buffer.write(start, 0, 'utf8');
    at += buffer.write(base64, at, 'latin1');
    at += buffer.write(MESSAGE_END, at, 'latin1');
    messages.push({ message: buffer.subarray(0, at), release: () => framePool.give(buffer) });
  }
  return messages;
}
