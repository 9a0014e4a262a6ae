// Build & Run and Run Image on a remote engine: the host ports are the
// engine's pick, and the port offered in the browser is on the engine's host.
// The "remote" engine is this machine's engine behind a plain TCP relay on a
// non-loopback address of this machine, so the daemon sees `tcp://ADDRESS:PORT`
// exactly as it would a remote engine, and the offered URL can be fetched.
// The same engine is also served as it is (a unix socket), where ports stay
// on this machine's loopback and the offer says localhost. The client's real
// commands run with VS Code shimmed (test/support/vscodeShim.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import { startDaemonSession, type DaemonSession } from '../support/daemonSession';
import { enginesReady, mirrorDaemon } from '../support/clientMirror';
import { httpGet } from '../support/httpGet';
import { BASE_IMAGE, TEST_LABEL, useEngine } from '../support/engine';
import { fakeExtensionContext, installVscodeShim, newShimRecord } from '../support/vscodeShim';

const record = installVscodeShim(newShimRecord());
// Loaded after the shim, so their `import 'vscode'` gets it.
const vscode = require('vscode') as typeof import('vscode');
const { RuntimeState } = require('../../client/src/runtime/runtimeState') as typeof import('../../client/src/runtime/runtimeState');
const { registerBuildAndRun } = require('../../client/src/commands/buildAndRun') as typeof import('../../client/src/commands/buildAndRun');
const { registerImageCommands } = require('../../client/src/commands/imageCommands') as typeof import('../../client/src/commands/imageCommands');
const { imageTagFor } = require('../../client/src/run/imageTag') as typeof import('../../client/src/run/imageTag');

/** An IPv4 address of this machine other than loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

/** `url` answered with `expected`, retried while the server in the container starts. */
async function answers(url: string, expected: string): Promise<string> {
  let body = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    body = await httpGet(url);
    if (body.includes(expected)) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return body;
}

describe('Build & Run and Run Image: where ports are published and offered', () => {
  const engine = useEngine();
  const address = outsideAddress();
  const unique = `${process.pid}-${Date.now()}`;
  const folder = mkdtempSync(join(tmpdir(), 'berth-remote-run-'));
  const tag = imageTagFor('${folder}:dev', basename(folder));
  const remoteEngine = 'remote';
  const localEngine = 'local';
  let relay: Server | undefined;
  const relayed = new Set<Socket>();
  let endpointUrl = '';
  let session: DaemonSession | undefined;
  let state: InstanceType<typeof RuntimeState>;
  /** Messages shown, with the answer the test gives: the first choice. */
  const shown: string[] = [];
  const errors: string[] = [];
  const opened: string[] = [];
  const terminals: string[] = [];

  const skip = (t: { skip(message: string): void }) => {
    if (engine.missing(t)) return true;
    if (!address) {
      if (process.env.CI === 'true') throw new Error('CI=true but this machine has no non-loopback IPv4 address for the relay');
      t.skip('no non-loopback IPv4 address on this machine');
      return true;
    }
    return false;
  };

  const command = (id: string) => {
    const run = record.commands.get(id);
    assert.ok(run, `${id} is registered`);
    return run;
  };

  /** The engine's own view of the containers this file made from `image`. */
  const containersOf = async (image: string) =>
    (await engine.client().json<{ Id: string; Image: string; Ports: { IP?: string; PublicPort?: number; PrivatePort: number }[] }[]>('GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${unique}`] }))}`)).filter(
      (container) => container.Image === image,
    );

  /** Run Image on the built image's row under `engineId`, as the Images view draws it; what it showed and opened starts afresh. */
  const runImageOn = async (engineId: string) => {
    const { Id } = await engine.client().json<{ Id: string }>('GET', `/images/${encodeURIComponent(tag)}/json`);
    shown.length = opened.length = 0;
    const [repository, imageTag] = tag.split(':');
    await command('berth.image.run')({ kind: 'tag', image: { id: Id, repoTags: [tag] }, repository, tag: imageTag, engine: engineId });
    assert.deepEqual(errors, []);
  };

  before(async () => {
    if (!engine.client() || !address) return;
    const socketPath = defaultEngineEndpoint().socketPath ?? '/var/run/docker.sock';
    relay = createServer((downstream) => {
      // The engine's API without a password: only this machine's own connections get through.
      if (downstream.remoteAddress?.replace(/^::ffff:/, '') !== address) return void downstream.destroy();
      const upstream = netConnect(socketPath);
      relayed.add(downstream).add(upstream);
      downstream.pipe(upstream).pipe(downstream);
      downstream.on('error', () => upstream.destroy());
      upstream.on('error', () => downstream.destroy());
    });
    await new Promise<void>((resolve) => relay!.listen(0, address, resolve));
    const port = (relay.address() as { port: number }).port;
    endpointUrl = `tcp://${address}:${port}`;
    session = await startDaemonSession('remote-run', [
      { id: remoteEngine, url: endpointUrl, source: 'test', host: address, port },
      { ...defaultEngineEndpoint(), id: localEngine },
    ]);

    state = new RuntimeState();
    const window = vscode.window as unknown as Record<string, unknown>;
    const answerFirst = async (message: string, ...choices: unknown[]) => {
      shown.push(message);
      return choices.find((choice) => typeof choice === 'string');
    };
    window.showInformationMessage = answerFirst;
    window.showWarningMessage = answerFirst;
    window.showErrorMessage = async (message: string) => void errors.push(message);
    // Enter on every box: what it offers (the ports to publish), else nothing.
    window.showInputBox = async (options?: { value?: string }) => options?.value ?? '';
    window.withProgress = (_options: unknown, task: (progress: { report(): void }, token: unknown) => unknown) =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) });
    window.createTerminal = (options: { name: string }) => {
      terminals.push(options.name);
      return { show: () => undefined, dispose: () => undefined };
    };
    // The shim's Uri keeps no host or port: keep the text that was parsed.
    (vscode.Uri as unknown as Record<string, unknown>).parse = (text: string) => ({ toString: () => text });
    (vscode.env as unknown as Record<string, unknown>).openExternal = async (uri: { toString(): string }) => {
      opened.push(uri.toString());
      return true;
    };
    (vscode.workspace as unknown as Record<string, unknown>).openTextDocument = async () => ({ isDirty: false, getText: () => '', lineCount: 0 });
    record.settings.set('berth.labels', { [TEST_LABEL]: unique });

    const { connection } = session;
    await mirrorDaemon(state, connection, enginesReady(2));
    // Build & Run works on the active engine.
    state.chooseEngine(remoteEngine);
    const context = fakeExtensionContext('/nonexistent') as never;
    registerBuildAndRun(context, state, () => undefined);
    registerImageCommands(context, state, () => undefined);
  });

  after(async () => {
    const client = engine.client();
    if (client && session) {
      for (const container of await client.json<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${unique}`] }))}`)) {
        await client.json('DELETE', `/containers/${container.Id}?force=1`).catch(() => undefined);
      }
      await client.json('DELETE', `/images/${encodeURIComponent(tag)}?force=1`).catch(() => undefined);
    }
    await session?.stop();
    relay?.close();
    for (const socket of relayed) socket.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the daemon sees the relayed engine as remote, at the relay’s address', (t) => {
    if (skip(t)) return;
    const info = state.engines.find((candidate) => candidate.id === remoteEngine);
    assert.equal(info?.endpoint, endpointUrl);
    assert.equal(info?.health.state, 'ready');
    assert.equal(state.activeEngine?.id, remoteEngine);
  });

  it('Build & Run publishes the EXPOSEd port on a port the engine picked and offers it at the engine’s host', async (t) => {
    if (skip(t)) return;
    writeFileSync(
      join(folder, 'Dockerfile'),
      [`FROM ${BASE_IMAGE}`, 'RUN mkdir -p /www && echo "berth remote run" > /www/index.html', 'EXPOSE 8080', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]', ''].join('\n'),
    );
    shown.length = opened.length = terminals.length = 0;
    await command('berth.dockerfile.buildAndRun')(vscode.Uri.file(join(folder, 'Dockerfile')));
    assert.deepEqual(errors, []);

    const [container, ...others] = await containersOf(tag);
    assert.ok(container, `a container of ${tag} runs`);
    assert.equal(others.length, 0);
    const published = container.Ports.find((port) => port.PrivatePort === 8080 && port.PublicPort);
    assert.ok(published?.PublicPort, 'port 8080 is published');
    // Bound on every interface of the engine's machine, not its loopback, which is out of reach from here.
    assert.notEqual(published.IP, '127.0.0.1');

    const url = `http://${address}:${published.PublicPort}/`;
    assert.ok(shown.some((message) => message.includes(`published on ${address}:${published.PublicPort}`)), `the offer names the engine's host: ${shown.join(' | ')}`);
    assert.deepEqual(opened, [url], 'the browser opens the engine’s host');
    assert.ok(record.output.some((line) => line.includes(`${address}:${published.PublicPort} → 8080/tcp`)), 'the build log says where the port went');
    assert.ok(terminals.some((name) => name.endsWith('(shell)')), 'a shell opened');
    assert.match(await answers(url, 'berth remote run'), /berth remote run/);
  });

  it('Run Image publishes on a port the engine picked and offers it at the engine’s host', async (t) => {
    if (skip(t)) return;
    await runImageOn(remoteEngine);

    const started = (await containersOf(tag)).filter((container) => container.Ports.some((port) => port.PublicPort));
    assert.equal(started.length, 2, 'the Build & Run container and the one Run Image started');
    const ports = started.flatMap((container) => container.Ports.filter((port) => port.PrivatePort === 8080 && port.PublicPort).map((port) => port.PublicPort!));
    const fresh = ports.find((port) => shown.some((message) => message.includes(`${address}:${port} → 8080/tcp`)));
    assert.ok(fresh, `the message names the new container's port at the engine's host: ${shown.join(' | ')}`);
    assert.deepEqual(opened, [`http://${address}:${fresh}/`], 'the browser opens the engine’s host');
    assert.match(await answers(`http://${address}:${fresh}/`, 'berth remote run'), /berth remote run/);
  });

  it('Run Image on an engine of this machine publishes on a free port of its loopback, offered at localhost', async (t) => {
    if (skip(t)) return;
    await runImageOn(localEngine);

    const loopback = (await containersOf(tag)).flatMap((container) => container.Ports.filter((port) => port.PrivatePort === 8080 && port.IP === '127.0.0.1' && port.PublicPort));
    assert.equal(loopback.length, 1, 'one container publishes 8080 on loopback');
    const url = `http://localhost:${loopback[0]!.PublicPort}/`;
    assert.ok(shown.some((message) => message.includes(`localhost:${loopback[0]!.PublicPort} → 8080/tcp`)), shown.join(' | '));
    assert.deepEqual(opened, [url]);
    assert.match(await answers(`http://127.0.0.1:${loopback[0]!.PublicPort}/`, 'berth remote run'), /berth remote run/);
  });
});
