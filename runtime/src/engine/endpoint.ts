import { discoverEngines } from './discovery';

/** Client certificates and trust for a TLS engine, as DOCKER_CERT_PATH holds them. */
export interface TlsSettings {
  /** `ca.pem` (trusted authority), when present. */
  caFile?: string;
  /** `cert.pem` and `key.pem`, the client's certificate, when present. */
  certFile?: string;
  keyFile?: string;
  /** Check the engine's certificate against the CA (DOCKER_TLS_VERIFY; a context's SkipTLSVerify turns it off). */
  verify: boolean;
}

export interface SshSettings {
  /** `host` or `user@host`, as ssh takes it. */
  host: string;
  user?: string;
  port?: number;
  /** The ssh program; `ssh` on PATH unless a test says otherwise. */
  command?: string;
}

export interface EngineEndpoint {
  /** Stable name of the engine, e.g. `default`, `podman`, a context's name. */
  id?: string;
  /** As the user would write it in DOCKER_HOST. */
  url: string;
  /** How it was chosen, shown to the user beside the engine. */
  source: string;
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: TlsSettings;
  ssh?: SshSettings;
  /** Why this engine cannot even be tried (a broken config file, an unknown context): reported as its health. */
  problem?: string;
}

export class EndpointError extends Error {}

/** Parses a DOCKER_HOST-style address. Throws EndpointError naming what is wrong. */
export function parseEngineUrl(url: string, source: string): EngineEndpoint {
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`${source}: "${url}" must name an absolute socket path`);
    return { url, source, socketPath };
  }
  if (url.startsWith('tcp://')) {
    const match = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(url);
    if (!match) throw new EndpointError(`${source}: "${url}" must look like tcp://HOST:PORT`);
    return { url, source, host: match[1]!.replace(/^\[|\]$/g, ''), port: portOf(match[2]!, url, source) };
  }
  if (url.startsWith('ssh://')) {
    const match = /^ssh:\/\/(?:([^@/:\s]+)@)?([^@/:\s]+|\[[^\]\s]+\])(?::(\d+))?\/?$/.exec(url);
    if (!match) throw new EndpointError(`${source}: "${url}" must look like ssh://[USER@]HOST[:PORT]`);
    const port = match[3] === undefined ? undefined : portOf(match[3], url, source);
    return { url, source, ssh: { host: match[2]!.replace(/^\[|\]$/g, ''), ...(match[1] ? { user: match[1] } : {}), ...(port ? { port } : {}) } };
  }
  throw new EndpointError(`${source}: "${url}" is not a supported engine address (use unix://, tcp:// or ssh://)`);
}

function portOf(text: string, url: string, source: string): number {
  const port = Number(text);
  if (port < 1 || port > 65535) throw new EndpointError(`${source}: port ${text} in "${url}" is out of range`);
  return port;
}

/** The engine the docker CLI would use, by its precedence (see discovery.ts). */
export function defaultEngineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  return discoverEngines({ env })[0]!;
}
