// A client that stops reading is cut off with close code 1013 and the reason,
// once it leaves more than MAX_BUFFERED_BYTES unread; the daemon's other
// clients are served meanwhile.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket from 'ws';
import { MAX_BUFFERED_BYTES, RpcServer } from '../../runtime/src/server/rpcServer';

const TOKEN = 'f'.repeat(64);

async function connect(port: number): Promise<WebSocket> {
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  return client;
}

function call(client: WebSocket, id: number, method: string): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id !== id) return;
      client.off('message', onMessage);
      resolve(message.result);
    };
    client.on('message', onMessage);
    client.send(JSON.stringify({ jsonrpc: '2.0', id, method }));
  });
}

describe('a client that stops reading', () => {
  it('is closed with 1013 and the reason, while another client is still answered', async () => {
    const rpc = new RpcServer(TOKEN);
    const chunk = 'x'.repeat(1024 * 1024);
    let flooded: WebSocket | undefined;
    rpc.handle('flood', (_params, client) => {
      flooded = client;
      return 'flooding';
    });
    rpc.handle('ping', () => 'pong');
    await new Promise<void>((resolve) => rpc.http.listen(0, '127.0.0.1', resolve));
    const { port } = rpc.http.address() as AddressInfo;
    const slow = await connect(port);
    const other = await connect(port);
    try {
      assert.equal(await call(slow, 1, 'flood'), 'flooding');
      // The slow client stops reading; the daemon keeps writing to it.
      const socket = (slow as unknown as { _socket: Socket })._socket;
      socket.pause();
      const closed = new Promise<{ code: number; reason: string }>((resolve) => slow.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      const server = flooded!;
      for (let sent = 0; server.readyState === server.OPEN && sent <= 2 * MAX_BUFFERED_BYTES; sent += chunk.length) {
        rpc.notify(server, 'stream.data', chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(server.readyState, server.CLOSING, 'the daemon stopped writing to the slow client and is closing it');
      assert.equal(await call(other, 2, 'ping'), 'pong');
      // Reading again, the slow client finds the close frame after what was queued.
      socket.resume();
      assert.deepEqual(await closed, { code: 1013, reason: 'client too slow: more than 32 MiB unread' });
    } finally {
      slow.terminate();
      other.terminate();
      await rpc.close();
    }
  });
});
