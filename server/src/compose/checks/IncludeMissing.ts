import { knownString } from '../tree';
import { defineCheck } from './_shared';

export const IncludeMissing = defineCheck({
  id: 'include-missing',
  severity: 'error',
  summary: 'A file listed under `include` cannot be read.',
  docs: `Each \`include\` entry (a path, or \`path:\` in the long form, possibly a list of a file and its overrides) names compose files loaded into the project, relative to the including file's directory. Compose stops when one of them does not exist. Remote includes (\`oci://…\`, git URLs) are not checked.`,
  examples: {
    fire: ['include:\n  - ./db/compose.yaml\nservices:\n  web:\n    image: nginx\n', 'include:\n  - path:\n      - ./db/compose.yaml\n      - ./db/compose.dev.yaml\n'],
    pass: [{ files: { 'compose.yaml': 'include:\n  - ./db/compose.yaml\n  - path: [./cache/compose.yaml]\n    project_directory: ./cache\nservices:\n  web:\n    image: nginx\n    depends_on: [db, redis]\n', 'db/compose.yaml': 'services:\n  db:\n    image: postgres\n', 'cache/compose.yaml': 'services:\n  redis:\n    image: redis\n' } }],
  },
  check(context, report) {
    for (const record of context.project.includes) {
      if (record.found) continue;
      report({ file: record.node.file, range: record.node.range, message: `include: "${knownString(record.node) ?? record.path}" cannot be read (${record.path})` });
    }
  },
});
