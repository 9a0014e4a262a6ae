// An engine that takes a request and never answers (hung, or a socket that is
// not an engine's): the call ends after its timeout with a message saying so,
// not a hang, and not "cannot connect".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';

describe('an engine that does not answer', () => {
  it('ends a call after its timeout, naming the request and the wait', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-silent-engine-'));
    const socketPath = join(dir, 'engine.sock');
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    const client = new EngineHttpClient({ url: `unix://${socketPath}`, source: 'test', socketPath });
    try {
      const started = Date.now();
      await assert.rejects(client.json('GET', '/containers/json?all=1', undefined, 300), {
        message: `unix://${socketPath} did not answer GET /containers/json within 0.3 s`,
      });
      assert.ok(Date.now() - started < 5000, 'the call ended soon after its timeout');
      assert.equal(accepted.length, 1, 'the request reached the socket');
    } finally {
      client.dispose();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
