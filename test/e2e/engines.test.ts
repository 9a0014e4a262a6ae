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
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeEngine, type EngineProbe } from '../support/engine';
import { BerthWindow } from './support/berthWindow';
import { showBerthSideBar } from './support/berthSideBar';
import { engineEnv } from './support/testContainers';
import { answerQuickInput as answer, clickDialogButton, launchTimeoutMs, runCommand, screenshot, waitForDialog, waitForNoTreeRow, waitForTreeRow } from './support/vscode';

const LAUNCH_TIMEOUT_MS = launchTimeoutMs();
/** Port 9 (discard) is closed here: connecting is refused at once. */
const NOWHERE = 'tcp://127.0.0.1:9';
const NAME = 'nowhere';

describe('several engines in the Berth side bar', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  const berth = new BerthWindow();
  let home: string | undefined;

  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      home = await mkdtemp(join(tmpdir(), 'berth-e2e-home-'));
      await berth.launch({ name: 'engines', env: { HOME: home, ...engineEnv(probe.client!) } });
      await showBerthSideBar(berth.page);
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await berth.close('logs-engines');
      if (home) await rm(home, { recursive: true, force: true });
    },
    { timeout: 45_000 },
  );

  it('shows the machine’s engine with its health', { timeout: 45_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const row = await waitForTreeRow(berth.page, 'Engines', (candidate) => /ready · Docker/.test(candidate.description), { what: 'ready engine' });
    const version = await probe.client!.json<{ Version: string }>('GET', '/version');
    assert.ok(row.description.includes(`Docker ${version.Version}`), `the row names the engine's version ${version.Version}: ${row.description}`);
    await screenshot(berth.page, 'engines-ready');
  });

  it('adds an engine that cannot be reached and says why, switches to it, and removes it after asking', { timeout: 120_000 }, async (t) => {
    if (probe.skipReason) return t.skip(probe.skipReason);
    const page = berth.page;
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
    const text = await waitForDialog(page, { timeoutMs: 15_000 });
    assert.match(text, new RegExp(`Remove engine "${NAME}"`), `the dialog names the engine: ${text}`);
    assert.match(text, /Nothing on the engine itself is removed/);
    await screenshot(page, 'engines-remove-dialog');
    await clickDialogButton(page, /^Remove Engine$/);
    await waitForNoTreeRow(page, 'Engines', (row) => row.label === NOWHERE, { timeoutMs: 15_000, failure: () => `${NOWHERE} is still in the Engines view after removing it` });
    // Back on the machine's engine.
    await waitForTreeRow(page, 'Engines', (row) => /ready · Docker/.test(row.description), { what: 'the machine engine, ready' });
    assert.equal(JSON.parse(readFileSync(join(home!, '.berth', 'engines.json'), 'utf8')).engines?.length ?? 0, 0, 'the daemon forgot the engine');
    await screenshot(page, 'engines-removed');
  });
});
