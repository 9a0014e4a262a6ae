import { get, knownString, numberValue } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const ContainerNameWithReplicas = defineCheck({
  id: 'container-name-with-replicas',
  severity: 'error',
  summary: 'A service with a fixed `container_name` is scaled to more than one container.',
  docs: `A \`container_name\` can only be used by one container, so compose refuses a service that sets it together with \`scale\` or \`deploy.replicas\` above 1 ("can't set container_name and deploy.replicas as container name must be unique"). Remove \`container_name\` to scale the service.`,
  examples: {
    fire: ['services:\n  worker:\n    image: worker\n    container_name: worker\n    deploy:\n      replicas: 3\n', 'services:\n  worker:\n    image: worker\n    container_name: worker\n    scale: 2\n'],
    pass: ['services:\n  worker:\n    image: worker\n    deploy:\n      replicas: 3\n  web:\n    image: nginx\n    container_name: web\n    deploy:\n      replicas: 1\n'],
  },
  checkService(service, _context, report) {
    const node = service.node;
    const nameNode = get(node, 'container_name');
    if (!nameNode || knownString(nameNode) === undefined) return;
    const scale = numberValue(get(node, 'scale'));
    const replicas = numberValue(get(get(node, 'deploy'), 'replicas'));
    const attribute = scale !== undefined && scale > 1 ? `scale: ${scale}` : replicas !== undefined && replicas > 1 ? `deploy.replicas: ${replicas}` : undefined;
    if (!attribute) return;
    report({ file: nameNode.file, range: nameNode.range, message: `${pathText(['services', service.name, 'container_name'])}: a fixed container name cannot be shared by the containers of ${attribute}` });
  },
});
