// Progress as text lines: the engine's JSON-lines progress (build, pull, push)
// and a tool's output turned into whole UTF-8 lines for a progress stream.
import { StringDecoder } from 'node:string_decoder';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { refusalMessage } from './engineCall';

/** One message of the engine's JSON-lines progress. */
export interface ProgressMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  aux?: { ID?: string; [key: string]: unknown };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** Bytes in, whole text lines out: a partial last line waits for its end (or the end of input). */
export class TextLines extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor() {
    super({ decodeStrings: true, encoding: 'utf8' });
  }

  /** Text of any kind, line endings normalised; whole lines are passed on. */
  protected addText(text: string): void {
    this.pending += text.replace(/\r\n?/g, '\n');
    const newline = this.pending.lastIndexOf('\n');
    if (newline < 0) return;
    this.push(this.pending.slice(0, newline + 1));
    this.pending = this.pending.slice(newline + 1);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.addText(this.decoder.write(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.addText(this.decoder.end());
    if (this.pending) this.push(`${this.pending}\n`);
    this.pending = '';
    done();
  }
}

/**
 * The engine's JSON-lines progress in, text lines out. `stream` text passes
 * as written; status lines (pulling, pushing) are shown when a layer's status
 * changes, not on every byte counted; errors are kept for the stream's end.
 */
export class JsonProgress extends TextLines {
  private raw = '';
  private readonly jsonDecoder = new StringDecoder('utf8');
  private readonly lastStatus = new Map<string, string>();
  error?: string;
  auxId?: string;

  constructor(private readonly onMessage: (message: ProgressMessage) => void = () => undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.raw += this.jsonDecoder.write(chunk);
    let newline: number;
    while ((newline = this.raw.indexOf('\n')) >= 0) {
      const line = this.raw.slice(0, newline).trim();
      this.raw = this.raw.slice(newline + 1);
      if (line) this.message(line);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.raw += this.jsonDecoder.end();
    if (this.raw.trim()) this.message(this.raw.trim());
    this.raw = '';
    super._flush(done);
  }

  private message(line: string): void {
    let message: ProgressMessage;
    try {
      message = JSON.parse(line) as ProgressMessage;
    } catch {
      this.addText(`${line}\n`);
      return;
    }
    this.onMessage(message);
    if (message.aux?.ID) this.auxId = message.aux.ID;
    if (message.stream !== undefined) this.addText(message.stream);
    if (message.status !== undefined) {
      if (message.id) {
        if (this.lastStatus.get(message.id) === message.status) return;
        this.lastStatus.set(message.id, message.status);
        this.addText(`${message.id}: ${message.status}${message.progress ? ` ${message.progress.replace(/\s+/g, ' ').trim()}` : ''}\n`);
      } else {
        this.addText(`${message.status}\n`);
      }
    }
    const error = message.errorDetail?.message ?? message.error;
    if (error !== undefined) {
      this.error = error;
      this.addText(`ERROR: ${error}\n`);
    }
  }
}

/**
 * The engine's progress answer; a refusal before any progress (HTTP 4xx/5xx)
 * becomes the same as an error reported midway: one error message, so a
 * progress stream fails one way only.
 */
export async function progressSource(response: IncomingMessage): Promise<Readable> {
  if ((response.statusCode ?? 500) < 400) return response;
  return Readable.from([Buffer.from(`${JSON.stringify({ error: await refusalMessage(response) })}\n`)]);
}
