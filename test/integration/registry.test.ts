import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { StateChange } from '../../runtime/src/protocol/types';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { PrivateRegistry, registryUnavailable } from '../support/registry';

/** The first image change that satisfies `test`, or a failure after `timeoutMs`. */
function imageChange(connection: RuntimeConnection, test: (change: StateChange<'image'>) => boolean, what: string, timeoutMs = 15_000): Promise<StateChange<'image'>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} in the live model`));
    }, timeoutMs);
    const stop = connection.onNotification('state.changed', (change) => {
      if (change.kind !== 'image' || !test(change as StateChange<'image'>)) return;
      clearTimeout(timer);
      stop();
      resolve(change as StateChange<'image'>);
    });
  });
}

describe('image push and pull against a private registry through the daemon', () => {
  const engine = useEngine();
  const unavailable = registryUnavailable({ auth: true });
  let session: DaemonSession;
  let open: PrivateRegistry;
  let guarded: PrivateRegistry;
  const unique = `${process.pid}-${Date.now()}`;
  const user = { username: 'berth', password: `pw-${unique}` };
  /** Every image reference this file creates on the engine, removed afterwards. */
  const refs: string[] = [];
  const containers: string[] = [];
  const configDir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
  const savedDockerConfig = process.env.DOCKER_CONFIG;
  let imageId = '';

  /** The docker CLI's config.json the daemon (in this process) reads credentials from. */
  const useCredentials = (auths: Record<string, { auth: string }>) => {
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths }));
    process.env.DOCKER_CONFIG = configDir;
  };
  const basic = (username: string, password: string) => ({ auth: Buffer.from(`${username}:${password}`).toString('base64') });

  /** Tags an image (by default this file's own, a layer of its own on the base image) as `ref`. */
  const tagAs = async (ref: string, image = imageId) => {
    const colon = ref.lastIndexOf(':');
    refs.push(ref);
    await engine.client().json('POST', `/images/${encodeURIComponent(image)}/tag?repo=${encodeURIComponent(ref.slice(0, colon))}&tag=${encodeURIComponent(ref.slice(colon + 1))}`);
  };

  const skip = (t: { skip(message: string): void }) => {
    if (engine.missing(t)) return true;
    if (!unavailable) return false;
    t.skip(`NO PRIVATE REGISTRY: ${unavailable}`);
    return true;
  };

  before(async () => {
    if (!engine.client()) return;
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`CI=true but a private registry cannot run: ${unavailable}`);
      process.stderr.write(`\n*** NO PRIVATE REGISTRY: ${unavailable}; registry tests skipped ***\n\n`);
      return;
    }
    // One after the other, so that `after` stops whichever started if the other fails.
    open = await PrivateRegistry.start();
    guarded = await PrivateRegistry.start({ user });
    session = await startDaemonSession('image-transfer');
    await session.connection.request('state.subscribe', { kinds: ['image'] });
    // An image with a layer nobody else has, so pulling it back must download that layer.
    const client = engine.client();
    const { Id: container } = await client.json<{ Id: string }>('POST', '/containers/create', {
      Image: BASE_IMAGE,
      Cmd: ['sh', '-c', `echo ${unique} > /berth-unique`],
      Labels: { [TEST_LABEL]: '1' },
    });
    containers.push(container);
    await client.json('POST', `/containers/${container}/start`);
    await client.json('POST', `/containers/${container}/wait`);
    ({ Id: imageId } = await client.json<{ Id: string }>('POST', `/commit?container=${container}`, { Labels: { [TEST_LABEL]: '1' } }));
  });

  after(async () => {
    const client = engine.client();
    if (client) {
      for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      for (const ref of refs) await client.json('DELETE', `/images/${encodeURIComponent(ref)}`).catch(() => undefined);
      if (imageId) await client.json('DELETE', `/images/${imageId}?force=1`).catch(() => undefined);
    }
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    rmSync(configDir, { recursive: true, force: true });
    await session?.stop();
    await Promise.all([open?.stop(), guarded?.stop()]);
  });

  it('pushes an image with progress, and the registry then holds its manifest', async (t) => {
    if (skip(t)) return;
    useCredentials({});
    const { connection, progress } = session;
    const ref = `${open.host}/berth-test/pushed:${unique}`;
    await tagAs(ref);

    const push = await connection.request('image.push', { ref });
    assert.equal(push.kind, 'push');
    const end = await progress.end(push.streamId);
    const text = progress.text(push.streamId);
    assert.equal(end.reason, 'completed', `push failed: ${end.error}\n${text}`);
    assert.match(text, /: Pushed\n/, 'each layer reports when it is pushed');
    const digest = /^\S+: digest: (sha256:[0-9a-f]{64}) size: \d+$/m.exec(text)?.[1];
    assert.ok(digest, `the progress ends with the manifest's digest:\n${text}`);

    assert.deepEqual(await open.tags('berth-test/pushed'), [unique]);
    const manifest = await open.get(`/v2/berth-test/pushed/manifests/${unique}`);
    assert.equal(manifest.status, 200);
    assert.equal(`sha256:${createHash('sha256').update(manifest.body).digest('hex')}`, digest, 'the registry serves the manifest the push reported');
  });

  it('pulls an image back with progress, and it appears in the live model', async (t) => {
    if (skip(t)) return;
    useCredentials({});
    const { connection, progress } = session;
    const ref = `${open.host}/berth-test/pushed:${unique}`;
    if ((await open.tags('berth-test/pushed')).length === 0) {
      await tagAs(ref);
      const push = await connection.request('image.push', { ref });
      assert.equal((await progress.end(push.streamId)).reason, 'completed');
    }
    // Gone from the engine entirely, so the pull has its own layer to download.
    for (const id of containers.splice(0)) await engine.client().json('DELETE', `/containers/${id}?force=1`);
    const removed = imageChange(connection, (change) => change.id === imageId && change.action === 'removed', `the removal of ${imageId}`);
    await engine.client().json('DELETE', `/images/${imageId}?force=1`);
    await removed;
    assert.ok(!(await connection.request('images.list', {})).some((image) => image.repoTags.includes(ref)), 'the image is gone before the pull');

    const appeared = imageChange(connection, (change) => change.item?.repoTags.includes(ref) ?? false, ref);
    const pull = await connection.request('image.pull', { ref });
    assert.equal(pull.kind, 'pull');
    const end = await progress.end(pull.streamId);
    const text = progress.text(pull.streamId);
    assert.equal(end.reason, 'completed', `pull failed: ${end.error}\n${text}`);
    assert.match(text, /: Pull complete\n/, 'the layer only the registry had is downloaded');
    assert.match(text, new RegExp(`Downloaded newer image for ${ref.replace(/[.]/g, '\\.')}`));

    const change = await appeared;
    assert.equal(change.action, 'added');
    assert.equal(change.id, imageId, 'the pulled image is the one pushed');
    assert.ok((await connection.request('images.list', {})).some((image) => image.id === imageId && image.repoTags.includes(ref)));
  });

  it('pushes to a registry with basic auth using the docker CLI’s stored credentials', async (t) => {
    if (skip(t)) return;
    const { connection, progress } = session;
    const ref = `${guarded.host}/berth-test/private:${unique}`;
    await tagAs(ref, BASE_IMAGE);
    useCredentials({ [guarded.host]: basic(user.username, user.password) });

    const push = await connection.request('image.push', { ref });
    const end = await progress.end(push.streamId);
    assert.equal(end.reason, 'completed', `push failed: ${end.error}\n${progress.text(push.streamId)}`);
    assert.deepEqual(await guarded.tags('berth-test/private'), [unique]);
    assert.equal((await guarded.get('/v2/berth-test/private/tags/list', { anonymous: true })).status, 401, 'the registry does ask for credentials');

    // And back: the pull asks with the same credentials, and the tag returns to the model.
    const base = (await connection.request('images.list', {})).find((image) => image.repoTags.includes(BASE_IMAGE))!;
    const untagged = imageChange(connection, (change) => change.id === base.id && !(change.item?.repoTags.includes(ref) ?? true), `${ref} untagged`);
    await engine.client().json('DELETE', `/images/${encodeURIComponent(ref)}`);
    await untagged;
    const retagged = imageChange(connection, (change) => change.item?.repoTags.includes(ref) ?? false, ref);
    const pull = await connection.request('image.pull', { ref });
    const pulled = await progress.end(pull.streamId);
    assert.equal(pulled.reason, 'completed', `pull failed: ${pulled.error}\n${progress.text(pull.streamId)}`);
    assert.match(progress.text(pull.streamId), /Status: Downloaded newer image/);
    assert.equal((await retagged).id, base.id, 'the pulled tag is on the base image it was pushed from');
  });

  it('fails a push with a wrong password, or without credentials, naming the registry', async (t) => {
    if (skip(t)) return;
    const { connection, progress } = session;
    const ref = `${guarded.host}/berth-test/refused:${unique}`;
    await tagAs(ref, BASE_IMAGE);

    useCredentials({ [guarded.host]: basic(user.username, 'not-the-password') });
    const wrong = await connection.request('image.push', { ref });
    const wrongEnd = await progress.end(wrong.streamId);
    assert.equal(wrongEnd.reason, 'failed');
    assert.match(wrongEnd.error ?? '', new RegExp(guarded.host.replace(/[.]/g, '\\.')), `the error names the registry: ${wrongEnd.error}`);
    assert.match(wrongEnd.error ?? '', /unauthori[sz]ed|authentication/i);

    useCredentials({});
    const anonymous = await connection.request('image.push', { ref });
    const anonymousEnd = await progress.end(anonymous.streamId);
    assert.equal(anonymousEnd.reason, 'failed');
    assert.match(anonymousEnd.error ?? '', new RegExp(guarded.host.replace(/[.]/g, '\\.')), `the error names the registry: ${anonymousEnd.error}`);
    assert.deepEqual(await guarded.tags('berth-test/refused'), [], 'nothing reached the registry');
  });
});
