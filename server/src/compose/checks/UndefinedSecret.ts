import { declaredNames, serviceReferenceSets } from '../model';
import { defineCheck } from './_shared';

export const UndefinedSecret = defineCheck({
  id: 'undefined-secret',
  severity: 'error',
  summary: 'A service uses a secret that is not declared under the top-level `secrets`.',
  docs: `A service's \`secrets\` (short form \`- name\` or long form \`- source: name\`) and its \`build.secrets\` must name secrets declared in the top-level \`secrets\` section; compose stops otherwise ("service refers to undefined secret"). Declare the secret with its \`file\` or \`environment\`.`,
  examples: {
    fire: ['services:\n  db:\n    image: postgres\n    secrets:\n      - db_password\n', 'services:\n  app:\n    build:\n      context: .\n      secrets:\n        - source: npm_token\n          target: npmrc\n'],
    pass: ['services:\n  db:\n    image: postgres\n    secrets:\n      - db_password\n      - source: db_password\n        target: password.txt\nsecrets:\n  db_password:\n    file: ./db_password.txt\n'],
  },
  check(context, report) {
    const declared = declaredNames(context.project.model, 'secrets');
    for (const set of serviceReferenceSets(context.project)) {
      if (!set) continue;
      for (const reference of set.secrets) {
        if (declared.has(reference.name)) continue;
        report({ ...reference.location, message: `${reference.path}: secret "${reference.name}" is not declared under the top-level secrets` });
      }
    }
  },
});
