// End to end: the Swarm view in a real VS Code (code-server) with the packaged
// extension, driven in headless Chromium. The Swarm manager is a private
// second dockerd (test/support/secondEngine.ts: the machine's main engine,
// which other tests use, never joins a swarm), the only engine the launch
// serves (DOCKER_HOST, discovery off). The view appears because the engine is
// a manager, lists a service made through the Engine API with its replicas,
// and "Scale Service…" from the service's context menu scales it.
// Screenshots land in test/.output/e2e/ as swarm-*.png.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE, TEST_LABEL, probeEngine, type EngineProbe } from '../support/engine';
import { SecondEngine, secondEngineUnavailable } from '../support/secondEngine';
import { BerthWindow } from './support/berthWindow';
import { showBerthSideBar } from './support/berthSideBar';
import { chooseFromContextMenu } from './support/contextMenu';
import { answerQuickInput, e2eLog as log, launchTimeoutMs, quickInput, screenshot, setViewExpanded, viewPane, waitForTreeRow } from './support/vscode';

const LAUNCH_TIMEOUT_MS = launchTimeoutMs(180_000);

describe('the Swarm view with a Swarm manager', () => {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  const unavailable = secondEngineUnavailable();
  let second: SecondEngine | undefined;
  let swarm: EngineHttpClient | undefined;
  const berth = new BerthWindow();
  let serviceId = '';
  const service = `berth-e2e-svc-${randomBytes(4).toString('hex')}`;

  const skip = (t: { skip(message: string): void }) => {
    if (probe.skipReason) {
      t.skip(probe.skipReason);
      return true;
    }
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`CI=true but the Swarm e2e test cannot run: ${unavailable}`);
      t.skip(unavailable);
      return true;
    }
    return false;
  };

  before(
    async () => {
      probe = await probeEngine(); // the main engine holds the base image the second one copies
      if (probe.skipReason || unavailable) return;
      second = new SecondEngine();
      await second.start();
      second.loadImage();
      swarm = second.client();
      await swarm.negotiate();
      const port = 20000 + ((process.pid + 7) % 20000);
      await swarm.json('POST', '/swarm/init', { ListenAddr: `127.0.0.1:${port}`, AdvertiseAddr: `127.0.0.1:${port}`, DataPathPort: 5790 + (process.pid % 1000) }, 60_000);
      // sh as PID 1 ignores SIGTERM unless it traps it: the trap lets a scaled-down task stop at once.
      const created = await swarm.json<{ ID: string }>('POST', '/services/create', {
        Name: service,
        Labels: { [TEST_LABEL]: '1' },
        TaskTemplate: { ContainerSpec: { Image: BASE_IMAGE, Command: ['sh', '-c', 'trap "exit 0" TERM; echo task up; while true; do sleep 1; done'] } },
        Mode: { Replicated: { Replicas: 1 } },
      });
      serviceId = created.ID;
      await berth.launch({ name: 'swarm', env: { DOCKER_HOST: second.url, DOCKER_CONTEXT: undefined }, settings: { 'berth.engines.discover': false } });
      await showBerthSideBar(berth.page);
    },
    { timeout: LAUNCH_TIMEOUT_MS },
  );

  after(
    async () => {
      await berth.close('logs-swarm');
      if (swarm) {
        // Leaving its swarm and removing the private engine takes the service and its tasks with it.
        if (serviceId) await swarm.json('DELETE', `/services/${serviceId}`).catch(() => undefined);
        await swarm.json('POST', '/swarm/leave?force=1', undefined, 60_000).catch((error: Error) => log(`could not leave the swarm: ${error.message}`));
        swarm.dispose();
      }
      await second?.dispose();
    },
    { timeout: 120_000 },
  );

  it('appears for a Swarm manager and lists its service with the running replicas', { timeout: 90_000 }, async (t) => {
    if (skip(t)) return;
    const page = berth.page;
    // The view shows only while the engine is a manager (context key berth.swarmManager).
    await viewPane(page, 'Swarm').waitFor({ state: 'visible', timeout: 30_000 });
    await setViewExpanded(page, 'Swarm', true);
    const row = await waitForTreeRow(page, 'Swarm', (candidate) => candidate.label === service && candidate.description.startsWith('replicated · 1/1'), {
      timeoutMs: 60_000,
      what: `service ${service} with its one task running`,
    });
    assert.match(row.description, /berth-test\/busybox/, `the row names the image: ${JSON.stringify(row)}`);
    await waitForTreeRow(page, 'Swarm', (candidate) => candidate.label === 'Nodes' && candidate.description === '1', { what: 'the Nodes group with the one node' });
    await screenshot(page, 'swarm-1-service');
  });

  it('scales the service from its context menu', { timeout: 90_000 }, async (t) => {
    if (skip(t)) return;
    const page = berth.page;
    // A redraw of the view can swallow the right-click or close the menu: then it tries again.
    await chooseFromContextMenu(page, { view: 'Swarm', row: service, item: /^Scale Service…$/ }, { attempts: 3, took: () => quickInput(page).waitFor({ state: 'visible', timeout: 5_000 }) });
    await answerQuickInput(page, '2', { beforeEnter: () => screenshot(page, 'swarm-2-scale-prompt') });
    await waitForTreeRow(page, 'Swarm', (candidate) => candidate.label === service && candidate.description.startsWith('replicated · 2/2'), {
      timeoutMs: 60_000,
      what: `service ${service} with two tasks running`,
    });
    const inspected = await swarm!.json<{ Spec: { Mode: { Replicated?: { Replicas: number } } } }>('GET', `/services/${serviceId}`);
    assert.equal(inspected.Spec.Mode.Replicated?.Replicas, 2, 'the engine agrees');
    await screenshot(page, 'swarm-3-scaled');
  });
});
