import { createServer, type Server, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RuntimeErrorCode } from '../protocol/types';
import { refusal } from './auth';

/** Thrown by a handler to answer with a specific JSON-RPC error. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/**
 * A result already encoded as JSON text (UTF-8), spliced into the answer as it
 * is: a handler serving a cached serialization pays no encoding per request.
 */
export class RawJson {
  constructor(readonly json: Buffer) {}
}

export type RpcHandler = (params: unknown, client: WebSocket) => unknown;

const CLOSING_BRACE = Buffer.from('}');

/** One JSON-RPC message may not exceed this; terminal and log bytes go in streams. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/**
 * A client that leaves this much unread is cut off (close code 1013, with the
 * reason) rather than making the daemon buffer without bound.
 */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * JSON-RPC 2.0 over WebSocket text frames, behind the token check. Knows
 * nothing about engines: the daemon registers handlers.
 */
export class RpcServer {
  readonly http: Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly handlers = new Map<string, RpcHandler>();

  constructor(private readonly token: string) {
    this.http = createServer((_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain' }).end('the Berth daemon speaks WebSocket only\n');
    });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.sockets.on('connection', (client) => {
      // A frame ws refuses (over 16 MiB, text that is not UTF-8, bad framing) is emitted as an
      // error after ws has closed that connection with the matching code (1009, 1007, 1002);
      // unheard, it would be an uncaught exception that takes every client's daemon down.
      client.on('error', () => undefined);
      client.on('message', (data, isBinary) => {
        if (!isBinary) void this.receive(client, data.toString());
      });
    });
  }

  handle(method: string, handler: RpcHandler): void {
    this.handlers.set(method, handler);
  }

  broadcast(method: string, params: unknown): void {
    const frame = JSON.stringify({ jsonrpc: '2.0', method, params });
    for (const client of this.sockets.clients) this.send(client, frame);
  }

  /** `written`, if given, is called once the frame has left the daemon's buffers (or could not). */
  notify(client: WebSocket, method: string, params: unknown, written?: () => void): void {
    this.send(client, JSON.stringify({ jsonrpc: '2.0', method, params }), false, written);
  }

  /** A message already encoded as UTF-8 JSON, sent as a text frame as it is; `written` as for `notify`. */
  sendEncoded(client: WebSocket, message: Buffer, written?: () => void): void {
    this.send(client, message, false, written);
  }

  /** A binary frame (stream bytes, for a client that asked for them so: docs/protocol.md, "Binary stream frames"). */
  sendBinary(client: WebSocket, frame: Buffer, written?: () => void): void {
    this.send(client, frame, true, written);
  }

  private send(client: WebSocket, frame: string | Buffer, binary = false, written?: () => void): void {
    if (this.writable(client)) client.send(frame, { binary }, written);
    else written?.();
  }

  /** Whether the client takes another message; one that leaves too much unread is cut off. */
  private writable(client: WebSocket): boolean {
    if (client.readyState !== client.OPEN) return false;
    if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.close(1013, 'client too slow: more than 32 MiB unread');
      return false;
    }
    return true;
  }

  get clientCount(): number {
    return this.sockets.clients.size;
  }

  close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node hands an upgrading socket over without its error listener: a client that
    // resets while we answer would otherwise raise an uncaught ECONNRESET.
    socket.on('error', () => socket.destroy());
    const refused = refusal(request, this.token);
    if (refused) {
      const text = refused.status === 401 ? 'Unauthorized' : 'Forbidden';
      socket.end(`HTTP/1.1 ${refused.status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refused.reason}\n`);
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (client) => this.sockets.emit('connection', client, request));
  }

  private async receive(client: WebSocket, text: string): Promise<void> {
    let message: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      this.reply(client, null, undefined, { code: RuntimeErrorCode.ParseError, message: 'message is not valid JSON' });
      return;
    }
    const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
    if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') {
      this.reply(client, id, undefined, { code: RuntimeErrorCode.InvalidRequest, message: 'expected a JSON-RPC 2.0 request with a method' });
      return;
    }
    const handler = this.handlers.get(message.method);
    if (!handler) {
      if (id !== null) this.reply(client, id, undefined, { code: RuntimeErrorCode.MethodNotFound, message: `unknown method "${message.method}"` });
      return;
    }
    try {
      // A synchronous answer goes out at once: awaiting it would let a notification
      // sent meanwhile overtake an answer computed before it (a stale state).
      const answer = handler(message.params ?? {}, client);
      const result = answer instanceof Promise ? await answer : answer;
      if (id !== null) this.reply(client, id, result ?? null);
    } catch (error) {
      if (id === null) return;
      if (error instanceof RpcError) this.reply(client, id, undefined, { code: error.code, message: error.message, data: error.data });
      else this.reply(client, id, undefined, { code: RuntimeErrorCode.InternalError, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private reply(client: WebSocket, id: number | string | null, result: unknown, error?: { code: number; message: string; data?: unknown }): void {
    if (!error && result instanceof RawJson) {
      // One text message in three fragments, so the cached bytes are written as they are, not copied into a new buffer per answer.
      const fragments = [Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`), result.json, CLOSING_BRACE];
      if (!this.writable(client)) return;
      fragments.forEach((fragment, index) => client.send(fragment, { binary: false, fin: index === fragments.length - 1 }));
      return;
    }
    this.send(client, JSON.stringify(error ? { jsonrpc: '2.0', id, error } : { jsonrpc: '2.0', id, result }));
  }
}
