import type { PortBinding } from '../../../runtime/src/protocol/types';

/** Addresses that mean "every interface of the engine's machine" rather than one address. */
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);
const LOOPBACK = /^(localhost|127(\.\d+){3}|::1|\[::1\])$/i;

/**
 * The host a published port is reached at from this machine. A port bound to
 * every interface (or to loopback, which only the engine's machine can reach)
 * is on the engine's machine: localhost for a local engine (unix socket, named
 * pipe, TCP to this machine), the host of a remote engine's endpoint
 * (`tcp://host:2376`, `ssh://user@host`). A port bound to one other address is
 * reached at that address.
 */
export function publishedPortHost(port: Pick<PortBinding, 'ip'>, engineEndpoint: string | undefined): string {
  const bound = port.ip ?? '';
  if (!WILDCARDS.has(bound) && !LOOPBACK.test(bound)) return bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound;
  const engineHost = remoteEngineHost(engineEndpoint);
  return engineHost ?? 'localhost';
}

/** The URL Open Published Port opens for `port`. */
export function publishedPortUrl(port: Pick<PortBinding, 'ip' | 'publicPort'>, engineEndpoint: string | undefined): string {
  return `http://${publishedPortHost(port, engineEndpoint)}:${port.publicPort}/`;
}

/** Whether the engine runs on another machine (a tcp:// or ssh:// endpoint whose host is not this one). */
export function isRemoteEngine(engineEndpoint: string | undefined): boolean {
  return remoteEngineHost(engineEndpoint) !== undefined;
}

/** The machine of a tcp:// or ssh:// engine when it is not this one; undefined for local engines. */
function remoteEngineHost(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'ssh:' && url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname;
  return host && !LOOPBACK.test(host) ? host : undefined;
}
