// With several engines shown at once, a command run on a tree row acts on the
// engine the row belongs to: the client's real views and commands (VS Code
// shimmed, test/support/vscodeShim.ts) against a real daemon serving the
// machine's engine and a private second dockerd.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import type { ContainerSummary, EngineInfo } from '../../runtime/src/protocol/types';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { enginesReady, mirrorDaemon, untilMirror } from '../support/clientMirror';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { SecondEngine, secondEngineUnavailable } from '../support/secondEngine';
import { fakeExtensionContext, installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
// Loaded after the shim, so their `import 'vscode'` gets it.
const vscode = require('vscode') as typeof import('vscode');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { EngineRootsTree } = require('../../client/src/views/engineRoots') as typeof import('../../client/src/views/engineRoots');
const { ContainersView } = require('../../client/src/views/containersView') as typeof import('../../client/src/views/containersView');
const { VolumesView } = require('../../client/src/views/resourceViews') as typeof import('../../client/src/views/resourceViews');
const { registerResourceCommands } = require('../../client/src/commands/resourceCommands') as typeof import('../../client/src/commands/resourceCommands');

type Row = { kind?: string; engine?: unknown; container?: ContainerSummary; name?: string };

describe('commands on the rows of several engines act on each row’s own engine', () => {
  const engine = useEngine();
  const unavailable = secondEngineUnavailable();
  const unique = `${process.pid}-${Date.now()}`;
  const volumeName = `berth-test-engines-${unique}`;
  let second: SecondEngine | undefined;
  let secondClient: EngineHttpClient;
  let session: DaemonSession;
  let state: InstanceType<typeof RuntimeState>;
  /** Questions the commands asked (modal warnings) and errors they showed. */
  const asked: string[] = [];
  const errors: string[] = [];
  const mainEngine = 'main';

  const skip = (t: { skip(message: string): void }) => {
    if (engine.missing(t)) return true;
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`CI=true but the second engine cannot run: ${unavailable}`);
      t.skip(unavailable);
      return true;
    }
    return false;
  };

  /** Resolves once the client's mirror satisfies `test` (it follows the daemon's notifications). */
  const until = (test: () => boolean, what: string, timeoutMs?: number) => untilMirror(state, test, what, timeoutMs);

  const containerOn = (engineId: string, id: string) => state.items('container', engineId).find((container) => container.id === id);
  const run = async (engineId: string, name: string) => {
    const { id } = await session.connection.request('container.create', { engine: engineId, image: BASE_IMAGE, name, cmd: ['sleep', '300'], labels: { [TEST_LABEL]: unique }, start: true });
    await until(() => containerOn(engineId, id)?.state === 'running', `${name} running on ${engineId}`);
    return id;
  };

  before(async () => {
    if (!engine.client() || unavailable) return;
    second = new SecondEngine();
    await second.start();
    second.loadImage();
    secondClient = second.client();
    session = await startDaemonSession('engine-commands', [{ ...defaultEngineEndpoint(), id: mainEngine }, second.endpoint('second')]);
    const { connection } = session;

    state = new RuntimeState();
    const window = vscode.window as unknown as Record<string, unknown>;
    window.showWarningMessage = async (message: string, _options: unknown, ...choices: string[]) => {
      asked.push(message);
      return choices[0];
    };
    window.showErrorMessage = async (message: string) => void errors.push(message);
    await mirrorDaemon(state, connection, enginesReady(2));
    await connection.request('state.subscribe', { kinds: ['container', 'volume'] });
    registerResourceCommands(fakeExtensionContext('/nonexistent') as never, state, () => undefined);
    record.settings.set('berth.engines.showAll', true);
  });

  after(async () => {
    const main = engine.client();
    if (main && session) {
      for (const container of await main.json<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${unique}`] }))}`)) {
        await main.json('DELETE', `/containers/${container.Id}?force=1`).catch(() => undefined);
      }
      await main.json('DELETE', `/volumes/${volumeName}`).catch(() => undefined);
    }
    await session?.stop();
    secondClient?.dispose();
    await second?.dispose();
  });

  /** The rows under `engineId`'s root in a view wrapped as extension.ts wraps it. */
  const rowsUnder = (tree: InstanceType<typeof EngineRootsTree<object>>, engineId: string): Row[] => {
    const roots = tree.getChildren() as { kind: string; engine: EngineInfo }[];
    const root = roots.find((row) => row.kind === 'engineRoot' && row.engine.id === engineId);
    assert.ok(root, `a root for ${engineId} among ${roots.map((row) => row.engine?.id).join(', ')}`);
    return tree.getChildren(root as never) as Row[];
  };
  const command = (id: string) => {
    const run = record.commands.get(id);
    assert.ok(run, `${id} is registered`);
    return run;
  };

  it('stops the container of the row under the second engine there, not the one of the active engine', async (t) => {
    if (skip(t)) return;
    assert.equal(state.activeEngine?.id, mainEngine);
    const mainId = await run(mainEngine, `berth-test-main-${unique}`);
    const secondId = await run('second', `berth-test-second-${unique}`);
    const view = new ContainersView(state);
    const tree = new EngineRootsTree<object>(state, view as never);
    t.after(() => view.dispose());
    const row = rowsUnder(tree, 'second').find((candidate) => candidate.container?.id === secondId);
    assert.ok(row, 'the second engine’s container is a row under its root');
    // Its menus show: the row's context value is the one package.json's `when` clauses name.
    const described = () => tree.getTreeItem(row as never) as { contextValue?: string; description?: string };
    assert.equal(described().contextValue, 'container.running');
    // Its live CPU and memory too, though its engine is not the active one.
    view.stats.setVisible(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CPU figure on the second engine's row: ${described().description}`)), 15_000);
      const subscription = view.onDidChangeTreeData(() => {
        if (!/% CPU/.test(described().description ?? '')) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });
    view.stats.setVisible(false);

    await command('berth.container.stop')(row, [row]);
    await until(() => containerOn('second', secondId)?.state === 'exited', 'the second engine’s container to stop');
    assert.equal((await secondClient.json<{ State: { Running: boolean } }>('GET', `/containers/${secondId}/json`)).State.Running, false);
    assert.equal((await engine.client().json<{ State: { Running: boolean } }>('GET', `/containers/${mainId}/json`)).State.Running, true, 'the main engine’s container still runs');
    assert.equal(state.activeEngine?.id, mainEngine, 'the active engine is unchanged');
    assert.deepEqual(errors, []);
  });

  it('removes a selection spanning both engines, each container from its own engine', async (t) => {
    if (skip(t)) return;
    const mainId = await run(mainEngine, `berth-test-bulk-main-${unique}`);
    const secondId = await run('second', `berth-test-bulk-second-${unique}`);
    const tree = new EngineRootsTree<object>(state, new ContainersView(state) as never);
    const mainRow = rowsUnder(tree, mainEngine).find((candidate) => candidate.container?.id === mainId);
    const secondRow = rowsUnder(tree, 'second').find((candidate) => candidate.container?.id === secondId);
    assert.ok(mainRow && secondRow);
    asked.length = 0;

    await command('berth.container.remove')(secondRow, [mainRow, secondRow]);
    assert.deepEqual(asked, ['Remove 2 containers?']);
    await until(() => !containerOn(mainEngine, mainId) && !containerOn('second', secondId), 'both containers to go');
    const gone = (client: EngineHttpClient, id: string) =>
      client.json('GET', `/containers/${id}/json`).then(
        () => false,
        () => true,
      );
    assert.equal(await gone(engine.client(), mainId), true, 'removed from the main engine');
    assert.equal(await gone(secondClient, secondId), true, 'removed from the second engine');
    assert.deepEqual(errors, []);
  });

  it('removes the volume of the row under the second engine, leaving the same-named volume of the main engine', async (t) => {
    if (skip(t)) return;
    // Through the engines themselves: the daemon's volume.create sets no labels.
    for (const client of [engine.client(), secondClient]) await client.json('POST', '/volumes/create', { Name: volumeName, Labels: { [TEST_LABEL]: unique } });
    await until(() => [mainEngine, 'second'].every((engineId) => state.items('volume', engineId).some((volume) => volume.name === volumeName)), 'the volume on both engines');
    const tree = new EngineRootsTree<object>(state, new VolumesView(state) as never);
    const row = rowsUnder(tree, 'second').find((candidate) => candidate.name === volumeName);
    assert.ok(row);

    await command('berth.volume.remove')(row);
    await until(() => !state.items('volume', 'second').some((volume) => volume.name === volumeName), 'the second engine’s volume to go');
    await secondClient.json('GET', `/volumes/${volumeName}`).then(
      () => assert.fail('the second engine still has the volume'),
      () => undefined,
    );
    await engine.client().json('GET', `/volumes/${volumeName}`);
    assert.ok(state.items('volume', mainEngine).some((volume) => volume.name === volumeName), 'the main engine keeps its volume');
    assert.deepEqual(errors, []);
  });
});
