// Engines the user added at run time (engines.add), kept in ~/.berth/engines.json
// so they come back with the next daemon. Written whole to a temporary file
// and renamed over the old one, so a crash never leaves half a file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { certFiles } from './discovery';
import { EndpointError, parseEngineUrl, type EngineEndpoint } from './endpoint';

export interface UserEngine {
  id: string;
  url: string;
  /** TLS for tcp:// engines: the directory holding ca.pem, cert.pem and key.pem (default ~/.docker), and whether to verify the engine. */
  tls?: { certPath?: string; verify?: boolean };
}

export const USER_ENGINES_SOURCE = 'added by the user';

export function userEnginesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.berth', 'engines.json');
}

/** The saved engines, or `problem` saying what is wrong with the file. A missing file is no engines. */
export function readUserEngines(path: string): { engines: UserEngine[]; problem?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { engines: [] };
    return { engines: [], problem: `cannot read ${path}: ${(error as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { engines: [], problem: `${path} is not valid JSON (${(error as Error).message}); fix it or remove it` };
  }
  const list = (data as { engines?: unknown } | null)?.engines;
  if (!Array.isArray(list)) return { engines: [], problem: `${path}: expected {"engines": [...]}` };
  const engines: UserEngine[] = [];
  for (const [index, entry] of list.entries()) {
    const item = entry as Partial<UserEngine> | null;
    if (typeof item?.id !== 'string' || typeof item.url !== 'string') return { engines, problem: `${path}: engines[${index}] needs a string "id" and "url"` };
    engines.push({ id: item.id, url: item.url, ...(item.tls && typeof item.tls === 'object' ? { tls: item.tls } : {}) });
  }
  return { engines };
}

/** Replaces the file atomically (mode 0600: it may name hosts and certificate paths). */
export function writeUserEngines(path: string, engines: UserEngine[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ engines }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** The endpoint of a saved engine; a bad URL becomes the engine's problem rather than an exception. */
export function userEngineEndpoint(engine: UserEngine, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  try {
    const endpoint = parseEngineUrl(engine.url, USER_ENGINES_SOURCE);
    if (!engine.tls || !endpoint.host) return { ...endpoint, id: engine.id };
    const verify = engine.tls.verify !== false;
    const certPath = engine.tls.certPath || join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'));
    return { ...endpoint, id: engine.id, tls: { ...certFiles(certPath, verify && Boolean(engine.tls.certPath)), verify } };
  } catch (error) {
    if (error instanceof EndpointError) return { id: engine.id, url: engine.url, source: USER_ENGINES_SOURCE, problem: error.message };
    throw error;
  }
}
