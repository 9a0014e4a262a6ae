import { before } from 'node:test';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';

export const BASE_IMAGE = process.env.BERTH_TEST_BASE_IMAGE ?? 'berth-test/busybox:latest';
/** Every object a test creates carries this label so a run can clean up after itself. */
export const TEST_LABEL = 'berth.test';

export interface EngineProbe {
  client?: EngineHttpClient;
  /** Why engine tests cannot run here; undefined when they can. */
  skipReason?: string;
}

/**
 * Finds the engine the tests run against. Outside CI a missing engine skips the
 * engine tests with a loud reason; with CI=true it is a failure.
 */
export async function probeEngine(): Promise<EngineProbe> {
  const client = new EngineHttpClient(defaultEngineEndpoint());
  let problem: string | undefined;
  try {
    await client.negotiate();
    await client.json('GET', `/images/${encodeURIComponent(BASE_IMAGE)}/json`).catch(() => {
      throw new Error(`the base image ${BASE_IMAGE} is missing (run: bash scripts/engine-setup.sh)`);
    });
  } catch (error) {
    problem = (error as Error).message;
  }
  if (!problem) return { client };
  if (process.env.CI === 'true') throw new Error(`CI=true but the Docker engine cannot be used: ${problem}`);
  const skipReason = `NO DOCKER ENGINE: ${problem}; engine tests skipped (they fail under CI=true)`;
  process.stderr.write(`\n*** ${skipReason} ***\n\n`);
  return { skipReason };
}

/**
 * Registers a `before` hook that probes the engine (test files are CommonJS, so
 * no top-level await) and gives each test a way to skip loudly without one.
 */
export function useEngine(): { client(): EngineHttpClient; missing(t: { skip(message: string): void }): boolean } {
  let probe: EngineProbe = { skipReason: 'engine not probed yet' };
  before(async () => {
    probe = await probeEngine();
  });
  return {
    client: () => probe.client!,
    missing(t) {
      if (!probe.skipReason) return false;
      t.skip(probe.skipReason);
      return true;
    },
  };
}
