import { booleanValue, get, itemsOf, knownString } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const EnvFileMissing = defineCheck({
  id: 'env-file-missing',
  severity: 'error',
  summary: 'An `env_file` does not exist.',
  docs: `A service's \`env_file\` entries are read when the container is created, relative to the compose file's directory; a missing one stops compose ("env file … not found"), unless the entry is written in the long form with \`required: false\`. The \`env_file\` of an \`include\` entry (which supplies variables for interpolating the included files) must exist too.`,
  examples: {
    fire: ['services:\n  web:\n    image: nginx\n    env_file: ./web.env\n', 'services:\n  web:\n    image: nginx\n    env_file:\n      - path: ./defaults.env\n        required: true\n', { files: { 'compose.yaml': 'include:\n  - path: ./db/compose.yaml\n    env_file: ./db/db.env\n', 'db/compose.yaml': 'services:\n  db:\n    image: postgres\n' } }],
    pass: [
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    env_file:\n      - ./web.env\n      - path: ./local.env\n        required: false\n', 'web.env': 'A=1\n' } },
      { files: { 'compose.yaml': 'include:\n  - path: ./db/compose.yaml\n    env_file: ./db/db.env\n', 'db/compose.yaml': 'services:\n  db:\n    image: postgres\n', 'db/db.env': 'TAG=16\n' } },
    ],
  },
  checkService(service, context, report) {
    for (const item of itemsOf(get(service.node, 'env_file'))) {
      const pathNode = item.kind === 'map' ? get(item, 'path') : item;
      const written = knownString(pathNode);
      if (!pathNode || !written) continue;
      if (item.kind === 'map' && booleanValue(get(item, 'required')) === false) continue;
      const path = context.resolvePath(pathNode, written);
      if (context.exists(path)) continue;
      report({ file: pathNode.file, range: pathNode.range, message: `${pathText(['services', service.name, 'env_file'])}: "${written}" does not exist (${path}); use the long form with required: false if it is optional` });
    }
  },
  check(context, report) {
    for (const reference of context.project.includeEnvFiles) {
      if (reference.found) continue;
      report({ file: reference.node.file, range: reference.node.range, message: `include.env_file: "${knownString(reference.node) ?? reference.path}" does not exist (${reference.path})` });
    }
  },
});
