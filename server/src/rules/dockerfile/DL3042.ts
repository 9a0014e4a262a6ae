import type { Instruction } from '../../dockerfile';
import { commandName, hasFlag, parseOptions, type Argument, type SimpleCommand, type Word } from '../../shell';
import { perInstruction, type RuleContext, type RunScript } from '../context';
import type { Fix, Rule } from '../types';

export const DL3042: Rule = {
  id: 'DL3042',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`.',
  docs: `pip keeps every wheel it downloads or builds in \`~/.cache/pip\`. In an image that cache is dead weight baked into the layer. Pass \`--no-cache-dir\` to \`pip install\` (the quick fix adds it). Not reported: when \`PIP_NO_CACHE_DIR\` is set to a true value (\`ENV\` or \`ARG\` in the stage or a stage it builds on, \`export\` earlier in the same \`RUN\`, or an assignment before the command), when the \`RUN\` mounts a cache or tmpfs on the pip cache (\`--mount=type=cache,target=/root/.cache/pip\`), and for pipx and pipenv.`,
  examples: {
    fire: ['FROM python:3.12\nRUN pip install requests==2.32.3\n', 'FROM python:3.12\nRUN python3 -m pip install -r requirements.txt\n'],
    pass: [
      'FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3\n',
      'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install requests==2.32.3\n',
      'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip3 install requests==2.32.3\n',
      'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=on && pip install requests==2.32.3\n',
      'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=yes pip install requests==2.32.3\n',
      'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.32.3\n',
      'FROM python:3.12\nRUN pipx install black==24.4.2 && pip download requests==2.32.3\n',
    ],
  },
  ...perInstruction({
    names: ['RUN'],
    triggers: true,
    visit(instruction, context, report) {
      // Whether the cache is kept out some other way; asked only once a pip install turns up.
      let cachedElsewhere: boolean | undefined;
      let script: RunScript | undefined;
      let editable = false;
      let exported = false;
      for (const { script: from, command, tool, name } of context.commandsOf(instruction)) {
        if (from !== script) {
          // `export` lasts until the end of its script.
          script = from;
          editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
          exported = false;
        }
        // An `export` as written is an `export` unwrapped: the name already known rules out the rest.
        if (name === 'export' && commandName(command) === 'export') {
          for (const arg of command.args) {
            const match = arg.value === undefined ? undefined : /^PIP_NO_CACHE_DIR=(.*)$/.exec(arg.value);
            if (match) exported = isTrue(match[1]!);
          }
          continue;
        }
        // pip and python both start with a p: most commands are done with here.
        if (exported || name === undefined || name.charCodeAt(0) !== 0x70 || assignsNoCache(command)) continue;
        const install = pipInstallWord(tool, name);
        if (!install || !tool.name) continue;
        cachedElsewhere ??= hasPipCacheMount(instruction) || noCacheFromDockerfile(context, instruction);
        if (cachedElsewhere) return;
        if (hasFlag(tool, [], 'no-cache-dir', PIP_OPTIONS_WITH_VALUES)) continue;
        const at = install.docRange.end;
        const fixes: Fix[] = editable ? [{ title: 'Add --no-cache-dir', edits: [{ range: { start: at, end: at }, newText: ' --no-cache-dir' }] }] : [];
        report({
          range: { start: tool.name.docRange.start, end: install.docRange.end },
          message: 'pip install keeps its download cache in the image: add --no-cache-dir',
          fixes,
        });
      }
    },
  }),
};

const PIP_OPTIONS_WITH_VALUES = [
  '--python', '--log', '--cache-dir', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert',
  '--client-cert', '--src', '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '--platform',
  '--python-version', '--implementation', '--abi', '--root', '--prefix', '-i', '--index-url', '--extra-index-url', '-f',
  '--find-links', '--no-binary', '--only-binary', '--progress-bar', '--upgrade-strategy', '--global-option', '-C',
  '--config-settings', '--report', '--use-feature', '--use-deprecated', '--keyring-provider', '--root-user-action',
];

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on', 'y', 't']);
const isTrue = (value: string) => TRUE_VALUES.has(value.trim().toLowerCase());

/** `PIP_NO_CACHE_DIR` from ENV/ARG in effect for this RUN (a value that is not known statically counts as set). */
function noCacheFromDockerfile(context: RuleContext, instruction: Instruction): boolean {
  const binding = context.model.lookupVariable('PIP_NO_CACHE_DIR', instruction);
  if (!binding || binding.kind === 'predefined') return false;
  return binding.value === undefined ? binding.kind === 'env' || binding.pair?.value !== undefined : isTrue(binding.value);
}

/** `PIP_NO_CACHE_DIR=1 pip install …` or `env PIP_NO_CACHE_DIR=1 pip install …`. */
function assignsNoCache(command: SimpleCommand): boolean {
  if (command.assignments.some((assignment) => assignment.name === 'PIP_NO_CACHE_DIR' && assignment.value.value !== undefined && isTrue(assignment.value.value))) {
    return true;
  }
  if (commandName(command) !== 'env') return false;
  return command.args.some((arg) => {
    const match = arg.value === undefined ? undefined : /^PIP_NO_CACHE_DIR=(.*)$/.exec(arg.value);
    return match !== null && match !== undefined && isTrue(match[1]!);
  });
}

/** The `install` word of `pip install`, `pip3.12 install` or `python3 -m pip install`. */
function pipInstallWord(tool: SimpleCommand, name: string): Word | undefined {
  let args: readonly Argument[] = tool.args;
  if (/^python[0-9.]*$/.test(name)) {
    const module = args.findIndex((arg, index) => arg.value === '-m' && args[index + 1]?.value === 'pip');
    if (module < 0 || args.slice(0, module).some((arg) => !arg.isFlag)) return undefined;
    args = args.slice(module + 2);
  } else if (!/^pip[0-9.]*$/.test(name)) {
    return undefined;
  }
  for (const option of parseOptions(args, PIP_OPTIONS_WITH_VALUES)) {
    if (option.kind === 'positional') return option.word.value === 'install' ? option.word : undefined;
  }
  return undefined;
}

function hasPipCacheMount(instruction: Instruction): boolean {
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    let type = 'bind';
    let target = '';
    for (const field of flag.value.split(',')) {
      const equals = field.indexOf('=');
      const key = (equals < 0 ? field : field.slice(0, equals)).trim().toLowerCase();
      const value = equals < 0 ? '' : field.slice(equals + 1).trim();
      if (key === 'type') type = value.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') target = value;
    }
    if ((type === 'cache' || type === 'tmpfs') && /(?:^|\/)\.cache(?:\/pip)?\/?$|\/\.cache\/pip\//.test(target)) return true;
  }
  return false;
}

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
