// Berth's activation time as a real VS Code (code-server, with the packaged
// .vsix) measures it: the "Extension Activation Stats" of "Developer: Startup
// Performance", per extension "Load Code" (the require() of its main file, with
// the per-extension `vscode` API object it asks for) and "Call Activate" (the
// synchronous activate() call); their sum is the figure "Developer: Show
// Running Extensions" shows. Run by activation.bench.ts through tsx
// (playwright-core cannot be bundled); prints one JSON line
// `{ extensions: [{ id, loadCode, callActivate, event }] }` or `{ skipped }`.
//
// Two ways to open the window (argument `together` or `alone`):
// - together: a fresh window, the Berth view opened as soon as the workbench
//   shows. Emmet activates on any language (a bare `onLanguage`, which the
//   workbench fires by itself: Emmet activates in a window without Berth too);
//   in a window still starting, its activation and Berth's `onView` reach the
//   extension host in the same tick, which starts both code loads before
//   either require() runs, so whichever comes second has the first one's
//   require() in its "Load Code". What a user who opens the Berth view right
//   away sees.
// - alone: an HTML file is opened first and the window waits until Emmet is
//   active (Running Extensions), then the Berth view is opened: Berth's own
//   figure, with nothing else loading in its tick.
// - control: as `together`, but the view opened is that of an extension that
//   does nothing (controlExtension.ts): the figure VS Code gives any extension
//   activated at that moment.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CONTROL_ID, CONTROL_TITLE, controlVsix } from './controlExtension';
import { codeServerInstalled, loadCodeServerScripts, openFile, openViewContainer, openWorkbench, repoRoot, runCommand } from '../../e2e/support/vscode';

export interface ActivationStats {
  id: string;
  loadCode: number;
  callActivate: number;
  event: string;
}

const BERTH_ID = 'berth-dev.berth';

async function main(mode: string): Promise<void> {
  if (mode !== 'together' && mode !== 'alone' && mode !== 'control') return print({ skipped: `unknown mode "${mode}" (together, alone or control)` });
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) return print({ skipped: `${vsix} is missing (npm run package)` });
  if (!codeServerInstalled()) return print({ skipped: 'code-server is not installed (npm run test:e2e installs it)' });
  // No Dockerfile or compose file: Berth activates when its view opens (onView), not at startup (workspaceContains) beside git's.
  const workspace = await mkdtemp(join(tmpdir(), 'berth-bench-activation-'));
  await cp(join(repoRoot, 'examples', 'web'), join(workspace, 'web'), { recursive: true });
  const scripts = await loadCodeServerScripts();
  const extraVsix = mode === 'control' ? [controlVsix(repoRoot, join(repoRoot, 'out/bench/activation-control.vsix'))] : [];
  const server = await scripts.launchCodeServer({ vsix, extraVsix, workspace, log: () => undefined });
  const workbench = await openWorkbench(server.url);
  try {
    const { page } = workbench;
    if (mode === 'alone') {
      await openFile(page, 'web/index.html');
      await runCommand(page, 'Developer: Show Running Extensions');
      await activated(page, 'Emmet');
    }
    const [title, name, id] = mode === 'control' ? [CONTROL_TITLE, 'Berth Activation Control', CONTROL_ID] : ['Berth', 'Berth', BERTH_ID];
    await openViewContainer(page, title);
    await runCommand(page, 'Developer: Show Running Extensions');
    await activated(page, name);
    const extensions = await activationStats(page);
    if (!extensions.some((extension) => extension.id === id)) return print({ skipped: `no activation stats for ${id}: ${JSON.stringify(extensions)}` });
    print({ extensions });
  } finally {
    await workbench.close();
    await server.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

/** Waits until Running Extensions (open) shows an activation time for the extension named `name`. */
async function activated(page: Page, name: string): Promise<void> {
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: name }).filter({ hasText: /Activation:\s*\d+\s*ms/ });
  await row.first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The rows of the "Extension Activation Stats" table of Developer: Startup Performance. */
async function activationStats(page: Page): Promise<ActivationStats[]> {
  // The report is a text editor that renders only the lines in view: make the page tall enough for the table.
  await page.setViewportSize({ width: 1600, height: 6000 });
  await runCommand(page, 'Developer: Startup Performance');
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    // From the top: the report may open scrolled.
    await editor.click();
    await page.keyboard.press('Control+Home');
    const lines = await reportLines(page);
    const start = lines.findIndex((line) => line.startsWith('## Extension Activation Stats'));
    if (start >= 0) {
      const rows: ActivationStats[] = [];
      const after = lines.slice(start + 1);
      const first = after.findIndex((line) => line.startsWith('|'));
      const end = after.findIndex((line, index) => index > first && !line.startsWith('|'));
      const table = first < 0 ? [] : after.slice(first, end < 0 ? undefined : end);
      for (const line of table) {
        // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
        const cells = line.split('|').map((cell) => cell.trim());
        const [loadCode, callActivate] = [Number(cells[3]), Number(cells[4])];
        if (cells[3] && cells[4] && Number.isFinite(loadCode) && Number.isFinite(callActivate)) rows.push({ id: cells[1]!, loadCode, callActivate, event: cells[6]! });
      }
      if (rows.length > 0) return rows;
    }
    if (Date.now() > deadline) throw new Error(`no Extension Activation Stats in Developer: Startup Performance (${lines.length} lines seen):\n${lines.slice(0, 12).join('\n')}`);
    await page.waitForTimeout(200);
  }
}

/** The lines the report's editor renders, in document order (the editor reuses line elements, placed by their `top`), spaces as spaces. */
async function reportLines(page: Page): Promise<string[]> {
  const lines = await page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .first()
    .evaluate((element) => [...element.children].map((line) => ({ top: parseFloat((line as unknown as { style: { top: string } }).style.top) || 0, text: line.textContent ?? '' })))
    .catch(() => []);
  return lines.sort((a, b) => a.top - b.top).map((line) => line.text.replace(/\u00a0/g, ' '));
}

function print(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv[2] ?? 'together').catch((error: Error) => {
  print({ skipped: `code-server run failed: ${error.message}` });
});
