import { defineCheck, loaderFindings } from './_shared';

export const YamlSyntax = defineCheck({
  id: 'yaml-syntax',
  severity: 'error',
  summary: 'The file is not valid YAML.',
  docs: `Compose reads its files as YAML first; a syntax error stops it before anything else is looked at. The finding is placed where the YAML reader gave up: an unclosed quote or bracket, a key without \`:\`, inconsistent indentation, a tab used for indentation, an alias (\`*name\`) used before its anchor (\`&name\`), or a merge key (\`<<\`) given something other than a mapping. Berth keeps reading around the error, so the rest of the file is still checked.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: "nginx\n',
      'services:\n  web:\n    image: nginx\n   ports: ["80:80"]\n',
      'services:\n  web:\n    <<: *defaults\n    image: nginx\n',
      'services:\n  web: [nginx\n',
    ],
    pass: ['services:\n  web:\n    image: nginx\n', 'x-defaults: &defaults\n  restart: always\nservices:\n  web:\n    <<: *defaults\n    image: nginx\n'],
  },
  check(context, report) {
    loaderFindings(context, 'yaml-syntax', report);
  },
});
