import { declaredNames, serviceReferenceSets } from '../model';
import { defineCheck } from './_shared';

export const UndefinedVolume = defineCheck({
  id: 'undefined-volume',
  severity: 'error',
  summary: 'A service mounts a named volume that is not declared under the top-level `volumes`.',
  docs: `In \`volumes: ["data:/var/lib/data"]\`, \`data\` is a named volume, and compose stops ("service refers to undefined volume") unless the top-level \`volumes\` section declares it. Host paths (starting with \`.\`, \`/\`, \`~\` or a drive letter) are bind mounts and anonymous volumes (\`- /var/lib/data\`) need nothing; both are left alone. The long syntax counts too when \`type\` is \`volume\` and \`source\` is set. Declare the volume, or write \`./data\` if a directory next to the compose file was meant.`,
  examples: {
    fire: ['services:\n  db:\n    image: postgres\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n', 'services:\n  db:\n    image: postgres\n    volumes:\n      - type: volume\n        source: pgdata\n        target: /var/lib/postgresql/data\n'],
    pass: [
      'services:\n  db:\n    image: postgres\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n      - ./init:/docker-entrypoint-initdb.d:ro\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ~/.cache:/cache\n      - /tmp/anonymous\n      - type: bind\n        source: ./conf\n        target: /etc/conf\n      - type: tmpfs\n        target: /run\nvolumes:\n  pgdata:\n',
      'services:\n  app:\n    image: app\n    volumes:\n      - C:\\data:/data\n',
    ],
  },
  check(context, report) {
    const declared = declaredNames(context.project.model, 'volumes');
    for (const set of serviceReferenceSets(context.project)) {
      if (!set) continue;
      for (const reference of set.volumes) {
        if (declared.has(reference.name)) continue;
        report({ ...reference.location, message: `${reference.path}: volume "${reference.name}" is not declared under the top-level volumes (a host path must start with ".", "/" or "~")` });
      }
    }
  },
});
