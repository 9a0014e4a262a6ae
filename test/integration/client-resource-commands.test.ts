// Commands on the rows of the Networks, Containers and Images views:
// connecting a container to a network and disconnecting it, removing several
// selected images at once, an image command on a repository's row, and
// stopping and starting several selected containers. The client's real commands (VS Code shimmed,
// test/support/vscodeShim.ts) against a real daemon and the machine's engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, ImageSummary, NetworkSummary } from '../../runtime/src/protocol/types';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { mirrorDaemon, untilMirror } from '../support/clientMirror';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { fakeExtensionContext, installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
// Loaded after the shim, so their `import 'vscode'` gets it.
const vscode = require('vscode') as typeof import('vscode');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { registerResourceCommands } = require('../../client/src/commands/resourceCommands') as typeof import('../../client/src/commands/resourceCommands');

describe('resource commands on view rows', () => {
  const engine = useEngine();
  const unique = `${process.pid}-${Date.now()}`;
  const networkName = `berth-test-net-${unique}`;
  const containerName = `berth-test-netc-${unique}`;
  let session: DaemonSession | undefined;
  let state: InstanceType<typeof RuntimeState>;
  let engineId = '';
  let networkId = '';
  let containerId = '';
  /** What each quick pick offered (labels), and the label the test picks next. */
  const offered: string[][] = [];
  let choose = '';
  const asked: string[] = [];
  let confirm: string | undefined;
  const errors: string[] = [];

  /** Resolves once the client's mirror satisfies `test` (it follows the daemon's notifications). */
  const until = (test: () => boolean, what: string, timeoutMs?: number) => untilMirror(state, test, what, timeoutMs);

  const network = () => state.items('network', engineId).find((candidate) => candidate.id === networkId);
  const container = () => state.items('container', engineId).find((candidate) => candidate.id === containerId);
  /** The engine's own answer: is the container on the network? */
  const attachedOnEngine = async () => {
    const inspect = await engine.client().json<{ NetworkSettings: { Networks: Record<string, unknown> } }>('GET', `/containers/${containerId}/json`);
    return Object.keys(inspect.NetworkSettings.Networks).includes(networkName);
  };
  const images = () => state.items('image', engineId);
  const tagged = (name: string) => images().find((image) => image.repoTags.includes(name));
  const repository = `berth-test-bulk-${unique}`;
  const command = (id: string) => {
    const run = record.commands.get(id);
    assert.ok(run, `${id} is registered`);
    return run;
  };

  before(async () => {
    const client = engine.client();
    if (!client) return;
    session = await startDaemonSession('network-commands');
    const { connection } = session;
    state = new RuntimeState();
    const window = vscode.window as unknown as Record<string, unknown>;
    window.showQuickPick = async (items: { label: string }[]) => {
      offered.push(items.map((item) => item.label));
      return items.find((item) => item.label === choose);
    };
    window.showWarningMessage = async (message: string) => {
      asked.push(message);
      return confirm;
    };
    window.showErrorMessage = async (message: string) => void errors.push(message);
    window.showInformationMessage = async (message: string) => void asked.push(message);
    await mirrorDaemon(state, connection);
    engineId = state.activeEngine!.id;
    await connection.request('state.subscribe', { kinds: ['container', 'network', 'image'] });
    registerResourceCommands(fakeExtensionContext('/nonexistent') as never, state, () => undefined);

    networkId = (await client.json<{ Id: string }>('POST', '/networks/create', { Name: networkName, Labels: { [TEST_LABEL]: unique } })).Id;
    containerId = (await connection.request('container.create', { image: BASE_IMAGE, name: containerName, cmd: ['sleep', '300'], labels: { [TEST_LABEL]: unique }, start: true })).id;
    await until(() => Boolean(network()) && container()?.state === 'running', 'the network and the running container in the mirror');
  });

  after(async () => {
    const client = engine.client();
    if (client && session) {
      if (containerId) await client.json('DELETE', `/containers/${containerId}?force=1`).catch(() => undefined);
      if (networkId) await client.json('DELETE', `/networks/${networkId}`).catch(() => undefined);
      for (const name of [`${repository}:one`, `${repository}:two`, `${repository}-solo:only`]) await client.json('DELETE', `/images/${encodeURIComponent(name)}`).catch(() => undefined);
    }
    await session?.stop();
  });

  it('connects the container picked from the network’s row, offering only containers not on it', async (t) => {
    if (engine.missing(t)) return;
    offered.length = 0;
    choose = containerName;
    await command('berth.network.connect')({ ...network()!, engine: engineId } satisfies NetworkSummary & { engine: string });
    assert.deepEqual(errors, []);
    assert.ok(offered[0]?.includes(containerName), `the container is offered: ${JSON.stringify(offered)}`);
    await until(() => network()?.containers.includes(containerId) ?? false, 'the Networks row to list the container');
    assert.equal(await attachedOnEngine(), true);

    // Now on it: the same row offers it no more.
    offered.length = 0;
    choose = '';
    await command('berth.network.connect')({ ...network()!, engine: engineId });
    assert.ok(!offered.flat().includes(containerName), `a connected container is not offered again: ${JSON.stringify(offered)}`);
  });

  it('disconnects from the container’s row only once the user confirms, offering only networks it is on', async (t) => {
    if (engine.missing(t)) return;
    const row = { kind: 'container', container: container()!, engine: engineId } satisfies { kind: 'container'; container: ContainerSummary; engine: string };
    offered.length = asked.length = 0;
    choose = networkName;
    confirm = undefined;
    await command('berth.network.disconnect')(row);
    assert.deepEqual(asked, [`Disconnect ${containerName} from network ${networkName}?`]);
    assert.ok(offered[0]?.includes(networkName) && offered[0].includes('bridge'), `the networks it is on are offered: ${JSON.stringify(offered)}`);
    assert.ok(!offered[0]!.includes('host') && !offered[0]!.includes('none'), 'networks it is not on are not offered');
    assert.equal(await attachedOnEngine(), true, 'still connected after the question was dismissed');

    confirm = 'Disconnect';
    await command('berth.network.disconnect')(row);
    await until(() => !(network()?.containers.includes(containerId) ?? true), 'the Networks row to drop the container');
    assert.equal(await attachedOnEngine(), false);
    assert.deepEqual(errors, []);
  });

  it('removes every selected image once the user confirms, naming them, and keeps the rest', async (t) => {
    if (engine.missing(t)) return;
    const client = engine.client();
    for (const tag of ['one', 'two']) await client.json('POST', `/images/${encodeURIComponent(BASE_IMAGE)}/tag?repo=${encodeURIComponent(repository)}&tag=${tag}`);
    await until(() => Boolean(tagged(`${repository}:one`) && tagged(`${repository}:two`)), 'both tags in the Images mirror');
    const row = (tag: string) => ({ kind: 'tag', repository, tag, image: tagged(`${repository}:${tag}`)!, engine: engineId }) satisfies { kind: 'tag'; repository: string; tag: string; image: ImageSummary; engine: string };
    const [one, two] = [row('one'), row('two')];

    asked.length = 0;
    confirm = undefined;
    await command('berth.image.remove')(one, [one, two]);
    assert.deepEqual(asked, ['Remove 2 images?']);
    assert.ok(tagged(`${repository}:two`), 'nothing removed when the question is dismissed');

    confirm = 'Remove All';
    await command('berth.image.remove')(one, [one, two]);
    await until(() => !tagged(`${repository}:one`) && !tagged(`${repository}:two`), 'both tags to go from the Images mirror');
    const gone = async (name: string) => client.json('GET', `/images/${encodeURIComponent(name)}/json`).then(() => false, () => true);
    assert.equal(await gone(`${repository}:one`), true);
    assert.equal(await gone(`${repository}:two`), true);
    assert.equal(await gone(BASE_IMAGE), false, 'the image under its other tag stays');
    assert.deepEqual(errors, []);
  });

  it('stops and starts every selected container at once', async (t) => {
    if (engine.missing(t)) return;
    const { connection } = session!;
    // Ends on SIGTERM within a second, so the stop does not wait out the engine's grace period.
    const cmd = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
    const ids = await Promise.all(['a', 'b'].map(async (suffix) => (await connection.request('container.create', { image: BASE_IMAGE, name: `berth-test-bulk-${suffix}-${unique}`, cmd, labels: { [TEST_LABEL]: unique }, start: true })).id));
    t.after(() => Promise.all(ids.map((id) => engine.client().json('DELETE', `/containers/${id}?force=1`).catch(() => undefined))));
    const stateOf = (id: string) => state.items('container', engineId).find((candidate) => candidate.id === id)?.state;
    await until(() => ids.every((id) => stateOf(id) === 'running'), 'both containers running');
    const rows = () => ids.map((id) => ({ kind: 'container', container: state.items('container', engineId).find((candidate) => candidate.id === id)!, engine: engineId }) as const);

    const [first, second] = rows();
    await command('berth.container.stop')(first, [first, second]);
    await until(() => ids.every((id) => stateOf(id) === 'exited'), 'both containers stopped');
    const [again, other] = rows();
    await command('berth.container.start')(again, [again, other]);
    await until(() => ids.every((id) => stateOf(id) === 'running'), 'both containers running again');
    assert.deepEqual(errors, []);
  });

  it('acts on a repository’s own tags from its row, asking which only when it has several', async (t) => {
    if (engine.missing(t)) return;
    const client = engine.client();
    const solo = `${repository}-solo`;
    await client.json('POST', `/images/${encodeURIComponent(BASE_IMAGE)}/tag?repo=${encodeURIComponent(solo)}&tag=only`);
    await until(() => Boolean(tagged(`${solo}:only`)), 'the tag in the Images mirror');
    offered.length = asked.length = 0;
    confirm = 'Remove';
    await command('berth.image.remove')({ kind: 'repository', repository: solo, tags: [{ tag: 'only', image: tagged(`${solo}:only`)! }], engine: engineId });
    assert.deepEqual(offered, [], 'no pick among every image');
    assert.deepEqual(asked, [`Remove image ${solo}:only?`]);
    await until(() => !tagged(`${solo}:only`), 'the tag to go');

    for (const tag of ['one', 'two']) await client.json('POST', `/images/${encodeURIComponent(BASE_IMAGE)}/tag?repo=${encodeURIComponent(repository)}&tag=${tag}`);
    await until(() => Boolean(tagged(`${repository}:one`) && tagged(`${repository}:two`)), 'both tags in the Images mirror');
    offered.length = 0;
    choose = '';
    const image = tagged(`${repository}:one`)!;
    await command('berth.image.remove')({ kind: 'repository', repository, tags: [{ tag: 'one', image }, { tag: 'two', image }], engine: engineId });
    assert.deepEqual(offered, [[`${repository}:one`, `${repository}:two`]], 'the repository’s tags, and only them');
    assert.deepEqual(errors, []);
  });
});
