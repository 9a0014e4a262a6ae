import { getPath, numberValue, stringValue } from '../tree';
import type { ComposeNode } from '../types';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A byte size as compose reads it (`512m`, `1.5GiB`, `1073741824`); undefined when not a size or not known. */
export function bytesOf(node: ComposeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.unresolved) return undefined;
  if (typeof node.value === 'number') return node.value;
  const text = stringValue(node);
  const match = text === undefined ? null : /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text.trim());
  if (!match) return undefined;
  return Math.floor(parseFloat(match[1]!) * UNITS[(match[2] ?? '').toLowerCase()]!);
}

const PAIRS: { short: string; long: string[]; read: (node: ComposeNode | undefined) => number | undefined }[] = [
  { short: 'cpus', long: ['deploy', 'resources', 'limits', 'cpus'], read: numberValue },
  { short: 'mem_limit', long: ['deploy', 'resources', 'limits', 'memory'], read: bytesOf },
  { short: 'mem_reservation', long: ['deploy', 'resources', 'reservations', 'memory'], read: bytesOf },
  { short: 'pids_limit', long: ['deploy', 'resources', 'limits', 'pids'], read: numberValue },
];

export const ResourcesGivenTwice = defineCheck({
  id: 'resources-given-twice',
  severity: 'error',
  summary: 'A resource limit is set both on the service and under `deploy.resources`, with different values.',
  docs: `\`cpus\`, \`mem_limit\`, \`mem_reservation\` and \`pids_limit\` are the same settings as \`deploy.resources.limits.cpus\`, \`.limits.memory\`, \`.reservations.memory\` and \`.limits.pids\`. Compose accepts both spellings only when they agree (sizes are compared in bytes, so \`1g\` and \`1024m\` agree) and otherwise stops ("can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'"). Keep one, preferably the \`deploy.resources\` form.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: nginx\n    mem_limit: 512m\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n',
      'services:\n  web:\n    image: nginx\n    cpus: 0.5\n    pids_limit: 100\n    deploy:\n      resources:\n        limits:\n          cpus: "1.5"\n          pids: 100\n',
    ],
    pass: ['services:\n  web:\n    image: nginx\n    mem_limit: 1g\n    mem_reservation: 256m\n    deploy:\n      resources:\n        limits:\n          memory: 1024M\n        reservations:\n          memory: 256MiB\n  api:\n    image: api\n    cpus: 2\n'],
  },
  checkService(service, _context, report) {
    const node = service.node;
    if (!getPath(node, 'deploy', 'resources')) return;
    for (const pair of PAIRS) {
      const shortNode = getPath(node, pair.short);
      const longNode = getPath(node, ...pair.long);
      const a = pair.read(shortNode);
      const b = pair.read(longNode);
      if (!shortNode || a === undefined || b === undefined || Math.abs(a - b) < 1e-9) continue;
      report({ file: shortNode.file, range: shortNode.range, message: `${pathText(['services', service.name, pair.short])}: ${stringValue(shortNode)} differs from ${pair.long.join('.')} (${stringValue(longNode)}); compose rejects different values` });
    }
  },
});
