import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RuntimeErrorCode, type StateChange } from '../../runtime/src/protocol/types';
import { refusal, startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { TEST_LABEL, useEngine } from '../support/engine';
import { repoRoot } from '../support/paths';

const CONTEXT = join(repoRoot, 'test/fixtures/build-context');

describe('image.build through the daemon', () => {
  const engine = useEngine();
  let session: DaemonSession;
  const unique = `${process.pid}-${Date.now()}`;
  const tag = `berth-test/built:${unique}`;
  const containers: string[] = [];

  before(async () => {
    if (!engine.client()) return;
    session = await startDaemonSession('build');
    await session.connection.request('state.subscribe', { kinds: ['image'] });
  });
  after(async () => {
    const client = engine.client();
    if (client) {
      for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      await client.json('DELETE', `/images/${encodeURIComponent(tag)}?force=1`).catch(() => undefined);
      // The failing build's intermediate images, and anything else a test build left.
      await client.json('POST', `/images/prune?filters=${encodeURIComponent(JSON.stringify({ label: [TEST_LABEL], dangling: ['true'] }))}`).catch(() => undefined);
    }
    await session?.stop();
  });

  it('builds the context without what .dockerignore excludes, tags and labels the image, and the model shows it', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const seen = new Promise<void>((resolve) => {
      const stop = connection.onNotification('state.changed', (change) => {
        const item = (change as StateChange<'image'>).item;
        if (change.kind === 'image' && item?.repoTags.includes(tag)) {
          stop();
          resolve();
        }
      });
    });
    const { streamId, kind } = await connection.request('image.build', {
      context: CONTEXT,
      tags: [tag],
      buildArgs: { GREETING: 'built by berth' },
      labels: { [TEST_LABEL]: '1' },
      network: 'none',
    });
    assert.equal(kind, 'build');
    const end = await progress.end(streamId);
    assert.equal(end.reason, 'completed', `build failed: ${end.error}\n${progress.text(streamId)}`);
    assert.match(end.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.match(progress.text(streamId), /^Step 1\/\d+ : FROM berth-test\/busybox:latest$/m);
    assert.ok(progress.text(streamId).endsWith('\n'), 'progress arrives as whole lines');
    await seen;

    const image = await engine.client().json<{ Id: string; Config: { Labels: Record<string, string> } }>('GET', `/images/${encodeURIComponent(tag)}/json`);
    assert.equal(image.Id, end.imageId);
    assert.equal(image.Config.Labels[TEST_LABEL], '1');

    // What reached the image, seen through the daemon's own file explorer.
    const { id } = await connection.request('container.create', { image: tag, labels: { [TEST_LABEL]: '1' }, network: 'none' });
    containers.push(id);
    const names = (await connection.request('container.files.list', { id, path: '/ctx' })).map((entry) => entry.name);
    assert.deepEqual(names, ['.dockerignore', 'Dockerfile', 'Dockerfile.fail', 'Dockerfile.slow', 'app', 'kept.txt']);
    const nested = await connection.request('container.files.list', { id, path: '/ctx/app' });
    assert.deepEqual(nested.map((entry) => entry.name), ['main.txt']);
    const greeting = await connection.request('container.files.read', { id, path: '/greeting.txt' });
    assert.equal(Buffer.from(greeting.content, 'base64').toString('utf8'), 'built by berth\n');
  });

  it('ends a failing build with the Dockerfile line of the failing instruction', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const { streamId } = await connection.request('image.build', { context: CONTEXT, dockerfile: 'Dockerfile.fail', labels: { [TEST_LABEL]: '1' }, network: 'none' });
    const end = await progress.end(streamId);
    assert.equal(end.reason, 'failed');
    assert.equal(end.line, 6, `the RUN that exits 3 starts on line 6; progress:\n${progress.text(streamId)}`);
    assert.match(end.error ?? '', /returned a non-zero code: 3/);
    assert.match(progress.text(streamId), /about to fail/);
  });

  it('names the failing line in a later stage too, counting steps over the whole file', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const { streamId } = await connection.request('image.build', { context: join(repoRoot, 'test/fixtures/build-stages'), labels: { [TEST_LABEL]: '1' }, network: 'none' });
    const end = await progress.end(streamId);
    assert.equal(end.reason, 'failed');
    assert.equal(end.line, 6, `the RUN that exits 3 starts on line 6; progress:\n${progress.text(streamId)}`);
  });

  it('stops the build when its stream is closed', async (t) => {
    if (engine.missing(t)) return;
    const { connection, progress } = session;
    const { streamId } = await connection.request('image.build', { context: CONTEXT, dockerfile: 'Dockerfile.slow', labels: { [TEST_LABEL]: '1' }, network: 'none' });
    const stepContainer = async () =>
      (await engine.client().json<{ Id: string; Command: string }[]>('GET', '/containers/json')).find((container) => container.Command.includes('berth-slow-step'));
    const deadline = Date.now() + 60_000;
    while (!(await stepContainer())) {
      assert.ok(Date.now() < deadline, `the slow step never started: ${progress.text(streamId)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await connection.request('stream.close', { streamId });
    assert.equal((await progress.end(streamId)).reason, 'closed');
    // The engine cancels a build whose request went away: its step's container stops long before its 120 s.
    const stopBy = Date.now() + 30_000;
    while (await stepContainer()) {
      assert.ok(Date.now() < stopBy, 'the build step still runs 30 s after the stream was closed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('refuses a context or Dockerfile it cannot use, naming the param', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const relative = await refusal(connection.request('image.build', { context: 'test/fixtures/build-context' }));
    assert.equal(relative.code, RuntimeErrorCode.InvalidParams);
    assert.match(relative.message, /param "context" must be an absolute folder/);
    const missing = await refusal(connection.request('image.build', { context: CONTEXT, dockerfile: 'Nope.Dockerfile' }));
    assert.match(missing.message, /param "dockerfile": no file Nope\.Dockerfile/);
    const outside = await refusal(connection.request('image.build', { context: join(CONTEXT, 'app'), dockerfile: '../Dockerfile' }));
    assert.match(outside.message, /param "dockerfile" must be a path inside the context/);
    const badArgs = await refusal(connection.request('image.build', { context: CONTEXT, buildArgs: { N: 1 } as unknown as Record<string, string> }));
    assert.match(badArgs.message, /param "buildArgs" must be an object of string values/);
  });
});
