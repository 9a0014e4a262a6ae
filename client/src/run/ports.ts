import { createServer } from 'node:net';

export interface PortRequest {
  /** As the image says it, e.g. `8080/tcp`. */
  container: string;
  hostPort: number;
  hostIp: string;
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

/** The URL to open for the first published TCP port, if any. */
export function browserUrl(ports: PortRequest[]): string | undefined {
  const first = ports.find((port) => port.container.endsWith('/tcp'));
  return first ? `http://localhost:${first.hostPort}/` : undefined;
}
