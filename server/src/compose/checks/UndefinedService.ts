import { baseName } from '../fileNames';
import { declaredNames, serviceReferenceSets } from '../model';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const UndefinedService = defineCheck({
  id: 'undefined-service',
  severity: 'error',
  summary: 'A service refers to a service that is not defined.',
  docs: `Compose stops when a service names another service that the project does not define, in:
- \`depends_on\` (the list form and the mapping form),
- \`links\` (\`db\` or \`db:alias\`),
- \`extends\` (without \`file\`, the base service must be in the same file, or in a file it includes; with \`file\`, in that file),
- \`network_mode: service:db\`, \`ipc: service:db\` and \`pid: service:db\`,
- \`volumes_from\` (\`db\`, \`db:ro\`; \`container:name\` names a container, not a service, and is not checked),
- \`build.additional_contexts\` entries \`service:db\`.

Services from every file of the project count (override files, included files). Check the spelling, or add the service.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: nginx\n    depends_on:\n      - db\n',
      'services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n',
      'services:\n  web:\n    image: nginx\n    links:\n      - "db:database"\n',
      'services:\n  web:\n    extends: base\n',
      'services:\n  web:\n    image: nginx\n    network_mode: "service:vpn"\n',
      'services:\n  web:\n    image: nginx\n    volumes_from:\n      - data:ro\n',
      'services:\n  web:\n    build:\n      context: .\n      additional_contexts:\n        base: service:base-image\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    extends:\n      file: common.yaml\n      service: webapp\n', 'common.yaml': 'services:\n  app:\n    image: nginx\n' } },
    ],
    pass: [
      'services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n    links: ["db:database"]\n    volumes_from: ["db:ro", "container:legacy"]\n',
      'services:\n  vpn:\n    image: wireguard\n  web:\n    image: nginx\n    network_mode: service:vpn\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'compose.override.yaml': 'services:\n  db:\n    image: postgres\n  web:\n    depends_on: [db]\n' } },
      { files: { 'compose.yaml': 'services:\n  web:\n    extends:\n      file: common.yaml\n      service: app\n', 'common.yaml': 'services:\n  app:\n    image: nginx\n' } },
    ],
  },
  check(context, report) {
    const project = context.project;
    const services = declaredNames(project.model, 'services');
    for (const set of serviceReferenceSets(project)) {
      if (!set) continue;
      for (const reference of set.services) {
        if (services.has(reference.name)) continue;
        report({ ...reference.location, message: `${reference.path}: service "${reference.name}" is not defined` });
      }
    }
    for (const record of project.extends) {
      if (record.problem !== 'service-missing') continue;
      const path = pathText(['services', record.service, 'extends']);
      if (record.baseFile) {
        report({ file: record.baseNode.file, range: record.baseNode.range, message: `${path}: service "${record.base}" is not defined in ${baseName(record.baseFile.path)}` });
      } else {
        const elsewhere = services.has(record.base) ? ` (it is defined in another file of the project, but extends without "file" only sees the services of ${baseName(record.file)} and the files it includes)` : '';
        report({ file: record.baseNode.file, range: record.baseNode.range, message: `${path}: service "${record.base}" is not defined${elsewhere}` });
      }
    }
  },
});
