import { booleanValue, get, getPair } from '../tree';
import type { ComposeNode } from '../types';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

const SOURCES = ['file', 'environment', 'content'] as const;

function isExternal(node: ComposeNode | undefined): boolean {
  if (!node) return false;
  if (node.kind === 'map') return true; // legacy `external: { name: … }`
  return booleanValue(node) === true;
}

export const SecretSource = defineCheck({
  id: 'secret-source',
  severity: 'error',
  summary: 'A top-level secret or config does not say where its value comes from, or says it twice.',
  docs: `A secret (or config) that compose creates needs exactly one source: \`file\` (a path relative to the compose file), \`environment\` (the name of a variable) or \`content\` (the value inline). With none, compose stops ("secret must declare either file or environment"); with several, which one is used is not obvious. Secrets and configs marked \`external: true\` already exist on the engine and need none.`,
  examples: {
    fire: [
      'services:\n  db:\n    image: postgres\n    secrets: [db_password]\nsecrets:\n  db_password:\n    name: prod_db_password\n',
      'secrets:\n  token:\n    file: ./token.txt\n    environment: TOKEN\n',
      'configs:\n  app_conf:\n    labels:\n      team: web\n',
    ],
    pass: ['secrets:\n  a:\n    file: ./a.txt\n  b:\n    environment: B_SECRET\n  c:\n    external: true\n  d:\n    external:\n      name: shared_d\nconfigs:\n  conf:\n    content: |\n      debug=true\n'],
  },
  check(context, report) {
    for (const kind of ['secrets', 'configs'] as const) {
      const section = get(context.project.model, kind);
      if (section?.kind !== 'map') continue;
      for (const pair of section.pairs) {
        const definition = pair.value;
        if (definition.kind !== 'map') {
          if (definition.kind === 'scalar' && definition.value === null) report({ file: pair.file, range: pair.keyRange, message: `${pathText([kind, pair.key])}: set one of file, environment or content (or external: true)` });
          continue;
        }
        if (isExternal(get(definition, 'external'))) continue;
        const given = SOURCES.map((key) => getPair(definition, key)).filter((source) => source !== undefined);
        if (given.length === 1) continue;
        if (given.length === 0) {
          report({ file: pair.file, range: pair.keyRange, message: `${pathText([kind, pair.key])}: set one of file, environment or content (or external: true)` });
          continue;
        }
        const second = given[1]!;
        report({ file: second.file, range: second.keyRange, message: `${pathText([kind, pair.key])}: ${given.map((source) => source.key).join(' and ')} are both set; use exactly one source` });
      }
    }
  },
});
