// Streams: container logs, exec and attach terminals, and stats, from the
// engine to the one client that opened them (docs/protocol.md, "Streams").
//
// Each stream reads one engine connection: a plain HTTP response (logs, stats)
// or a hijacked one (exec, attach: stdin one way, output the other). Output is
// sent as stream.data notifications, paused at the engine when the client's
// WebSocket falls behind, and the stream ends with exactly one stream.end.
// Exec and attach streams outlive their client for a grace period, keeping
// their recent output for a client that re-attaches.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Engine } from '../engine/engine';
import { EngineRequestError } from '../engine/httpClient';
import { RuntimeErrorCode, type StreamData, type StreamEnd, type StreamInfo, type StreamKind } from '../protocol/types';
import { encodeStreamFrame } from '../protocol/streamFrames';
import { readParams } from '../server/params';
import { RpcError, type RpcServer } from '../server/rpcServer';
import { Demultiplexer, type OutputChannel } from './demux';
import { OutputBatch, streamDataMessages, type OutputRun } from './outputBatch';
import { OutputRing } from './ring';
import { toStatsSample, type ApiStats } from './stats';

export interface StreamOptions {
  /** How long an exec or attach stream waits for its client to re-attach after a disconnect. */
  detachGraceMs?: number;
  /** Output kept per exec or attach stream for a re-attaching client. */
  replayBytes?: number;
  /** Above this many unsent bytes on a client's WebSocket, its streams pause at the engine… */
  highWaterBytes?: number;
  /** …and resume once it is down to this. */
  lowWaterBytes?: number;
  /** A stream paused this long for its client is ended with `client too slow`. */
  slowClientMs?: number;
}

export const STREAM_DEFAULTS: Required<StreamOptions> = {
  detachGraceMs: 60_000,
  replayBytes: 64 * 1024,
  // What a fast stream has in flight is held in pooled buffers (outputBatch.ts): 256 KiB keeps
  // it to a few, and is still far more than a terminal needs to keep up.
  highWaterBytes: 256 * 1024,
  lowWaterBytes: 64 * 1024,
  slowClientMs: 30_000,
};

export type EngineLookup = (method: string, requested: string | undefined) => Engine;

type EndFields = Omit<StreamEnd, 'streamId'>;
export type ProgressKind = 'build' | 'pull' | 'push' | 'tool';
/** Given whether the source ended cleanly, the progress stream's end. */
export type Conclude = (clean: boolean, failure: Error | undefined) => EndFields | Promise<EndFields>;

/** Opens progress streams (build, pull, push, a tool's output) for the operations that produce them. */
export interface ProgressStreams {
  /**
   * `source` yields UTF-8 text (whole lines), is paused while the client falls
   * behind, and is destroyed when the stream is closed or its client leaves.
   */
  open(client: WebSocket, kind: ProgressKind, engine: Engine, source: Readable, conclude: Conclude): StreamInfo;
  /** A logs stream read from an engine response other than a container's (a service's logs). */
  openLogs(client: WebSocket, engine: Engine, response: IncomingMessage, tty: boolean): StreamInfo;
}

class Stream {
  /** `open` reads the engine; `finishing` has seen the engine end and is finding out why (exit code); `ended` is done. */
  state: 'open' | 'finishing' | 'ended' = 'open';
  owner?: WebSocket;
  stdinOpen: boolean;
  /** The end, kept for a client that re-attaches to a stream that ended while detached. */
  ending?: EndFields;
  blockedTimer?: NodeJS.Timeout;
  /** Output read but not yet sent, by run of a channel: sent together once the reads at hand are done. */
  readonly pending: OutputBatch;
  flushScheduled = false;
  /** When output last went out (performance.now()). */
  lastFlush = 0;
  graceTimer?: NodeJS.Timeout;
  readonly ring?: OutputRing;
  /** Progress streams: how the source's end turns into the stream's end (completed or failed, and why). */
  conclude?: Conclude;

  constructor(
    readonly id: string,
    readonly kind: StreamKind,
    readonly engine: Engine,
    /** The container's full id. */
    readonly containerId: string,
    readonly tty: boolean,
    readonly source: Readable,
    /** Output the engine sent along with the upgrade answer. */
    readonly head: Buffer,
    readonly execId: string | undefined,
    stdin: boolean,
    replayBytes: number,
    /** How an upgraded connection hands over its reads (views of a shared buffer); else the source's 'data' events. */
    readonly read?: (onBytes: (bytes: Buffer) => void) => void,
  ) {
    this.stdinOpen = stdin;
    this.pending = new OutputBatch(id);
    if (kind === 'exec' || kind === 'attach') this.ring = new OutputRing(replayBytes);
  }

  get survivesDisconnect(): boolean {
    return this.kind === 'exec' || this.kind === 'attach';
  }

  info(): StreamInfo {
    return { streamId: this.id, kind: this.kind, tty: this.tty, stdin: this.stdinOpen };
  }
}

interface ApiContainer {
  Id: string;
  Config?: { Tty?: boolean; OpenStdin?: boolean } | null;
  State?: { Running?: boolean; Paused?: boolean; ExitCode?: number } | null;
}

const path = (value: string) => encodeURIComponent(value);
const invalid = (message: string) => new RpcError(RuntimeErrorCode.InvalidParams, message);
/** Output waiting to be sent is sent at once when it reaches this. */
const BATCH_BYTES = 128 * 1024;
/** While output keeps coming, batches go out at most this often. */
const BATCH_MS = 5;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Engine failures become JSON-RPC errors carrying the engine's own message and status. */
async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EngineRequestError) throw new RpcError(RuntimeErrorCode.EngineError, `${method}: ${error.message}`, error.status === undefined ? undefined : { status: error.status });
    throw error;
  }
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A streaming response, or the engine's refusal as an EngineRequestError. */
async function openResponse(engine: Engine, url: string): Promise<IncomingMessage> {
  const response = await engine.client.stream(url);
  const status = response.statusCode ?? 500;
  if (status < 400) return response;
  const text = (await readBody(response)).trim();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // Not every engine error body is JSON.
  }
  throw new EngineRequestError(`GET ${url.split('?')[0]}: ${message || `HTTP ${status}`}`, status);
}

function wholeNumber(method: string, name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw invalid(`${method}: param "${name}" must be a whole number from ${min} to ${max}`);
}

/** The container's own id, whether it has a TTY and an open stdin, and whether it runs. */
function inspectContainer(method: string, engine: Engine, id: string): Promise<ApiContainer> {
  return call(method, () => engine.client.json<ApiContainer>('GET', `/containers/${path(id)}/json`));
}

/**
 * The shell for an exec without `cmd`: bash when the container has it, else sh.
 * One short exec of `sh -c 'command -v bash'`; the answer is read from its
 * output, so nothing of the client's reaches the shell.
 */
async function defaultShell(method: string, engine: Engine, containerId: string): Promise<string[]> {
  const { Id } = await call(method, () => engine.client.json<{ Id: string }>('POST', `/containers/${path(containerId)}/exec`, { AttachStdout: true, AttachStderr: false, Tty: false, Cmd: ['sh', '-c', 'command -v bash'] }));
  try {
    const { socket, head } = await engine.client.upgrade('POST', `/exec/${path(Id)}/start`, { Detach: false, Tty: false });
    const found = await new Promise<string>((resolve) => {
      let stdout = '';
      const demux = new Demultiplexer((channel, data) => {
        if (channel === 'stdout') stdout += data.toString('utf8');
      });
      const timer = setTimeout(() => socket.destroy(), 5000);
      socket.on('data', (chunk: Buffer) => demux.push(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(stdout.trim());
      });
      demux.push(head);
      socket.end();
      socket.resume();
    });
    return /^\/\S*\/bash$/.test(found) ? ['bash'] : ['sh'];
  } catch {
    return ['sh'];
  }
}

/**
 * Ends a terminal exec. The engine does not end a process when its hijacked
 * connection closes, and with a TTY closing stdin is not an end of input for
 * the process; so send what a terminal sends for one (Ctrl-D): a shell at its
 * prompt exits. The connection closes once the engine closes it, or soon after.
 */
function hangUp(socket: Socket): void {
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(Buffer.from([4]));
  socket.resume();
}

/**
 * Registers container.logs/exec/attach/stats and stream.write/resize/close/reattach
 * on the RPC server. `dispose` ends every stream (the daemon is stopping).
 */
export function registerStreams(
  rpc: RpcServer,
  engineFor: EngineLookup,
  engines: Iterable<Engine>,
  options: StreamOptions = {},
): { dispose(): void; progress: ProgressStreams; watchEngine(engine: Engine): void; sendBytesAsBinary(client: WebSocket): void } {
  const registry = new StreamRegistry(rpc, { ...STREAM_DEFAULTS, ...options });
  /** Streams reading an engine end when it becomes unreachable (or is removed). */
  const watchEngine = (engine: Engine) =>
    engine.on('health', (info) => {
      if (info.health.state === 'unreachable') registry.engineLost(engine, info.health.reason);
    });
  for (const engine of engines) watchEngine(engine);

  rpc.handle('container.logs', async (params, client) => {
    const method = 'container.logs';
    const p = readParams(method, params, { engine: 'string?', id: 'string', follow: 'boolean?', tail: 'number?', since: 'number?', timestamps: 'boolean?' });
    wholeNumber(method, 'tail', p.tail, 0, Number.MAX_SAFE_INTEGER);
    if (p.since !== undefined && !(Number.isFinite(p.since) && p.since >= 0)) throw invalid(`${method}: param "since" must be a number of seconds since the epoch (0 or more)`);
    const engine = engineFor(method, p.engine);
    const container = await inspectContainer(method, engine, p.id);
    const query = new URLSearchParams({ stdout: '1', stderr: '1', follow: p.follow ? '1' : '0', tail: p.tail === undefined ? 'all' : String(p.tail), timestamps: p.timestamps ? '1' : '0' });
    if (p.since !== undefined) query.set('since', Number.isInteger(p.since) ? String(p.since) : p.since.toFixed(9));
    const response = await call(method, () => openResponse(engine, `/containers/${path(container.Id)}/logs?${query}`));
    return registry.open(client, new Stream(randomUUID(), 'logs', engine, container.Id, container.Config?.Tty === true, response, Buffer.alloc(0), undefined, false, 0));
  });

  rpc.handle('container.exec', async (params, client) => {
    const method = 'container.exec';
    const p = readParams(method, params, { engine: 'string?', id: 'string', cmd: 'string[]?', tty: 'boolean', cols: 'number?', rows: 'number?', user: 'string?', workdir: 'string?', env: 'string[]?' });
    if (p.cmd !== undefined && (p.cmd.length === 0 || p.cmd[0] === '')) throw invalid(`${method}: param "cmd" must name a program (an argv array such as ["ls", "-l"])`);
    wholeNumber(method, 'cols', p.cols, 1, 65535);
    wholeNumber(method, 'rows', p.rows, 1, 65535);
    if ((p.cols === undefined) !== (p.rows === undefined)) throw invalid(`${method}: param "${p.cols === undefined ? 'cols' : 'rows'}" is required with "${p.cols === undefined ? 'rows' : 'cols'}"`);
    const badEnv = p.env?.find((entry) => !/^[^=]+=/.test(entry));
    if (badEnv !== undefined) throw invalid(`${method}: param "env" entries must be NAME=value, got "${badEnv}"`);
    if (p.workdir !== undefined && !p.workdir.startsWith('/')) throw invalid(`${method}: param "workdir" must be an absolute path`);
    const engine = engineFor(method, p.engine);
    const container = await inspectContainer(method, engine, p.id);
    const cmd = p.cmd ?? (await defaultShell(method, engine, container.Id));
    // Only a TTY has a size; engines refuse ConsoleSize without one.
    const size = p.tty && p.cols !== undefined && p.rows !== undefined ? { ConsoleSize: [p.rows, p.cols] } : {};
    const { Id: execId } = await call(method, () =>
      engine.client.json<{ Id: string }>('POST', `/containers/${path(container.Id)}/exec`, {
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: p.tty,
        Cmd: cmd,
        ...(p.user !== undefined ? { User: p.user } : {}),
        ...(p.workdir !== undefined ? { WorkingDir: p.workdir } : {}),
        ...(p.env !== undefined ? { Env: p.env } : {}),
        ...size,
      }),
    );
    const { socket, head, read } = await call(method, () => engine.client.upgrade('POST', `/exec/${path(execId)}/start`, { Detach: false, Tty: p.tty, ...size }, undefined, { sharedReads: true }));
    // Engines before API 1.42 ignore ConsoleSize: size the terminal once it exists.
    if (p.tty && p.cols !== undefined && p.rows !== undefined) await engine.client.json('POST', `/exec/${path(execId)}/resize?h=${p.rows}&w=${p.cols}`).catch(() => undefined);
    return registry.open(client, new Stream(randomUUID(), 'exec', engine, container.Id, p.tty, socket, head, execId, true, registry.options.replayBytes, read));
  });

  rpc.handle('container.attach', async (params, client) => {
    const method = 'container.attach';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    const engine = engineFor(method, p.engine);
    const container = await inspectContainer(method, engine, p.id);
    if (!container.State?.Running) throw new RpcError(RuntimeErrorCode.EngineError, `${method}: container ${p.id} is not running (start it first)`, { status: 409 });
    const stdin = container.Config?.OpenStdin === true;
    const { socket, head, read } = await call(method, () => engine.client.upgrade('POST', `/containers/${path(container.Id)}/attach?stream=1&stdin=${stdin ? 1 : 0}&stdout=1&stderr=1`, undefined, undefined, { sharedReads: true }));
    return registry.open(client, new Stream(randomUUID(), 'attach', engine, container.Id, container.Config?.Tty === true, socket, head, undefined, stdin, registry.options.replayBytes, read));
  });

  rpc.handle('container.stats', async (params, client) => {
    const method = 'container.stats';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    const engine = engineFor(method, p.engine);
    const container = await inspectContainer(method, engine, p.id);
    const response = await call(method, () => openResponse(engine, `/containers/${path(container.Id)}/stats?stream=1`));
    return registry.open(client, new Stream(randomUUID(), 'stats', engine, container.Id, false, response, Buffer.alloc(0), undefined, false, 0));
  });

  rpc.handle('stream.write', async (params, client) => {
    const method = 'stream.write';
    const p = readParams(method, params, { streamId: 'string', data: 'string', encoding: 'string?', eof: 'boolean?' });
    if (p.encoding !== undefined && p.encoding !== 'utf8' && p.encoding !== 'base64') throw invalid(`${method}: param "encoding" must be "utf8" or "base64"`);
    if (p.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(p.data)) throw invalid(`${method}: param "data" is not base64`);
    const stream = registry.owned(method, client, p.streamId);
    if (!stream.survivesDisconnect) throw invalid(`${method}: stream "${p.streamId}" is a ${stream.kind} stream, which has no stdin`);
    if (!stream.stdinOpen) throw invalid(`${method}: stream "${p.streamId}" has no open stdin${stream.kind === 'attach' ? ' (the container was not created with OpenStdin)' : ''}`);
    if (stream.state !== 'open') throw new RpcError(RuntimeErrorCode.UnknownStream, `${method}: stream "${p.streamId}" has ended`);
    const bytes = Buffer.from(p.data, p.encoding === 'base64' ? 'base64' : 'utf8');
    const socket = stream.source as Socket;
    await new Promise<void>((resolve, reject) =>
      socket.write(bytes, (error) => (error ? reject(new RpcError(RuntimeErrorCode.EngineError, `${method}: ${error.message}`)) : resolve())),
    );
    if (p.eof) {
      stream.stdinOpen = false;
      socket.end();
    }
    return { written: bytes.length };
  });

  rpc.handle('stream.resize', async (params, client) => {
    const method = 'stream.resize';
    const p = readParams(method, params, { streamId: 'string', cols: 'number', rows: 'number' });
    wholeNumber(method, 'cols', p.cols, 1, 65535);
    wholeNumber(method, 'rows', p.rows, 1, 65535);
    const stream = registry.owned(method, client, p.streamId);
    if (!stream.tty) throw invalid(`${method}: stream "${p.streamId}" has no TTY to resize`);
    const target = stream.kind === 'exec' ? `/exec/${path(stream.execId!)}` : `/containers/${path(stream.containerId)}`;
    await call(method, () => stream.engine.client.json('POST', `${target}/resize?h=${p.rows}&w=${p.cols}`));
    return {};
  });

  rpc.handle('stream.close', (params, client) => {
    const method = 'stream.close';
    const { streamId } = readParams(method, params, { streamId: 'string' });
    registry.end(registry.owned(method, client, streamId), { reason: 'closed' });
    return {};
  });

  rpc.handle('stream.reattach', (params, client) => {
    const { streamId } = readParams('stream.reattach', params, { streamId: 'string' });
    return registry.reattach(client, streamId);
  });

  return {
    dispose: () => registry.dispose(),
    watchEngine,
    sendBytesAsBinary: (client) => registry.binaryClients.add(client),
    progress: {
      open: (client, kind, engine, source, conclude) => {
        const stream = new Stream(randomUUID(), kind, engine, '', false, source, Buffer.alloc(0), undefined, false, 0);
        stream.conclude = conclude;
        return registry.open(client, stream);
      },
      openLogs: (client, engine, response, tty) => registry.open(client, new Stream(randomUUID(), 'logs', engine, '', tty, response, Buffer.alloc(0), undefined, false, 0)),
    },
  };
}

class StreamRegistry {
  private readonly streams = new Map<string, Stream>();
  private readonly byClient = new Map<WebSocket, Set<Stream>>();
  /** Connections that asked for output bytes in binary frames (runtime.hello { binaryStreams: true }). */
  readonly binaryClients = new WeakSet<WebSocket>();
  private disposed = false;

  constructor(
    private readonly rpc: RpcServer,
    readonly options: Required<StreamOptions>,
  ) {}

  /** Takes a freshly opened stream: its output starts once the answer carrying its id has gone out. */
  open(client: WebSocket, stream: Stream): StreamInfo {
    if (this.disposed || client.readyState !== client.OPEN) {
      stream.source.destroy();
      throw new RpcError(RuntimeErrorCode.InternalError, this.disposed ? 'the daemon is stopping' : 'the client went away');
    }
    this.streams.set(stream.id, stream);
    this.own(stream, client);
    // The answer is sent in the microtasks after this handler returns; output after it.
    setImmediate(() => this.start(stream));
    return stream.info();
  }

  /** The stream, if this client owns it; otherwise an error saying why not. */
  owned(method: string, client: WebSocket, streamId: string): Stream {
    const stream = this.streams.get(streamId);
    if (!stream) throw new RpcError(RuntimeErrorCode.UnknownStream, `${method}: no stream "${streamId}" (never opened, ended, or not re-attached within its grace period)`);
    if (stream.owner !== client) throw new RpcError(RuntimeErrorCode.UnknownStream, `${method}: stream "${streamId}" is not attached to this connection (call stream.reattach first)`);
    return stream;
  }

  reattach(client: WebSocket, streamId: string): StreamInfo & { replayed: number; truncated: boolean } {
    const stream = this.streams.get(streamId);
    if (!stream) throw new RpcError(RuntimeErrorCode.UnknownStream, `stream.reattach: no stream "${streamId}" (never opened, ended, or not re-attached within its grace period)`);
    if (!stream.survivesDisconnect) throw new RpcError(RuntimeErrorCode.UnknownStream, `stream.reattach: stream "${streamId}" is a ${stream.kind} stream; only exec and attach streams can be re-attached (open a new one)`);
    const previous = stream.owner;
    this.flush(stream);
    if (previous && previous !== client) {
      this.disown(stream);
      this.rpc.notify(previous, 'stream.end', { streamId, reason: 'taken over', message: 'another client re-attached to this stream' } satisfies StreamEnd);
    }
    clearTimeout(stream.graceTimer);
    stream.graceTimer = undefined;
    this.own(stream, client);
    const ring = stream.ring!;
    for (const chunk of ring.contents()) this.sendBytes(client, streamId, chunk.channel, chunk.data);
    if (stream.ending) {
      this.rpc.notify(client, 'stream.end', { streamId, ...stream.ending } satisfies StreamEnd);
      this.forget(stream);
    } else {
      this.checkPressure(stream);
    }
    return { ...stream.info(), replayed: ring.bytes, truncated: ring.truncated };
  }

  /** Ends a stream once: stops reading the engine and tells its client, if it has one. */
  end(stream: Stream, end: EndFields): void {
    if (stream.state === 'ended') return;
    const wasReading = stream.state === 'open';
    stream.state = 'ended';
    this.unblock(stream, false);
    if (wasReading && stream.kind === 'exec' && stream.tty && stream.stdinOpen) hangUp(stream.source as Socket);
    else stream.source.destroy();
    const owner = stream.owner;
    if (owner) {
      this.flush(stream);
      this.rpc.notify(owner, 'stream.end', { streamId: stream.id, ...end } satisfies StreamEnd);
      this.forget(stream);
    } else if (stream.survivesDisconnect && stream.graceTimer && end.reason !== 'daemon stopping') {
      // Ended while its client is away: kept, with its output, until the grace period runs out.
      stream.ending = end;
    } else {
      this.forget(stream);
    }
  }

  engineLost(engine: Engine, reason: string): void {
    for (const stream of [...this.streams.values()]) if (stream.engine === engine) this.end(stream, { reason: 'engine unreachable', message: reason });
  }

  dispose(): void {
    this.disposed = true;
    for (const stream of [...this.streams.values()]) {
      clearTimeout(stream.graceTimer);
      stream.graceTimer = undefined;
      this.end(stream, { reason: 'daemon stopping' });
      this.forget(stream);
    }
  }

  private start(stream: Stream): void {
    if (stream.state !== 'open') return;
    const source = stream.source;
    let finished = false;
    let cleanEnd = false;
    let failure: Error | undefined;
    source.on('end', () => (cleanEnd = true));
    source.on('error', (error: Error) => (failure = error));
    source.on('close', () => {
      if (finished) return;
      finished = true;
      // A response cut before its end is no clean end, whatever the socket says.
      const complete = stream.kind === 'logs' || stream.kind === 'stats' ? (source as IncomingMessage).complete : cleanEnd;
      void this.finish(stream, complete && !failure, failure);
    });

    if (stream.conclude) {
      source.setEncoding('utf8');
      source.on('data', (text: string) => {
        if (text) this.deliver(stream, { streamId: stream.id, channel: 'progress', data: text });
      });
    } else if (stream.kind === 'stats') {
      let pending = '';
      source.setEncoding('utf8');
      source.on('data', (text: string) => {
        pending += text;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (!line || stream.state !== 'open') continue;
          let document: ApiStats;
          try {
            document = JSON.parse(line) as ApiStats;
          } catch {
            continue;
          }
          if (document.read?.startsWith('0001-')) {
            // The engine keeps a stopped container's stats stream open, sending empty
            // documents (read at Go's zero time) for as long as it is asked: the container
            // stopped (or never ran), so the stream ends as logs do.
            finished = true;
            source.destroy();
            void this.finish(stream, true, undefined);
            return;
          }
          this.deliver(stream, { streamId: stream.id, channel: 'stats', data: toStatsSample(document) });
        }
      });
    } else {
      const output = (channel: OutputChannel, data: Buffer) => {
        if (stream.state === 'ended' || data.length === 0) return;
        stream.ring?.push(channel, data);
        if (stream.owner) this.queue(stream, channel, data);
      };
      const demux = stream.tty ? undefined : new Demultiplexer(output);
      const take = (chunk: Buffer) => (demux ? demux.push(chunk) : output('stdout', chunk));
      if (stream.head.length > 0) take(stream.head);
      // Everything that keeps output copies it (the ring, the batch), so a read may be a view of a reused buffer.
      if (stream.read) {
        stream.read(take);
        return;
      }
      source.on('data', take);
    }
    source.resume();
  }

  /** The engine ended the stream: say why, with the exit code when there is one. */
  private async finish(stream: Stream, clean: boolean, failure: Error | undefined): Promise<void> {
    if (stream.state !== 'open') return;
    stream.state = 'finishing';
    this.unblock(stream, false);
    let end: EndFields = { reason: 'ended' };
    try {
      if (stream.conclude) {
        end = await stream.conclude(clean && !failure, failure);
        // A source cut short by a lost engine says so, rather than the engine's half-answer.
        const problem = clean ? undefined : await this.engineProblem(stream.engine);
        if (problem) end = { reason: 'engine unreachable', message: problem };
      } else if (stream.kind === 'exec') {
        const exitCode = await this.execExitCode(stream);
        if (exitCode !== undefined) end.exitCode = exitCode;
      } else if (stream.kind === 'attach') {
        const container = await stream.engine.client.json<ApiContainer>('GET', `/containers/${path(stream.containerId)}/json`).catch((error: unknown) => {
          if (error instanceof EngineRequestError && error.status === 404) return undefined; // removed with --rm, or by someone else
          throw error;
        });
        if (container && !container.State?.Running && typeof container.State?.ExitCode === 'number') end.exitCode = container.State.ExitCode;
      }
      if (!stream.conclude && (!clean || stream.kind !== 'exec')) {
        // A follow stream also ends cleanly when the engine shuts down: tell that apart.
        const problem = await this.engineProblem(stream.engine);
        if (problem) end = { reason: 'engine unreachable', message: problem };
        else if (!clean) end = { reason: 'error', message: `the engine cut the stream${failure ? `: ${failure.message}` : ''}` };
      }
    } catch (error) {
      const problem = await this.engineProblem(stream.engine);
      end = problem ? { reason: 'engine unreachable', message: problem } : { reason: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    this.end(stream, end); // unless something else (stream.close, the engine lost) ended it meanwhile
  }

  private async execExitCode(stream: Stream): Promise<number | undefined> {
    // The output closes as the process exits; the engine may record the exit a moment later.
    for (let attempt = 0; attempt < 40; attempt++) {
      const exec = await stream.engine.client.json<{ Running?: boolean; ExitCode?: number | null }>('GET', `/exec/${path(stream.execId!)}/json`);
      if (!exec.Running && typeof exec.ExitCode === 'number') return exec.ExitCode;
      await delay(25);
    }
    return undefined;
  }

  /** Why the engine cannot be reached, or undefined when it answers. */
  private async engineProblem(engine: Engine): Promise<string | undefined> {
    const health = engine.info().health;
    if (health.state === 'unreachable') return health.reason;
    try {
      const response = await engine.client.raw('GET', '/_ping', undefined, 3000);
      response.resume();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  private deliver(stream: Stream, data: StreamData): void {
    const owner = stream.owner;
    if (!owner || stream.state === 'ended') return;
    this.rpc.notify(owner, 'stream.data', data);
    this.checkPressure(stream);
  }

  /**
   * Output is sent in batches: once the engine reads at hand are done, and while
   * output keeps coming, at most one batch every BATCH_MS (or when a batch is
   * big). A process writing 4 KB at a time then costs the daemon, and the
   * client, a frame per batch rather than one per chunk; output after a pause
   * (an echoed key) still goes out at once.
   */
  private queue(stream: Stream, channel: OutputChannel, data: Buffer): void {
    stream.pending.add(channel, data);
    if (stream.pending.bytes >= BATCH_BYTES) this.flush(stream);
    else if (!stream.flushScheduled) {
      stream.flushScheduled = true;
      const flushLater = () => {
        stream.flushScheduled = false;
        this.flush(stream);
      };
      const wait = stream.lastFlush + BATCH_MS - performance.now();
      if (wait > 0) setTimeout(flushLater, wait);
      else setImmediate(flushLater);
    }
  }

  private flush(stream: Stream): void {
    const runs = stream.pending.take();
    if (runs.length === 0) return;
    stream.lastFlush = performance.now();
    const owner = stream.owner;
    if (!owner) {
      for (const run of runs) run.done();
      return;
    }
    for (const run of runs) this.sendRun(owner, stream, run);
    this.checkPressure(stream);
  }

  /** A run of output as the client asked for it: its binary frame as it lies in the batch, or base64 in a stream.data notification. */
  private sendRun(client: WebSocket, stream: Stream, run: OutputRun): void {
    if (this.binaryClients.has(client)) {
      this.rpc.sendBinary(client, run.frame, () => {
        run.done();
        this.written(stream);
      });
      return;
    }
    const messages = streamDataMessages(stream.id, run);
    run.done();
    for (const { message, release } of messages) {
      this.rpc.sendEncoded(client, message, () => {
        release();
        this.written(stream);
      });
    }
  }

  /** Output bytes as the client asked for them (replayed output): a binary frame, or base64 in a stream.data notification. */
  private sendBytes(client: WebSocket, streamId: string, channel: OutputChannel, data: Buffer): void {
    if (this.binaryClients.has(client)) this.rpc.sendBinary(client, encodeStreamFrame(streamId, channel, data));
    else this.rpc.notify(client, 'stream.data', { streamId, channel, data: data.toString('base64') } satisfies StreamData);
  }

  /**
   * A frame of this stream left the daemon: a blocked stream reads on as soon as
   * its client's buffer is down to the low-water mark, rather than at the next
   * check of the timer (which stays for buffers that hold other frames).
   */
  private written(stream: Stream): void {
    const owner = stream.owner;
    if (stream.blockedTimer && owner && owner.bufferedAmount <= this.options.lowWaterBytes) this.unblock(stream, true);
  }

  /**
   * Back-pressure: when the owner's WebSocket holds more than the high-water
   * mark unsent, stop reading the engine (which in turn stops the process or
   * the log reader) until it drains; a client that stays behind too long loses
   * the stream.
   */
  private checkPressure(stream: Stream): void {
    const owner = stream.owner;
    if (!owner || stream.blockedTimer || stream.state !== 'open' || owner.bufferedAmount <= this.options.highWaterBytes) return;
    stream.source.pause();
    const since = Date.now();
    stream.blockedTimer = setInterval(() => {
      const current = stream.owner;
      if (!current || current.bufferedAmount <= this.options.lowWaterBytes) this.unblock(stream, true);
      else if (Date.now() - since >= this.options.slowClientMs) {
        this.end(stream, { reason: 'client too slow', message: `more than ${this.options.highWaterBytes} bytes stayed unread for ${this.options.slowClientMs} ms` });
      }
    }, 20);
  }

  private unblock(stream: Stream, resume: boolean): void {
    if (!stream.blockedTimer) return;
    clearInterval(stream.blockedTimer);
    stream.blockedTimer = undefined;
    if (resume && stream.state === 'open') stream.source.resume();
  }

  private own(stream: Stream, client: WebSocket): void {
    stream.owner = client;
    let owned = this.byClient.get(client);
    if (!owned) {
      owned = new Set();
      this.byClient.set(client, owned);
      client.once('close', () => this.clientGone(client));
    }
    owned.add(stream);
  }

  private disown(stream: Stream): void {
    if (stream.owner) this.byClient.get(stream.owner)?.delete(stream);
    stream.owner = undefined;
  }

  private forget(stream: Stream): void {
    stream.pending.close();
    clearTimeout(stream.graceTimer);
    stream.graceTimer = undefined;
    this.disown(stream);
    this.streams.delete(stream.id);
  }

  /** Logs and stats end with their client; exec and attach wait for it to come back. */
  private clientGone(client: WebSocket): void {
    const owned = this.byClient.get(client) ?? new Set<Stream>();
    this.byClient.delete(client);
    for (const stream of owned) {
      stream.owner = undefined;
      // Its unsent output is in the replay buffer (exec, attach) or of no use now.
      stream.pending.close();
      if (!stream.survivesDisconnect || stream.state === 'ended' || this.disposed) {
        this.end(stream, { reason: 'closed', message: 'the client disconnected' });
        this.forget(stream);
        continue;
      }
      // Read on while nobody listens: the output goes to the replay buffer only.
      this.unblock(stream, true);
      stream.graceTimer = setTimeout(() => {
        stream.graceTimer = undefined;
        this.end(stream, { reason: 'closed', message: 'no client re-attached within the grace period' });
        this.forget(stream);
      }, this.options.detachGraceMs);
      stream.graceTimer.unref();
    }
  }
}
