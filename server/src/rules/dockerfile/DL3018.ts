import type { Instruction } from '../../dockerfile';
import { allCommands, commandName, positionalArgs, unwrap, type Argument, type UnwrappedCommand } from '../../shell';
import type { RuleContext, RunScript } from '../context';
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

/** Every `apk add` in the file's RUN instructions, ONBUILD triggers included. */
export function* apkAdds(context: RuleContext): Generator<ApkAdd> {
  for (const instruction of context.allInstructions()) {
    for (const script of context.scripts(instruction)) {
      for (const simple of allCommands(script.parsed)) {
        const command = unwrap(simple);
        if (commandName(command) !== 'apk') continue;
        const [add, ...packages] = positionalArgs(command, APK_OPTIONS_WITH_VALUES);
        if (add?.value !== 'add') continue;
        yield { instruction, script, command, add, packages };
      }
    }
  }
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
  check(context, report) {
    for (const { packages } of apkAdds(context)) {
      for (const word of packages) {
        if (versionIsFixed(word) !== false) continue;
        const name = word.value ?? word.raw;
        report({ range: word.docRange, message: `Pin the version of ${name} in apk add: write ${name}=<version>` });
      }
    }
  },
};
