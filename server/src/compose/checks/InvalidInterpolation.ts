import { defineCheck, loaderFindings } from './_shared';

export const InvalidInterpolation = defineCheck({
  id: 'invalid-interpolation',
  severity: 'error',
  summary: 'A `${...}` expression is malformed, or a required variable has no value.',
  docs: `Compose replaces \`$VAR\` and \`\${VAR}\` in every value with variables from the shell and the project's \`.env\` file, with the forms \`\${VAR:-default}\`, \`\${VAR-default}\`, \`\${VAR:?message}\`, \`\${VAR?message}\`, \`\${VAR:+alternative}\` and \`\${VAR+alternative}\`, which nest. Anything else after \`\${\`, such as a missing \`}\`, a name with a dot or a space, or an unknown operator, makes compose stop with "invalid interpolation format". Write \`$$\` for a literal dollar sign (for example in a shell command run in the container).

\`\${VAR:?message}\` and \`\${VAR?message}\` make compose stop when the variable is unset (or, with \`:\`, empty); Berth reports the message as compose would, using the environment it was given and the \`.env\` file.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: "nginx:${TAG"\n',
      'services:\n  web:\n    image: nginx:${TAG:x}\n',
      'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG?the tag to deploy}\n', '.env': 'OTHER=1\n' } },
    ],
    pass: [
      'services:\n  web:\n    image: nginx:${TAG:-latest}\n    command: sh -c "echo $$HOME"\n',
      { files: { 'compose.yaml': 'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n', '.env': 'DB_PASSWORD=secret\n' } },
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG?}\n' }, environment: { TAG: '1.27' } },
    ],
  },
  check(context, report) {
    loaderFindings(context, 'invalid-interpolation', report);
  },
});
