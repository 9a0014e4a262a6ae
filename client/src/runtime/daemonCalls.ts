import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StreamData, StreamEnd } from '../../../runtime/src/protocol/types';
import type { RuntimeState } from './runtimeState';

/** The daemon connection, or an error a user can act on. */
export function connectionOf(state: RuntimeState): RuntimeConnection {
  const current = state.daemonState;
  if (current.kind !== 'connected') throw new Error('the Berth daemon is not connected (see the Engines view)');
  return current.connection;
}

/**
 * The daemon connection once there is one: for work that arrives before the
 * daemon is up (a container folder restored when a window opens), rather
 * than failing at once.
 */
export function whenConnected(state: RuntimeState, timeoutMs = 15_000): Promise<RuntimeConnection> {
  const now = state.daemonState;
  if (now.kind === 'connected') return Promise.resolve(now.connection);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the Berth daemon did not connect within ${Math.round(timeoutMs / 1000)} s (see the Engines view)`));
    }, timeoutMs);
    const subscription = state.onDidChange(() => {
      const current = state.daemonState;
      if (current.kind === 'starting') return;
      clearTimeout(timer);
      subscription.dispose();
      if (current.kind === 'connected') resolve(current.connection);
      else reject(new Error(`the Berth daemon is not running: ${current.reason}`));
    });
  });
}

/** How a stream ended: its stream.end without the id (a build's `imageId` or failing `line`, a tool's `exitCode`). */
export type StreamOutcome = Omit<StreamEnd, 'streamId'>;

/** Text of one stream.data: base64 bytes on stdout/stderr, text lines on progress streams, nothing for stats samples. */
export function streamText(message: StreamData, decoder: { decode(input: Uint8Array, options?: { stream?: boolean }): string }): string | undefined {
  if (message.channel === 'stats') return undefined;
  if (message.channel === 'progress') return message.data;
  return decoder.decode(Buffer.from(message.data, 'base64'), { stream: true });
}

/**
 * Opens a stream and passes its text on until it ends. Subscribes before
 * asking, so the first lines are not lost. `cancel` closes the stream.
 */
export function followStream(
  connection: RuntimeConnection,
  open: () => Promise<{ streamId: string }>,
  onText: (text: string) => void,
  cancel?: { onCancellationRequested(listener: () => void): unknown },
): Promise<StreamOutcome> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let streamId: string | undefined;
    const early: { streamId: string; text: string }[] = [];
    const earlyEnds: StreamEnd[] = [];
    let done = false;
    const finish = (outcome: StreamOutcome) => {
      if (done) return;
      done = true;
      stopData();
      stopEnd();
      resolve(outcome);
    };
    const stopData = connection.onNotification('stream.data', (message) => {
      const text = streamText(message, decoder);
      if (text === undefined) return;
      if (!streamId) early.push({ streamId: message.streamId, text });
      else if (message.streamId === streamId) onText(text);
    });
    const stopEnd = connection.onNotification('stream.end', (end) => {
      if (!streamId) earlyEnds.push(end);
      else if (end.streamId === streamId) finish(end);
    });
    cancel?.onCancellationRequested(() => {
      if (streamId) connection.request('stream.close', { streamId }).catch(() => undefined);
    });
    open().then(
      (stream) => {
        streamId = stream.streamId;
        for (const chunk of early) if (chunk.streamId === streamId) onText(chunk.text);
        const end = earlyEnds.find((candidate) => candidate.streamId === streamId);
        if (end) finish(end);
      },
      (error: Error) => {
        done = true;
        stopData();
        stopEnd();
        reject(error);
      },
    );
  });
}
