// Drives a real VS Code (code-server, started by scripts/code-server.mjs) in
// Debian's headless Chromium with playwright-core. The selectors here are the
// ones known to work with code-server 4.100.3 (VS Code 1.100); see
// /work/shared/notes/machine.md.

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitUntil } from './waitUntil';

// tsx provides import.meta.url whether it loads this file as ESM or as CommonJS
// (its __dirname is not reliable when an ES module imports this file).
const here = typeof import.meta?.url === 'string' ? dirname(fileURLToPath(import.meta.url)) : __dirname;

/** The repository root (the folder with Berth's package.json). */
export const repoRoot = resolve(here, '..', '..', '..');

/** Screenshots and saved logs; gitignored. */
export const outputDir = join(repoRoot, 'test', '.output', 'e2e');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Generous but bounded: the workbench is ready in ~5 s on this machine. */
export const WORKBENCH_TIMEOUT_MS = 60_000;

/** Berth's package.json, as far as the tests need it. */
export const berthManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };

/** The extension's id, as VS Code names it in its logs (berth-dev.berth). */
export const extensionId = `${berthManifest.publisher}.${berthManifest.name}`;

/** The packaged extension the tests install: `BERTH_E2E_VSIX` (to try another build), else the .vsix `npm run package` wrote at the root. */
export const packagedVsix = process.env.BERTH_E2E_VSIX || join(repoRoot, `${berthManifest.name}-${berthManifest.version}.vsix`);

/** How long a test file may take to launch code-server: long the first time on a machine, when it is installed. */
export function launchTimeoutMs(installedMs = 90_000): number {
  return codeServerInstalled() ? installedMs : 20 * 60_000;
}

/** A line of the end-to-end run's own log, on stderr beside the runner's output. */
export function e2eLog(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}


const ACTION_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------
// scripts/code-server.mjs, typed (it is plain JavaScript without declarations)

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  stop(options?: { saveLogsTo?: string }): Promise<void>;
}

export interface CodeServerScripts {
  CODE_SERVER_VERSION: string;
  codeServerCacheDir(): string;
  ensureCodeServer(options?: { log?: (message: string) => void }): Promise<string>;
  launchCodeServer(options: {
    vsix: string;
    /** More .vsix files to install beside `vsix`. */
    extraVsix?: string[];
    workspace: string;
    port?: number;
    settings?: Record<string, unknown>;
    /** Merged over the environment of code-server (and so of the extension host and the daemon); `undefined` removes a key. */
    env?: Record<string, string | undefined>;
    log?: (message: string) => void;
    codeServerDir?: string;
    readyTimeoutMs?: number;
  }): Promise<CodeServer>;
  findExtensionHostLogs(userDataDir: string): Promise<string[]>;
  findOutputChannelLogs(userDataDir: string, extensionId: string): Promise<string[]>;
}

export async function loadCodeServerScripts(): Promise<CodeServerScripts> {
  const url = pathToFileURL(join(repoRoot, 'scripts', 'code-server.mjs')).href;
  return (await import(url)) as CodeServerScripts;
}

/** True when code-server is already installed in the machine's cache (so `before` can use a short timeout). */
export function codeServerInstalled(): boolean {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(process.env.HOME ?? tmpdir(), '.cache');
  const dir = join(cacheRoot, 'berth');
  try {
    const source = readFileSync(join(repoRoot, 'scripts', 'code-server.mjs'), 'utf8');
    const version = /CODE_SERVER_VERSION = '([^']+)'/.exec(source)?.[1];
    return version !== undefined && existsSync(join(dir, `code-server-${version}`, '.berth-install-complete'));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Browser

export interface Workbench {
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far (saved next to the screenshots on close). */
  consoleErrors: string[];
  close(): Promise<void>;
}

const open = new Set<Workbench>();

/** Opens `url` (a code-server workbench) in a fresh headless Chromium; resolves once `.monaco-workbench` is visible. */
export async function openWorkbench(url: string, { timeoutMs = WORKBENCH_TIMEOUT_MS } = {}): Promise<Workbench> {
  // Keep Chromium's profile, crash reports and caches out of $HOME.
  const home = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    timeout: timeoutMs,
  });
  const consoleErrors: string[] = [];
  let closed = false;
  const workbench: Workbench = {
    browser,
    page: undefined as unknown as Page,
    consoleErrors,
    async close() {
      if (closed) return;
      closed = true;
      open.delete(workbench);
      await browser.close().catch(() => {});
      await rm(home, { recursive: true, force: true });
      if (consoleErrors.length > 0) {
        await mkdir(outputDir, { recursive: true });
        await writeFile(join(outputDir, 'browser-console-errors.log'), consoleErrors.join('\n') + '\n');
      }
    },
  };
  open.add(workbench);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    workbench.page = page;
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.stack ?? error.message}`));
    await page.goto(url, { timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    return workbench;
  } catch (error) {
    await workbench.close();
    throw error;
  }
}

/** Closes every browser `openWorkbench` opened and has not closed yet. */
export async function close(): Promise<void> {
  await Promise.all([...open].map((workbench) => workbench.close()));
}

/** Saves a full-window PNG as test/.output/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  const file = join(outputDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

// ---------------------------------------------------------------------------
// Quick input (command palette, Quick Open, pickers)

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input.input');
}

export function quickInputRows(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

/** The labels of the rows the quick input shows now. */
export async function quickInputLabels(page: Page): Promise<string[]> {
  return quickInputRows(page).evaluateAll((rows) =>
    rows.map((row) => (row.querySelector('.label-name')?.textContent ?? row.getAttribute('aria-label') ?? '').trim()),
  );
}

/** Waits for the quick input row labelled exactly `label` and clicks it (a pick the command opened). */
export async function pickQuickInputRow(page: Page, label: string, { timeoutMs = ACTION_TIMEOUT_MS } = {}): Promise<void> {
  const row = quickInputRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/**
 * Types `text` into the open quick input and accepts it (the first row, for a
 * pick); `beforeEnter` runs just before (a screenshot of the answer).
 */
export async function answerQuickInput(
  page: Page,
  text: string,
  { timeoutMs = 10_000, beforeEnter }: { timeoutMs?: number; beforeEnter?: () => unknown } = {},
): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(text);
  // Let a pick filter its rows before Enter takes the first one.
  await page.waitForTimeout(150);
  await beforeEnter?.();
  await page.keyboard.press('Enter');
}

async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  }
}

/**
 * Waits until the open quick input shows a row matching one of `matchers`
 * (tried in order, so the first is preferred) and clicks it.
 */
async function pickRow(
  page: Page,
  what: string,
  matchers: Array<(label: string, description: string) => boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    const rows = await quickInputRows(page).evaluateAll((elements) =>
      elements.map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        index: row.getAttribute('data-index') ?? '',
      })),
    );
    seen = rows.map((row) => (row.description ? `${row.label} (${row.description})` : row.label));
    for (const match of matchers) {
      const found = rows.find((row) => match(row.label, row.description));
      if (found) {
        await quickInputRows(page).and(page.locator(`[data-index="${found.index}"]`)).click();
        return;
      }
    }
    if (Date.now() > deadline) {
      await closeQuickInput(page);
      throw new Error(`${what}: no matching row within ${Math.round(timeoutMs / 1000)} s; rows were: ${JSON.stringify(seen)}`);
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Runs a command by its title through the command palette (Ctrl+Shift+P).
 * Picks the row whose label is `title`, or else one that starts with it
 * ("View: Focus Problems" runs "View: Focus Problems (Errors, Warnings, Infos)").
 */
export async function runCommand(page: Page, title: string, { timeoutMs = ACTION_TIMEOUT_MS } = {}): Promise<void> {
  await closeQuickInput(page);
  await page.keyboard.press('Control+Shift+P');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  await pickRow(page, `command "${title}"`, [(label) => label === title, (label) => label.startsWith(title)], timeoutMs);
}

/**
 * Opens a workspace file by its workspace-relative path through Quick Open
 * (Ctrl+P) and waits for its editor tab to be the active one.
 */
export async function openFile(page: Page, relativePath: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const parts = relativePath.split('/');
  const name = parts.pop() as string;
  const folder = parts.join('/');
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  // A file at the root has no description; one in a folder has the folder as description.
  await pickRow(page, `Quick Open "${relativePath}"`, [(label, description) => label === name && description === folder], timeoutMs);
  await activeTab(page, name).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The active editor tab with this label. */
export function activeTab(page: Page, label: string): Locator {
  return page.locator(`.tabs-container .tab.active[aria-label="${label}"], .tabs-container .tab.active[aria-label^="${label},"]`);
}

/** The text of the visible lines of the active editor. */
export async function activeEditorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await lines.waitFor({ state: 'visible' });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

// ---------------------------------------------------------------------------
// Panels

/**
 * The output channels listed by "Output: Show Output Channels...", once
 * `name` is among them (retrying until `timeoutMs`); selecting it shows the
 * channel in the Output panel. Returns all the channel names that were listed.
 */
export async function showOutputChannel(page: Page, name: string, { timeoutMs = 60_000 } = {}): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand(page, 'Output: Show Output Channels...');
    await quickInputRows(page).first().waitFor({ state: 'visible' });
    await page.waitForTimeout(200); // let the list settle
    const channels = await quickInputLabels(page);
    if (channels.includes(name)) {
      await pickRow(page, `output channel "${name}"`, [(label) => label === name], 5_000);
      return channels;
    }
    await closeQuickInput(page);
    if (Date.now() > deadline) {
      throw new Error(`no output channel "${name}" within ${Math.round(timeoutMs / 1000)} s; channels: ${JSON.stringify(channels)}`);
    }
    await page.waitForTimeout(1000);
  }
}

/** Opens the Problems panel ("View: Focus Problems"). */
export async function showProblemsPanel(page: Page): Promise<void> {
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel').waitFor({ state: 'visible' });
}

export interface ProblemRow {
  /** The file row's aria-label this problem is listed under, e.g. "1 problems in file Dockerfile of folder broken". */
  file: string;
  /** The problem row's aria-label, e.g. "Error: A Dockerfile must begin with FROM at line 1 and character 1." */
  label: string;
}

/** The problems the Problems panel shows (it must be open: run "View: Focus Problems" first). */
export async function problems(page: Page): Promise<ProblemRow[]> {
  const labels = await page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''));
  const result: ProblemRow[] = [];
  let file = '';
  for (const label of labels) {
    if (/ problems? in file /.test(label)) file = label;
    else result.push({ file, label });
  }
  return result;
}

/** Waits until a problem satisfying `match` is listed; returns it. */
export async function waitForProblem(
  page: Page,
  match: (row: ProblemRow) => boolean,
  { timeoutMs = 60_000 } = {},
): Promise<ProblemRow> {
  const deadline = Date.now() + timeoutMs;
  let rows: ProblemRow[] = [];
  for (;;) {
    rows = await problems(page);
    const found = rows.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no matching problem within ${Math.round(timeoutMs / 1000)} s; Problems panel showed: ${JSON.stringify(rows)}`);
    }
    await page.waitForTimeout(250);
  }
}

// ---------------------------------------------------------------------------
// Side bar views (tree views contributed by an extension)

/** Opens a view container by its activity bar item (e.g. "Berth"); resolves once the side bar shows it. */
export async function openViewContainer(page: Page, title: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const escaped = escapeRegExp(title);
  const sideBarTitle = page.locator('.part.sidebar .composite.title .title-label h2', { hasText: new RegExp(`^\\s*${escaped}\\s*$`, 'i') });
  // Clicking the item of the container already shown would hide the side bar.
  if (!(await sideBarTitle.isVisible())) await item.click();
  await sideBarTitle.waitFor({ state: 'visible', timeout: timeoutMs });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pane of the side bar view named `name` (its header, e.g. "Containers"). */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
}

/** The row of view `view` whose label matches `label` (a string matches part of it). */
export function treeRow(page: Page, view: string, label: string | RegExp): Locator {
  return viewPane(page, view).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) });
}

/** Expands or collapses a side bar view by clicking its header (if it is not that way already). */
export async function setViewExpanded(page: Page, name: string, expanded: boolean): Promise<void> {
  const header = viewPane(page, name).locator('.pane-header');
  await header.waitFor({ state: 'visible' });
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) {
    await header.click();
    await viewPane(page, name).locator(`.pane-header[aria-expanded="${expanded}"]`).waitFor({ state: 'visible', timeout: 5_000 });
  }
}

/** Drags the side bar's edge so it is about `width` pixels wide (descriptions are cut off at the default 300). */
export async function resizeSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('resizeSideBar: the side bar is not visible');
  await drag(page, { x: box.x + box.width - 1, y: box.y + box.height / 2 }, { x: box.x + width - 1, y: box.y + box.height / 2 });
}

/** Drags the lower edge of an expanded side bar view so it is about `height` pixels tall (the views below give up the room). */
export async function resizeView(page: Page, name: string, height: number): Promise<void> {
  const box = await viewPane(page, name).boundingBox();
  if (!box) throw new Error(`resizeView: the ${name} view is not visible`);
  await drag(page, { x: box.x + box.width / 2, y: box.y + box.height }, { x: box.x + box.width / 2, y: box.y + height });
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  // Away from the sash, or the screenshot shows it highlighted.
  await page.mouse.move(to.x, 1);
}

export interface TreeRow {
  /** The item's label, e.g. the container's name. */
  label: string;
  /** The dimmer text beside the label, e.g. "ready · Docker 20.10.24 (API 1.41)". */
  description: string;
  /** The row's aria-label: the item's tooltip when it has one, else its label. */
  ariaLabel: string;
  /** The codicon the row shows, e.g. `vm-running`; '' without one. */
  icon: string;
  /** How deep the row is: 1 for a top row, 2 for a row inside it… */
  level: number;
  /** Whether the row is expanded; undefined for a row that cannot expand. */
  expanded: boolean | undefined;
}

/**
 * The rows a tree view shows now (rendered rows only: a long list is virtual,
 * so give the view room). Empty when the view shows its welcome content.
 */
export async function treeViewRows(page: Page, name: string): Promise<TreeRow[]> {
  return viewPane(page, name)
    .locator('.pane-body .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        ariaLabel: (row.getAttribute('aria-label') ?? '').trim(),
        icon: /(?:^|\s)codicon-([\w-]+)/.exec(row.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
        level: Number(row.getAttribute('aria-level') ?? '1'),
        expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
      })),
    );
}

/** The welcome content a view shows instead of its (empty) tree, or '' when it shows the tree. */
export async function viewWelcomeText(page: Page, name: string): Promise<string> {
  const content = viewPane(page, name).locator('.pane-body.welcome .welcome-view-content');
  if ((await content.count()) === 0) return '';
  return (await content.first().innerText()).trim();
}

/** Waits until the view shows a row satisfying `match`; returns it. The error names what the view showed instead. */
export async function waitForTreeRow(
  page: Page,
  name: string,
  match: (row: TreeRow) => boolean,
  { timeoutMs = 30_000, what = 'a matching row' } = {},
): Promise<TreeRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await treeViewRows(page, name);
    const found = rows.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      const welcome = await viewWelcomeText(page, name);
      throw new Error(
        `the ${name} view showed no ${what} within ${Math.round(timeoutMs / 1000)} s; ` +
          `rows: ${JSON.stringify(rows)}${welcome ? `; welcome text: ${JSON.stringify(welcome)}` : ''}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** Waits until the view's welcome content includes `text`; returns all of it. */
export async function waitForViewWelcome(page: Page, name: string, text: string, { timeoutMs = 30_000 } = {}): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const welcome = await viewWelcomeText(page, name);
    if (welcome.includes(text)) return welcome;
    if (Date.now() > deadline) {
      const rows = await treeViewRows(page, name);
      throw new Error(
        `the ${name} view did not say ${JSON.stringify(text)} within ${Math.round(timeoutMs / 1000)} s; ` +
          `welcome text: ${JSON.stringify(welcome)}; rows: ${JSON.stringify(rows)}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** Waits until the view shows no row satisfying `match`; `failure` is the test's failure message, given the rows shown last. */
export async function waitForNoTreeRow(
  page: Page,
  name: string,
  match: (row: TreeRow) => boolean,
  { timeoutMs, failure }: { timeoutMs: number; failure: (rows: TreeRow[]) => string },
): Promise<void> {
  await waitUntil(() => treeViewRows(page, name), (rows) => !rows.some(match), { timeoutMs, intervalMs: 100, failure });
}

// ---------------------------------------------------------------------------
// Dialogs

/** The modal dialog (a confirmation the extension asks for). */
export function modalDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box');
}

/** Waits for the modal dialog; returns its text. */
export async function waitForDialog(page: Page, { timeoutMs = 20_000 } = {}): Promise<string> {
  await modalDialog(page).waitFor({ state: 'visible', timeout: timeoutMs });
  return modalDialog(page).innerText();
}

/** Clicks the modal dialog's button whose text matches `label`. */
export async function clickDialogButton(page: Page, label: RegExp): Promise<void> {
  await modalDialog(page).locator('.monaco-button', { hasText: label }).click();
}
