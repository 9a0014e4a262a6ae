import type { OutputChannel } from './demux';

export interface OutputChunk {
  channel: OutputChannel;
  data: Buffer;
}

/**
 * The last `limit` bytes of a stream's output, by channel: what a client that
 * re-attaches is shown before live output resumes.
 *
 * Output is copied into one buffer of `limit` bytes, used as a circle, with
 * the channel of each run of bytes beside it: a busy terminal then allocates
 * nothing per chunk, which keeps the daemon's memory flat while it streams.
 */
export class OutputRing {
  private buffer?: Buffer;
  /** Where the oldest kept byte is in `buffer`. */
  private start = 0;
  private size = 0;
  /** Consecutive bytes of one channel, oldest first, from `runs[first]` on. */
  private runs: { channel: OutputChannel; length: number }[] = [];
  private first = 0;
  /** Older output was dropped to stay within the limit. */
  truncated = false;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.size;
  }

  push(channel: OutputChannel, data: Buffer): void {
    if (data.length === 0 || this.limit <= 0) return;
    const buffer = (this.buffer ??= Buffer.allocUnsafe(this.limit));
    if (data.length >= this.limit) {
      this.truncated ||= this.size > 0 || data.length > this.limit;
      data.copy(buffer, 0, data.length - this.limit);
      this.start = 0;
      this.size = this.limit;
      this.runs = [{ channel, length: this.limit }];
      this.first = 0;
      return;
    }
    // Written after the newest byte, over the oldest ones when the circle is full.
    const at = (this.start + this.size) % this.limit;
    const firstPart = Math.min(data.length, this.limit - at);
    data.copy(buffer, at, 0, firstPart);
    if (firstPart < data.length) data.copy(buffer, 0, firstPart);
    const last = this.runs.length > this.first ? this.runs[this.runs.length - 1]! : undefined;
    if (last && last.channel === channel) last.length += data.length;
    else this.runs.push({ channel, length: data.length });
    this.size += data.length;
    let excess = this.size - this.limit;
    if (excess <= 0) return;
    this.truncated = true;
    this.start = (this.start + excess) % this.limit;
    this.size = this.limit;
    while (excess > 0) {
      const oldest = this.runs[this.first]!;
      const dropped = Math.min(oldest.length, excess);
      oldest.length -= dropped;
      excess -= dropped;
      if (oldest.length === 0) this.first++;
    }
    if (this.first > 64 && this.first * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.first);
      this.first = 0;
    }
  }

  /** The kept output, one chunk per run of a channel, oldest first (copies: the ring goes on). */
  contents(): OutputChunk[] {
    const chunks: OutputChunk[] = [];
    let offset = this.start;
    for (let index = this.first; index < this.runs.length; index++) {
      const { channel, length } = this.runs[index]!;
      const data = Buffer.allocUnsafe(length);
      const firstPart = Math.min(length, this.limit - offset);
      this.buffer!.copy(data, 0, offset, offset + firstPart);
      if (firstPart < length) this.buffer!.copy(data, firstPart, 0, length - firstPart);
      chunks.push({ channel, data });
      offset = (offset + length) % this.limit;
    }
    return chunks;
  }
}
