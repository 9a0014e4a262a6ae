// Waiting for what the window shows to reach a state, where no event tells a
// test when it has: read, test, read again a moment later, until a deadline.

import assert from 'node:assert/strict';

export interface WaitOptions<T> {
  timeoutMs: number;
  /** The pause between readings. */
  intervalMs?: number;
  /** The assertion message once the deadline passed, from the last reading. */
  failure: (last: T) => string;
  /** Runs once the deadline passed, before the failure (a screenshot). */
  onTimeout?: () => Promise<unknown>;
}

/** Reads until `test` holds and returns that reading; fails the test with `failure(last reading)` after `timeoutMs`. */
export async function waitUntil<T>(read: () => Promise<T>, test: (value: T) => boolean, { timeoutMs, intervalMs = 200, failure, onTimeout }: WaitOptions<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) {
      await onTimeout?.();
      assert.fail(failure(value));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
