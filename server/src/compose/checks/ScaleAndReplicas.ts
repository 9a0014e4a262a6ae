import { get, numberValue } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const ScaleAndReplicas = defineCheck({
  id: 'scale-and-replicas',
  severity: 'error',
  summary: '`scale` and `deploy.replicas` are both set, to different numbers.',
  docs: `\`scale\` and \`deploy.replicas\` are two spellings of the number of containers of a service. Compose accepts both only when they agree, and otherwise stops ("can't set distinct values on 'scale' and 'deploy.replicas'"). Keep one, preferably \`deploy.replicas\`.`,
  examples: {
    fire: ['services:\n  worker:\n    image: worker\n    scale: 2\n    deploy:\n      replicas: 3\n'],
    pass: ['services:\n  worker:\n    image: worker\n    scale: 3\n    deploy:\n      replicas: 3\n  other:\n    image: worker\n    deploy:\n      replicas: 2\n'],
  },
  checkService(service, _context, report) {
    const scaleNode = get(service.node, 'scale');
    const replicasNode = get(get(service.node, 'deploy'), 'replicas');
    const scale = numberValue(scaleNode);
    const replicas = numberValue(replicasNode);
    if (!scaleNode || scale === undefined || replicas === undefined || scale === replicas) return;
    report({ file: scaleNode.file, range: scaleNode.range, message: `${pathText(['services', service.name, 'scale'])}: ${scale} differs from deploy.replicas (${replicas}); compose rejects different values` });
  },
});
