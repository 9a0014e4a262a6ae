import { defineCheck, loaderFindings } from './_shared';

export const DuplicateKey = defineCheck({
  id: 'duplicate-key',
  severity: 'error',
  summary: 'A key appears twice in the same mapping.',
  docs: `YAML readers disagree on which of two equal keys wins, and compose refuses the file (\`mapping key "image" already defined\`). Keep one of them. The finding is on the later key and says where the first one is. (Keys brought in by a merge key, \`<<: *defaults\`, are not duplicates: the explicit key simply wins.)`,
  examples: {
    fire: ['services:\n  web:\n    image: nginx\n    image: httpd\n', 'services:\n  web:\n    image: nginx\n  web:\n    image: httpd\n'],
    pass: ['x-base: &base\n  image: nginx\nservices:\n  web:\n    <<: *base\n    image: httpd\n'],
  },
  check(context, report) {
    loaderFindings(context, 'duplicate-key', report);
  },
});
