// End to end: several engines in a real VS Code (code-server) with the packaged
// extension, driven in headless Chromium. The Engines view shows the machine's
// engine and its health; "Berth: Add Engine…" adds one that cannot be reached
// (a closed local TCP port), whose row says why; switching to it makes the
// Containers view name it and the reason; "Berth: Remove Engine" asks first and
// then removes it. HOME is a temporary folder, so the daemon saves the added
// engine there (~/.berth/engines.json), not in the user's home. Screenshots
// land in test/.output/e2e/ as engines-*.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { probeEngine, type EngineProbe } from '../support/engine';
import {
  codeServerInstalled,
  loadCodeServerScripts,
  openViewContainer,
  openWorkbench,
  outputDir,
  quickInput,
  repoRoot,
  resizeSideBar,
  runCommand,
  screenshot,
  setViewExpanded,
  treeViewRows,
  waitForTreeRow,
  type CodeServer,
  type Workbench,
} from './support/vscode';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const vsix = process.env.BERTH_E2E_VSIX || join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
const LAUNCH_TIMEOUT_MS = codeServerInstalled() ? 90_000 : 20 * 60_000;
/** Port 9 (discard) is closed here: connecting is refused at once. */
const NOWHERE = 'tcp://127.0.0.1:9';
const NAME = 'nowhere';

const log = (message: string) => process.stderr.write(`[e2e] ${message}\n`);

/** Types `text` into the open quick input and accepts it (the first row, for a pick). */
async function answer(page: Page, text: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
}

describe('several engines in the Berth side bar', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  let home: string | undefined;

  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` before the end-to-end tests`);
      workspace = await mkdtemp(join(tmpdir(), 'berth-e2e-engines-'));
      await cp(join(repoRoot, 'examples'), workspace, { recursive: true });
      home = await mkdtemp(join(tmpdir(), 'berth-e2e-home-'));
      const scripts = await loadCodeServerScripts();
      const codeServerDir = await scripts.ensureCodeServer({ log });
      const endpoint = probe.client!.endpoint;
      server = await scripts.launchCodeServer({ vsix, workspace, codeServerDir, env: { HOME: home, ...(endpoint.source === 'rootless socket' ? { DOCKER_HOST: endpoint.url } : {}) }, log });
      workbench = await openWorkbench(server.url);
      await openViewContainer(workbench.page, 'Berth');
      await setViewExpanded(workbench.page, 'Images', false);
      await resizeSideBar(workbench.page, 820);
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await workbench?.close();
      await server?.stop({ saveLogsTo: join(outputDir, 'logs-engines') });
      for (const folder of [workspace, home]) if (folder) await rm(folder, { recursive: true, force: true });
    },
    { timeout: 45_000 },
  );

  it('shows the machine’s engine with its health', { timeout: 45_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const row = await waitForTreeRow(workbench!.page, 'Engines', (candidate) => /ready · Docker/.test(candidate.description), { what: 'ready engine' });
    const version = await probe.client!.json<{ Version: string }>('GET', '/version');
    assert.ok(row.description.includes(`Docker ${version.Version}`), `the row names the engine's version ${version.Version}: ${row.description}`);
    await screenshot(workbench!.page, 'engines-ready');
  });

  it('adds an engine that cannot be reached and says why, switches to it, and removes it after asking', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = workbench!.page;
    await runCommand(page, 'Berth: Add Engine…');
    await answer(page, NOWHERE);
    await answer(page, 'No TLS');
    await answer(page, NAME);
    const added = await waitForTreeRow(page, 'Engines', (row) => row.label === NOWHERE && row.description.includes('unreachable'), { what: `row for ${NOWHERE} saying it is unreachable`, timeoutMs: 30_000 });
    assert.match(added.description, /unreachable: .*(refused|ECONNREFUSED)/i, `the row says why: ${added.description}`);
    await screenshot(page, 'engines-added');

    await runCommand(page, 'Berth: Switch Engine');
    await answer(page, NAME);
    // The Containers view now names the active engine and why it shows nothing.
    const trouble = await waitForTreeRow(page, 'Containers', (row) => row.label.startsWith(`${NAME} (${NOWHERE}) is unreachable`), { what: 'row naming the unreachable active engine', timeoutMs: 15_000 });
    assert.match(trouble.label, /refused/i);
    await waitForTreeRow(page, 'Engines', (row) => row.label === NOWHERE && row.description.startsWith(`${NAME} · active ·`), { what: 'the added engine marked active' });
    await screenshot(page, 'engines-switched');

    await runCommand(page, 'Berth: Remove Engine');
    await answer(page, NAME);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`Remove engine "${NAME}"`), `the dialog names the engine: ${text}`);
    assert.match(text, /Nothing on the engine itself is removed/);
    await screenshot(page, 'engines-remove-dialog');
    await dialog.locator('.monaco-button', { hasText: /^Remove Engine$/ }).click();
    const deadline = Date.now() + 15_000;
    while ((await treeViewRows(page, 'Engines')).some((row) => row.label === NOWHERE)) {
      if (Date.now() > deadline) assert.fail(`${NOWHERE} is still in the Engines view after removing it`);
      await page.waitForTimeout(100);
    }
    // Back on the machine's engine.
    await waitForTreeRow(page, 'Engines', (row) => /ready · Docker/.test(row.description), { what: 'the machine engine, ready' });
    assert.equal(JSON.parse(readFileSync(join(home!, '.berth', 'engines.json'), 'utf8')).engines?.length ?? 0, 0, 'the daemon forgot the engine');
    await screenshot(page, 'engines-removed');
  });
});
