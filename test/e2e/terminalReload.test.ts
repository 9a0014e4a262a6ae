// End to end: a shell opened with Attach Shell outlives a window reload, in a
// real VS Code (code-server) with the packaged extension, driven in headless
// Chromium. After "Developer: Reload Window" the terminal is back, showing
// what it showed before (replayed by the daemon), and it is the same shell
// session: a variable set before the reload is still set. Screenshots land in
// test/.output/e2e/ as reload-*.png.

import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { typeInTerminal, waitForActiveTerminal, waitForTerminalText } from './support/terminal';
import { e2eLog as log, openViewContainer, pickQuickInputRow, runCommand, screenshot, waitForTreeRow } from './support/vscode';
import { useWindowOnContainer } from './support/windowOnContainer';

describe('a container shell across a window reload', () => {
  const name = `berth-e2e-reload-${randomBytes(4).toString('hex')}`;
  const { berth, missing } = useWindowOnContainer({ name: 'reload', container: name, cmd: ['sleep', '600'] });

  it('brings the shell back after a reload, with its output and its state', { timeout: 150_000 }, async (t) => {
    if (missing(t)) return;
    const page = berth.page;
    const terminalText = (test: (text: string) => boolean, what: string, timeoutMs?: number) => waitForTerminalText(page, test, what, timeoutMs);
    const type = (line: string) => typeInTerminal(page, line);

    // The palette lists Berth's container commands once the daemon is connected: wait for the container to show.
    await openViewContainer(page, 'Berth');
    await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === name && candidate.description.startsWith('Up'), { what: `running container ${name}` });
    // From the palette: the command asks which running container.
    await runCommand(page, 'Berth: Attach Shell');
    await pickQuickInputRow(page, name, { timeoutMs: 30_000 });
    await waitForActiveTerminal(page, { timeoutMs: 20_000 });
    await terminalText((text) => /[#$]\s*$/.test(text), 'a shell prompt');
    await type('KEPT=kept-$((3*3)); echo before-$((6*7))\n');
    await terminalText((text) => text.includes('before-42'), 'the echo before the reload');
    await screenshot(page, 'reload-1-before');

    // Waits for the new page's load: the old page's workbench and terminal would otherwise pass the checks below
    // while the reload is still under way (and a screenshot taken then fails).
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
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
