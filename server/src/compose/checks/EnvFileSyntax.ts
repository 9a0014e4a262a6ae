import { defineCheck, loaderFindings } from './_shared';

export const EnvFileSyntax = defineCheck({
  id: 'env-file-syntax',
  severity: 'error',
  summary: 'The `.env` file used for interpolation cannot be read as compose reads it.',
  docs: `Compose reads the \`.env\` file of the project directory (or the files given with \`--env-file\`, or an \`include\`'s \`env_file\`) before it interpolates the compose files, and stops at the first line it cannot read: a variable name with characters other than letters, digits, \`_\`, \`.\`, \`-\`, \`[\` and \`]\`, a name with a space, a quoted value whose closing quote is missing, or an invalid \`\${...}\` expression in a value. The finding is in the \`.env\` file.`,
  examples: {
    fire: [
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', '.env': 'TAG="1.27\n' } },
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', '.env': 'MY TAG=1.27\n' } },
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', '.env': 'TAG=${BASE\n' } },
    ],
    pass: [{ files: { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', '.env': '# the image tag\nexport TAG="1.27" # pinned\nGREETING=\'hello $USER\'\nMULTI="line one\nline two"\n' } }],
  },
  check(context, report) {
    loaderFindings(context, 'env-file-syntax', report);
  },
});
