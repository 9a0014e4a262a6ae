import { get } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

const message = (name: string) => `${pathText(['services', name])}: neither image nor build is set, so compose has nothing to run`;

export const NoImageOrBuild = defineCheck({
  id: 'no-image-or-build',
  severity: 'error',
  summary: 'A service has neither `image` nor `build`.',
  docs: `Compose needs to know what to run: an \`image\` to pull, or a \`build\` to make one. A service with neither is refused ("has neither an image nor a build context specified"). Values inherited through \`extends\` and from other files of the project count, and services run by a \`provider\` need no image.`,
  examples: {
    fire: ['services:\n  web:\n    ports: ["80:80"]\n', 'services:\n  web:\n'],
    pass: [
      'services:\n  web:\n    image: nginx\n  app:\n    build: .\n  base:\n    image: app\n  worker:\n    extends: base\n  model:\n    provider:\n      type: model\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    ports: ["80:80"]\n', 'compose.override.yaml': 'services:\n  web:\n    image: nginx\n' } },
    ],
  },
  checkService(service, _context, report) {
    const node = service.node;
    if (get(node, 'image') || get(node, 'build') || get(node, 'provider')) return;
    report({ file: service.pair.file, range: service.pair.keyRange, message: message(service.name) });
  },
  check(context, report) {
    // A service written as a scalar (`web:` with nothing, or a string) is no mapping: checkService does not see it.
    for (const service of context.services) {
      if (!service.node && service.pair.value.kind === 'scalar') report({ file: service.pair.file, range: service.pair.keyRange, message: message(service.name) });
    }
  },
});
