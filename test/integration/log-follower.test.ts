import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogFollower } from '../../client/src/terminals/logFollower';
import { logsSoFar } from '../../client/src/terminals/logsSoFar';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('logs that keep following across container restarts', () => {
  const engine = useEngine();
  let session: DaemonSession;
  const unique = `${process.pid}-${Date.now()}`;
  const containers: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    session = await startDaemonSession('log-follower');
  });
  after(async () => {
    const client = engine.client();
    if (client) for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    await session?.stop();
  });

  it('shows each run once with a restart marker between, and ends with a message when the container is removed', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    let text = '';
    let ended: string | undefined;
    const waiters = new Set<() => void>();
    const until = (test: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; logs so far: ${JSON.stringify(text)}`));
        }, 15_000);
        waiters.add(check);
        check();
      });
    const wake = () => {
      for (const waiter of [...waiters]) waiter();
    };

    // Each run prints a token of its own at its start and end, so a line shown twice or lost is noticed.
    const { id } = await connection.request('container.create', {
      image: BASE_IMAGE,
      name: `berth-test-logs-${unique}`,
      cmd: ['sh', '-c', 'run=$(cat /proc/sys/kernel/random/uuid); echo "start $run"; sleep 1; echo "end $run"'],
      labels: { [TEST_LABEL]: unique },
    });
    containers.push(id);
    const follower = new LogFollower({
      connection,
      engine: undefined,
      id,
      timestamps: false,
      write: (chunk) => {
        text += chunk;
        wake();
      },
      onEnd: (why) => {
        ended = why;
        wake();
      },
    });
    try {
      // The engine's own wait answers once a run has stopped, whatever the daemon's model says.
      const exited = () => engine.client().json('POST', `/containers/${id}/wait`);
      follower.start();
      await connection.request('container.start', { id });
      await until(() => /^end /m.test(text), 'the first run to end');
      await exited();

      await connection.request('container.start', { id });
      await until(() => (text.match(/^end /gm) ?? []).length === 2, 'the second run to end');
      await exited();

      const lines = stripAnsi(text).trimEnd().split('\n');
      assert.equal(lines.length, 5, `five lines: ${JSON.stringify(lines)}`);
      const [start1, end1, marker, start2, end2] = lines;
      const token1 = start1.replace(/^start /, '');
      const token2 = start2.replace(/^start /, '');
      assert.match(start1, /^start [0-9a-f-]{36}$/);
      assert.equal(end1, `end ${token1}`);
      assert.match(marker, /^── restarted .+ ──$/);
      assert.match(start2, /^start [0-9a-f-]{36}$/);
      assert.notEqual(token2, token1);
      assert.equal(end2, `end ${token2}`);
      assert.equal(ended, undefined, 'still following while the container is stopped');

      await connection.request('container.remove', { id, force: true });
      await until(() => ended !== undefined, 'the follower to end');
      assert.equal(ended, 'the container was removed');
      assert.match(stripAnsi(text).trimEnd().split('\n').at(-1)!, /container was removed/);
      containers.splice(containers.indexOf(id), 1);
    } finally {
      follower.dispose();
    }
  });

  it('gives the logs so far as plain text for a document, colours stripped, with timestamps when asked', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const { id } = await connection.request('container.create', {
      image: BASE_IMAGE,
      name: `berth-test-logs-doc-${unique}`,
      cmd: ['sh', '-c', "printf '\\033[31mred\\033[0m and plain\\n'; echo second line"],
      tty: true,
      labels: { [TEST_LABEL]: unique },
    });
    containers.push(id);
    await connection.request('container.start', { id });
    await engine.client().json('POST', `/containers/${id}/wait`);

    assert.equal(await logsSoFar(connection, undefined, id, false), 'red and plain\nsecond line\n');
    const stamped = (await logsSoFar(connection, undefined, id, true)).trimEnd().split('\n');
    assert.equal(stamped.length, 2);
    assert.match(stamped[0], /^\d{4}-\d\d-\d\dT\S+Z red and plain$/);
    assert.match(stamped[1], /^\d{4}-\d\d-\d\dT\S+Z second line$/);
  });
});
