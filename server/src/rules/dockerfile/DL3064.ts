import { NONE } from '../../dockerfile/none';
import { perInstruction } from '../context';
import type { Rule } from '../types';
import { stripQuotes } from './_words';

/** Well-known credential variables that no name pattern below catches. */
const KNOWN_SECRET_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'APPLICATION_KEY', 'CI_DEPLOY_USER', 'DOCKER_EMAIL', 'HEROKU_API_USER', 'OKTA_OAUTH2_CLIENTID']);

/** Parts of a name that suggest a secret. */
const SECRET_WORDS = ['password', 'secret', 'token', 'api_key', 'client_key', 'private', 'username'];

/** Names that match a pattern but hold no secret. */
const NOT_SECRETS = new Set(['GOPRIVATE']);
// BuildKit's SecretsUsedInArgOrEnv test: a whole `_`-separated word names a secret, unless another says it is public.
const BUILDKIT_SECRET_WORD = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const BUILDKIT_PUBLIC_WORD = /(?:_|^)public(?:_|$)/i;

/**
 * Every name the tests below accept holds one of these (in any case), and a name
 * outside ASCII may change letters when its case changes: one test turns away the
 * `NODE_VERSION`s that make up nearly every ARG and ENV.
 */
const MAYBE_SENSITIVE = /key|auth|cred|pass|pword|secret|token|private|user|email|clientid|[^\x00-\x7f]/i;

/** Whether a variable name suggests it holds a secret. */
export function looksSensitive(name: string): boolean {
  if (!MAYBE_SENSITIVE.test(name)) return false;
  const upper = name.toUpperCase();
  if (NOT_SECRETS.has(upper)) return false;
  // A path to a secret (`DB_PASSWORD_FILE=/run/secrets/db`) is the recommended way, not a leak.
  if (/_(?:FILE|PATH|DIR)$/.test(upper)) return false;
  if (KNOWN_SECRET_NAMES.has(upper)) return true;
  const lower = name.toLowerCase();
  if (BUILDKIT_SECRET_WORD.test(name) && !BUILDKIT_PUBLIC_WORD.test(name)) return true;
  return SECRET_WORDS.some((word) => lower.includes(word));
}

export const DL3064: Rule = {
  id: 'DL3064',
  source: 'hadolint',
  severity: 'warning',
  aliases: ['SecretsUsedInArgOrEnv'],
  summary: 'Potentially sensitive data should not be used in the `ARG` or `ENV` commands.',
  docs: `\`ENV\` values are stored in the image configuration and \`ARG\` values in its build history, so anyone who can pull the image can read a password, token or key passed that way. Pass secrets to the build with a secret mount (\`RUN --mount=type=secret,id=npm_token …\`) and to the container at run time (\`docker run -e\`, orchestrator secrets). Names are matched by pattern (BuildKit's words \`key\`, \`token\`, \`secret\`, \`password\`, \`auth\`, \`credential\` between underscores unless the name also says \`public\`; and \`PASSWORD\`, \`SECRET\`, \`TOKEN\`, \`API_KEY\`, \`CLIENT_KEY\`, \`PRIVATE\`, \`USERNAME\`) and against a few well-known credential names such as \`AWS_ACCESS_KEY_ID\`. Variables that point at a secret file (\`…_FILE\`, \`…_PATH\`, \`…_DIR\`) are fine, and so is \`GOPRIVATE\`.`,
  examples: {
    fire: ['FROM postgres:16\nENV POSTGRES_PASSWORD=changeme\n', 'FROM alpine:3.20\nENV api_key=abc other=1\nARG GITHUB_AUTH\n', 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc\n', 'FROM alpine:3.20\nARG AWS_ACCESS_KEY_ID\n'],
    pass: [
      'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password\n',
      'FROM golang:1.23\nENV GOPRIVATE=github.com/acme/*\n',
      'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n',
      'FROM alpine:3.20\nENV PUBLIC_KEY=abc\nARG KEYBOARD=us\n',
    ],
  },
  ...perInstruction({
    names: ['ARG', 'ENV'],
    triggers: true,
    visit(instruction, _context, report) {
      for (const pair of instruction.keyValues ?? NONE) {
        const name = stripQuotes(pair.key.value);
        if (!looksSensitive(name)) continue;
        report({
          range: pair.key.range,
          message: `${instruction.name} ${name} looks like it holds a secret: ${instruction.name} values stay readable in the image; use a secret mount or a run-time variable`,
        });
      }
    },
  }),
};
