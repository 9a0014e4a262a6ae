// End to end: what a user sees in the Berth side bar, in a real VS Code
// (code-server) with the packaged extension (berth-<version>.vsix, made by
// `npm run package`) installed, driven in headless Chromium. Two launches:
// one against the machine's real Docker engine, one whose environment points
// DOCKER_HOST at a socket that does not exist, with engine discovery off. Screenshots land in
// test/.output/e2e/ as sidebar-*.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE, TEST_LABEL, probeEngine, type EngineProbe } from '../support/engine';
import {
  codeServerInstalled,
  loadCodeServerScripts,
  openFile,
  openViewContainer,
  openWorkbench,
  outputDir,
  repoRoot,
  resizeSideBar,
  resizeView,
  runCommand,
  screenshot,
  setViewExpanded,
  treeViewRows,
  viewPane,
  viewWelcomeText,
  waitForProblem,
  waitForTreeRow,
  waitForViewWelcome,
  type CodeServer,
  type Workbench,
} from './support/vscode';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
// BERTH_E2E_VSIX: try another build of the extension (default: the one `npm run package` writes).
const vsix = process.env.BERTH_E2E_VSIX || join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
const examples = join(repoRoot, 'examples');

/** How long a container started while the view is shown may take to appear in it (the push path takes well under a second). */
const PUSH_TIMEOUT_MS = 10_000;
const MISSING_SOCKET = '/nonexistent/docker.sock';
// Installing code-server on a fresh machine takes minutes; once installed, a launch takes seconds.
const LAUNCH_TIMEOUT_MS = codeServerInstalled() ? 90_000 : 20 * 60_000;

const log = (message: string) => process.stderr.write(`[e2e] ${message}\n`);

/** One code-server launch with a temporary copy of examples/ as its workspace, and a browser on it. */
interface Launch {
  server?: CodeServer;
  workbench?: Workbench;
  workspace?: string;
}

async function launch(into: Launch, env: Record<string, string | undefined>, settings: Record<string, unknown> = {}): Promise<void> {
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` before the end-to-end tests`);
  into.workspace = await mkdtemp(join(tmpdir(), 'berth-e2e-workspace-'));
  await cp(examples, into.workspace, { recursive: true });
  const scripts = await loadCodeServerScripts();
  const codeServerDir = await scripts.ensureCodeServer({ log });
  into.server = await scripts.launchCodeServer({ vsix, workspace: into.workspace, codeServerDir, env, settings, log });
  log(`code-server at ${into.server.url}${Object.keys(env).length ? ` with ${JSON.stringify(env)}` : ''}${Object.keys(settings).length ? ` and settings ${JSON.stringify(settings)}` : ''}`);
  into.workbench = await openWorkbench(into.server.url);
}

async function tearDown(from: Launch, logsName: string): Promise<void> {
  await from.workbench?.close();
  await from.server?.stop({ saveLogsTo: join(outputDir, logsName) });
  if (from.workspace) await rm(from.workspace, { recursive: true, force: true });
}

/**
 * Opens the Berth side bar with room for its rows (the list is virtual: only
 * rows in view are in the page): Images collapsed, Containers taller, and the
 * side bar wide enough that descriptions are not cut off in the screenshots.
 */
async function showBerthSideBar(workbench: Workbench): Promise<void> {
  const { page } = workbench;
  await openViewContainer(page, 'Berth');
  if ((await viewPane(page, 'Images').locator('.pane-header[aria-expanded="true"]').count()) === 0) return; // already arranged
  await setViewExpanded(page, 'Images', false);
  await resizeSideBar(page, 820);
  await resizeView(page, 'Containers', 440);
}

describe('the Berth side bar with the real engine', () => {
  const run: Launch = {};
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  let engine: EngineHttpClient;
  let engineVersion: { Version: string; ApiVersion: string };
  /** Names of the containers this test created (removed in `after`, by name, whatever happened). */
  const created: string[] = [];
  const suffix = randomBytes(4).toString('hex');
  const before1 = `berth-e2e-${suffix}-before`;
  const after1 = `berth-e2e-${suffix}-after`;

  /** `docker run -d --label berth.test=1 --name <name> BASE_IMAGE sleep 300`, through the Engine API. */
  async function runContainer(name: string): Promise<void> {
    created.push(name);
    const { Id } = await engine.json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: '1' },
    });
    await engine.json('POST', `/containers/${Id}/start`);
  }

  before(
    async () => {
      probe = await probeEngine(); // skips loudly without an engine; throws under CI=true
      if (probe.skipReason) return;
      engine = probe.client!;
      engineVersion = await engine.json('GET', '/version');
      // Started before the view is ever shown: the first listing must include it.
      await runContainer(before1);
      // launchCodeServer gives each launch its own XDG_RUNTIME_DIR, where the
      // daemon would look for a rootless socket: name that one explicitly.
      const endpoint = engine.endpoint;
      await launch(run, endpoint.source === 'rootless socket' ? { DOCKER_HOST: endpoint.url } : {});
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await tearDown(run, 'logs-sidebar-engine');
      for (const name of created) {
        await engine
          .json('DELETE', `/containers/${encodeURIComponent(name)}?force=1`, undefined, 10_000)
          .catch((error: Error) => {
            if (!/no such container/i.test(error.message)) log(`could not remove container ${name}: ${error.message}`);
          });
      }
    },
    { timeout: 45_000 },
  );

  it('shows the engine as ready in the Engines view', { timeout: 45_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    const row = await waitForTreeRow(page, 'Engines', (candidate) => candidate.description.startsWith('ready'), {
      timeoutMs: 30_000,
      what: 'engine that is ready',
    });
    assert.equal(row.label, engine.endpoint.url, 'the row names the engine the tests use');
    assert.equal(
      row.description,
      `ready · Docker ${engineVersion.Version} (API ${engineVersion.ApiVersion})`,
      'the description says ready, with the version the engine reports',
    );
    await screenshot(page, 'sidebar-1-engine-ready');
  });

  it('lists a container started before the view was opened', { timeout: 45_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    const row = await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === before1, {
      timeoutMs: 30_000,
      what: `container ${before1}`,
    });
    assert.ok(row.description.startsWith('Up'), `the row says it is running: ${JSON.stringify(row)}`);
    assert.ok(row.ariaLabel.includes(BASE_IMAGE), `its tooltip names the image: ${JSON.stringify(row)}`);
    assert.equal(await viewWelcomeText(page, 'Containers'), '', 'no welcome text over the list');
    await screenshot(page, 'sidebar-2-container-listed');
  });

  it('shows a container started while the view is open within seconds, without a refresh', { timeout: 45_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    // The view is showing its list (the previous test's container is in it) and nothing here clicks Refresh.
    await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === before1, { timeoutMs: 10_000, what: `container ${before1}` });
    assert.ok(!(await treeViewRows(page, 'Containers')).some((candidate) => candidate.label === after1));

    const started = Date.now();
    await runContainer(after1);
    const row = await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === after1 && candidate.description.startsWith('Up'), {
      timeoutMs: PUSH_TIMEOUT_MS,
      what: `running container ${after1} (pushed by the daemon's state.changed)`,
    });
    log(`${after1} appeared in the Containers view ${Date.now() - started} ms after it was started`);
    assert.ok(row.description.startsWith('Up'), JSON.stringify(row));
    await screenshot(page, 'sidebar-3-container-pushed');
  });

  it('opens a shell in a running container in an integrated terminal, without the docker CLI', { timeout: 60_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    const row = viewPane(page, 'Containers').locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: before1 }) });
    await row.click({ button: 'right' });
    const attach = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Attach Shell$/ });
    await attach.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(300);
    await attach.click();
    const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
    await terminal.waitFor({ state: 'visible', timeout: 20_000 });
    /** Waits until the active terminal's text satisfies `test`; returns the text. */
    const terminalText = async (test: (text: string) => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const text = (await terminal.textContent()) ?? '';
        if (test(text)) return text;
        assert.ok(Date.now() < deadline, `the terminal never showed ${what}; it shows: ${text}`);
        await page.waitForTimeout(100);
      }
    };
    // busybox sh prints a prompt ending in "# " once the exec is up.
    await terminalText((text) => /[#$]\s*$/.test(text), 'a shell prompt');
    await page.locator('.terminal-wrapper.active .xterm-helper-textarea').focus();
    await page.keyboard.type('echo hello-$((6*7)) from $(hostname)\n');
    const text = await terminalText((shown) => shown.includes('hello-42 from'), 'the echo');
    const hostname = (await engine.json<{ Config: { Hostname: string } }>('GET', `/containers/${before1}/json`)).Config.Hostname;
    assert.ok(text.includes(`hello-42 from ${hostname}`), `the shell ran inside ${before1}: ${text}`);
    await screenshot(page, 'sidebar-4a-attached-shell');
    await page.keyboard.type('exit\n');
    await terminalText((shown) => shown.includes('exited with code 0'), 'the exit code');
  });

  it('stops a container from its context menu, starts it again, then removes it after confirming', { timeout: 60_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    const rowLocator = () => viewPane(page, 'Containers').locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: after1 }) });
    await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === after1, { timeoutMs: 10_000, what: `container ${after1}` });

    await rowLocator().click({ button: 'right' });
    const stopItem = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Stop Container$/ });
    await stopItem.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'sidebar-4-context-menu');
    await stopItem.click();
    // `sleep` as PID 1 ignores SIGTERM, so the engine kills it after its 10 s grace period.
    const stopped = await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === after1 && candidate.description.startsWith('Exited'), {
      timeoutMs: 25_000,
      what: `stopped container ${after1}`,
    });
    assert.match(stopped.description, /^Exited \(\d+\)/);
    assert.equal(stopped.icon, 'vm-outline', `a stopped container's icon: ${JSON.stringify(stopped)}`);
    const inspected = await engine.json<{ State: { Running: boolean } }>('GET', `/containers/${after1}/json`);
    assert.equal(inspected.State.Running, false, 'the engine agrees it stopped');
    await screenshot(page, 'sidebar-5-container-stopped');

    // Start from the same menu: the row turns running, icon and all (the time is logged; the benchmark holds the target).
    await rowLocator().click({ button: 'right' });
    const startItem = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Start Container$/ });
    await startItem.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(300);
    const clicked = Date.now();
    await startItem.click();
    const restarted = await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === after1 && candidate.icon === 'vm-running', {
      timeoutMs: 10_000,
      what: `started container ${after1} with the running icon`,
    });
    log(`${after1} showed the running icon ${Date.now() - clicked} ms after Start Container was clicked`);
    assert.match(restarted.description, /^Up /);
    assert.equal((await engine.json<{ State: { Running: boolean } }>('GET', `/containers/${after1}/json`)).State.Running, true, 'the engine agrees it runs');
    await screenshot(page, 'sidebar-5b-container-started');

    const dialog = page.locator('.monaco-dialog-box');
    await rowLocator().click({ button: 'right' });
    const removeItem = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Remove Container\.\.\.$/ });
    await removeItem.waitFor({ state: 'visible', timeout: 10_000 });
    // The menu fades in; a click during the fade can land on nothing.
    await page.waitForTimeout(300);
    await removeItem.click();
    try {
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    } catch (error) {
      await screenshot(page, 'sidebar-6-no-confirmation-dialog');
      throw error;
    }
    assert.match(await dialog.innerText(), /Remove container "berth-e2e-.*-after"\?[\s\S]*writable layer/);
    await screenshot(page, 'sidebar-6-confirm-remove');
    await dialog.locator('.monaco-button', { hasText: /^Remove$/ }).click();
    const deadline = Date.now() + 15_000;
    while ((await treeViewRows(page, 'Containers')).some((candidate) => candidate.label === after1)) {
      assert.ok(Date.now() < deadline, `${after1} still listed 15 s after removing it`);
      await page.waitForTimeout(100);
    }
    await assert.rejects(engine.json('GET', `/containers/${after1}/json`), /no such container/i, 'the engine no longer has it');
  });
});

describe('the Berth side bar without an engine', () => {
  const run: Launch = {};

  // Discovery off: otherwise the daemon would also serve the machine's own socket, and an engine would be ready.
  before(async () => launch(run, { DOCKER_HOST: `unix://${MISSING_SOCKET}` }, { 'berth.engines.discover': false }), { timeout: LAUNCH_TIMEOUT_MS });

  after(async () => tearDown(run, 'logs-sidebar-no-engine'), { timeout: 30_000 });

  it('says no engine is reachable, and why, in the Containers and Engines views', { timeout: 45_000 }, async () => {
    const page = run.workbench!.page;
    await showBerthSideBar(run.workbench!);
    const welcome = await waitForViewWelcome(page, 'Containers', 'No container engine is reachable', { timeoutMs: 30_000 });
    assert.match(welcome, /Engines view below says why/);
    assert.deepEqual(await treeViewRows(page, 'Containers'), [], 'no container rows');

    const row = await waitForTreeRow(page, 'Engines', (candidate) => candidate.description.startsWith('unreachable'), {
      timeoutMs: 15_000,
      what: 'engine that is unreachable',
    });
    assert.equal(row.label, `unix://${MISSING_SOCKET}`, 'the row names the DOCKER_HOST engine');
    assert.ok(row.description.includes(MISSING_SOCKET), `the reason names ${MISSING_SOCKET}: ${JSON.stringify(row)}`);
    assert.match(row.ariaLabel, /\(from DOCKER_HOST\)/, 'the tooltip says where the engine came from');
    await screenshot(page, 'sidebar-7-no-engine');
  });

  it('still shows language diagnostics: a Dockerfile not starting with FROM', { timeout: 60_000 }, async () => {
    const page = run.workbench!.page;
    const folder = 'e2e-no-engine';
    await mkdir(join(run.workspace!, folder), { recursive: true });
    await writeFile(
      join(run.workspace!, folder, 'Dockerfile'),
      '# Written by test/e2e/sidebar.test.ts: the first instruction is RUN, not FROM.\nRUN echo "no engine, no base image"\nCMD ["sh"]\n',
    );
    await openFile(page, `${folder}/Dockerfile`);
    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    const problem = await waitForProblem(page, (candidate) => candidate.file.includes(`of folder ${folder}`) && /FROM/.test(candidate.label), {
      timeoutMs: 30_000,
    });
    assert.match(problem.label, /FROM/);
    // The side bar still says there is no engine: the diagnostics did not need one.
    assert.match(await viewWelcomeText(page, 'Containers'), /No container engine is reachable/);
    await resizeSideBar(page, 480); // room for the problem's message in the screenshot
    await screenshot(page, 'sidebar-8-no-engine-diagnostics');
  });
});
