import { canRunTogether, type ServiceInfo } from '../model';
import { get, knownString } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const DuplicateContainerName = defineCheck({
  id: 'duplicate-container-name',
  severity: 'error',
  summary: 'Two services set the same `container_name`.',
  docs: `Container names are unique on an engine, and compose refuses a project where two services ask for the same \`container_name\` ("container name is already in use"). Give each service its own name, or drop \`container_name\` and let compose name the containers (\`<project>-<service>-<n>\`). Services whose profiles never run together are not compared.`,
  examples: {
    fire: ['services:\n  web:\n    image: nginx\n    container_name: app\n  api:\n    image: api\n    container_name: app\n', { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    container_name: app\n', 'compose.override.yaml': 'services:\n  debug:\n    image: busybox\n    container_name: app\n' } }],
    pass: ['services:\n  web:\n    image: nginx\n    container_name: web\n  api:\n    image: api\n    container_name: api\n', 'services:\n  blue:\n    image: app\n    profiles: [blue]\n    container_name: app\n  green:\n    image: app\n    profiles: [green]\n    container_name: app\n'],
  },
  check(context, report) {
    const byName = new Map<string, ServiceInfo[]>();
    for (const service of context.services) {
      const nameNode = get(service.node, 'container_name');
      const name = knownString(nameNode);
      if (!nameNode || !name) continue;
      const earlier = byName.get(name) ?? [];
      const clash = earlier.find((other) => canRunTogether(other, service));
      if (clash) report({ file: nameNode.file, range: nameNode.range, message: `${pathText(['services', service.name, 'container_name'])}: container name "${name}" is already used by ${pathText(['services', clash.name])}` });
      earlier.push(service);
      byName.set(name, earlier);
    }
  },
});
