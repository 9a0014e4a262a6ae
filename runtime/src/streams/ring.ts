import type { OutputChannel } from './demux';

export interface OutputChunk {
  channel: OutputChannel;
  data: Buffer;
}

/** Small chunks are joined to the previous one of the same channel up to this size, so typing does not make a chunk per key. */
const JOIN_BELOW = 4096;

/**
 * The last `limit` bytes of a stream's output, by channel: what a client that
 * re-attaches is shown before live output resumes.
 */
export class OutputRing {
  private chunks: OutputChunk[] = [];
  private size = 0;
  /** Older output was dropped to stay within the limit. */
  truncated = false;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.size;
  }

  push(channel: OutputChannel, data: Buffer): void {
    if (data.length === 0 || this.limit <= 0) return;
    if (data.length >= this.limit) {
      this.truncated ||= this.size > 0 || data.length > this.limit;
      this.chunks = [{ channel, data: Buffer.from(data.subarray(data.length - this.limit)) }];
      this.size = this.limit;
      return;
    }
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.channel === channel && last.data.length + data.length <= JOIN_BELOW) last.data = Buffer.concat([last.data, data]);
    else this.chunks.push({ channel, data: Buffer.from(data) });
    this.size += data.length;
    let excess = this.size - this.limit;
    while (excess > 0) {
      const first = this.chunks[0]!;
      if (first.data.length <= excess) {
        this.chunks.shift();
        this.size -= first.data.length;
        excess -= first.data.length;
      } else {
        first.data = first.data.subarray(excess);
        this.size -= excess;
        excess = 0;
      }
      this.truncated = true;
    }
  }

  /** The kept output, consecutive chunks of one channel joined. */
  contents(): OutputChunk[] {
    const joined: OutputChunk[] = [];
    for (const chunk of this.chunks) {
      const last = joined[joined.length - 1];
      if (last && last.channel === chunk.channel) last.data = Buffer.concat([last.data, chunk.data]);
      else joined.push({ channel: chunk.channel, data: chunk.data });
    }
    return joined;
  }
}
