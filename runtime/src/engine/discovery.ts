// Which engines the user has, found the way the docker CLI finds its one:
// DOCKER_HOST, then DOCKER_CONTEXT, then the current context of
// ~/.docker/config.json, then the default socket. That one is the default
// engine; every other well-known socket that exists is served beside it,
// unless the user asked for the docker CLI's choice alone.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EndpointError, parseEngineUrl, type EngineEndpoint, type TlsSettings } from './endpoint';

export const DEFAULT_SOCKET = '/var/run/docker.sock';
export const PODMAN_SYSTEM_SOCKET = '/run/podman/podman.sock';

export interface DiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether a socket exists; the file system unless a test says otherwise. */
  exists?: (path: string) => boolean;
  /** Serve every other engine socket present beside the default one (default true). */
  otherSockets?: boolean;
}

/** The default engine first, then every other engine socket present, each with a stable id. */
export function discoverEngines({ env = process.env, exists = existsSync, otherSockets = true }: DiscoveryOptions = {}): EngineEndpoint[] {
  const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  const chosen = defaultEngine(env, configDir);
  const sockets: EngineEndpoint[] = [{ id: 'docker', url: `unix://${DEFAULT_SOCKET}`, source: 'default socket', socketPath: DEFAULT_SOCKET }];
  if (env.XDG_RUNTIME_DIR) {
    const rootless = join(env.XDG_RUNTIME_DIR, 'docker.sock');
    const podman = join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock');
    sockets.push({ id: 'rootless', url: `unix://${rootless}`, source: 'rootless Docker socket ($XDG_RUNTIME_DIR/docker.sock)', socketPath: rootless });
    sockets.push({ id: 'podman', url: `unix://${podman}`, source: 'Podman socket ($XDG_RUNTIME_DIR/podman/podman.sock)', socketPath: podman });
  }
  sockets.push({ id: 'podman-root', url: `unix://${PODMAN_SYSTEM_SOCKET}`, source: `Podman system socket (${PODMAN_SYSTEM_SOCKET})`, socketPath: PODMAN_SYSTEM_SOCKET });

  const present = sockets.filter((socket) => exists(socket.socketPath!));
  const engines: EngineEndpoint[] = [];
  if (chosen) engines.push(chosen);
  else {
    // Nothing named by the environment or a context: the docker CLI's default, else the first socket present.
    const rootless = present.find((socket) => socket.id === 'rootless');
    engines.push(present.some((socket) => socket.id === 'docker') || !rootless ? sockets[0]! : rootless);
  }
  const seen = new Set(engines.map((engine) => socketIdentity(engine.socketPath, exists)).filter(Boolean));
  for (const socket of otherSockets ? present : []) {
    const identity = socketIdentity(socket.socketPath, exists);
    if (seen.has(identity)) continue;
    seen.add(identity);
    engines.push(socket);
  }
  return withUniqueIds(engines);
}

/** The engine DOCKER_HOST or a context names, or undefined for "the default socket". */
function defaultEngine(env: NodeJS.ProcessEnv, configDir: string): EngineEndpoint | undefined {
  if (env.DOCKER_HOST) return fromUrl('docker-host', env.DOCKER_HOST, 'DOCKER_HOST', envTls(env, configDir));
  let contextName = env.DOCKER_CONTEXT;
  let source = 'DOCKER_CONTEXT';
  const configPath = join(configDir, 'config.json');
  if (!contextName) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch {
      return undefined;
    }
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (error) {
      return broken('docker-config', configPath, configPath, `${configPath} is not valid JSON (${(error as Error).message}); fix it or remove it`);
    }
    const current = (config as { currentContext?: unknown } | null)?.currentContext;
    if (current === undefined || current === '') return undefined;
    if (typeof current !== 'string') return broken('docker-config', configPath, configPath, `${configPath}: "currentContext" must be a string`);
    contextName = current;
    source = `current context in ${configPath}`;
  }
  if (contextName === 'default') return undefined;
  return fromContext(contextName, `${source} ("${contextName}")`, configDir);
}

/** A context of the docker CLI: its meta.json and TLS material, stored under the sha256 of its name. */
function fromContext(name: string, source: string, configDir: string): EngineEndpoint {
  const digest = createHash('sha256').update(name).digest('hex');
  const metaPath = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  let text: string;
  try {
    text = readFileSync(metaPath, 'utf8');
  } catch {
    return broken(name, `context "${name}"`, source, `context "${name}" not found (no ${metaPath}; see \`docker context ls\`)`);
  }
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch (error) {
    return broken(name, `context "${name}"`, source, `${metaPath} is not valid JSON (${(error as Error).message})`);
  }
  const docker = meta?.Endpoints?.docker;
  if (!docker || typeof docker.Host !== 'string' || !docker.Host) return broken(name, `context "${name}"`, source, `context "${name}" has no Docker endpoint host in ${metaPath}`);
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  const files = certFiles(tlsDir);
  const skipVerify = docker.SkipTLSVerify === true;
  // As the docker CLI: TLS when the context stores TLS material or asks to skip verifying it.
  const tls = files.caFile || files.certFile || skipVerify ? { ...files, verify: !skipVerify } : undefined;
  return fromUrl(name, docker.Host, source, tls);
}

/** TLS as DOCKER_TLS_VERIFY, DOCKER_TLS and DOCKER_CERT_PATH ask for it. */
function envTls(env: NodeJS.ProcessEnv, configDir: string): TlsSettings | undefined {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  return { ...certFiles(env.DOCKER_CERT_PATH || configDir, verify), verify };
}

/** ca.pem, cert.pem and key.pem in a directory; each only if present, unless `required`. */
export function certFiles(directory: string, required = false): Omit<TlsSettings, 'verify'> {
  const file = (name: string) => {
    const path = join(directory, name);
    return required || existsSync(path) ? path : undefined;
  };
  const caFile = file('ca.pem');
  const certFile = file('cert.pem');
  const keyFile = file('key.pem');
  return { ...(caFile ? { caFile } : {}), ...(certFile && keyFile ? { certFile, keyFile } : {}) };
}

function fromUrl(id: string, url: string, source: string, tls: TlsSettings | undefined): EngineEndpoint {
  try {
    const endpoint = parseEngineUrl(url, source);
    return { id, ...endpoint, ...(tls && endpoint.host ? { tls } : {}) };
  } catch (error) {
    if (error instanceof EndpointError) return { id, url, source, problem: error.message };
    throw error;
  }
}

function broken(id: string, url: string, source: string, problem: string): EngineEndpoint {
  return { id, url, source, problem };
}

/** One socket reached by two paths (/run and /var/run) is one engine. */
function socketIdentity(socketPath: string | undefined, exists: (path: string) => boolean): string {
  if (!socketPath) return '';
  try {
    return exists === existsSync ? realpathSync(socketPath) : socketPath;
  } catch {
    return socketPath;
  }
}

export function sanitizeId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'engine';
}

/** Ids as given, with `-2`, `-3`… where two would be the same. */
export function withUniqueIds(endpoints: EngineEndpoint[], taken: Iterable<string> = []): EngineEndpoint[] {
  const used = new Set(taken);
  return endpoints.map((endpoint) => {
    const base = sanitizeId(endpoint.id ?? 'engine');
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { ...endpoint, id };
  });
}
