// End to end: View Logs on a container, in a real VS Code (code-server) with the
// packaged extension, driven in headless Chromium. The logs terminal keeps
// following when the container restarts: the same terminal shows the first
// run's output, a restart marker line, then the new run's output. The restart
// comes from outside the editor (the Engine API, as `docker restart` would).
// Screenshots land in test/.output/e2e/ as logs-*.png.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chooseFromContextMenu } from './support/contextMenu';
import { activeTerminal, waitForTerminalText } from './support/terminal';
import { runCommand, screenshot, waitForTreeRow } from './support/vscode';
import { useWindowOnContainer } from './support/windowOnContainer';

/** Each run prints a token of its own, so the two runs' lines are told apart. */
const RUN_LINE = /run ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;
const MARKER = /── restarted \d{1,2}:\d{2}:\d{2}( [AP]M)? ──/;

describe('View Logs follows a container across a restart', () => {
  const name = `berth-e2e-logs-${randomBytes(4).toString('hex')}`;
  const { berth, engine, missing } = useWindowOnContainer({
    name: 'logs',
    container: name,
    // sh as PID 1 ignores SIGTERM unless it traps it: the trap lets a restart stop it at once rather than after the grace period.
    cmd: ['sh', '-c', 'trap "exit 0" TERM; echo "run $(cat /proc/sys/kernel/random/uuid)"; while true; do sleep 1; done'],
    sideBarWidth: 820,
  });

  it('shows the restart marker and the new run’s output in the same logs terminal', { timeout: 90_000 }, async (t) => {
    if (missing(t)) return;
    const page = berth.page;
    await waitForTreeRow(page, 'Containers', (row) => row.label === name && row.description.startsWith('Up'), { what: `running container ${name}` });
    const terminal = activeTerminal(page);
    const terminalText = (test: (text: string) => boolean, what: string, timeoutMs?: number) => waitForTerminalText(page, test, what, timeoutMs);
    const runs = (text: string) => [...text.matchAll(RUN_LINE)].map((match) => match[1]!);

    // A right-click during a redraw of the view can open no menu or land on a row that just moved there, and the command
    // can run without its row (it then asks for a container): the attempt counts only once the terminal shows this
    // container's line; otherwise close what opened and try again.
    await chooseFromContextMenu(
      page,
      { view: 'Containers', row: name, item: /^View Logs$/ },
      {
        attempts: 4,
        beforeClick: () => screenshot(page, 'logs-0-menu'),
        took: async () => {
          await terminal.waitFor({ state: 'visible', timeout: 10_000 });
          await terminalText((text) => runs(text).length === 1, 'the first run’s line', 10_000);
        },
        failureScreenshot: 'logs-0-no-terminal',
        beforeRetry: async () => {
          if (await terminal.isVisible()) await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
        },
      },
    );

    const first = await terminalText((text) => runs(text).length === 1, 'the first run’s line');
    const [firstRun] = runs(first);
    await screenshot(page, 'logs-1-first-run');

    // As `docker restart` from a shell would; the editor is not involved.
    await engine().json('POST', `/containers/${encodeURIComponent(name)}/restart?t=5`, undefined, 30_000);
    const text = await terminalText((shown) => runs(shown).length === 2, 'the second run’s line', 30_000);
    const [shownFirst, secondRun] = runs(text);
    assert.equal(shownFirst, firstRun, 'the first run’s line is still there: the same terminal goes on');
    assert.notEqual(secondRun, firstRun, 'the second line comes from a new run');
    const marker = text.match(MARKER);
    assert.ok(marker, `a restart marker line: ${text}`);
    assert.ok(text.indexOf(`run ${firstRun}`) < marker.index! && marker.index! < text.indexOf(`run ${secondRun}`), `the marker sits between the runs: ${text}`);
    assert.equal(text.match(new RegExp(MARKER, 'g'))?.length, 1, `one restart, one marker: ${text}`);
    const inspected = await engine().json<{ State: { Running: boolean } }>('GET', `/containers/${encodeURIComponent(name)}/json`);
    assert.equal(inspected.State.Running, true, 'the container runs again');
    await screenshot(page, 'logs-2-restarted');
  });
});
