import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { followStream, streamText } from '../../client/src/runtime/daemonCalls';

/** A daemon connection that delivers the notifications a test pushes, and records requests. */
function fakeConnection() {
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  const requests: { method: string; params: unknown }[] = [];
  const connection = {
    onNotification(method: string, listener: (params: unknown) => void) {
      if (!listeners.has(method)) listeners.set(method, new Set());
      listeners.get(method)!.add(listener);
      return () => listeners.get(method)!.delete(listener);
    },
    async request(method: string, params: unknown) {
      requests.push({ method, params });
      return {};
    },
  } as unknown as RuntimeConnection;
  const push = (method: 'stream.data' | 'stream.end', params: StreamData | StreamEnd) => {
    for (const listener of [...(listeners.get(method) ?? [])]) listener(params);
  };
  return { connection, push, requests, listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0) };
}

describe('following a daemon progress stream', () => {
  it('keeps lines that arrive before the stream id is known, ignores other streams, and ends with the outcome', async () => {
    const { connection, push, listenerCount } = fakeConnection();
    const seen: string[] = [];
    let answer!: (info: { streamId: string }) => void;
    const done = followStream(connection, () => new Promise((resolve) => (answer = resolve)), (text) => seen.push(text));
    // The daemon starts sending before its answer to image.build arrives.
    push('stream.data', { streamId: 's1', channel: 'progress', data: 'Step 1/2 : FROM x\n' });
    push('stream.data', { streamId: 'other', channel: 'progress', data: 'not ours\n' });
    answer({ streamId: 's1' });
    await new Promise((resolve) => setImmediate(resolve));
    push('stream.data', { streamId: 's1', channel: 'stdout', data: Buffer.from('Step 2/2 : RUN y\n').toString('base64') });
    push('stream.end', { streamId: 's1', reason: 'failed', error: 'boom', line: 2 });
    const outcome = await done;
    assert.deepEqual(seen, ['Step 1/2 : FROM x\n', 'Step 2/2 : RUN y\n']);
    assert.equal(outcome.reason, 'failed');
    assert.equal(outcome.line, 2);
    assert.equal(listenerCount(), 0, 'no listener is left behind');
  });

  it('ends at once when the end came before the answer', async () => {
    const { connection, push } = fakeConnection();
    let answer!: (info: { streamId: string }) => void;
    const done = followStream(connection, () => new Promise((resolve) => (answer = resolve)), () => undefined);
    push('stream.end', { streamId: 's2', reason: 'completed', imageId: 'sha256:abc' });
    answer({ streamId: 's2' });
    assert.deepEqual(await done, { streamId: 's2', reason: 'completed', imageId: 'sha256:abc' });
  });

  it('closes the stream when the user cancels', async () => {
    const { connection, push, requests } = fakeConnection();
    let cancel!: () => void;
    const done = followStream(connection, async () => ({ streamId: 's3' }), () => undefined, { onCancellationRequested: (listener) => (cancel = listener) });
    await new Promise((resolve) => setImmediate(resolve));
    cancel();
    assert.deepEqual(requests, [{ method: 'stream.close', params: { streamId: 's3' } }]);
    push('stream.end', { streamId: 's3', reason: 'closed' });
    assert.equal((await done).reason, 'closed');
  });

  it('passes an error opening the stream on, and reads no stats sample as text', async () => {
    const { connection, listenerCount } = fakeConnection();
    await assert.rejects(followStream(connection, async () => Promise.reject(new Error('no compose tool found')), () => undefined), /no compose tool/);
    assert.equal(listenerCount(), 0);
    const decoder = new TextDecoder();
    assert.equal(streamText({ streamId: 'x', channel: 'stats', data: {} as never }, decoder), undefined);
    assert.equal(streamText({ streamId: 'x', channel: 'stderr', data: Buffer.from('é').toString('base64') }, decoder), 'é');
  });
});
