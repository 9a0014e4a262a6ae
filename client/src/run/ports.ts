import { createServer } from 'node:net';
import { isRemoteEngine, publishedPortHost } from './portAddress';

export interface PortRequest {
  /** As the image says it, e.g. `8080/tcp`. */
  container: string;
  /** 0: the engine picks a free port on its machine. */
  hostPort: number;
  /** Absent: every interface of the engine's machine. */
  hostIp?: string;
}

/** A port the engine bound, as `container.ports` reports it. */
export interface BoundPort {
  container: string;
  hostIp: string;
  hostPort: number;
}

/** A published port as the user reaches it from this machine. */
export interface ReachablePort {
  container: string;
  /** `host:port` */
  address: string;
  url: string;
}

/**
 * A TCP port nobody listens on now, from the operating system (listen on port
 * 0). Another program may take it before the engine binds it; the run then
 * fails with the engine's "port is already allocated", which is shown.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('the system gave no free port'))));
    });
  });
}

/** The image's `Config.ExposedPorts` keys (`{"8080/tcp": {}}`), sorted by number, each with a protocol. */
export function exposedPorts(inspect: unknown): string[] {
  const config = (inspect as { Config?: { ExposedPorts?: Record<string, unknown> | null } } | undefined)?.Config;
  const keys = Object.keys(config?.ExposedPorts ?? {});
  return keys
    .map((key) => (key.includes('/') ? key : `${key}/tcp`))
    .filter((key) => /^\d+\/(tcp|udp|sctp)$/.test(key))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

/** Every exposed port published on its own free host port (TCP ports found free on this machine; the others get the same number). */
export async function publishAll(ports: string[], freePort: () => Promise<number> = findFreePort): Promise<PortRequest[]> {
  const taken = new Set<number>();
  const result: PortRequest[] = [];
  for (const container of ports) {
    let hostPort = await freePort();
    // The system may hand the same port twice when each probe closes before the next.
    for (let tries = 0; taken.has(hostPort) && tries < 5; tries++) hostPort = await freePort();
    taken.add(hostPort);
    result.push({ container, hostPort, hostIp: '127.0.0.1' });
  }
  return result;
}

/**
 * How to publish `ports` on the engine at `engineEndpoint`. An engine on this
 * machine gets ports found free here, on loopback. For a remote engine a port
 * free here says nothing about its machine, and its loopback is out of reach
 * from here: each port goes on every interface with host port 0, so the engine
 * picks one free on its machine (`container.ports` tells which afterwards).
 */
export async function portRequests(ports: string[], engineEndpoint: string | undefined, freePort: () => Promise<number> = findFreePort): Promise<PortRequest[]> {
  if (isRemoteEngine(engineEndpoint)) return ports.map((container) => ({ container, hostPort: 0 }));
  return publishAll(ports, freePort);
}

/**
 * The ports a container's engine bound, as reached from this machine (the
 * remote engine's host, else localhost), once each (an engine binds a port on
 * 0.0.0.0 and on ::), in port order.
 */
export function reachablePorts(bound: BoundPort[], engineEndpoint: string | undefined): ReachablePort[] {
  const seen = new Map<string, ReachablePort>();
  for (const port of bound) {
    if (!port.hostPort) continue;
    const address = `${publishedPortHost({ ip: port.hostIp }, engineEndpoint)}:${port.hostPort}`;
    const key = `${port.container} ${address}`;
    if (!seen.has(key)) seen.set(key, { container: port.container, address, url: `http://${address}/` });
  }
  return [...seen.values()].sort((a, b) => parseInt(a.container, 10) - parseInt(b.container, 10) || a.container.localeCompare(b.container));
}

/** The URL to open for the first published TCP port, if any. */
export function browserUrl(ports: ReachablePort[]): string | undefined {
  return ports.find((port) => port.container.endsWith('/tcp'))?.url;
}

/** `localhost:40001 → 80/tcp, …` */
export function describePorts(ports: ReachablePort[]): string {
  return ports.map((port) => `${port.address} → ${port.container}`).join(', ');
}
