// The Engine API's framing of non-TTY output (logs, exec, attach): each frame
// is an 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr, 3 the engine's
// own error), three zero bytes, the payload size as a big-endian uint32 — then
// the payload. Frames do not respect chunk boundaries, so a header or payload
// may arrive in pieces.

export type OutputChannel = 'stdout' | 'stderr';

/**
 * Splits multiplexed output into stdout and stderr. A payload is passed on as
 * it arrives, as views into the chunk read (no copy), rather than held until
 * its frame is whole: whoever keeps bytes copies them (the replay ring, the
 * output batch), so a burst of short frames costs no buffer per frame.
 */
export class Demultiplexer {
  private readonly header = Buffer.alloc(8);
  private headerBytes = 0;
  private remaining = 0;
  private channel: OutputChannel = 'stdout';

  constructor(private readonly onData: (channel: OutputChannel, data: Buffer) => void) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerBytes, chunk.length - offset);
        chunk.copy(this.header, this.headerBytes, offset, offset + take);
        this.headerBytes += take;
        offset += take;
        if (this.headerBytes < 8) break;
        this.headerBytes = 0;
        this.channel = this.header[0] === 2 || this.header[0] === 3 ? 'stderr' : 'stdout';
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.remaining -= take;
      this.onData(this.channel, chunk.subarray(offset, offset + take));
      offset += take;
    }
  }

  /** Bytes of a frame begun but not finished: non-zero at the end means the stream was cut mid-frame. */
  get incomplete(): number {
    return this.headerBytes + this.remaining;
  }
}
