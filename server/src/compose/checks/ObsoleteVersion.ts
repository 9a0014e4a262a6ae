import { getPair } from '../tree';
import { defineCheck } from './_shared';

export const ObsoleteVersion = defineCheck({
  id: 'obsolete-version',
  severity: 'warning',
  summary: 'The top-level `version` is obsolete.',
  docs: `Compose no longer uses \`version\`: every file is read against the current Compose Specification, whatever it says, and compose prints a warning that the attribute is ignored. Remove the line; nothing changes for compose, and readers are not misled into thinking an old file format applies.`,
  examples: {
    fire: ["version: '3.8'\nservices:\n  web:\n    image: nginx\n", { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'compose.override.yaml': 'version: "3"\nservices:\n  web:\n    ports: ["8080:80"]\n' } }],
    pass: ['services:\n  web:\n    image: nginx\n', 'name: shop\nservices:\n  web:\n    image: nginx\n'],
  },
  check(context, report) {
    for (const file of context.project.files.values()) {
      for (const document of file.parsed.documents) {
        const root = document.root;
        const pair = root?.kind === 'map' ? getPair(root, 'version') : undefined;
        if (pair && pair.file === file.path) report({ file: pair.file, range: pair.keyRange, message: 'version: the top-level "version" is obsolete and ignored by compose; remove it' });
      }
    }
  },
});
