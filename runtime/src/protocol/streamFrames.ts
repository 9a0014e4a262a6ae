// Binary stream frames: a stream's output bytes in a WebSocket binary frame
// instead of base64 inside a JSON text frame, for a connection that asked for
// them (`runtime.hello { binaryStreams: true }`; docs/protocol.md, "Binary
// stream frames"). Layout:
//   byte 0       frame type, 1 = stream output
//   byte 1       channel, 1 = stdout, 2 = stderr (the engine's own numbering)
//   byte 2       N, the length of the stream id in bytes (1–255)
//   bytes 3…3+N  the stream id, ASCII
//   the rest     the output bytes, as the process wrote them

export type ByteChannel = 'stdout' | 'stderr';

export interface StreamBytes {
  streamId: string;
  channel: ByteChannel;
  data: Buffer;
}

const STREAM_OUTPUT = 1;
const CHANNEL_CODES: Record<ByteChannel, number> = { stdout: 1, stderr: 2 };

/** The bytes before the output in a frame of this stream and channel. */
export function streamFrameHeader(streamId: string, channel: ByteChannel): Buffer {
  const idLength = Buffer.byteLength(streamId, 'latin1');
  if (idLength === 0 || idLength > 255) throw new RangeError(`stream id "${streamId}" does not fit a binary frame (1 to 255 bytes)`);
  const header = Buffer.allocUnsafe(3 + idLength);
  header[0] = STREAM_OUTPUT;
  header[1] = CHANNEL_CODES[channel];
  header[2] = idLength;
  header.write(streamId, 3, 'latin1');
  return header;
}

/** One frame carrying `data` (given as one buffer or several, copied once into the frame). */
export function encodeStreamFrame(streamId: string, channel: ByteChannel, data: Buffer | readonly Buffer[]): Buffer {
  return Buffer.concat([streamFrameHeader(streamId, channel), ...(Buffer.isBuffer(data) ? [data] : data)]);
}

/** The frame's stream, channel and bytes (a view into `frame`, not a copy), or undefined when it is not a stream frame. */
export function decodeStreamFrame(frame: Buffer): StreamBytes | undefined {
  if (frame.length < 4 || frame[0] !== STREAM_OUTPUT || (frame[1] !== 1 && frame[1] !== 2)) return undefined;
  const idEnd = 3 + frame[2]!;
  if (frame[2] === 0 || idEnd > frame.length) return undefined;
  return { streamId: frame.toString('latin1', 3, idEnd), channel: frame[1] === 1 ? 'stdout' : 'stderr', data: frame.subarray(idEnd) };
}
