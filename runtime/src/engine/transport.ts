// How bytes reach an engine: a unix socket, TCP, TLS with the user's
// certificates, or the stdio of `ssh … docker system dial-stdio`. Each engine
// has its own keep-alive agent, so removing an engine closes its connections.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect, isIP, type OnReadOpts, type Socket } from 'node:net';
import type { EngineEndpoint } from './endpoint';
import { ChildProcessSocket, sshArguments } from './sshSocket';

export class TransportError extends Error {}

/** Kept-alive connections, closed after a while unused. */
const KEEP_ALIVE = { keepAlive: true, timeout: 5_000 } as const;
/** An ssh connection costs a process and a handshake: keep it longer. */
const SSH_KEEP_ALIVE = { ...KEEP_ALIVE, timeout: 30_000 } as const;

export interface Transport {
  request(options: RequestOptions, onResponse?: (response: IncomingMessage) => void): ClientRequest;
  /**
   * A request on a connection of its own whose reads land in `onread.buffer`
   * (Node's `onread` socket option) instead of a fresh buffer per read. Only
   * unix sockets and plain TCP can; TLS and ssh leave this undefined.
   */
  requestReadingInto?(options: RequestOptions, onread: OnReadOpts, onSocket: (socket: Socket) => void): ClientRequest;
  /** Closes idle kept-alive connections. */
  dispose(): void;
}

/** The transport for an endpoint. Throws TransportError (unreadable certificate files, say) naming what is wrong. */
export function createTransport(endpoint: EngineEndpoint): Transport {
  if (endpoint.problem) throw new TransportError(endpoint.problem);
  if (endpoint.socketPath) {
    const agent = new HttpAgent(KEEP_ALIVE);
    return plain(agent, { socketPath: endpoint.socketPath, host: 'localhost', agent }, { path: endpoint.socketPath });
  }
  if (endpoint.ssh) {
    const ssh = endpoint.ssh;
    const agent = new HttpAgent(SSH_KEEP_ALIVE);
    const where = `${ssh.user ? `${ssh.user}@` : ''}${ssh.host}${ssh.port ? `:${ssh.port}` : ''}`;
    agent.createConnection = () => new ChildProcessSocket(ssh.command ?? 'ssh', sshArguments(ssh), where) as unknown as Socket;
    return plain(agent, { host: 'docker', agent });
  }
  if (endpoint.host && endpoint.port) {
    if (!endpoint.tls) {
      const agent = new HttpAgent(KEEP_ALIVE);
      return plain(agent, { host: endpoint.host, port: endpoint.port, agent }, { host: endpoint.host, port: endpoint.port });
    }
    const tls = endpoint.tls;
    const agent = new HttpsAgent({
      ...KEEP_ALIVE,
      ca: tls.caFile ? readPem(tls.caFile, 'CA certificate') : undefined,
      cert: tls.certFile ? readPem(tls.certFile, 'client certificate') : undefined,
      key: tls.keyFile ? readPem(tls.keyFile, 'client key') : undefined,
      rejectUnauthorized: tls.verify,
      ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
    });
    return {
      request: (options, onResponse) => httpsRequest({ ...options, host: endpoint.host, port: endpoint.port, agent }, onResponse),
      dispose: () => agent.destroy(),
    };
  }
  throw new TransportError(`${endpoint.url}: no way to reach this engine`);
}

function plain(agent: HttpAgent, where: RequestOptions, address?: { path: string } | { host: string; port: number }): Transport {
  return {
    request: (options, onResponse) => httpRequest({ ...options, ...where }, onResponse),
    ...(address && {
      requestReadingInto: (options: RequestOptions, onread: OnReadOpts, onSocket: (socket: Socket) => void) =>
        httpRequest({
          ...options,
          ...where,
          // No agent: Node then opens the connection with createConnection.
          agent: undefined,
          createConnection: () => {
            const socket = connect({ ...address, onread });
            onSocket(socket);
            return socket;
          },
        }),
    }),
    dispose: () => agent.destroy(),
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TransportError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
