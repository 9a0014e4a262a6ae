// The containers an end-to-end test makes on the machine's engine through the
// Engine API (as `docker run` from a shell would: the editor is not involved),
// and the engine a launched window must serve.

import type { EngineHttpClient } from '../../../runtime/src/engine/httpClient';
import { BASE_IMAGE, TEST_LABEL } from '../../support/engine';
import { e2eLog } from './vscode';

/** `docker run -d --label berth.test=1 --name <name> BASE_IMAGE <cmd…>`, with `hostConfig` as the Engine API takes it. */
export async function startTestContainer(engine: EngineHttpClient, name: string, cmd: string[], hostConfig?: Record<string, unknown>): Promise<void> {
  const { Id } = await engine.json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, {
    Image: BASE_IMAGE,
    Cmd: cmd,
    Labels: { [TEST_LABEL]: '1' },
    ...(hostConfig ? { HostConfig: hostConfig } : {}),
  });
  await engine.json('POST', `/containers/${Id}/start`);
}

/** `docker rm -f <name>`; a container already gone is fine, any other failure is logged (cleanup never fails a test). */
export async function removeTestContainer(engine: EngineHttpClient | undefined, name: string): Promise<void> {
  await engine?.json('DELETE', `/containers/${encodeURIComponent(name)}?force=1`, undefined, 10_000).catch((error: Error) => {
    if (!/no such container/i.test(error.message)) e2eLog(`could not remove container ${name}: ${error.message}`);
  });
}

/**
 * The environment that makes a window serve the engine the tests use. Each
 * launch gets its own XDG_RUNTIME_DIR, where the daemon would look for a
 * rootless socket: that one is named explicitly.
 */
export function engineEnv(engine: EngineHttpClient): Record<string, string> {
  const endpoint = engine.endpoint;
  return endpoint.source === 'rootless socket' ? { DOCKER_HOST: endpoint.url } : {};
}
