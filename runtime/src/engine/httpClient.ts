import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { OnReadOpts, Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { EngineEndpoint } from './endpoint';
import { createTransport, TransportError, type Transport } from './transport';

/** The newest Engine API version this client understands. */
export const MAX_API_VERSION = '1.45';
/** Engines older than this lack the API calls Berth relies on. */
export const MIN_API_VERSION = '1.40';

export class EngineRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The engine's own words for a refusal, without the request: what a user is shown beside the operation's name. */
    readonly engineMessage?: string,
  ) {
    super(message);
  }
}

/** `METHOD /path?query` as a person reads it (escapes decoded), for logs and messages. */
function requestLine(method: string, path: string): string {
  try {
    return `${method} ${decodeURIComponent(path)}`;
  } catch {
    return `${method} ${path}`;
  }
}

export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Explains a socket error the way a user can act on it. */
const NO_ANSWER = 'ENOANSWER';

/** A request the engine took but did not answer in time (a hung engine, not an unreachable one). */
function noAnswer(method: string, path: string, timeoutMs: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`did not answer ${method} ${path.split('?')[0]} within ${timeoutMs / 1000} s`), { code: NO_ANSWER });
}

export function describeConnectionError(endpoint: EngineEndpoint, error: NodeJS.ErrnoException): string {
  if (error.code === 'ESSH') return error.message;
  if (endpoint.tls && /CERT|SSL|TLS|ECONNRESET/.test(error.code ?? '')) {
    // OpenSSL's own message spans lines of library detail; its `reason` is the part a user can act on.
    const detail = error.code === 'ECONNRESET' ? 'the engine hung up (does it trust the client certificate?)' : ((error as { reason?: string }).reason ?? error.message.split('\n')[0]);
    return `TLS connection to ${endpoint.url} failed: ${detail} (${error.code}; check the certificates${endpoint.tls.caFile ? ` in ${endpoint.tls.caFile.replace(/\/[^/]*$/, '')}` : ''})`;
  }
  switch (error.code) {
    case 'ENOENT':
      return `no engine socket at ${endpoint.socketPath} (is the Docker daemon running?)`;
    case 'EACCES':
      return `permission denied on ${endpoint.socketPath} (is your user in the docker group?)`;
    case 'ECONNREFUSED':
      return `connection refused at ${endpoint.url} (is the Docker daemon running?)`;
    case 'ETIMEDOUT':
      return `timed out connecting to ${endpoint.url}`;
    case NO_ANSWER:
      return `${endpoint.url} ${error.message}`;
    default:
      return `${error.code ?? 'error'} connecting to ${endpoint.url}: ${error.message}`;
  }
}

/** A hijacked connection, paused, with the output that came along with the engine's 101. */
export interface Upgraded {
  socket: Socket;
  head: Buffer;
  /**
   * Resumes the socket, handing each read to `onBytes`. On a connection opened
   * with `sharedReads`, `bytes` is a view of one read buffer shared by every
   * such connection, valid only during the call: copy what you keep.
   */
  read(onBytes: (bytes: Buffer) => void): void;
}

/**
 * Where upgraded connections opened with `sharedReads` read into. Reads are
 * handed on one at a time, on this thread, so one buffer serves them all; a
 * busy terminal then allocates nothing per read, where Node's own reads leave
 * a 64 KB buffer each for the garbage collector, which grew the daemon's
 * native heap by tens of MB during a fast stream.
 */
let sharedReadBuffer: Buffer | undefined;

/** A small Engine API client over HTTP/1.1 on a unix socket, TCP, TLS or ssh. */
export class EngineHttpClient {
  /** Path prefix such as `/v1.41`, set once the version is negotiated. */
  private versionPrefix = '';
  private transport?: Transport;

  constructor(readonly endpoint: EngineEndpoint) {}

  /** Closes the connections kept alive to the engine. */
  dispose(): void {
    this.transport?.dispose();
    this.transport = undefined;
  }

  /** Starts a request on this engine's transport; a transport that cannot be set up (unreadable certificates) is a refusal naming why. */
  private startRequest(options: RequestOptions, onResponse?: (response: IncomingMessage) => void, reading?: { onread: OnReadOpts; onSocket: (socket: Socket) => void }): ClientRequest {
    try {
      this.transport ??= createTransport(this.endpoint);
    } catch (error) {
      if (error instanceof TransportError) throw new EngineRequestError(error.message);
      throw error;
    }
    if (reading && this.transport.requestReadingInto) return this.transport.requestReadingInto(options, reading.onread, reading.onSocket);
    return this.transport.request(options, onResponse);
  }

  /** Agrees on min(engine's API version, ours), as the docker CLI does. */
  async negotiate(): Promise<string> {
    const response = await this.raw('GET', '/_ping');
    response.resume();
    const engineVersion = String(response.headers['api-version'] ?? MIN_API_VERSION);
    const agreed = compareApiVersions(engineVersion, MAX_API_VERSION) < 0 ? engineVersion : MAX_API_VERSION;
    this.versionPrefix = `/v${agreed}`;
    return agreed;
  }

  async json<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const response = await this.raw(method, this.versionPrefix + path, body, timeoutMs);
    const text = await readAll(response);
    if ((response.statusCode ?? 500) >= 400) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // Not every engine error body is JSON.
      }
      const refusal = message || `HTTP ${response.statusCode}`;
      throw new EngineRequestError(`${requestLine(method, path)}: ${refusal}`, response.statusCode, refusal);
    }
    // An empty answer is no value; Podman's is sometimes a lone newline (POST /images/{name}/tag).
    return (text.trim() ? JSON.parse(text) : undefined) as T;
  }

  /** A long-lived response, such as /events; the caller consumes and destroys it. */
  stream(path: string): Promise<IncomingMessage> {
    return this.raw('GET', this.versionPrefix + path, undefined, 0);
  }

  /**
   * A versioned request whose answer the caller reads itself, whatever its
   * status: a tar archive, a progress stream. No timeout unless given.
   */
  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 0): Promise<IncomingMessage> {
    return this.raw(method, this.versionPrefix + path, body, timeoutMs, headers);
  }

  /**
   * A hijacked connection (exec start, container attach): the request asks for
   * `Upgrade: tcp`, and once the engine answers 101 the socket carries stdin one
   * way and the output the other. Any other answer is the engine's refusal,
   * thrown with its message and status. The socket is handed over paused, with
   * whatever output came along with the 101 in `head`. With `sharedReads`, on a
   * unix socket or plain TCP, the output is read into the shared read buffer
   * (see `Upgraded.read`); other transports read as usual.
   */
  upgrade(method: string, path: string, body?: unknown, timeoutMs = 10_000, { sharedReads = false } = {}): Promise<Upgraded> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    let connection: Socket | undefined;
    let onBytes: ((bytes: Buffer) => void) | undefined;
    const reading = sharedReads
      ? {
          onread: {
            buffer: (sharedReadBuffer ??= Buffer.allocUnsafeSlow(64 * 1024)),
            callback: (length: number, buffer: Uint8Array) => {
              const bytes = (buffer as Buffer).subarray(0, length);
              // Until the engine has answered, Node's HTTP parser reads the connection: it gets a copy, as 'data'.
              if (onBytes) onBytes(bytes);
              else connection?.emit('data', Buffer.from(bytes));
              // Reading goes on unless the handler paused the socket (back-pressure).
              return true;
            },
          },
          onSocket: (socket: Socket) => {
            connection = socket;
          },
        }
      : undefined;
    return new Promise((resolve, reject) => {
      const request = this.startRequest(
        {
          method,
          path: this.versionPrefix + path,
          headers: { Connection: 'Upgrade', Upgrade: 'tcp', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) },
        },
        undefined,
        reading,
      );
      request.on('upgrade', (_response, socket: Socket, head: Buffer) => {
        socket.pause();
        socket.setTimeout(0);
        socket.setNoDelay?.(true);
        const read = (handler: (bytes: Buffer) => void) => {
          if (socket === connection) onBytes = handler;
          else socket.on('data', handler);
          socket.resume();
        };
        resolve({ socket, head, read });
      });
      request.on('response', (response) => {
        void readAll(response).then((text) => {
          let message = text.trim();
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // Not every engine error body is JSON.
          }
          const status = response.statusCode ?? 500;
          const refusal = status >= 400 ? message || `HTTP ${status}` : `the engine answered HTTP ${status} instead of upgrading the connection`;
          reject(new EngineRequestError(`${requestLine(method, path)}: ${refusal}`, status, refusal));
        }, reject);
      });
      if (timeoutMs > 0) request.setTimeout(timeoutMs, () => request.destroy(noAnswer(method, path, timeoutMs)));
      request.on('error', (error: NodeJS.ErrnoException) => reject(new EngineRequestError(describeConnectionError(this.endpoint, error))));
      request.end(payload);
    });
  }

  /**
   * One request. A JSON `body` is sent whole; a `Readable` body (a build
   * context, an image archive) is piped, so it is read only as fast as the
   * engine takes it, with `headers` saying what it is.
   */
  raw(method: string, path: string, body?: unknown, timeoutMs = 10_000, headers: Record<string, string> = {}): Promise<IncomingMessage> {
    const upload = body instanceof Readable ? body : undefined;
    const payload = body === undefined || upload ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = this.startRequest(
        {
          method,
          path,
          headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...headers },
        },
        resolve,
      );
      if (timeoutMs > 0) request.setTimeout(timeoutMs, () => request.destroy(noAnswer(method, path, timeoutMs)));
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(new EngineRequestError(describeConnectionError(this.endpoint, error))),
      );
      if (upload) {
        upload.once('error', (error) => request.destroy(error));
        // A request cut short (cancelled, refused) stops reading the body, and releases what it holds open.
        request.once('close', () => upload.destroy());
        upload.pipe(request);
      } else request.end(payload);
    });
  }
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
