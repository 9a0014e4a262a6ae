import { canRunTogether, type ServiceInfo } from '../model';
import { isAnyAddress, type PortMapping } from '../ports';
import { get, knownString, numberValue } from '../tree';
import type { ComposeMap, ComposeNode } from '../types';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';
import { portEntries } from './_ports';
import { MemoSlot } from '../memo';

interface Published {
  service: ServiceInfo;
  order: number;
  at: ComposeNode;
  mapping: PortMapping;
  start: number;
  end: number;
}

function describe(p: Published): string {
  const ip = p.mapping.hostIp === '' ? '0.0.0.0' : p.mapping.hostIp.includes(':') ? `[${p.mapping.hostIp}]` : p.mapping.hostIp;
  const ports = p.start === p.end ? `${p.start}` : `${p.start}-${p.end}`;
  return `${ip}:${ports}/${p.mapping.protocol}`;
}

function sameMapping(a: PortMapping, b: PortMapping): boolean {
  return a.hostIp === b.hostIp && a.protocol === b.protocol && a.host?.start === b.host?.start && a.host?.end === b.host?.end && a.container.start === b.container.start && a.container.end === b.container.end;
}

function addressesClash(a: string, b: string): boolean {
  return isAnyAddress(a) || isAnyAddress(b) || a === b;
}

/** What a service publishes: its host ports (each mapping once) and its replicas; undefined when it publishes nothing. */
interface ServicePorts {
  own: { at: ComposeNode; mapping: PortMapping }[];
  replicas: number | undefined;
}

/** Per service node: after a keystroke only the edited service is read again. */
const publishedCache = new MemoSlot<ServicePorts>();

function publishedBy(node: ComposeMap | undefined): ServicePorts | undefined {
  return node ? publishedCache.cached(node, readPublished) : undefined;
}

function readPublished(node: ComposeMap): ServicePorts | undefined {
  // Without its own network namespace a service publishes nothing (compose drops the ports).
  const networkMode = knownString(get(node, 'network_mode'));
  if (networkMode && (networkMode === 'host' || networkMode === 'none' || networkMode.startsWith('service:') || networkMode.startsWith('container:'))) return undefined;
  const own: ServicePorts['own'] = [];
  for (const entry of portEntries(node)) {
    const mapping = entry.mapping;
    if (!mapping?.host) continue;
    // A host range for a single container port is a range to pick a free port from.
    if (mapping.host.start !== mapping.host.end && mapping.container.start === mapping.container.end) continue;
    if (own.some((other) => sameMapping(other.mapping, mapping))) continue;
    own.push({ at: entry.at, mapping });
  }
  if (own.length === 0) return undefined;
  // Kept per service node: a list of its exact length (one grown by `push` keeps room to spare).
  return { own: own.slice(), replicas: numberValue(get(node, 'scale')) ?? numberValue(get(get(node, 'deploy'), 'replicas')) };
}

export const PortConflict = defineCheck({
  id: 'port-conflict',
  severity: 'error',
  summary: 'The same host port is published twice in the project.',
  docs: `Only one container can listen on a host address, port and protocol. When two services of the project (or two entries of one service) publish the same one, the second container fails to start with "port is already allocated". Ranges are compared port by port, \`tcp\`, \`udp\` and \`sctp\` are separate, and a mapping without a host IP (or with \`0.0.0.0\` or \`::\`) takes the port on every address, so it clashes with any other address. A service scaled to several replicas (\`scale\` or \`deploy.replicas\`) that publishes a fixed host port clashes with itself.

Not reported: the same mapping written twice (compose keeps one), ports without a host port or with a host range to pick from (\`"8000-8010:80"\`), values with variables that have no value, services whose profiles never run together, and services with \`network_mode: host\`, \`none\`, \`service:…\` or \`container:…\` (their ports are not published).`,
  examples: {
    fire: [
      'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n  api:\n    image: api\n    ports: ["8080:3000"]\n',
      'services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80"]\n  api:\n    image: api\n    ports:\n      - target: 3000\n        published: 8080\n',
      'services:\n  web:\n    image: nginx\n    ports: ["9000-9010:9000-9010"]\n  api:\n    image: api\n    ports: ["9005:80"]\n',
      'services:\n  web:\n    image: nginx\n    ports: ["8080:80", "8080:81"]\n',
      'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\n    ports: ["8080:80"]\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n', 'compose.override.yaml': 'services:\n  admin:\n    image: admin\n    ports: ["8080:8080"]\n' } },
    ],
    pass: [
      'services:\n  web:\n    image: nginx\n    ports: ["8080:80", "8080:80/udp", "127.0.0.1:8081:80"]\n  api:\n    image: api\n    ports: ["127.0.0.2:8081:3000", "3000", "8000-8010:80"]\n  worker:\n    image: worker\n    ports: ["8000-8010:80"]\n',
      'services:\n  web:\n    image: nginx\n    profiles: [blue]\n    ports: ["8080:80"]\n  web-green:\n    image: nginx\n    profiles: [green]\n    ports: ["8080:80"]\n',
      'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n  sidecar:\n    image: envoy\n    network_mode: host\n    ports: ["8080:8080"]\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n', 'compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n' } },
    ],
  },
  check(context, report) {
    const published: Published[] = [];
    let order = 0;
    for (const service of context.services) {
      const ports = publishedBy(service.node);
      if (!ports) continue;
      const first = published.length;
      for (const own of ports.own) published.push({ service, order: order++, at: own.at, mapping: own.mapping, start: own.mapping.host!.start, end: own.mapping.host!.end });
      if (ports.replicas !== undefined && ports.replicas > 1) {
        for (let i = first; i < published.length; i++) {
          const item = published[i]!;
          report({ file: item.at.file, range: item.at.range, message: `${pathText(['services', service.name, 'ports'])}: host port ${describe(item)} is published by each of the ${ports.replicas} replicas, but only one container can bind it` });
        }
      }
    }
    // Sweep by start port: each entry is compared with the earlier-starting ones that overlap it.
    const sorted = [...published].sort((a, b) => a.start - b.start || a.order - b.order);
    const reported = new Set<Published>();
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]!.start <= a.end; j++) {
        const b = sorted[j]!;
        if (a.mapping.protocol !== b.mapping.protocol || !addressesClash(a.mapping.hostIp, b.mapping.hostIp)) continue;
        if (a.service !== b.service && !canRunTogether(a.service, b.service)) continue;
        const [first, later] = a.order < b.order ? [a, b] : [b, a];
        if (reported.has(later)) continue;
        reported.add(later);
        const owner = first.service === later.service ? 'another entry of this service' : pathText(['services', first.service.name]);
        report({ file: later.at.file, range: later.at.range, message: `${pathText(['services', later.service.name, 'ports'])}: host port ${describe(later)} is already published by ${owner} (${describe(first)})` });
      }
    }
  },
});
