import { declaredNames, serviceReferenceSets } from '../model';
import { defineCheck } from './_shared';

export const UndefinedNetwork = defineCheck({
  id: 'undefined-network',
  severity: 'error',
  summary: 'A service joins a network that is not declared under the top-level `networks`.',
  docs: `Every network a service lists under \`networks\` (list or mapping form) must be declared in the top-level \`networks\` section of the project (any file of it), except \`default\`, the network compose creates for every project. Compose stops with "service refers to undefined network". Declare it (\`networks: { front: {} }\`), or mark an existing one \`external: true\`.`,
  examples: {
    fire: ['services:\n  web:\n    image: nginx\n    networks:\n      - front\n', 'services:\n  web:\n    image: nginx\n    networks:\n      back:\n        aliases: [api]\nnetworks:\n  front: {}\n'],
    pass: [
      'services:\n  web:\n    image: nginx\n    networks: [front, default]\nnetworks:\n  front:\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    networks: [shared]\n', 'compose.override.yaml': 'networks:\n  shared:\n    external: true\n' } },
    ],
  },
  check(context, report) {
    const declared = declaredNames(context.project.model, 'networks');
    for (const set of serviceReferenceSets(context.project)) {
      if (!set) continue;
      for (const reference of set.networks) {
        if (reference.name === 'default' || declared.has(reference.name)) continue;
        report({ ...reference.location, message: `${reference.path}: network "${reference.name}" is not declared under the top-level networks` });
      }
    }
  },
});
