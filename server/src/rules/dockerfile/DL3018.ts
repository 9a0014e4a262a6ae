import type { Instruction } from '../../dockerfile';
import { positionalArgs, type Argument, type UnwrappedCommand } from '../../shell';
import { perInstruction, type RuleContext, type RunScript } from '../context';
import type { Rule } from '../types';

/** apk options that take a value (so the value is not read as a package). */
export const APK_OPTIONS_WITH_VALUES: readonly string[] = [
  '-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir',
  '--repositories-file', '--cache-max-age', '--timeout', '--progress-fd',
];

/** One `apk add` found in a RUN (wrappers already peeled off). */
export interface ApkAdd {
  instruction: Instruction;
  script: RunScript;
  command: UnwrappedCommand;
  /** The `add` word. */
  add: Argument;
  packages: Argument[];
}

/** The `apk add` commands of one RUN (or RUN trigger). */
export function apkAddsIn(context: RuleContext, instruction: Instruction): ApkAdd[] {
  const adds: ApkAdd[] = [];
  for (const { script, tool: command, name } of context.commandsOf(instruction)) {
    if (name !== 'apk') continue;
    const [add, ...packages] = positionalArgs(command, APK_OPTIONS_WITH_VALUES);
    if (add?.value !== 'add') continue;
    adds.push({ instruction, script, command, add, packages });
  }
  return adds;
}

/** `curl=8.9.1-r0`, `curl~8.9`, `curl>8`, `curl=${VERSION}`, `./local.apk`; undefined when a variable hides it. */
function versionIsFixed(word: Argument): boolean | undefined {
  if (/[=~<>]/.test(word.raw)) return true;
  if (word.value === undefined) return undefined;
  return word.value.endsWith('.apk');
}

export const DL3018: Rule = {
  id: 'DL3018',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in apk add. Instead of apk add <package> use apk add <package>=<version>.',
  docs: `\`apk add curl\` installs whatever version the Alpine mirror carries on the day of the build, so rebuilding the same Dockerfile can produce a different image. Pin the version with \`package=version\`, or at least a version range with \`package~major.minor\`. A local \`.apk\` file and a version held in a variable count as pinned; the name after \`--virtual\` is not a package.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev\n',
    ],
    pass: [
      'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 git~2.45\n',
      'FROM alpine:3.20\nARG CURL_VERSION=8.9.1-r0\nRUN apk add --no-cache "curl=${CURL_VERSION}"\n',
      'FROM alpine:3.20\nRUN apk add --no-cache --virtual=.build-deps -X https://dl-cdn.alpinelinux.org/alpine/edge/testing ./tool-1.0-r0.apk\n',
      'FROM alpine:3.20\nRUN apk update && apk upgrade --no-cache\n',
    ],
  },
  ...perInstruction({
    commands: ['apk'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { packages } of apkAddsIn(context, instruction)) {
        for (const word of packages) {
          if (versionIsFixed(word) !== false) continue;
          const name = word.value ?? word.raw;
          report({ range: word.docRange, message: `Pin the version of ${name} in apk add: write ${name}=<version>` });
        }
      }
    },
  }),
};
