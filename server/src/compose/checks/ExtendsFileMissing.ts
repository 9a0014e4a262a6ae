import { knownString } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const ExtendsFileMissing = defineCheck({
  id: 'extends-file-missing',
  severity: 'error',
  summary: 'The file named by `extends.file` cannot be read.',
  docs: `\`extends: { file: common.yaml, service: app }\` reads the base service from another compose file, relative to the extending file's directory. Compose stops when that file does not exist. (A base service missing from an existing file is reported by undefined-service.)`,
  examples: {
    fire: ['services:\n  web:\n    extends:\n      file: common.yaml\n      service: app\n'],
    pass: [{ files: { 'compose.yaml': 'services:\n  web:\n    extends:\n      file: ./shared/common.yaml\n      service: app\n', 'shared/common.yaml': 'services:\n  app:\n    image: nginx\n    build: ./app\n', 'shared/app/Dockerfile': 'FROM nginx\n' } }],
  },
  check(context, report) {
    for (const record of context.project.extends) {
      if (record.problem !== 'file-missing' || !record.baseFile) continue;
      const node = record.baseFile.node;
      report({ file: node.file, range: node.range, message: `${pathText(['services', record.service, 'extends', 'file'])}: "${knownString(node) ?? record.baseFile.path}" cannot be read (${record.baseFile.path})` });
    }
  },
});
