import { get } from '../tree';
import type { ComposeNode } from '../types';
import { pathText } from '../yaml/builder';
import { at, defineCheck } from './_shared';

/** Where a service takes a duration, as paths below the service. */
const DURATION_PATHS: readonly (readonly string[])[] = [
  ['healthcheck', 'interval'],
  ['healthcheck', 'timeout'],
  ['healthcheck', 'start_period'],
  ['healthcheck', 'start_interval'],
  ['stop_grace_period'],
  ['deploy', 'restart_policy', 'delay'],
  ['deploy', 'restart_policy', 'window'],
  ['deploy', 'update_config', 'delay'],
  ['deploy', 'update_config', 'monitor'],
  ['deploy', 'rollback_config', 'delay'],
  ['deploy', 'rollback_config', 'monitor'],
];

/** A Go duration, as compose parses one: `0`, or numbers each with a unit (`1m30s`, `1.5h`, `250ms`), optionally signed. */
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

export const InvalidDuration = defineCheck({
  id: 'invalid-duration',
  severity: 'error',
  summary: 'A duration (healthcheck timings, `stop_grace_period`, deploy delays) is not written as compose reads durations.',
  docs: `Compose reads durations the way Go does: one or more numbers, each followed by its unit — \`ns\`, \`us\`, \`ms\`, \`s\`, \`m\` or \`h\` — as in \`10s\`, \`1m30s\` or \`1.5h\`; a bare \`0\` is the only number allowed without a unit. Anything else (\`5 seconds\`, \`30\`, \`1d\`) stops \`docker compose\` before it starts a container. Checked after interpolation, so \`\${INTERVAL:-10s}\` is judged by its value.`,
  examples: {
    fire: ['services:\n  db:\n    image: postgres\n    healthcheck:\n      test: [CMD, pg_isready]\n      interval: 5 seconds\n', 'services:\n  web:\n    image: nginx\n    stop_grace_period: 1d\n'],
    pass: ['services:\n  db:\n    image: postgres\n    stop_grace_period: 1m30s\n    healthcheck:\n      test: [CMD, pg_isready]\n      interval: 5s\n      timeout: 1.5s\n      start_period: "0"\n    deploy:\n      restart_policy:\n        delay: 250ms\n'],
  },
  checkService(service, _context, report) {
    for (const path of DURATION_PATHS) {
      let node: ComposeNode | undefined = service.node;
      for (let i = 0; i < path.length && node; i++) node = get(node, path[i]!);
      // Numbers and other types are the schema's to report; values with unknown variables are not judged.
      if (node?.kind !== 'scalar' || typeof node.value !== 'string' || node.unresolved) continue;
      if (GO_DURATION.test(node.value)) continue;
      report(at(node, `${pathText(['services', service.name, ...path])}: ${JSON.stringify(node.value)} is not a duration; write numbers with units, e.g. 10s or 1m30s (units: ns, us, ms, s, m, h)`));
    }
  },
});
