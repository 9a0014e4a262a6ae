// End to end: View Logs on a container, in a real VS Code (code-server) with the
// packaged extension, driven in headless Chromium. The logs terminal keeps
// following when the container restarts: the same terminal shows the first
// run's output, a restart marker line, then the new run's output. The restart
// comes from outside the editor (the Engine API, as `docker restart` would).
// Screenshots land in test/.output/e2e/ as logs-*.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
  repoRoot,
  resizeSideBar,
  runCommand,
  screenshot,
  setViewExpanded,
  viewPane,
  waitForTerminalText,
  waitForTreeRow,
  type CodeServer,
  type Workbench,
} from './support/vscode';

const LAUNCH_TIMEOUT_MS = launchTimeoutMs();


/** Each run prints a token of its own, so the two runs' lines are told apart. */
const RUN_LINE = /run ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;
const MARKER = /── restarted \d{1,2}:\d{2}:\d{2}( [AP]M)? ──/;

describe('View Logs follows a container across a restart', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  let engine: EngineHttpClient;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  const name = `berth-e2e-logs-${randomBytes(4).toString('hex')}`;

  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      engine = probe.client!;
      if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` before the end-to-end tests`);
      // sh as PID 1 ignores SIGTERM unless it traps it: the trap lets a restart stop it at once rather than after the grace period.
      const { Id } = await engine.json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, {
        Image: BASE_IMAGE,
        Cmd: ['sh', '-c', 'trap "exit 0" TERM; echo "run $(cat /proc/sys/kernel/random/uuid)"; while true; do sleep 1; done'],
        Labels: { [TEST_LABEL]: '1' },
      });
      await engine.json('POST', `/containers/${Id}/start`);
      workspace = await mkdtemp(join(tmpdir(), 'berth-e2e-logs-'));
      await cp(join(repoRoot, 'examples'), workspace, { recursive: true });
      const scripts = await loadCodeServerScripts();
      const codeServerDir = await scripts.ensureCodeServer({ log });
      const endpoint = engine.endpoint;
      server = await scripts.launchCodeServer({ vsix, workspace, codeServerDir, env: endpoint.source === 'rootless socket' ? { DOCKER_HOST: endpoint.url } : {}, log });
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
      await server?.stop({ saveLogsTo: join(outputDir, 'logs-logs') });
      if (workspace) await rm(workspace, { recursive: true, force: true });
      await engine?.json('DELETE', `/containers/${encodeURIComponent(name)}?force=1`, undefined, 10_000).catch((error: Error) => log(`could not remove container ${name}: ${error.message}`));
    },
    { timeout: 45_000 },
  );

  it('shows the restart marker and the new run’s output in the same logs terminal', { timeout: 90_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = workbench!.page;
    await waitForTreeRow(page, 'Containers', (row) => row.label === name && row.description.startsWith('Up'), { what: `running container ${name}` });
    const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
    const terminalText = (test: (text: string) => boolean, what: string, timeoutMs?: number) => waitForTerminalText(page, test, what, timeoutMs);
    const runs = (text: string) => [...text.matchAll(RUN_LINE)].map((match) => match[1]!);

    // The view is redrawn every second (status and CPU figures change), and other tests' containers come and go. A
    // right-click during a redraw can open no menu or land on a row that just moved there, and a menu item clicked during
    // one can reach the command without its row (it then asks for a container, in a quick pick). So the attempt counts only
    // once the terminal shows this container's line; otherwise close what opened and try again (logged).
    const viewLogs = page.locator('.context-view .monaco-menu .action-label', { hasText: /^View Logs$/ });
    for (let attempt = 1; ; attempt++) {
      try {
        await viewPane(page, 'Containers')
          .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: name }) })
          .click({ button: 'right' });
        await viewLogs.waitFor({ state: 'visible', timeout: 5_000 });
        // The menu fades in; a click during the fade can land on nothing.
        await page.waitForTimeout(300);
        await screenshot(page, 'logs-0-menu');
        await viewLogs.click({ timeout: 5_000 });
        await terminal.waitFor({ state: 'visible', timeout: 10_000 });
        await terminalText((text) => runs(text).length === 1, 'the first run’s line', 10_000);
        break;
      } catch (error) {
        await screenshot(page, `logs-0-no-terminal-${attempt}`);
        if (attempt === 4) throw error;
        log(`no logs of ${name} from View Logs on attempt ${attempt} (${(error as Error).message.split('\n')[0]}); trying again`);
        await page.keyboard.press('Escape');
        if (await terminal.isVisible()) await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
      }
    }

    const first = await terminalText((text) => runs(text).length === 1, 'the first run’s line');
    const [firstRun] = runs(first);
    await screenshot(page, 'logs-1-first-run');

    // As `docker restart` from a shell would; the editor is not involved.
    await engine.json('POST', `/containers/${encodeURIComponent(name)}/restart?t=5`, undefined, 30_000);
    const text = await terminalText((shown) => runs(shown).length === 2, 'the second run’s line', 30_000);
    const [shownFirst, secondRun] = runs(text);
    assert.equal(shownFirst, firstRun, 'the first run’s line is still there: the same terminal goes on');
    assert.notEqual(secondRun, firstRun, 'the second line comes from a new run');
    const marker = text.match(MARKER);
    assert.ok(marker, `a restart marker line: ${text}`);
    assert.ok(text.indexOf(`run ${firstRun}`) < marker.index! && marker.index! < text.indexOf(`run ${secondRun}`), `the marker sits between the runs: ${text}`);
    assert.equal(text.match(new RegExp(MARKER, 'g'))?.length, 1, `one restart, one marker: ${text}`);
    const inspected = await engine.json<{ State: { Running: boolean } }>('GET', `/containers/${encodeURIComponent(name)}/json`);
    assert.equal(inspected.State.Running, true, 'the container runs again');
    await screenshot(page, 'logs-2-restarted');
  });
});
