import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIST_ARCHIVE_BYTES } from '../../runtime/src/operations/files';
import { RuntimeErrorCode } from '../../runtime/src/protocol/types';
import { refusal, startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';

async function readEvents(response: Promise<AsyncIterable<Buffer>>): Promise<{ Action: string }[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of await response) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { Action: string });
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const text = (content: string) => Buffer.from(content, 'base64').toString('utf8');

describe('container.files: a file explorer through the daemon', () => {
  const engine = useEngine();
  let session: DaemonSession;
  let running = '';
  let stopped = '';

  before(async () => {
    if (!engine.client()) return;
    session = await startDaemonSession('files');
    const made = await session.connection.request('container.create', { image: BASE_IMAGE, cmd: ['sleep', '300'], labels: { [TEST_LABEL]: '1' }, network: 'none', start: true });
    running = made.id;
    stopped = (await session.connection.request('container.create', { image: BASE_IMAGE, cmd: ['true'], labels: { [TEST_LABEL]: '1' }, network: 'none' })).id;
  });
  after(async () => {
    for (const id of [running, stopped]) if (id) await engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    await session?.stop();
  });

  it('lists a folder with types, sizes, modes and link targets, and stats one path', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const etc = await connection.request('container.files.list', { id: running, path: '/etc' });
    const passwd = etc.find((entry) => entry.name === 'passwd');
    assert.equal(passwd?.type, 'file');
    assert.ok((passwd?.size ?? 0) > 0);
    assert.equal(passwd?.mode, 0o644);
    const mtab = etc.find((entry) => entry.name === 'mtab');
    assert.deepEqual([mtab?.type, mtab?.linkTarget], ['symlink', '/proc/mounts']);
    assert.ok(etc.every((entry) => !entry.name.includes('/')), 'only the folder’s own entries');

    const root = await connection.request('container.files.list', { id: running, path: '/' });
    assert.ok(root.some((entry) => entry.name === 'bin' && entry.type === 'directory'));
    assert.ok(root.some((entry) => entry.name === 'etc' && entry.type === 'directory'));

    const stat = await connection.request('container.files.stat', { id: running, path: '/etc' });
    assert.deepEqual([stat.name, stat.type, stat.mode], ['etc', 'directory', 0o755]);
    assert.ok(Math.abs(stat.mtime - Date.now()) < 24 * 3600 * 1000 * 365 * 5);
  });

  it('writes, reads back, overwrites, makes folders, renames and deletes', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('container.files.mkdir', { id: running, path: '/work' });
    await connection.request('container.files.write', { id: running, path: '/work/notes.txt', content: b64('first\n') });
    assert.equal(text((await connection.request('container.files.read', { id: running, path: '/work/notes.txt' })).content), 'first\n');

    const exists = await refusal(connection.request('container.files.write', { id: running, path: '/work/notes.txt', content: b64('x'), overwrite: false }));
    assert.equal(exists.code, RuntimeErrorCode.FileExists);
    await connection.request('container.files.write', { id: running, path: '/work/notes.txt', content: b64('second, longer\n') });
    assert.equal(text((await connection.request('container.files.read', { id: running, path: '/work/notes.txt' })).content), 'second, longer\n');
    const notCreated = await refusal(connection.request('container.files.write', { id: running, path: '/work/new.txt', content: b64('x'), create: false }));
    assert.equal(notCreated.code, RuntimeErrorCode.FileNotFound);

    // A name a shell would act on stays a name: argv arrays, never a shell line.
    const odd = '/work/a file; touch pwned $(id) `id`';
    await connection.request('container.files.rename', { id: running, from: '/work/notes.txt', to: odd });
    assert.deepEqual((await connection.request('container.files.list', { id: running, path: '/work' })).map((entry) => entry.name), ['a file; touch pwned $(id) `id`']);
    await connection.request('container.files.write', { id: running, path: '/work/other.txt', content: b64('other') });
    const clash = await refusal(connection.request('container.files.rename', { id: running, from: '/work/other.txt', to: odd }));
    assert.equal(clash.code, RuntimeErrorCode.FileExists);
    await connection.request('container.files.rename', { id: running, from: '/work/other.txt', to: odd, overwrite: true });
    assert.equal(text((await connection.request('container.files.read', { id: running, path: odd })).content), 'other');

    const notEmpty = await refusal(connection.request('container.files.delete', { id: running, path: '/work' }));
    assert.match(notEmpty.message, /rmdir failed/);
    await connection.request('container.files.delete', { id: running, path: odd });
    await connection.request('container.files.mkdir', { id: running, path: '/work/sub' });
    await connection.request('container.files.write', { id: running, path: '/work/sub/deep.txt', content: b64('deep') });
    await connection.request('container.files.delete', { id: running, path: '/work', recursive: true });
    const gone = await refusal(connection.request('container.files.stat', { id: running, path: '/work' }));
    assert.equal(gone.code, RuntimeErrorCode.FileNotFound);
  });

  it('lists a folder too large to read whole the same way, by asking the running container for names', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('container.files.mkdir', { id: running, path: '/big' });
    const big = Buffer.alloc(LIST_ARCHIVE_BYTES + 1024, 'b');
    await connection.request('container.files.write', { id: running, path: '/big/a-large.bin', content: big.toString('base64') });
    await connection.request('container.files.write', { id: running, path: '/big/z-small.txt', content: b64('small') });
    await connection.request('container.files.mkdir', { id: running, path: '/big/m-folder' });
    const since = Math.floor(Date.now() / 1000) - 1;
    const listed = await connection.request('container.files.list', { id: running, path: '/big' });
    const filters = encodeURIComponent(JSON.stringify({ container: [running], event: ['exec_create'] }));
    const events = await readEvents(engine.client().stream(`/events?since=${since}&until=${Math.ceil(Date.now() / 1000) + 1}&filters=${filters}`));
    assert.ok(events.some((event) => event.Action.startsWith('exec_create: find /big')), `the container was asked for the names: ${JSON.stringify(events.map((e) => e.Action))}`);
    assert.deepEqual(
      listed.map((entry) => [entry.name, entry.type, entry.type === 'file' ? entry.size : 0, entry.mode]),
      [
        ['a-large.bin', 'file', big.length, 0o644],
        ['m-folder', 'directory', 0, 0o755],
        ['z-small.txt', 'file', 5, 0o644],
      ],
    );
    // A stopped container has no programs to ask: the same listing comes from the whole archive.
    await connection.request('container.files.mkdir', { id: stopped, path: '/big' });
    await connection.request('container.files.write', { id: stopped, path: '/big/a-large.bin', content: big.toString('base64') });
    assert.deepEqual((await connection.request('container.files.list', { id: stopped, path: '/big' })).map((entry) => [entry.name, entry.size]), [['a-large.bin', big.length]]);
  });

  it('reads and writes a stopped container, and says why it cannot delete there', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    await connection.request('container.files.write', { id: stopped, path: '/tmp/left.txt', content: b64('while stopped') });
    assert.equal(text((await connection.request('container.files.read', { id: stopped, path: '/tmp/left.txt' })).content), 'while stopped');
    const refused = await refusal(connection.request('container.files.delete', { id: stopped, path: '/tmp/left.txt' }));
    assert.match(refused.message, /container is not running; start it first/);
  });

  it('answers missing paths, folders read as files and bad params with their own codes', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session;
    const missing = await refusal(connection.request('container.files.list', { id: running, path: '/no/such/dir' }));
    assert.equal(missing.code, RuntimeErrorCode.FileNotFound);
    assert.match(missing.message, /no such file or folder: \/no\/such\/dir/);
    const folder = await refusal(connection.request('container.files.read', { id: running, path: '/etc' }));
    assert.equal(folder.code, RuntimeErrorCode.FileIsADirectory);
    const notFolder = await refusal(connection.request('container.files.list', { id: running, path: '/etc/passwd' }));
    assert.equal(notFolder.code, RuntimeErrorCode.FileNotADirectory);
    const relative = await refusal(connection.request('container.files.read', { id: running, path: 'etc/passwd' }));
    assert.equal(relative.code, RuntimeErrorCode.InvalidParams);
    assert.match(relative.message, /param "path" must be an absolute path/);
    const root = await refusal(connection.request('container.files.delete', { id: running, path: '/', recursive: true }));
    assert.match(root.message, /param "path" cannot be the root folder/);
    const noContainer = await refusal(connection.request('container.files.list', { id: 'berth-no-such-container', path: '/' }));
    assert.equal(noContainer.code, RuntimeErrorCode.EngineError);
    assert.match(noContainer.message, /No such container/);
  });
});
