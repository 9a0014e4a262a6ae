import { parseOptions, type Argument, type UnwrappedCommand } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** pip options that take a value (so the value is not read as a package). */
const PIP_OPTIONS_WITH_VALUES = [
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '--platform', '--python-version',
  '--implementation', '--abi', '--root', '--prefix', '--src', '-b', '--build', '--upgrade-strategy', '-i', '--index-url',
  '--extra-index-url', '-f', '--find-links', '--no-binary', '--only-binary', '--progress-bar', '--proxy', '--trusted-host',
  '--cache-dir', '--log', '--timeout', '--retries', '--exists-action', '--cert', '--client-cert', '-C', '--config-settings',
  '--global-option', '--install-option', '--report', '--python', '--root-user-action', '--keyring-provider', '--use-feature', '--use-deprecated',
];

const PIP = /^pip(?:\d+(?:\.\d+)*)?$/;
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;

/** The words after `pip` in `pip …`, `pip3.12 …` or `python3 -m pip …`. */
function pipWords(command: UnwrappedCommand, name: string | undefined): Argument[] | undefined {
  // pip and python both start with a p: most commands are turned away without a regex.
  if (name === undefined || name.charCodeAt(0) !== 0x70) return undefined;
  if (PIP.test(name)) return command.args;
  if (!PYTHON.test(name)) return undefined;
  for (let index = 0; index < command.args.length; index++) {
    const value = command.args[index]!.value;
    if (value === '-m' && command.args[index + 1]?.value === 'pip') return command.args.slice(index + 2);
    if (value === '-mpip') return command.args.slice(index + 1);
    if (value === undefined || !value.startsWith('-')) return undefined; // the script or module comes first
  }
  return undefined;
}

const VCS = /^(?:git|hg|svn|bzr)(?:\+[a-z-]+)?:/i;

/** `pkg==1.2`, `pkg>=1,<2`, `pkg @ https://…`, `git+https://…@v1.2`, `./dist/pkg.whl`, `/src/pkg`; undefined when a variable hides it. */
function versionIsFixed(word: Argument): boolean | undefined {
  const text = word.value ?? word.raw;
  if (/[=<>!~]=|[<>]/.test(text)) return true;
  if (VCS.test(text)) return /@[^/]*$/.test(text.replace(/^[^:]+:\/\/(?:[^@/]*@)?/, ''));
  if (/\.(?:whl|tar\.gz|tgz|zip)$/.test(text) || text.includes('/') || text === '.' || text === '..') return true;
  return word.value === undefined ? undefined : false;
}

export const DL3013: Rule = {
  id: 'DL3013',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in pip. Instead of pip install <package> use pip install <package>==<version> or pip install --requirement <requirements file>.',
  docs: `\`pip install flask\` takes the newest release on the day of the build, so the same Dockerfile gives different images over time, and a new major version can break the build or the app. Pin each package (\`flask==3.0.3\`, or at least a range such as \`flask>=3,<4\`), or install from a requirements file (\`-r requirements.txt\`) or under a constraints file (\`-c constraints.txt\`) where the versions are managed. Local paths, wheels, VCS URLs with an \`@ref\` and versions held in variables count as pinned.`,
  examples: {
    fire: [
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n',
      'FROM python:3.12-slim\nRUN python3 -m pip install --no-cache-dir requests==2.32.3 "uvicorn[standard]"\n',
    ],
    pass: [
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 "gunicorn>=22,<23"\n',
      'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      'FROM python:3.12-slim\nARG FLASK_VERSION=3.0.3\nRUN pip install --no-cache-dir "flask==${FLASK_VERSION}" --index-url https://pypi.example.com/simple\n',
      'FROM python:3.12-slim\nCOPY . /src\nRUN pip install --no-cache-dir -e /src ./dist/tool-1.0-py3-none-any.whl git+https://github.com/acme/lib.git@v1.2.0\n',
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir -c constraints.txt flask\n',
    ],
  },
  ...perInstruction({
    names: ['RUN'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        const words = pipWords(tool, name);
        if (!words) continue;
        const options = parseOptions(words, PIP_OPTIONS_WITH_VALUES);
        // Versions managed in a requirements or constraints file.
        if (options.some((option) => option.kind === 'flag' && ['-r', '--requirement', '-c', '--constraint'].includes(option.name))) continue;
        const [install, ...packages] = options.filter((option) => option.kind === 'positional').map((option) => option.word);
        if (install?.value !== 'install') continue;
        for (const word of packages) {
          if (versionIsFixed(word) !== false) continue;
          const name = word.value ?? word.raw;
          report({ range: word.docRange, message: `Pin the version of ${name} in pip install: write ${name}==<version>` });
        }
      }
    },
  }),
};
