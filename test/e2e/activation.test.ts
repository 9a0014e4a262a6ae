// End to end: the packaged extension (berth-<version>.vsix, made by
// `npm run package`) installed in a real VS Code (code-server) and driven in
// headless Chromium, on a temporary copy of examples/ (the repository is
// never modified). Screenshots land in test/.output/e2e/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  activeEditorText,
  activeTab,
  codeServerInstalled,
  loadCodeServerScripts,
  openFile,
  openWorkbench,
  outputDir,
  repoRoot,
  runCommand,
  screenshot,
  showOutputChannel,
  waitForProblem,
  type CodeServer,
  type CodeServerScripts,
  type Workbench,
} from './support/vscode';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
const extensionId = `${manifest.publisher}.${manifest.name}`; // berth-dev.berth
// BERTH_E2E_VSIX: try another build of the extension (default: the one `npm run package` writes).
const vsix = process.env.BERTH_E2E_VSIX || join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
const examples = join(repoRoot, 'examples');

const LANGUAGE_SERVER_CHANNEL = 'Berth Language Server';
const VIEWS = ['Containers', 'Images', 'Volumes', 'Networks', 'Engines'];

const log = (message: string) => process.stderr.write(`[e2e] ${message}\n`);

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
  let scripts: CodeServerScripts;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;

  // Installing code-server on a fresh machine takes a few minutes; once installed, a launch takes seconds.
  before(
    async () => {
      if (!existsSync(vsix)) {
        throw new Error(`${vsix} is missing: run \`npm run package\` before the end-to-end tests`);
      }
      if (!existsSync(examples)) throw new Error(`${examples} is missing`);
      await rm(outputDir, { recursive: true, force: true });
      await mkdir(outputDir, { recursive: true });
      workspace = await mkdtemp(join(tmpdir(), 'berth-e2e-workspace-'));
      await cp(examples, workspace, { recursive: true });
      scripts = await loadCodeServerScripts();
      const codeServerDir = await scripts.ensureCodeServer({ log });
      server = await scripts.launchCodeServer({ vsix, workspace, codeServerDir, log });
      log(`code-server at ${server.url}`);
      workbench = await openWorkbench(server.url);
    },
    { timeout: codeServerInstalled() ? 120_000 : 20 * 60_000 },
  );

  after(
    async () => {
      await workbench?.close();
      await server?.stop({ saveLogsTo: join(outputDir, 'logs') });
      if (workspace) await rm(workspace, { recursive: true, force: true });
    },
    { timeout: 30_000 },
  );

  it('shows the Berth container in the activity bar, and its views in the side bar when clicked', { timeout: 60_000 }, async () => {
    const page = workbench!.page;
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
    const page = workbench!.page;
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
    const deadline = Date.now() + 30_000;
    let hostLog = '';
    for (;;) {
      const logs = await scripts.findExtensionHostLogs(server!.userDataDir);
      hostLog = (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
      if (hostLog.includes(`_doActivateExtension ${extensionId}`) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(
      hostLog.includes(`_doActivateExtension ${extensionId}`),
      `the extension host log shows no activation of ${extensionId}:\n${hostLog.slice(-3000)}`,
    );
    assert.deepEqual(extensionFailures(hostLog), [], `the extension host log reports failures of ${extensionId}`);
  });

  it('shows the language server’s diagnostic in the Problems panel for a Dockerfile not starting with FROM', { timeout: 90_000 }, async () => {
    const page = workbench!.page;
    const folder = 'e2e-not-from-first';
    await mkdir(join(workspace!, folder), { recursive: true });
    await writeFile(
      join(workspace!, folder, 'Dockerfile'),
      '# Written by test/e2e/activation.test.ts: the first instruction is not FROM.\nRUN echo "no base image"\nCMD ["sh"]\n',
    );
    await openFile(page, `${folder}/Dockerfile`);
    assert.match(await activeEditorText(page), /no base image/, 'the editor shows the new Dockerfile');

    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    const problem = await waitForProblem(page, (row) => row.file.includes(`of folder ${folder}`) && /FROM/.test(row.label), {
      timeoutMs: 60_000,
    });
    assert.match(problem.label, /FROM/);
    assert.match(problem.file, /in file Dockerfile of folder e2e-not-from-first/);
    await screenshot(page, 'c-problems-first-instruction-not-from');
  });
});
