// End to end: "Show Stats" on a running container, in a real VS Code
// (code-server) with the packaged extension, driven in headless Chromium. The
// container burns CPU capped at a fifth of one CPU, so its figure is known to
// be well above zero; the panel's charts must grow as samples come. Stopping
// the container stops the panel (it says so and offers Reconnect); starting it
// again and clicking Reconnect brings the figures back. Screenshots land in
// test/.output/e2e/ as stats-*.png.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FrameLocator, Page } from 'playwright-core';
import { chooseFromContextMenu, RowLostError } from './support/contextMenu';
import { screenshot, waitForTreeRow } from './support/vscode';
import { waitUntil } from './support/waitUntil';
import { useWindowOnContainer } from './support/windowOnContainer';

/** The engine samples stats once a second; allow for a busy machine. */
const SAMPLE_TIMEOUT_MS = 20_000;

/** The stats panel's page: VS Code puts a webview in an iframe holding another (`#active-frame`) with the page. */
function statsPage(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Reads until `test` holds; the failure says `what` did not happen, with the last value seen. */
function waitFor<T>(what: string, read: () => Promise<T>, test: (value: T) => boolean): Promise<T> {
  return waitUntil(read, test, { timeoutMs: SAMPLE_TIMEOUT_MS, failure: (last) => `${what} within ${SAMPLE_TIMEOUT_MS / 1000} s; last seen: ${JSON.stringify(last)}` });
}

describe('the stats panel of one container', () => {
  const name = `berth-e2e-stats-${randomBytes(4).toString('hex')}`;
  const { berth, engine: engineOf, missing } = useWindowOnContainer({
    name: 'stats',
    container: name,
    // A busy loop held to a fifth of one CPU by the engine: a steady, known load.
    cmd: ['sh', '-c', 'while :; do :; done'],
    hostConfig: { NanoCpus: 200_000_000 },
    sideBarWidth: 420,
  });

  it('opens from the context menu and draws live CPU figures; stops with the container and reconnects', { timeout: 150_000 }, async (t) => {
    if (missing(t)) return;
    const page = berth.page;
    const engine = engineOf();
    await waitForTreeRow(page, 'Containers', (row) => row.label === name && row.description.startsWith('Up'), { what: `running container ${name}` });
    const tab = page.locator(`.tabs-container .tab[aria-label^="${name} (stats)"]`);
    const containerPick = page.locator('.quick-input-widget input.input[placeholder="Container"]');
    // While VS Code redraws a whole tree (after any container event on the
    // engine) it cannot tell a context-menu command which row it came from,
    // and the command then asks for the container: that is the only retry.
    await chooseFromContextMenu(
      page,
      { view: 'Containers', row: name, item: /^Show Stats$/ },
      {
        attempts: 3,
        retryIf: (error) => error instanceof RowLostError,
        took: async (attempt) => {
          await tab.or(containerPick).first().waitFor({ state: 'visible', timeout: 15_000 });
          if (await tab.isVisible()) return;
          assert.ok(attempt < 3, 'Show Stats from the context menu asked for a container three times instead of using the row');
          throw new RowLostError('Show Stats got no row (the tree was being redrawn)');
        },
      },
    );
    const panel = statsPage(page);
    await panel.locator('#container', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await panel.locator('#container').textContent(), name, 'the panel names the container');

    const cpu = panel.locator('[data-chart="cpu"]');
    const cpuPoints = () => cpu.locator('polyline').getAttribute('points').then((points) => (points ? points.split(' ').length : 0));
    const cpuFigure = () => cpu.locator('.figure').textContent().then((text) => text ?? '');
    const figure = await waitFor('the CPU figure never showed the container’s load', cpuFigure, (text) => /^\d+\.\d %$/.test(text) && parseFloat(text) >= 5);
    // The engine caps the loop at 20 % of one CPU.
    assert.ok(parseFloat(figure) <= 30, `CPU figure ${figure} is about the 20 % cap`);
    const first = await cpuPoints();
    const firstTime = await panel.locator('#updated').textContent();
    await waitFor('the CPU chart did not grow by two samples', cpuPoints, (count) => count >= first + 2);
    assert.notEqual(await panel.locator('#updated').textContent(), firstTime, 'the sample time moves on');
    assert.equal(await panel.locator('#status').textContent(), 'live');
    assert.match((await panel.locator('[data-chart="memory"] .figure').textContent()) ?? '', /\d+(\.\d)? (B|kB|MB|GB)/, 'a memory figure');
    assert.equal(await panel.locator('[data-chart="network"] polyline').count(), 2, 'received and sent lines');
    assert.equal(await panel.locator('#reconnect').isVisible(), false, 'no Reconnect while live');
    assert.deepEqual(berth.workbench!.consoleErrors.filter((error) => /Content Security Policy/i.test(error)), [], 'the page breaks none of its Content-Security-Policy');
    await screenshot(page, 'stats-1-live');

    // Stopped from outside VS Code: the live model tells the panel.
    await engine.json('POST', `/containers/${name}/kill`);
    const stopped = await waitFor('the panel never said the container stopped', () => panel.locator('#status').textContent(), (text) => /stopped/i.test(text ?? ''));
    assert.match(stopped ?? '', new RegExp(`${name} stopped`));
    await panel.locator('#reconnect').waitFor({ state: 'visible', timeout: 5_000 });
    const frozen = await cpuPoints();
    await page.waitForTimeout(2500);
    assert.equal(await cpuPoints(), frozen, 'no samples are added once stopped');
    await screenshot(page, 'stats-2-stopped');

    await engine.json('POST', `/containers/${name}/start`);
    await waitForTreeRow(page, 'Containers', (candidate) => candidate.label === name && candidate.description.startsWith('Up'), { what: `${name} running again` });
    await panel.locator('#reconnect').click();
    await waitFor('the panel did not go live after Reconnect', () => panel.locator('#status').textContent(), (text) => text === 'live');
    await waitFor('the CPU chart did not grow after Reconnect', cpuPoints, (count) => count >= frozen + 2);
    await screenshot(page, 'stats-3-reconnected');
  });
});
