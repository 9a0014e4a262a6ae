import WebSocket from 'ws';
import { EventEmitter } from 'node:events';
import { decodeStreamFrame, type StreamBytes } from './streamFrames';
import type { RuntimeDiscovery, RuntimeMethods, RuntimeNotifications } from './types';

export class RuntimeRequestError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A JSON-RPC 2.0 client over one WebSocket to the daemon. Used by the VS Code
 * client, the CLI and tests alike, so they all speak the protocol the same way.
 */
export class RuntimeConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    super();
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.receive(data.toString());
      else this.receiveBinary(data as Buffer);
    });
    socket.on('close', () => {
      const error = new RuntimeRequestError('connection to the Berth daemon closed', -32000);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.emit('close');
    });
    socket.on('error', (error) => this.emit('error', error));
  }

  static connect(discovery: Pick<RuntimeDiscovery, 'url' | 'token'>, timeoutMs = 5000): Promise<RuntimeConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(discovery.url, {
        headers: { Authorization: `Bearer ${discovery.token}` },
        handshakeTimeout: timeoutMs,
        maxPayload: 64 * 1024 * 1024,
      });
      const fail = (error: Error) => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('unexpected-response', (_request, response) =>
        fail(new Error(`the Berth daemon refused the connection: HTTP ${response.statusCode}`)),
      );
      socket.once('error', fail);
      socket.once('open', () => {
        socket.removeListener('error', fail);
        resolve(new RuntimeConnection(socket));
      });
    });
  }

  request<M extends keyof RuntimeMethods>(method: M, params: RuntimeMethods[M]['params']): Promise<RuntimeMethods[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (error) => {
        if (error && this.pending.delete(id)) reject(error);
      });
    });
  }

  onNotification<N extends keyof RuntimeNotifications>(method: N, listener: (params: RuntimeNotifications[N]) => void): () => void {
    const event = `notification:${method}`;
    this.on(event, listener);
    return () => this.off(event, listener);
  }

  /**
   * Output bytes sent as binary frames: only after `runtime.hello { binaryStreams: true }`
   * on this connection, and then instead of stdout/stderr `stream.data` notifications.
   */
  onStreamBytes(listener: (bytes: StreamBytes) => void): () => void {
    this.on('streamBytes', listener);
    return () => this.off('streamBytes', listener);
  }

  close(): void {
    this.socket.close();
  }

  /** Frame types this client does not know are reserved for later versions: ignored. */
  private receiveBinary(frame: Buffer): void {
    const bytes = decodeStreamFrame(frame);
    if (bytes) this.emit('streamBytes', bytes);
  }

  private receive(text: string): void {
    let message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };
    try {
      message = JSON.parse(text);
    } catch {
      this.emit('error', new Error('the Berth daemon sent a frame that is not JSON'));
      return;
    }
    if (typeof message.method === 'string' && message.id === undefined) {
      this.emit(`notification:${message.method}`, message.params);
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new RuntimeRequestError(message.error.message, message.error.code, message.error.data));
    else pending.resolve(message.result);
  }
}
