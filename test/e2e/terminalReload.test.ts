// End to end: a shell opened with Attach Shell outlives a window reload, in a
// real VS Code (code-server) with the packaged extension, driven in headless
// Chromium. After "Developer: Reload Window" the terminal is back, showing
// what it showed before (replayed by the daemon), and it is the same shell
// session: a variable set before the reload is still set. Screenshots land in
// test/.output/e2e/ as reload-*.png.

import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE, TEST_LABEL, probeEngine, type EngineProbe } from '../support/engine';
import {
  e2eLog as log,
  launchTimeoutMs,
  loadCodeServerScripts,
  openViewContainer,
  openWorkbench,
  outputDir,
  packagedVsix as vsix,
  quickInputRows,
  repoRoot,
  runCommand,
  screenshot,
  waitForTerminalText,
  waitForTreeRow,
  type CodeServer,
  type Workbench,
} from './support/vscode';

const LAUNCH_TIMEOUT_MS = launchTimeoutMs();


describe('a container shell across a window reload', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  let engine: EngineHttpClient;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  const name = `berth-e2e-reload-${randomBytes(4).toString('hex')}`;

  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      engine = probe.client!;
      if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` before the end-to-end tests`);
      const { Id } = await engine.json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, {
        Image: BASE_IMAGE,
        Cmd: ['sleep', '600'],
        Labels: { [TEST_LABEL]: '1' },
      });
      await engine.json('POST', `/containers/${Id}/start`);
      workspace = await mkdtemp(join(tmpdir(), 'berth-e2e-reload-'));
      await cp(join(repoRoot, 'examples'), workspace, { recursive: true });
      const scripts = await loadCodeServerScripts();
      const codeServerDir = await scripts.ensureCodeServer({ log });
      const endpoint = engine.endpoint;
      server = await scripts.launchCodeServer({ vsix, workspace, codeServerDir, env: endpoint.source === 'rootless socket' ? { DOCKER_HOST: endpoint.url } : {}, log });
      workbench = await openWorkbench(server.url);
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await workbench?.close();
      await server?.stop({ saveLogsTo: join(outputDir, 'logs-reload') });
      if (workspace) await rm(workspace, { recursive: true, force: true });
      await engine?.json('DELETE', `/containers/${encodeURIComponent(name)}?force=1`, undefined, 10_000).catch((error: Error) => log(`could not remove container ${name}: ${error.message}`));
    },
    { timeout: 45_000 },
  );

  it('brings the shell back after a reload, with its output and its state', { timeout: 150_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = workbench!.page;
    const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
    const terminalText = (test: (text: string) => boolean, what: string, timeoutMs?: number) => waitForTerminalText(page, test, what, timeoutMs);
    const type = async (line: string) => {
      await page.locator('.terminal-wrapper.active .xterm-helper-textarea').focus();
      await page.keyboard.type(line);
    };

    // The palette lists Berth's container commands once the daemon is connected: wait for the container to show.
    await openViewContainer(page, 'Berth');
    await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === name && candidate.description.startsWith('Up'), { what: `running container ${name}` });
    // From the palette: the command asks which running container.
    await runCommand(page, 'Berth: Attach Shell');
    const row = quickInputRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await terminal.waitFor({ state: 'visible', timeout: 20_000 });
    await terminalText((text) => /[#$]\s*$/.test(text), 'a shell prompt');
    await type('KEPT=kept-$((3*3)); echo before-$((6*7))\n');
    await terminalText((text) => text.includes('before-42'), 'the echo before the reload');
    await screenshot(page, 'reload-1-before');

    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The daemon replays what the shell printed; the new window's terminal shows it without anything typed.
    const replayed = await terminalText((text) => text.includes('before-42'), 'the replayed output after the reload', 60_000);
    log(`after the reload the terminal shows: ${replayed.trim().slice(-80)}`);
    await screenshot(page, 'reload-2-replayed');

    await type('echo "$KEPT" after-$((1+1))\n');
    await terminalText((text) => text.includes('kept-9 after-2'), 'the variable set before the reload, in the same shell');
    await screenshot(page, 'reload-3-same-session');
    await type('exit\n');
    await terminalText((text) => text.includes('exited with code 0'), 'the exit code');
  });
});
