import { positionalArgs, type Argument } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** npm options that take a value (so the value is not read as a package). */
const NPM_OPTIONS_WITH_VALUES = [
  '--registry', '--tag', '--prefix', '-w', '--workspace', '--omit', '--include', '--cache', '--userconfig', '--globalconfig',
  '--loglevel', '--install-strategy', '--before', '--otp', '--save-prefix', '--scope', '--script-shell', '--fetch-retries',
];

const INSTALL = new Set(['install', 'i', 'add']);
const GIT = /^(?:git(?:\+(?:ssh|https?|file))?:\/\/|github:|gitlab:|bitbucket:|gist:)/;

/** `pkg@1.2.3`, `@scope/pkg@^1`, `git+https://…#v1`, `./local`, `pkg.tgz`; undefined when a variable hides it. */
function versionIsFixed(word: Argument): boolean | undefined {
  const text = word.value ?? word.raw;
  if (GIT.test(text)) return text.includes('#');
  if (/\.(?:tar|tar\.gz|tgz)$/.test(text)) return true;
  if (/^(?:\/|\.\/|\.\.\/|~\/|file:)/.test(text) || text === '.' || text === '..') return true;
  const unscoped = text.startsWith('@') ? text.slice(text.indexOf('/') + 1) : text;
  if (unscoped.includes('@')) return true;
  if (!text.startsWith('@') && /^[^/:]+\/[^/]+$/.test(text)) return text.includes('#'); // GitHub `user/repo`
  return word.value === undefined ? undefined : false;
}

const isInstallWord = (arg: Argument) => arg.value !== undefined && INSTALL.has(arg.value);

export const DL3016: Rule = {
  id: 'DL3016',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in npm. Instead of npm install <package> use npm install <package>@<version>.',
  docs: `\`npm install -g typescript\` installs the latest release on the day of the build, so rebuilding the same Dockerfile can change the image or break it. Name the version: \`typescript@5.6.3\` (a range or a dist-tag also works), \`@scope/pkg@1.2.0\`, or a git URL with \`#commit\`. A plain \`npm install\` (or \`npm ci\`) installs from package.json and its lock file and is not reported; local folders and tarballs, and versions held in variables, count as pinned.`,
  examples: {
    fire: [
      'FROM node:22-alpine\nRUN npm install -g typescript\n',
      'FROM node:22-alpine\nRUN npm i --save-dev @types/node eslint@9.12.0\n',
    ],
    pass: [
      'FROM node:22-alpine\nRUN npm install -g typescript@5.6.3 @angular/cli@18.2.8\n',
      'FROM node:22-alpine\nCOPY package*.json ./\nRUN npm install && npm ci --omit=dev\n',
      'FROM node:22-alpine\nARG PNPM_VERSION=9.12.1\nRUN npm install -g "pnpm@${PNPM_VERSION}" --registry https://registry.example.com\n',
      'FROM node:22-alpine\nRUN npm install ./packages/shared git+https://github.com/acme/lib.git#v1.2.0 vendor/tool-1.0.0.tgz\n',
    ],
  },
  ...perInstruction({
    commands: ['npm'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool: command, name } of context.commandsOf(instruction)) {
        // `npm ci`, `npm run build`…: no install word, no options to read.
        if (name !== 'npm' || !command.args.some(isInstallWord)) continue;
        const [install, ...packages] = positionalArgs(command, NPM_OPTIONS_WITH_VALUES);
        if (install?.value === undefined || !INSTALL.has(install.value)) continue;
        for (const word of packages) {
          if (versionIsFixed(word) !== false) continue;
          const name = word.value ?? word.raw;
          report({ range: word.docRange, message: `Pin the version of ${name} in npm install: write ${name}@<version>` });
        }
      }
    },
  }),
};
