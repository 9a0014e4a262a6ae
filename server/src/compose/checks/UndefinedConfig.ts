import { declaredNames, serviceReferenceSets } from '../model';
import { defineCheck } from './_shared';

export const UndefinedConfig = defineCheck({
  id: 'undefined-config',
  severity: 'error',
  summary: 'A service uses a config that is not declared under the top-level `configs`.',
  docs: `A service's \`configs\` (short form \`- name\` or long form \`- source: name\`) must name configs declared in the top-level \`configs\` section; compose stops otherwise ("service refers to undefined config"). Declare the config with its \`file\`, \`environment\` or \`content\`.`,
  examples: {
    fire: ['services:\n  proxy:\n    image: nginx\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\n'],
    pass: ['services:\n  proxy:\n    image: nginx\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: ./nginx.conf\n'],
  },
  check(context, report) {
    const declared = declaredNames(context.project.model, 'configs');
    for (const set of serviceReferenceSets(context.project)) {
      if (!set) continue;
      for (const reference of set.configs) {
        if (declared.has(reference.name)) continue;
        report({ ...reference.location, message: `${reference.path}: config "${reference.name}" is not declared under the top-level configs` });
      }
    }
  },
});
