import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StreamEnd, StreamInfo } from '../../../runtime/src/protocol/types';
import { streamText } from '../runtime/daemonCalls';
import type { TerminalSessions } from './terminalSessions';

/**
 * How long a terminal the user closed waits before closing its stream. A
 * window that reloads closes every terminal too, but its extension host is
 * gone before this delay is over: the stream is then left to the daemon,
 * which keeps an exec or attach session 60 s for a client that comes back
 * (docs/protocol.md, Lifetime), and the next window takes it back.
 */
export const CLOSE_DELAY_MS = 1_000;

export interface StreamTerminalOptions {
  connection: RuntimeConnection;
  /** Opens the daemon stream once the terminal knows its size. */
  open(dimensions: vscode.TerminalDimensions | undefined): Promise<StreamInfo>;
  /** Forward keystrokes (exec, attach) or not (logs). */
  interactive: boolean;
  log: (line: string) => void;
  /** A shell or attach session the next window of this workspace takes back after a reload. */
  resumable?: { sessions: TerminalSessions; title: string; icon: string };
  /** What the stream sent before this terminal opened (a re-attached session's replay), written first. */
  replay?: () => { text: string; end?: StreamEnd };
}

/**
 * An integrated terminal backed by a daemon stream: bytes from the container
 * are written to it, keystrokes and size changes go back. No docker CLI, no
 * local shell. Closing the terminal closes the stream.
 */
export class StreamTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private stream?: StreamInfo;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly decoder = new TextDecoder();
  private ended = false;

  constructor(private readonly options: StreamTerminalOptions) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    const { connection } = this.options;
    // Subscribe before asking, so the first bytes are not missed; keep only ours once the id is known.
    const early: { streamId: string; text: string }[] = [];
    const earlyEnds: StreamEnd[] = [];
    this.unsubscribe.push(
      connection.onNotification('stream.data', (message) => {
        const text = streamText(message, this.decoder);
        if (text === undefined) return;
        if (!this.stream) early.push({ streamId: message.streamId, text });
        else if (message.streamId === this.stream.streamId) this.write(text);
      }),
      connection.onNotification('stream.end', (end) => {
        if (!this.stream) earlyEnds.push(end);
        else if (end.streamId === this.stream.streamId) this.finish(end);
      }),
    );
    const replayed = this.options.replay?.();
    this.options.open(dimensions).then(
      (stream) => {
        this.stream = stream;
        if (replayed?.text) this.write(replayed.text);
        for (const chunk of early) if (chunk.streamId === stream.streamId) this.write(chunk.text);
        const end = replayed?.end ?? earlyEnds.find((candidate) => candidate.streamId === stream.streamId);
        if (end) this.finish(end);
        else if (this.options.resumable) {
          const { sessions, title, icon } = this.options.resumable;
          sessions.remember({ streamId: stream.streamId, title, icon });
        }
      },
      (error: Error) => {
        this.written.fire(`\x1b[31m${error.message}\x1b[0m\r\n`);
        this.finish(undefined);
      },
    );
  }

  handleInput(data: string): void {
    // The end line offers "press any key": the key closes the terminal.
    if (this.ended) return this.closed.fire();
    if (!this.options.interactive || !this.stream) return;
    this.options.connection.request('stream.write', { streamId: this.stream.streamId, data }).catch((error: Error) => this.options.log(`stream.write failed: ${error.message}`));
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    if (!this.stream?.tty || this.ended) return;
    this.options.connection.request('stream.resize', { streamId: this.stream.streamId, cols: dimensions.columns, rows: dimensions.rows }).catch(() => undefined);
  }

  close(): void {
    this.dispose();
    const stream = this.stream;
    if (!stream || this.ended) return;
    const closeStream = () => {
      this.options.resumable?.sessions.forget(stream.streamId);
      this.options.connection.request('stream.close', { streamId: stream.streamId }).catch(() => undefined);
    };
    // A window reloading closes its terminals too; its sessions must outlive that (see CLOSE_DELAY_MS).
    if (this.options.resumable) setTimeout(closeStream, CLOSE_DELAY_MS);
    else closeStream();
  }

  private write(text: string): void {
    // Without a TTY the container writes bare \n; the terminal needs \r\n.
    this.written.fire(this.stream?.tty ? text : text.replace(/\r?\n/g, '\r\n'));
  }

  private finish(end: StreamEnd | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stream) this.options.resumable?.sessions.forget(this.stream.streamId);
    if (end) {
      const why = end.reason === 'ended' ? (end.exitCode === undefined ? 'ended' : `exited with code ${end.exitCode}`) : `${end.reason}${end.message ? `: ${end.message}` : ''}`;
      this.written.fire(`\r\n\x1b[2m[${why}; press any key or close this terminal]\x1b[0m\r\n`);
    }
    this.dispose();
  }

  private dispose(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }
}
