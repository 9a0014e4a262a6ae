// The client's Tag, Push and Pull Image… commands, as a user runs them from
// the Images view: the client's real views and commands (VS Code shimmed,
// test/support/vscodeShim.ts) against a real daemon, the machine's engine and
// a private registry (test/support/registry.ts).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSummary } from '../../runtime/src/protocol/types';
import { mirrorDaemon } from '../support/clientMirror';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { PrivateRegistry, registryUnavailable } from '../support/registry';
import { fakeExtensionContext, installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
// Loaded after the shim, so their `import 'vscode'` gets it.
const vscode = require('vscode') as typeof import('vscode');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { ImagesView } = require('../../client/src/views/resourceViews') as typeof import('../../client/src/views/resourceViews');
const { registerResourceCommands } = require('../../client/src/commands/resourceCommands') as typeof import('../../client/src/commands/resourceCommands');
const { registerImageCommands } = require('../../client/src/commands/imageCommands') as typeof import('../../client/src/commands/imageCommands');

/** What the commands showed the user, in the order they showed it. */
interface Shown {
  inputs: { prompt?: string; value?: string; answer: string | undefined }[];
  progress: { title?: string; messages: string[] }[];
  infos: string[];
  warnings: { message: string; choices: string[] }[];
  errors: string[];
}
const nothingShown = (): Shown => ({ inputs: [], progress: [], infos: [], warnings: [], errors: [] });

describe('the client’s image commands tag, push and pull through a private registry', () => {
  const engine = useEngine();
  const unavailable = registryUnavailable();
  const unique = `${process.pid}-${Date.now()}`;
  /** Where the image is made; the tag moves on, leaving it dangling. */
  const scratchRef = `berth-test/client-transfer:${unique}`;
  let registry: PrivateRegistry;
  let session: DaemonSession;
  let state: InstanceType<typeof RuntimeState>;
  let view: InstanceType<typeof ImagesView>;
  /** The image pushed and pulled: a layer of its own on the base image, with no tag at first. */
  let imageId = '';
  /** The image the scratch tag moved to. */
  let movedTo = '';
  /** Containers made here: the one whose file is the layer, and one that keeps the dangling image from others' prunes. */
  const containers: string[] = [];
  /** The container made from the dangling image. */
  let holder = '';
  /** Answers the next input boxes give, in order (undefined: the user pressed Escape). */
  const answers: (string | undefined)[] = [];
  /** Buttons the user clicks on the next warnings, in order. */
  const clicks: (string | undefined)[] = [];
  let shown = nothingShown();
  const remoteRepository = () => `${registry.host}/berth-test/client-push`;
  const remoteRef = () => `${remoteRepository()}:1`;

  const skip = (t: { skip(message: string): void }) => {
    if (engine.missing(t)) return true;
    if (!unavailable) return false;
    t.skip(`NO PRIVATE REGISTRY: ${unavailable}`);
    return true;
  };

  /** Resolves once the Images view, redrawing on its own, satisfies `test`. */
  const viewShows = (test: () => boolean, what: string, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`timed out waiting for the Images view to show ${what}; it shows ${describeView()}`));
      }, timeoutMs);
      const subscription = view.onDidChangeTreeData(() => {
        if (!test()) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });

  const repositoryRow = (repository: string) => view.getChildren().find((row) => row.kind === 'repository' && row.repository === repository);
  const tagRow = (repository: string, tag: string) => {
    const parent = repositoryRow(repository);
    return parent ? view.getChildren(parent).find((row) => row.kind === 'tag' && row.tag === tag) : undefined;
  };
  const describeView = () =>
    view
      .getChildren()
      .map((row) => (row.kind === 'repository' ? `${row.repository} [${row.tags.map(({ tag }) => tag).join(', ')}]` : row.kind))
      .join('; ');
  const command = (id: string) => {
    const run = record.commands.get(id);
    assert.ok(run, `${id} is registered`);
    return run;
  };
  const engineImages = () => engine.client().json<{ Id: string; RepoTags: string[] | null }[]>('GET', '/images/json');
  const engineHas = async (ref: string) => (await engineImages()).some((image) => image.RepoTags?.includes(ref));

  before(async () => {
    if (!engine.client() || unavailable) {
      if (unavailable && process.env.CI === 'true') throw new Error(`CI=true but a private registry cannot run: ${unavailable}`);
      return;
    }
    registry = await PrivateRegistry.start();
    session = await startDaemonSession('client-image-transfer');
    const { connection } = session;

    state = new RuntimeState();
    const window = vscode.window as unknown as Record<string, unknown>;
    window.showInputBox = async (options: { prompt?: string; value?: string; validateInput?: (value: string) => unknown }) => {
      assert.ok(answers.length > 0, `an input box nobody expected: ${options.prompt}`);
      const answer = answers.shift();
      if (answer !== undefined) assert.equal(await options.validateInput?.(answer), undefined, `the input box accepts ${answer}`);
      shown.inputs.push({ prompt: options.prompt, value: options.value, answer });
      return answer;
    };
    window.withProgress = async (options: { title?: string }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
      const entry = { title: options.title, messages: [] as string[] };
      shown.progress.push(entry);
      const progress = { report: (value: { message?: string }) => value.message && entry.messages.push(value.message) };
      const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
      return task(progress, token);
    };
    window.showInformationMessage = async (message: string) => void shown.infos.push(message);
    window.showWarningMessage = async (message: string, ...choices: string[]) => {
      shown.warnings.push({ message, choices });
      return clicks.shift();
    };
    window.showErrorMessage = async (message: string) => void shown.errors.push(message);

    await mirrorDaemon(state, connection);
    await connection.request('state.subscribe', { kinds: ['image'] });
    const context = fakeExtensionContext('/nonexistent') as never;
    const log = (line: string) => void record.output.push(line);
    registerResourceCommands(context, state, log);
    registerImageCommands(context, state, log);
    view = new ImagesView(state);

    // A layer of its own on the base image, so pulling it back must download it.
    const client = engine.client();
    const create = async (image: string, cmd: string[]) => {
      const { Id } = await client.json<{ Id: string }>('POST', '/containers/create', { Image: image, Cmd: cmd, Labels: { [TEST_LABEL]: unique } });
      containers.push(Id);
      return Id;
    };
    const writer = await create(BASE_IMAGE, ['sh', '-c', `echo ${unique} > /berth-client-transfer`]);
    await client.json('POST', `/containers/${writer}/start`);
    await client.json('POST', `/containers/${writer}/wait`);
    const commit = async () => (await client.json<{ Id: string }>('POST', `/commit?container=${writer}&repo=${encodeURIComponent(scratchRef.split(':')[0]!)}&tag=${encodeURIComponent(unique)}`, { Labels: { [TEST_LABEL]: unique } })).Id;
    imageId = await commit();
    // Dangling as a fresh commit is, without a moment in which a prune elsewhere could take it: a
    // container holds it before its tag moves on to a second commit.
    holder = await create(imageId, ['true']);
    movedTo = await commit();
    await client.json('DELETE', `/images/${encodeURIComponent(scratchRef)}`);
  });

  after(async () => {
    const client = engine.client();
    if (client && registry) {
      for (const id of containers) await client.json('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      for (const ref of [remoteRef(), scratchRef]) await client.json('DELETE', `/images/${encodeURIComponent(ref)}`).catch(() => undefined);
      for (const id of [imageId, movedTo]) if (id) await client.json('DELETE', `/images/${id}?force=1`).catch(() => undefined);
    }
    await session?.stop();
    await registry?.stop();
  });

  beforeEach(() => {
    shown = nothingShown();
    answers.length = 0;
    clicks.length = 0;
  });

  it('offers Tag… when Push is run on a dangling image, and tags it from its row', async (t) => {
    if (skip(t)) return;
    const danglingRow = () => view.getChildren().find((row) => row.kind === 'dangling' && row.image.id === imageId);
    await viewShows(() => danglingRow() !== undefined, `the dangling image ${imageId}`);
    clicks.push('Tag…');
    answers.push(remoteRef());

    await command('berth.image.push')(danglingRow());
    assert.deepEqual(shown.progress, [], 'nothing is pushed');
    assert.equal(shown.warnings.length, 1, 'the user is told why nothing is pushed');
    assert.ok(shown.warnings[0]!.message.includes(imageId.slice('sha256:'.length, 'sha256:'.length + 12)), `the warning names the image: ${shown.warnings[0]!.message}`);
    assert.match(shown.warnings[0]!.message, /no name to push under.*Tag it first/);
    assert.deepEqual(shown.warnings[0]!.choices, ['Tag…']);
    assert.equal(shown.inputs.length, 1, 'Tag… asks for the new name');
    assert.equal(shown.inputs[0]!.value, '', 'a dangling image has no name to start from');
    assert.ok(shown.inputs[0]!.prompt?.includes(imageId), `the prompt names the image being tagged: ${shown.inputs[0]!.prompt}`);
    assert.deepEqual(shown.errors, []);

    await viewShows(() => tagRow(remoteRepository(), '1') !== undefined, `${remoteRepository()} with tag 1`);
    assert.equal((tagRow(remoteRepository(), '1') as { image: ImageSummary }).image.id, imageId, 'the new tag is on the image of the row');
    assert.equal(danglingRow(), undefined, 'the image is no longer dangling');
    assert.ok(await engineHas(remoteRef()), 'the engine has the new tag');
  });

  it('pushes from the Images row with progress, reports success, and the registry lists the tag', async (t) => {
    if (skip(t)) return;
    if (!(await engineHas(remoteRef()))) await engine.client().json('POST', `/images/${imageId}/tag?repo=${encodeURIComponent(remoteRepository())}&tag=1`);
    await viewShows(() => tagRow(remoteRepository(), '1') !== undefined, `${remoteRepository()} with tag 1`);
    const row = tagRow(remoteRepository(), '1')!;
    record.output.length = 0;

    await command('berth.image.push')(row);
    assert.deepEqual(shown.errors, [], 'no error shown');
    assert.deepEqual(shown.inputs, [], 'a push from a row asks nothing');
    assert.equal(shown.progress.length, 1, 'one progress notification');
    assert.equal(shown.progress[0]!.title, `Pushing ${remoteRef()}`);
    assert.ok(shown.progress[0]!.messages.length > 0, 'the notification showed the push’s progress');
    const output = record.output.join('');
    assert.match(output, /: Pushed\n/, `the output channel shows each layer pushed:\n${output}`);
    assert.deepEqual(shown.infos, [`Berth: pushed ${remoteRef()}.`]);

    assert.deepEqual(await registry.tags('berth-test/client-push'), ['1']);
  });

  it('pulls a reference typed into Pull Image…, and the Images view shows it without a refresh', async (t) => {
    if (skip(t)) return;
    if ((await registry.tags('berth-test/client-push')).length === 0) {
      t.skip('the registry has nothing to pull: the push test failed');
      return;
    }
    // Gone from the engine entirely, so the pull has a layer to download.
    await engine.client().json('DELETE', `/containers/${holder}?force=1`);
    await engine.client().json('DELETE', `/images/${encodeURIComponent(remoteRef())}`);
    assert.ok(!(await engineImages()).some((image) => image.Id === imageId), 'the image is gone from the engine before the pull');
    await viewShows(() => repositoryRow(remoteRepository()) === undefined, `no ${remoteRepository()}`);
    record.output.length = 0;
    answers.push(` ${remoteRef()} `);

    await command('berth.image.pull')();
    assert.deepEqual(shown.errors, [], 'no error shown');
    assert.equal(shown.inputs.length, 1, 'Pull Image… asks for the reference');
    assert.equal(shown.progress[0]?.title, `Pulling ${remoteRef()}`);
    const output = record.output.join('');
    assert.match(output, /: Pull complete\n/, `the layer only the registry had is downloaded:\n${output}`);
    assert.deepEqual(shown.infos, [`Berth: pulled ${remoteRef()}.`]);

    await viewShows(() => tagRow(remoteRepository(), '1') !== undefined, `${remoteRepository()} with tag 1`);
    const row = tagRow(remoteRepository(), '1') as { image: ImageSummary };
    assert.equal(row.image.id, imageId, 'the pulled image is the one pushed');
    const item = view.getTreeItem(repositoryRow(remoteRepository())!) as { label: unknown; description?: string };
    assert.equal(item.label, remoteRepository());
    assert.equal(item.description, '1 tag');
  });

  it('shows an error naming the reference when the registry does not have it', async (t) => {
    if (skip(t)) return;
    const missing = `${remoteRepository()}:missing-${unique}`;
    answers.push(missing);

    await command('berth.image.pull')();
    assert.deepEqual(shown.infos, [], 'no success reported');
    assert.equal(shown.errors.length, 1, `one error shown: ${JSON.stringify(shown.errors)}`);
    assert.ok(shown.errors[0]!.includes(missing), `the error names ${missing}: ${shown.errors[0]}`);
    assert.ok(!(await engineHas(missing)));
  });
});
