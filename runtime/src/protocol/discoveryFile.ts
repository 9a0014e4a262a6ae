import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RuntimeDiscovery } from './types';

/** `$XDG_RUNTIME_DIR/berth` when the session has one, else `~/.berth`. */
export function runtimeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'berth') : join(homedir(), '.berth');
}

export function discoveryFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(runtimeDirectory(env), 'runtime.json');
}

/** Writes atomically (temp file + rename) so a reader never sees half a file. */
export function writeDiscoveryFile(path: string, discovery: RuntimeDiscovery): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(discovery, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Returns undefined when the file is missing or is not a discovery file. */
export function readDiscoveryFile(path: string): RuntimeDiscovery | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<RuntimeDiscovery>;
    if (
      typeof value.pid === 'number' &&
      typeof value.url === 'string' &&
      typeof value.token === 'string' &&
      typeof value.protocol === 'number' &&
      typeof value.version === 'string'
    ) {
      return value as RuntimeDiscovery;
    }
  } catch {
    // A torn or foreign file is treated as absent; the daemon rewrites it.
  }
  return undefined;
}

export function removeDiscoveryFile(path: string, onlyIfPid?: number): void {
  if (onlyIfPid !== undefined && readDiscoveryFile(path)?.pid !== onlyIfPid) return;
  rmSync(path, { force: true });
}
