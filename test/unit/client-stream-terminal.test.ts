// A shell or attach terminal over a daemon stream (client/src/terminals/
// streamTerminal.ts), driven as VS Code drives a Pseudoterminal, against a
// stand-in connection that records what the terminal asks of the daemon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamEnd, StreamInfo } from '../../runtime/src/protocol/types';
import { installVscodeShim } from '../support/vscodeShim';

installVscodeShim();
// Loaded after the shim, so its `import 'vscode'` gets it.
const { StreamTerminal } = require('../../client/src/terminals/streamTerminal') as typeof import('../../client/src/terminals/streamTerminal');

type Handler = (message: never) => void;

/** The daemon as the terminal sees it: requests recorded, notifications sent by the test. */
class FakeConnection {
  readonly requests: { method: string; params: Record<string, unknown> }[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  onNotification(method: string, handler: Handler): () => void {
    const set = this.handlers.get(method) ?? new Set();
    this.handlers.set(method, set.add(handler));
    return () => set.delete(handler);
  }

  async request(method: string, params: Record<string, unknown>): Promise<Record<string, never>> {
    this.requests.push({ method, params });
    return {};
  }

  notify(method: 'stream.data' | 'stream.end', message: unknown): void {
    for (const handler of this.handlers.get(method) ?? []) handler(message as never);
  }

  sent(method: string): Record<string, unknown>[] {
    return this.requests.filter((entry) => entry.method === method).map((entry) => entry.params);
  }
}

const data = (streamId: string, text: string) => ({ streamId, channel: 'stdout', data: Buffer.from(text).toString('base64') });

/** An opened terminal on stream `s1` (a TTY unless told), with what it wrote and whether it closed. */
async function openTerminal(info: Partial<StreamInfo> = {}) {
  const connection = new FakeConnection();
  const stream: StreamInfo = { streamId: 's1', kind: 'exec', tty: true, stdin: true, ...info };
  const terminal = new StreamTerminal({ connection: connection as never, interactive: true, log: () => undefined, open: async () => stream });
  let shown = '';
  let closed = false;
  terminal.onDidWrite((text) => (shown += text));
  terminal.onDidClose(() => (closed = true));
  terminal.open({ columns: 80, rows: 24 });
  await new Promise((resolve) => setImmediate(resolve));
  return { connection, terminal, shown: () => shown, closed: () => closed };
}

describe('a container terminal over a daemon stream', () => {
  it('passes keystrokes through, Ctrl-C and Ctrl-D included, to the process', async () => {
    const { connection, terminal } = await openTerminal();
    terminal.handleInput('ls\r');
    terminal.handleInput('\x03');
    terminal.handleInput('\x04');
    assert.deepEqual(
      connection.sent('stream.write').map((params) => params.data),
      ['ls\r', '\x03', '\x04'],
    );
  });

  it('follows the panel’s size on a TTY, and sends no size for a stream without one', async () => {
    const tty = await openTerminal();
    tty.terminal.setDimensions({ columns: 132, rows: 40 });
    assert.deepEqual(tty.connection.sent('stream.resize'), [{ streamId: 's1', cols: 132, rows: 40 }]);
    const plain = await openTerminal({ tty: false });
    plain.terminal.setDimensions({ columns: 132, rows: 40 });
    assert.deepEqual(plain.connection.sent('stream.resize'), []);
  });

  it('shows the output, and the exit code when the process ends', async () => {
    const { connection, shown } = await openTerminal();
    connection.notify('stream.data', data('s1', 'hello\r\n'));
    connection.notify('stream.data', data('other', 'not mine\r\n'));
    connection.notify('stream.end', { streamId: 's1', reason: 'ended', exitCode: 130 } satisfies StreamEnd);
    assert.match(shown(), /^hello\r\n/);
    assert.doesNotMatch(shown(), /not mine/);
    assert.match(shown(), /exited with code 130; press any key or close this terminal/);
  });

  it('closes when a key is pressed after the end, as its last line says, sending nothing to the ended stream', async () => {
    const { connection, terminal, closed } = await openTerminal();
    connection.notify('stream.end', { streamId: 's1', reason: 'ended', exitCode: 0 } satisfies StreamEnd);
    assert.equal(closed(), false, 'the end line stays readable until a key is pressed');
    terminal.handleInput('q');
    assert.equal(closed(), true);
    assert.deepEqual(connection.sent('stream.write'), []);
  });

  it('stays open while the process runs, whatever is typed', async () => {
    const { terminal, closed } = await openTerminal();
    terminal.handleInput('q');
    assert.equal(closed(), false);
  });
});
