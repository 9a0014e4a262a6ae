// End to end: "Build & Run" on a Dockerfile in a real VS Code (code-server)
// with the packaged extension, against the machine's real Docker engine. A
// fixture Dockerfile is built and run from its CodeLens and must answer on the
// port Berth published; a Dockerfile whose RUN fails must show the build's
// diagnostic, with its code, in the Problems panel. Screenshots land in
// test/.output/e2e/ as build-*.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE, TEST_LABEL, probeEngine, type EngineProbe } from '../support/engine';
import { httpGet } from '../support/httpGet';
import { BerthWindow, writeWorkspaceFile } from './support/berthWindow';
import { showBerthSideBar } from './support/berthSideBar';
import { waitUntil } from './support/waitUntil';
import { chooseFromContextMenu, contextMenuItem } from './support/contextMenu';
import { typeInTerminal, waitForActiveTerminal, waitForTerminalTab, waitForTerminalText } from './support/terminal';
import { engineEnv } from './support/testContainers';
import {
  activeEditorText,
  activeTab,
  clickDialogButton,
  e2eLog as log,
  launchTimeoutMs,
  openFile,
  openViewContainer,
  pickQuickInputRow,
  quickInput,
  runCommand,
  screenshot,
  showProblemsPanel,
  treeRow,
  treeViewRows,
  type TreeRow,
  waitForDialog,
  waitForNoTreeRow,
  waitForTreeRow,
} from './support/vscode';

const LAUNCH_TIMEOUT_MS = launchTimeoutMs();

interface ContainerListing {
  Id: string;
  Names: string[];
  State: string;
  Labels: Record<string, string>;
  Ports: { PrivatePort: number; PublicPort?: number; Type: string }[];
}

/** Clicks the CodeLens titled `title` in the active editor. */
async function clickCodeLens(page: Page, title: string): Promise<void> {
  const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: title });
  await lens.first().waitFor({ state: 'visible', timeout: 30_000 });
  await lens.first().click();
}

/** The text of a notification matching `pattern` (toast or notification centre), waiting up to `timeoutMs`. */
async function waitForNotification(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    seen = await page.locator('.notification-list-item-message').evaluateAll((messages) => messages.map((message) => message.textContent ?? ''));
    const found = seen.find((text) => pattern.test(text));
    if (found) return found;
    if (Date.now() > deadline) {
      await screenshot(page, 'build-no-notification');
      throw new Error(`no notification matching ${pattern} within ${timeoutMs / 1000} s; shown: ${JSON.stringify(seen)}`);
    }
    await page.waitForTimeout(200);
  }
}

describe('Build & Run on a Dockerfile', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  let engine: EngineHttpClient;
  const berth = new BerthWindow();
  const suffix = randomBytes(4).toString('hex');
  const appFolder = `berth-e2e-app-${suffix}`;
  const brokenFolder = `berth-e2e-broken-${suffix}`;
  const images = [`${appFolder}:dev`, `${brokenFolder}:dev`];
  // Also the compose project's name (compose names a project after its folder).
  const composeFolder = `berth-e2e-compose-${suffix}`;
  // The base image under a name of this test's own, so the containers run from it are known to be this test's.
  const runImage = `berth-e2e-run-${suffix}`;

  /** Containers the run flow made for a Dockerfile of this test's workspace. */
  const runContainers = async (): Promise<ContainerListing[]> => {
    const all = await engine.json<ContainerListing[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [TEST_LABEL] }))}`);
    const workspace = berth.workspace;
    return all.filter((container) => workspace !== undefined && (container.Labels['berth.dockerfile'] ?? '').startsWith(workspace));
  };

  /** The name of the container Build & Run left running (the later tests use it). */
  const appContainerName = async (): Promise<string> => {
    const [app] = await runContainers();
    assert.ok(app, 'the Build & Run container is still running');
    return app.Names[0]!.replace(/^\//, '');
  };

  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      engine = probe.client!;
      const [baseRepo, baseTag] = BASE_IMAGE.split(':') as [string, string];
      await engine.json('POST', `/images/${encodeURIComponent(`${baseRepo}:${baseTag ?? 'latest'}`)}/tag?repo=${runImage}&tag=latest`);
      const service = (name: string) => [`  ${name}:`, `    image: ${BASE_IMAGE}`, '    command: ["sleep", "300"]', '    labels:', `      ${TEST_LABEL}: "1"`];
      await berth.launch({
        name: 'build',
        examples: false,
        prepare: async (workspace) => {
          await writeWorkspaceFile(
            workspace,
            `${appFolder}/Dockerfile`,
            [
              `FROM ${BASE_IMAGE}`,
              `RUN echo "hello from ${suffix}" > /www/index.html`,
              'EXPOSE 8080',
              'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
              // Last, so the build's intermediate images do not carry it (other tests clean up what carries it).
              `LABEL ${TEST_LABEL}=1`,
              '',
            ].join('\n'),
          );
          await writeWorkspaceFile(workspace, `${brokenFolder}/Dockerfile`, [`FROM ${BASE_IMAGE}`, `RUN echo step one of ${suffix}`, `RUN echo ${suffix} && exit 3`, 'CMD ["sh"]', `LABEL ${TEST_LABEL}=1`, ''].join('\n'));
          await writeWorkspaceFile(workspace, `${composeFolder}/compose.yaml`, ['services:', ...service('web'), ...service('worker'), ''].join('\n'));
        },
        // Everything the extension builds and runs for this test carries the test label.
        settings: { 'berth.labels': { [TEST_LABEL]: '1' } },
        env: engineEnv(engine),
      });
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await berth.close('logs-build-and-run');
      if (!probe.skipReason) {
        for (const container of await runContainers().catch(() => [])) {
          await engine.json('DELETE', `/containers/${container.Id}?force=1`).catch((error: Error) => log(`could not remove ${container.Id}: ${error.message}`));
        }
        // A failed build leaves the image of its last good step, untagged: its command names this run's suffix.
        const dangling = await engine.json<{ Id: string }[]>('GET', `/images/json?filters=${encodeURIComponent(JSON.stringify({ dangling: ['true'] }))}`).catch(() => []);
        for (const { Id } of dangling) {
          const image = await engine.json<{ ContainerConfig?: { Cmd?: string[] | null } }>('GET', `/images/${Id}/json`).catch(() => undefined);
          if (!(image?.ContainerConfig?.Cmd ?? []).join(' ').includes(`step one of ${suffix}`)) continue;
          await engine.json('DELETE', `/images/${Id}`).catch((error: Error) => log(`could not remove the failed build's image ${Id}: ${error.message}`));
        }
        const composed = await engine.json<ContainerListing[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${composeFolder}`] }))}`).catch(() => []);
        for (const container of composed) await engine.json('DELETE', `/containers/${container.Id}?force=1`).catch(() => undefined);
        await engine.json('DELETE', `/networks/${composeFolder}_default`).catch(() => undefined);
        const fromRunImage = await engine.json<(ContainerListing & { Image: string })[]>('GET', '/containers/json?all=1').catch(() => []);
        for (const container of fromRunImage.filter((candidate) => candidate.Image.startsWith(runImage))) {
          await engine.json('DELETE', `/containers/${container.Id}?force=1`).catch(() => undefined);
        }
        await engine.json('DELETE', `/images/${runImage}:latest`).catch(() => undefined);
        for (const image of images) await engine.json('DELETE', `/images/${encodeURIComponent(image)}?force=1`).catch(() => undefined);
      }
    },
    { timeout: 60_000 },
  );

  it('builds and runs the Dockerfile from its CodeLens; the container answers on the published port', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    await openFile(page, `${appFolder}/Dockerfile`);
    await clickCodeLens(page, 'Build & Run');
    let containers = await runContainers();
    for (const deadline = Date.now() + 90_000; !containers.some((c) => c.State === 'running'); containers = await runContainers()) {
      if (Date.now() > deadline) {
        await screenshot(page, 'build-1-not-running');
        assert.fail(`no running container for the Dockerfile within 90 s: ${JSON.stringify(containers)}`);
      }
      await page.waitForTimeout(250);
    }
    const toast = await waitForNotification(page, /is running; port 8080\/tcp is published on localhost:\d+/, 20_000);
    const port = Number(/localhost:(\d+)/.exec(toast)![1]);
    await screenshot(page, 'build-1-running');

    assert.equal(containers.length, 1, `one container for the Dockerfile: ${JSON.stringify(containers.map((c) => c.Names))}`);
    const [container] = containers;
    assert.equal(container!.State, 'running');
    assert.equal(container!.Labels['berth.dockerfile'], join(berth.workspace!, appFolder, 'Dockerfile'));
    assert.deepEqual(
      container!.Ports.filter((p) => p.PublicPort).map((p) => [p.PrivatePort, p.PublicPort]),
      [[8080, port]],
      'port 8080 is published on the port the notification names',
    );
    let body = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      body = await httpGet(`http://127.0.0.1:${port}/`);
      if (body.includes(`hello from ${suffix}`)) break;
    }
    assert.match(body, new RegExp(`hello from ${suffix}`), 'httpd in the new container serves the page the build wrote');

    // A shell in the new container opened in a terminal.
    await waitForActiveTerminal(page, { timeoutMs: 20_000 });
    const name = container!.Names[0]!.replace(/^\//, '');
    await waitForTerminalTab(page, `${name} (shell)`, { timeoutMs: 20_000 });

    // The status bar counts the running containers of the active engine.
    const status = page.locator('.part.statusbar [aria-label^="Berth: "][aria-label*="running on Docker"]').first();
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    // Other tests may start and stop containers meanwhile: the two readings must meet, not match at one instant.
    let shown = '';
    let running = -1;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(250)) {
      running = (await engine.json<unknown[]>('GET', '/containers/json')).length;
      shown = (await status.getAttribute('aria-label')) ?? '';
      if (new RegExp(`^Berth: ${running} containers? running`).test(shown)) break;
    }
    assert.match(shown, new RegExp(`^Berth: ${running} containers? running`), 'the status bar counts what the engine runs');

    // Running it again replaces the container of the first run.
    await clickCodeLens(page, 'Build & Run');
    const deadline = Date.now() + 60_000;
    let now = await runContainers();
    while (!(now.length === 1 && now[0]!.Id !== container!.Id && now[0]!.State === 'running')) {
      assert.ok(Date.now() < deadline, `the second run did not replace the first container: ${JSON.stringify(now.map((c) => [c.Id.slice(0, 12), c.State]))}`);
      await page.waitForTimeout(250);
      now = await runContainers();
    }
    await screenshot(page, 'build-2-replaced');
  });

  it('shows a failing build as a diagnostic with its code on the failing instruction', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    await openFile(page, `${brokenFolder}/Dockerfile`);
    await clickCodeLens(page, 'Build & Run');
    await showProblemsPanel(page);
    const deadline = Date.now() + 90_000;
    let row: string | undefined;
    for (;;) {
      // Rows in order: a file's row (its aria-label names the folder), then its problems.
      const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) => elements.map((element) => ({ aria: element.getAttribute('aria-label') ?? '', text: element.textContent ?? '' })));
      let inBroken = false;
      row = undefined;
      for (const candidate of rows) {
        if (/ problems? in file /.test(candidate.aria)) inBroken = candidate.aria.includes(`of folder ${brokenFolder}`);
        else if (inBroken && candidate.text.includes('Build failed')) row = candidate.text;
      }
      if (row) break;
      assert.ok(Date.now() < deadline, `no build diagnostic for ${brokenFolder}/Dockerfile in the Problems panel: ${JSON.stringify(rows)}`);
      await page.waitForTimeout(250);
    }
    assert.match(row, /non-zero code: 3/, `the diagnostic says what failed: ${row}`);
    assert.match(row, /berth build\(?command-failed\)?/, `the diagnostic names its source and code: ${row}`);
    assert.match(row, /\[Ln 3, Col 1\]/, `on the failing RUN, line 3: ${row}`);
    const message = await waitForNotification(page, /failed: .*non-zero code: 3/i, 10_000);
    assert.match(message, /building .*:dev failed/i, `the error names the image: ${message}`);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await screenshot(page, 'build-3-failure-diagnostic');
    const brokenRuns = (await runContainers()).filter((container) => container.Labels['berth.dockerfile']!.includes(brokenFolder));
    assert.deepEqual(brokenRuns, [], 'a failed build runs nothing');
  });

  it('brings a compose project up from its CodeLens; its services appear grouped in the Containers view', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openFile(page, `${composeFolder}/compose.yaml`);
    // The file's lenses (Up, Down) sit on the services line; each service has its own Up.
    const fileLenses = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration', { hasText: 'Down' });
    await fileLenses.first().waitFor({ state: 'visible', timeout: 30_000 });
    const serviceLenses = await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').allTextContents();
    assert.equal(serviceLenses.filter((text) => text.trim() === 'Up').length, 2, `an Up lens per service: ${JSON.stringify(serviceLenses)}`);
    await fileLenses.first().locator('a', { hasText: /Up$/ }).click();

    await openViewContainer(page, 'Berth');
    const project = await waitForTreeRow(page, 'Containers', (row) => row.label === composeFolder && row.description === 'compose · 2/2 running', {
      timeoutMs: 90_000,
      what: `compose project ${composeFolder} with 2 running services`,
    });
    assert.equal(project.description, 'compose · 2/2 running');
    const rows = await treeViewRows(page, 'Containers');
    const at = rows.findIndex((row) => row.label === composeFolder);
    assert.deepEqual(
      rows.slice(at + 1, at + 3).map((row) => row.label),
      ['web', 'worker'],
      `the services are listed under their project: ${JSON.stringify(rows.map((row) => row.label))}`,
    );
    const containers = await engine.json<ContainerListing[]>('GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${composeFolder}`] }))}`);
    assert.deepEqual(containers.map((container) => container.Labels['com.docker.compose.service']).sort(), ['web', 'worker'], 'the engine runs both services');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await screenshot(page, 'build-4-compose-up');
  });

  it('takes the compose project down from its node in the Containers view, after confirming', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    await openViewContainer(page, 'Berth');
    await waitForTreeRow(page, 'Containers', (row) => row.label === composeFolder, { timeoutMs: 30_000, what: `compose project ${composeFolder}` });
    await chooseFromContextMenu(page, { view: 'Containers', row: new RegExp(`^${composeFolder}$`), item: /^Compose Down\.\.\.$/ });
    const text = await waitForDialog(page, { timeoutMs: 20_000 });
    assert.match(text, new RegExp(`Take down compose project "${composeFolder}"\\?`));
    assert.match(text, /Its 2 containers are stopped and removed/, `the dialog says what goes: ${text}`);
    assert.match(text, /Volumes are kept/);
    await screenshot(page, 'build-5-compose-down-confirm');
    await clickDialogButton(page, /^Down$/);
    await waitForNoTreeRow(page, 'Containers', (row) => row.label === composeFolder, {
      timeoutMs: 60_000,
      failure: (rows) => `the project is still listed a minute after compose down: ${JSON.stringify(rows.map((row) => row.label))}`,
    });
    const left = await engine.json<unknown[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${composeFolder}`] }))}`);
    assert.deepEqual(left, [], 'the engine has none of its containers left');
  });

  it('runs an image interactively in a terminal; the container goes when its shell exits', { timeout: 90_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    await runCommand(page, 'Berth: Run Image Interactive');
    await pickQuickInputRow(page, `${runImage}:latest`, { timeoutMs: 15_000 });
    await waitForActiveTerminal(page, { timeoutMs: 20_000 });
    await waitForTerminalTab(page, `${runImage}:latest (interactive)`, { timeoutMs: 20_000 });
    const textAfter = (test: (text: string) => boolean, what: string) => waitForTerminalText(page, test, what, 20_000);
    const [created] = await engine.json<(ContainerListing & { Image: string })[]>('GET', '/containers/json').then((all) => all.filter((c) => c.Image.startsWith(runImage)));
    assert.ok(created, 'a container of the image runs');
    assert.equal(created.Labels[TEST_LABEL], '1', 'it carries the labels of berth.labels');
    await typeInTerminal(page, 'echo run-$((6*7))\n');
    await textAfter((text) => text.includes('run-42'), 'the echo');
    await screenshot(page, 'build-6-run-interactive');
    await typeInTerminal(page, 'exit\n');
    await textAfter((text) => /ended|exited/.test(text), 'the end of the session');
    // Run interactively, the container is removed when its process ends.
    for (const deadline = Date.now() + 15_000; ; await page.waitForTimeout(250)) {
      const left = await engine.json<{ Id: string }[]>('GET', '/containers/json?all=1').then((all) => all.filter((c) => c.Id === created.Id));
      if (left.length === 0) break;
      assert.ok(Date.now() < deadline, 'the container is still there 15 s after its shell exited');
    }
  });

  it('filters the Containers view by what a user types, and says so', { timeout: 60_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    const name = await appContainerName();
    await openViewContainer(page, 'Berth');
    const containersPane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header .title', { hasText: /^Containers$/i }) });
    await runCommand(page, 'Berth: Filter Containers...');
    // The palette's input turns into the filter's input box: wait for its prompt before typing.
    await page.locator('.quick-input-widget', { hasText: 'Show only containers containing this text' }).waitFor({ state: 'visible', timeout: 10_000 });
    await quickInput(page).fill(`${appFolder}:dev`);
    await page.keyboard.press('Enter');
    for (const deadline = Date.now() + 10_000; ; await page.waitForTimeout(200)) {
      // The pane by its title: with a description, its header's aria-label is no longer just "Containers Section".
      const labels = await containersPane.locator('.monaco-list-row .label-name').allTextContents();
      if (labels.length === 1 && labels[0]!.trim() === name) break;
      if (Date.now() > deadline) {
        await screenshot(page, 'build-7-filtered-wrong');
        const headers = await page.locator('.part.sidebar .pane-header').evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label')));
        assert.fail(`the view shows only ${name} (its image matches): ${JSON.stringify(labels)}; pane headers: ${JSON.stringify(headers)}`);
      }
    }
    await screenshot(page, 'build-7-filtered');
    // The view says the list is filtered, and by what: in its header and above the list.
    await containersPane.locator('.pane-header').getByText(`filter: ${appFolder}:dev`).waitFor({ state: 'visible', timeout: 10_000 });
    await containersPane.getByText(`Showing containers matching "${appFolder}:dev"`).waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand(page, 'Berth: Clear Containers Filter');
    await containersPane.locator('.pane-header').getByText('filter:').waitFor({ state: 'hidden', timeout: 10_000 });
  });
  it('browses the files of a running container in the Containers view and opens one in an editor, without touching the workspace', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
    const name = await appContainerName();
    // Room for the container's files; then the Explorer in front, so Browse Files must bring the Containers view itself.
    await showBerthSideBar(page, { containersHeight: 560 });
    await runCommand(page, 'View: Show Explorer');
    // Set in the page: a window that reloads (as adding a workspace folder made it) loses it.
    await page.evaluate(() => ((globalThis as { berthNoReload?: boolean }).berthNoReload = true));

    await runCommand(page, 'Berth: Browse Files');
    await pickQuickInputRow(page, name, { timeoutMs: 15_000 });
    const wanted = ['bin', 'etc', 'www'];
    /** The rows under the container's Files row, when it shows expanded right under the container's row. */
    const filesOf = (rows: TreeRow[]) => {
      const at = rows.findIndex((row) => row.label === name);
      const files = rows[at + 1];
      if (at < 0 || files?.label !== 'Files' || files.level !== rows[at]!.level + 1 || files.expanded !== true) return undefined;
      const inside: TreeRow[] = [];
      for (const row of rows.slice(at + 2)) {
        if (row.level <= files.level) break;
        inside.push(row);
      }
      return { files, inside };
    };
    const shown = await waitUntil(
      () => treeViewRows(page, 'Containers'),
      (rows) => {
        const under = filesOf(rows);
        return under !== undefined && wanted.every((entry) => under.inside.some((row) => row.label === entry && row.level === under.files.level + 1));
      },
      {
        timeoutMs: 30_000,
        failure: (rows) => `the Containers view did not show ${name}'s Files expanded with ${wanted.join(', ')}; rows: ${JSON.stringify(rows.map((row) => [row.label, row.level, row.expanded]))}`,
        onTimeout: () => screenshot(page, 'build-8-browse-files-missing'),
      },
    );
    const under = filesOf(shown)!;
    const top = under.inside.filter((row) => row.level === under.files.level + 1);
    const folders = top.filter((row) => row.expanded !== undefined).map((row) => row.label);
    assert.deepEqual(
      top.map((row) => row.label).slice(0, folders.length),
      [...folders].sort(),
      `folders first, by name: ${JSON.stringify(top.map((row) => [row.label, row.expanded]))}`,
    );
    await screenshot(page, 'build-8-browse-files');

    // Expand www, open its page: the editor shows what the build wrote into it.
    await treeRow(page, 'Containers', /^www$/).click();
    const indexRow = await waitForTreeRow(page, 'Containers', (row) => row.label === 'index.html', { timeoutMs: 20_000, what: 'index.html under www' });
    assert.equal(indexRow.expanded, undefined, 'a file does not expand');
    await treeRow(page, 'Containers', /^index\.html$/).click();
    await activeTab(page, 'index.html').waitFor({ state: 'visible', timeout: 20_000 });
    await waitUntil(
      () => activeEditorText(page),
      (text) => text.includes(`hello from ${suffix}`),
      { timeoutMs: 15_000, failure: (text) => `the editor does not show the container's page: ${JSON.stringify(text)}`, onTimeout: () => screenshot(page, 'build-9-file-missing') },
    );
    await screenshot(page, 'build-9-file-open');

    // Each kind of row offers its own transfer: Download on a file, Upload on a folder; the container keeps both ways to its files.
    const menuOffers = async (row: RegExp, items: RegExp[]) => {
      await treeRow(page, 'Containers', row).click({ button: 'right' });
      for (const item of items) await contextMenuItem(page, item).waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Escape');
    };
    await menuOffers(/^www$/, [/^Upload Files into Container\.\.\.$/]);
    await menuOffers(new RegExp(`^${name}$`), [/^Browse Files$/, /^Add Container Files to Workspace/]);

    // Download from the file's row: VS Code's save dialog (a path in the quick input) offers the workspace folder and the file's name.
    await chooseFromContextMenu(page, { view: 'Containers', row: /^index\.html$/, item: /^Download from Container\.\.\.$/ });
    await quickInput(page).waitFor({ state: 'visible', timeout: 10_000 });
    const offered = await waitUntil(
      () => quickInput(page).inputValue(),
      (value) => value.endsWith('/index.html'),
      { timeoutMs: 10_000, failure: (value) => `the save dialog does not offer index.html: ${JSON.stringify(value)}`, onTimeout: () => screenshot(page, 'build-10-download-dialog') },
    );
    await screenshot(page, 'build-10-download-dialog');
    await page.keyboard.press('Enter');
    const downloaded = join(berth.workspace!, 'index.html');
    assert.equal(offered, downloaded, 'the dialog offers the workspace folder');
    await waitUntil(
      () => readFile(downloaded, 'utf8').catch(() => ''),
      (text) => text.includes(`hello from ${suffix}`),
      { timeoutMs: 15_000, failure: (text) => `${downloaded} does not hold the container's page: ${JSON.stringify(text)}`, onTimeout: () => screenshot(page, 'build-10-download-missing') },
    );

    // Redraws (live figures, other containers' events) leave what the user expanded as it was.
    await page.waitForTimeout(2_500);
    const later = await treeViewRows(page, 'Containers');
    assert.ok(filesOf(later), `Files is still expanded after the live figures redrew the row: ${JSON.stringify(later.map((row) => [row.label, row.expanded]))}`);
    assert.equal(later.find((row) => row.label === 'www')?.expanded, true, 'www is still expanded');
    // Open, the row is not redrawn with new figures: instead of figures that would look live it points to its tooltip, which reads them when hovered.
    const openRow = later.find((row) => row.label === name);
    assert.match(openRow?.description ?? '', / · CPU, mem on hover$/, `the open row shows no figures: ${JSON.stringify(openRow)}`);
    await treeRow(page, 'Containers', new RegExp(`^${name}$`)).hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Usage at' });
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await hover.innerText(), /Usage at .+: \d+\.\d% CPU · [\d.]+ [kMG]?B mem/, 'the tooltip gives the figures and when they were read');
    await page.mouse.move(0, 0);
    assert.equal(await page.evaluate(() => (globalThis as { berthNoReload?: boolean }).berthNoReload), true, 'the window did not reload');
    const workspaceFolders = await page.locator('.explorer-folders-view .monaco-list-row[aria-label$="(container)"]').count();
    assert.equal(workspaceFolders, 0, 'no container folder was added to the workspace');
  });

});
