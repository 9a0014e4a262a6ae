// One VS Code window with Berth: code-server launched with the packaged .vsix
// on a temporary workspace, and a headless Chromium on it. Every e2e file
// launches through here and closes through here, so a launch that failed half
// way still leaves nothing behind (each part is kept as soon as it exists).

import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  e2eLog,
  loadCodeServerScripts,
  openFile,
  openWorkbench,
  outputDir,
  packagedVsix,
  repoRoot,
  type CodeServer,
  type CodeServerScripts,
  type Workbench,
} from './vscode';

export interface LaunchOptions {
  /** Names the temporary workspace folder (`berth-e2e-<name>-…`). */
  name: string;
  /** Copy the repository's examples/ into the workspace (default); the repository itself is never opened. */
  examples?: boolean;
  /** Writes what the test needs into the workspace before the window opens it. */
  prepare?: (workspace: string) => Promise<void>;
  /** Merged over code-server's environment (and so the extension host's and the daemon's); `undefined` removes a key. */
  env?: Record<string, string | undefined>;
  /** User settings over the launch's base settings. */
  settings?: Record<string, unknown>;
}

export class BerthWindow {
  scripts?: CodeServerScripts;
  server?: CodeServer;
  workbench?: Workbench;
  /** The temporary workspace folder; its path stays known after `close` removed it. */
  workspace?: string;

  /** The window's page; only once `launch` succeeded. */
  get page(): Page {
    if (!this.workbench) throw new Error('the Berth window is not open (its launch failed or was skipped)');
    return this.workbench.page;
  }

  async launch({ name, examples = true, prepare, env = {}, settings = {} }: LaunchOptions): Promise<void> {
    if (!existsSync(packagedVsix)) throw new Error(`${packagedVsix} is missing: run \`npm run package\` before the end-to-end tests`);
    const examplesDir = join(repoRoot, 'examples');
    if (examples && !existsSync(examplesDir)) throw new Error(`${examplesDir} is missing`);
    this.workspace = await mkdtemp(join(tmpdir(), `berth-e2e-${name}-`));
    if (examples) await cp(examplesDir, this.workspace, { recursive: true });
    await prepare?.(this.workspace);
    this.scripts = await loadCodeServerScripts();
    const codeServerDir = await this.scripts.ensureCodeServer({ log: e2eLog });
    this.server = await this.scripts.launchCodeServer({ vsix: packagedVsix, workspace: this.workspace, codeServerDir, env, settings, log: e2eLog });
    const withEnv = Object.keys(env).length ? ` with ${JSON.stringify(env)}` : '';
    const withSettings = Object.keys(settings).length ? ` and settings ${JSON.stringify(settings)}` : '';
    e2eLog(`code-server at ${this.server.url}${withEnv}${withSettings}`);
    this.workbench = await openWorkbench(this.server.url);
  }

  /** Closes the browser, stops code-server (its logs saved as test/.output/e2e/<logsName>/) and removes the workspace. */
  async close(logsName: string): Promise<void> {
    await this.workbench?.close();
    await this.server?.stop({ saveLogsTo: join(outputDir, logsName) });
    if (this.workspace) await rm(this.workspace, { recursive: true, force: true });
  }

  /** Writes a new file into the workspace (as another program would) and opens it in an editor. */
  async openNewFile(relativePath: string, text: string): Promise<void> {
    if (!this.workspace) throw new Error('the Berth window has no workspace (its launch failed or was skipped)');
    await writeWorkspaceFile(this.workspace, relativePath, text);
    await openFile(this.page, relativePath);
  }
}

/** Writes `relativePath` below `workspace`, making its folders. */
export async function writeWorkspaceFile(workspace: string, relativePath: string, text: string): Promise<void> {
  const file = join(workspace, relativePath);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
