import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { EngineEndpoint } from './endpoint';

/** The newest Engine API version this client understands. */
export const MAX_API_VERSION = '1.45';
/** Engines older than this lack the API calls Berth relies on. */
export const MIN_API_VERSION = '1.40';

export class EngineRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Explains a socket error the way a user can act on it. */
export function describeConnectionError(endpoint: EngineEndpoint, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `no engine socket at ${endpoint.socketPath} (is the Docker daemon running?)`;
    case 'EACCES':
      return `permission denied on ${endpoint.socketPath} (is your user in the docker group?)`;
    case 'ECONNREFUSED':
      return `connection refused at ${endpoint.url} (is the Docker daemon running?)`;
    case 'ETIMEDOUT':
      return `timed out connecting to ${endpoint.url}`;
    default:
      return `${error.code ?? 'error'} connecting to ${endpoint.url}: ${error.message}`;
  }
}

/** A small Engine API client over HTTP/1.1 on a unix socket or TCP. */
export class EngineHttpClient {
  /** Path prefix such as `/v1.41`, set once the version is negotiated. */
  private versionPrefix = '';

  constructor(readonly endpoint: EngineEndpoint) {}

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
      throw new EngineRequestError(`${method} ${path}: ${message || `HTTP ${response.statusCode}`}`, response.statusCode);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A long-lived response, such as /events; the caller consumes and destroys it. */
  stream(path: string): Promise<IncomingMessage> {
    return this.raw('GET', this.versionPrefix + path, undefined, 0);
  }

  /**
   * A hijacked connection (exec start, container attach): the request asks for
   * `Upgrade: tcp`, and once the engine answers 101 the socket carries stdin one
   * way and the output the other. Any other answer is the engine's refusal,
   * thrown with its message and status. The socket is handed over paused, with
   * whatever output came along with the 101 in `head`.
   */
  upgrade(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<{ socket: Socket; head: Buffer }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = httpRequest({
        method,
        path: this.versionPrefix + path,
        socketPath: this.endpoint.socketPath,
        host: this.endpoint.socketPath ? 'localhost' : this.endpoint.host,
        port: this.endpoint.port,
        headers: { Connection: 'Upgrade', Upgrade: 'tcp', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) },
      });
      request.on('upgrade', (_response, socket: Socket, head: Buffer) => {
        socket.pause();
        socket.setTimeout(0);
        socket.setNoDelay?.(true);
        resolve({ socket, head });
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
          reject(new EngineRequestError(status >= 400 ? `${method} ${path}: ${message || `HTTP ${status}`}` : `${method} ${path}: the engine answered HTTP ${status} instead of upgrading the connection`, status));
        }, reject);
      });
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }
      request.on('error', (error: NodeJS.ErrnoException) => reject(new EngineRequestError(describeConnectionError(this.endpoint, error))));
      request.end(payload);
    });
  }

  raw(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          method,
          path,
          socketPath: this.endpoint.socketPath,
          host: this.endpoint.socketPath ? 'localhost' : this.endpoint.host,
          port: this.endpoint.port,
          headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
        },
        resolve,
      );
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(new EngineRequestError(describeConnectionError(this.endpoint, error))),
      );
      request.end(payload);
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
