// End to end: the packaged extension (berth-<version>.vsix, made by
// `npm run package`) installed in a real VS Code (code-server) and driven in
// headless Chromium, on a temporary copy of examples/ (the repository is
// never modified). Screenshots land in test/.output/e2e/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthWindow } from './support/berthWindow';
import {
  activeEditorText,
  activeTab,
  extensionId,
  launchTimeoutMs,
  openFile,
  outputDir,
  screenshot,
  showOutputChannel,
  showProblemsPanel,
  waitForProblem,
} from './support/vscode';
import { waitUntil } from './support/waitUntil';

const LANGUAGE_SERVER_CHANNEL = 'Berth Language Server';
const VIEWS = ['Containers', 'Images', 'Volumes', 'Networks', 'Engines'];

/** Extension host log entries (a line and its continuation lines) that report a failure of our extension. */
function extensionFailures(hostLog: string): string[] {
  const entries: string[] = [];
  for (const line of hostLog.split('\n')) {
    if (/^\d{4}-\d\d-\d\d /.test(line) || entries.length === 0) entries.push(line);
    else entries[entries.length - 1] += `\n${line}`;
  }
  const id = extensionId.replace(/\./g, '\\.');
  const failed = new RegExp(`Activating extension '?${id}'? failed`, 'i');
  return entries.filter((entry) => failed.test(entry) || (/\[error\]/.test(entry) && entry.toLowerCase().includes(extensionId)));
}

describe('Berth in a real VS Code (code-server)', () => {
  const berth = new BerthWindow();

  // Installing code-server on a fresh machine takes a few minutes; once installed, a launch takes seconds.
  before(
    async () => {
      await rm(outputDir, { recursive: true, force: true });
      await mkdir(outputDir, { recursive: true });
      await berth.launch({ name: 'workspace' });
    },
    { timeout: launchTimeoutMs(120_000) },
  );

  after(
    async () => {
      await berth.close('logs');
    },
    { timeout: 30_000 },
  );

  it('shows the Berth container in the activity bar, and its views in the side bar when clicked', { timeout: 60_000 }, async () => {
    const page = berth.page;
    const item = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Berth"]');
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();

    const container = page.locator('[id="workbench.view.extension.berth"]');
    await container.waitFor({ state: 'visible' });
    const sideBarTitle = page.locator('.part.sidebar .composite.title');
    assert.match(await sideBarTitle.innerText(), /berth/i, 'the side bar title names Berth');
    for (const name of VIEWS) {
      const header = container.locator('.pane-header', { hasText: name });
      await header.first().waitFor({ state: 'visible' });
    }
    const headers = await container.locator('.pane-header h3.title').allInnerTexts();
    assert.deepEqual(
      headers.map((text) => text.trim().toLowerCase()),
      VIEWS.map((name) => name.toLowerCase()),
      'the side bar shows the five Berth views in order',
    );
    // Opening the views activates the extension, which registers a data provider for each open view.
    await container
      .getByText('There is no data provider registered')
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => assert.fail('a Berth view still says "There is no data provider registered" after 30 s'));
    await screenshot(page, 'a-activity-bar-and-views');
  });

  it('starts the language server when a Dockerfile is opened, without activation errors', { timeout: 90_000 }, async () => {
    const page = berth.page;
    await openFile(page, 'Dockerfile');
    assert.ok(await activeTab(page, 'Dockerfile').isVisible(), 'the Dockerfile editor is active');
    assert.match(await activeEditorText(page), /FROM/i, 'the editor shows the Dockerfile');

    const channels = await showOutputChannel(page, LANGUAGE_SERVER_CHANNEL, { timeoutMs: 60_000 });
    assert.ok(channels.includes(LANGUAGE_SERVER_CHANNEL), `output channels: ${channels.join(', ')}`);
    // The Output panel now shows the channel: its channel picker names it.
    const pickers = page.locator('.part.panel select.monaco-select-box');
    await pickers.first().waitFor({ state: 'visible' });
    const shown = await pickers.evaluateAll((selects) => selects.map((select) => select.querySelector('option:checked')?.textContent ?? ''));
    assert.ok(shown.includes(LANGUAGE_SERVER_CHANNEL), `the Output panel shows ${JSON.stringify(shown)}`);
    await screenshot(page, 'b-language-server-output');

    // The extension host log: the extension was activated, and nothing about it failed.
    const readHostLog = async () => {
      const logs = await berth.scripts!.findExtensionHostLogs(berth.server!.userDataDir);
      return (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
    };
    const hostLog = await waitUntil(readHostLog, (text) => text.includes(`_doActivateExtension ${extensionId}`), {
      timeoutMs: 30_000,
      intervalMs: 250,
      failure: (text) => `the extension host log shows no activation of ${extensionId}:\n${text.slice(-3000)}`,
    });
    assert.deepEqual(extensionFailures(hostLog), [], `the extension host log reports failures of ${extensionId}`);
  });

  it('shows the language server’s diagnostic in the Problems panel for a Dockerfile not starting with FROM', { timeout: 90_000 }, async () => {
    const page = berth.page;
    const folder = 'e2e-not-from-first';
    await berth.openNewFile(`${folder}/Dockerfile`, '# Written by test/e2e/activation.test.ts: the first instruction is not FROM.\nRUN echo "no base image"\nCMD ["sh"]\n');
    assert.match(await activeEditorText(page), /no base image/, 'the editor shows the new Dockerfile');

    await showProblemsPanel(page);
    const problem = await waitForProblem(page, (row) => row.file.includes(`of folder ${folder}`) && /FROM/.test(row.label), {
      timeoutMs: 60_000,
    });
    assert.match(problem.label, /FROM/);
    assert.match(problem.file, /in file Dockerfile of folder e2e-not-from-first/);
    await screenshot(page, 'c-problems-first-instruction-not-from');
  });

  it('keeps a code cache of the language server in its global storage, so that later starts do not compile it again', { timeout: 60_000 }, async () => {
    // Written some seconds after the server's first start (see server/src/lsp/codeCache.ts).
    const directory = join(berth.server!.userDataDir, 'User', 'globalStorage', extensionId.toLowerCase(), 'code-cache');
    const files = await waitUntil(
      async () => (await readdir(directory).catch(() => [] as string[])).filter((file) => file.endsWith('.cache')),
      (found) => found.length > 0,
      { timeoutMs: 30_000, intervalMs: 500, failure: () => `no code cache in ${directory} 30 s after the language server started` },
    );
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^server-[0-9a-f]{16}-[0-9a-f]{8}\.cache$/);
  });
});
