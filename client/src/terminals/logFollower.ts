import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StateChange, StateResync } from '../../../runtime/src/protocol/types';
import { followStream, type StreamOutcome } from '../runtime/daemonCalls';

export interface LogFollowerOptions {
  connection: RuntimeConnection;
  engine: string | undefined;
  id: string;
  timestamps: boolean;
  /** Lines of history shown by the first stream only; later runs show everything since the previous one stopped. */
  tail?: number;
  /** Log text as the container wrote it (ANSI colours kept), plus dim marker lines; lines end in `\n`. */
  write(text: string): void;
  /** Following is over for good (container removed, engine gone, daemon stopping); `why` has been written already. */
  onEnd?(why: string): void;
}

type Phase = 'streaming' | 'waiting' | 'done';

/** States a run ends in (`restarting`: the engine's restart policy is about to start the next one). */
const STOPPED_STATES = new Set(['exited', 'dead', 'restarting']);

/**
 * Follows a container's logs across its restarts. When the logs stream ends
 * because the container stopped, it waits for the daemon's live model to
 * report the container running again (no polling; the engine confirms it
 * once, as the model can lag behind a stop), writes a marker line, and
 * re-opens the logs from the moment the container stopped, so each line is
 * shown once. Removal of the container, or a stream failing for another
 * reason, ends it with a message.
 */
export class LogFollower {
  private phase: Phase = 'streaming';
  private streamId: string | undefined;
  private containerState: string | undefined;
  /** Milliseconds: when the current run was first seen to stop (state change or stream end). */
  private stoppedAt: number | undefined;
  private removed = false;
  private confirming = false;
  private confirmAgain = false;
  private endsWithNewline = true;
  private wroteAnything = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: LogFollowerOptions) {}

  /** Subscribes to the container's state, then opens the first logs stream. */
  start(): void {
    const { connection } = this.options;
    this.unsubscribe.push(
      connection.onNotification('state.changed', (change) => {
        if (change.kind === 'container' && this.isOurs(change)) this.onStateChange(change as StateChange<'container'>);
      }),
      connection.onNotification('state.resync', (resync) => {
        if (resync.kind !== 'container' || (this.options.engine !== undefined && resync.engine !== this.options.engine)) return;
        const item = (resync as StateResync<'container'>).items.find((candidate) => candidate.id === this.options.id);
        if (item) this.containerState = item.state;
      }),
    );
    // Subscribing is additive and idempotent in the daemon; the client may not have done it yet.
    connection.request('state.subscribe', { kinds: ['container'] }).catch((error: Error) => this.end(`cannot watch the container for restarts: ${error.message}`));
    this.openRun(undefined);
  }

  /** Stops following (the user closed the view). */
  dispose(): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.stopListening();
    if (this.streamId) this.options.connection.request('stream.close', { streamId: this.streamId }).catch(() => undefined);
  }

  private isOurs(change: StateChange): boolean {
    return change.id === this.options.id && (this.options.engine === undefined || change.engine === this.options.engine);
  }

  private onStateChange(change: StateChange<'container'>): void {
    if (change.action === 'removed') {
      this.removed = true;
      // While streaming, the stream's end (which the removal causes) finishes the job, after its last lines.
      if (this.phase === 'waiting') this.end('the container was removed');
      return;
    }
    const state = change.item?.state;
    if (state === undefined) return;
    this.containerState = state;
    // `created` and `paused` end no run.
    if (STOPPED_STATES.has(state)) this.stoppedAt ??= Date.now();
    else if (state === 'running' && this.phase === 'waiting') this.confirmRestart();
  }

  /**
   * The model can say `running` for a container that has just stopped (it
   * read the container while the engine was still tearing the run down), so
   * the engine is asked once, on that change, before following a new run.
   */
  private confirmRestart(): void {
    if (this.confirming) {
      this.confirmAgain = true;
      return;
    }
    this.confirming = true;
    this.confirmAgain = false;
    const { connection, engine, id } = this.options;
    connection.request('container.inspect', { engine, id }).then(
      (inspected) => {
        this.confirming = false;
        if (this.phase !== 'waiting') return;
        if ((inspected as { State?: { Running?: boolean } }).State?.Running) this.restart();
        else if (this.confirmAgain) this.confirmRestart();
      },
      () => {
        // Gone (its removal ends the follower) or the engine unreachable (the next change asks again).
        this.confirming = false;
      },
    );
  }

  private openRun(since: number | undefined): void {
    const { connection, engine, id, timestamps, tail } = this.options;
    this.phase = 'streaming';
    this.stoppedAt = undefined;
    const open = async () => {
      const stream = await connection.request('container.logs', { engine, id, follow: true, timestamps, ...(since === undefined ? (tail === undefined ? {} : { tail }) : { since }) });
      if (this.phase === 'done') connection.request('stream.close', { streamId: stream.streamId }).catch(() => undefined);
      else this.streamId = stream.streamId;
      return stream;
    };
    followStream(connection, open, (text) => this.phase !== 'done' && this.write(text)).then(
      (outcome) => this.onStreamEnd(outcome),
      (error: Error) => this.end(this.removed ? 'the container was removed' : `cannot read the logs: ${error.message}`),
    );
  }

  private onStreamEnd(outcome: StreamOutcome): void {
    this.streamId = undefined;
    if (this.phase === 'done') return;
    if (this.removed) return this.end('the container was removed');
    if (outcome.reason !== 'ended') return this.end(`logs ${outcome.reason}${outcome.message ? `: ${outcome.message}` : ''}`);
    this.stoppedAt ??= Date.now();
    this.phase = 'waiting';
    // Running again already (a quick restart), or a model that has not seen the stop yet: the engine says which.
    if (this.containerState === 'running') this.confirmRestart();
  }

  private restart(): void {
    const since = (this.stoppedAt ?? Date.now()) / 1000;
    // A container followed before its first start has not restarted: its first run gets no marker.
    if (this.wroteAnything) this.write(`${this.endsWithNewline ? '' : '\n'}\x1b[2m── restarted ${new Date().toLocaleTimeString()} ──\x1b[0m\n`);
    this.openRun(since);
  }

  private write(text: string): void {
    if (!text) return;
    this.endsWithNewline = text.endsWith('\n');
    this.wroteAnything = true;
    this.options.write(text);
  }

  private end(why: string): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.stopListening();
    this.write(`${this.endsWithNewline ? '' : '\n'}\x1b[2m── ${why} ──\x1b[0m\n`);
    this.options.onEnd?.(why);
  }

  private stopListening(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }
}
