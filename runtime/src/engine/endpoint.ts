import { existsSync } from 'node:fs';

export interface EngineEndpoint {
  /** As the user would write it in DOCKER_HOST. */
  url: string;
  /** How it was chosen, shown to the user beside the engine. */
  source: string;
  socketPath?: string;
  host?: string;
  port?: number;
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
    const port = Number(match[2]);
    if (port < 1 || port > 65535) throw new EndpointError(`${source}: port ${match[2]} in "${url}" is out of range`);
    return { url, source, host: match[1]!.replace(/^\[|\]$/g, ''), port };
  }
  throw new EndpointError(`${source}: "${url}" is not a supported engine address (use unix:// or tcp://)`);
}

/**
 * The engine the docker CLI would use, by its precedence. Contexts, TLS, ssh and
 * Podman sockets come with the multi-engine work; this is the common case.
 */
export function defaultEngineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  if (env.DOCKER_HOST) return parseEngineUrl(env.DOCKER_HOST, 'DOCKER_HOST');
  const rootless = env.XDG_RUNTIME_DIR ? `${env.XDG_RUNTIME_DIR}/docker.sock` : undefined;
  if (!existsSync('/var/run/docker.sock') && rootless && existsSync(rootless)) {
    return { url: `unix://${rootless}`, source: 'rootless socket', socketPath: rootless };
  }
  return { url: 'unix:///var/run/docker.sock', source: 'default socket', socketPath: '/var/run/docker.sock' };
}
