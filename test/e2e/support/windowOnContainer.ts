// The set-up of a test file about one container of the machine's engine: the
// container runs before the window opens, and both are gone after the file.

import { after, before } from 'node:test';
import type { EngineHttpClient } from '../../../runtime/src/engine/httpClient';
import { probeEngine, type EngineProbe } from '../../support/engine';
import { showBerthSideBar } from './berthSideBar';
import { BerthWindow } from './berthWindow';
import { engineEnv, removeTestContainer, startTestContainer } from './testContainers';
import { launchTimeoutMs } from './vscode';

export interface ContainerWindowOptions {
  /** Names the workspace folder and the saved logs (test/.output/e2e/logs-<name>/). */
  name: string;
  /** The container's name. */
  container: string;
  /** Its command. */
  cmd: string[];
  /** Engine API HostConfig for it (limits). */
  hostConfig?: Record<string, unknown>;
  /** Show the Berth side bar this wide once the window is open (else the window opens as VS Code starts). */
  sideBarWidth?: number;
}

export interface ContainerWindow {
  berth: BerthWindow;
  engine(): EngineHttpClient;
  /** Skips the test (loudly) when there is no engine; true then. */
  missing(t: { skip(message: string): void }): boolean;
}

/**
 * Registers the file's `before` and `after` hooks: probe the engine (no
 * engine skips the tests, or fails them under CI=true), start the container,
 * launch a Berth window serving that engine; then close the window and
 * remove the container.
 */
export function useWindowOnContainer({ name, container, cmd, hostConfig, sideBarWidth }: ContainerWindowOptions): ContainerWindow {
  let probe: EngineProbe = { skipReason: 'the engine was not probed' };
  const berth = new BerthWindow();
  before(
    async () => {
      probe = await probeEngine();
      if (probe.skipReason) return;
      await startTestContainer(probe.client!, container, cmd, hostConfig);
      await berth.launch({ name, env: engineEnv(probe.client!) });
      if (sideBarWidth !== undefined) await showBerthSideBar(berth.page, { width: sideBarWidth });
    },
    { timeout: launchTimeoutMs() },
  );
  after(
    async () => {
      await berth.close(`logs-${name}`);
      await removeTestContainer(probe.client, container);
    },
    { timeout: 45_000 },
  );
  return {
    berth,
    engine: () => probe.client!,
    missing(t) {
      if (!probe.skipReason) return false;
      t.skip(probe.skipReason);
      return true;
    },
  };
}
