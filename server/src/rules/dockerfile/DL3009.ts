import type { Instruction } from '../../dockerfile';
import { commandName, parseOptions } from '../../shell';
import { perInstruction, type RuleContext, type RunCommand, type RunScript } from '../context';
import type { Fix, Rule } from '../types';

/**
 * Targets of the `RUN --mount=type=cache` and `--mount=type=tmpfs` mounts of an
 * instruction: what they hold never ends up in the layer.
 */
export function cacheOrTmpfsTargets(instruction: Instruction): string[] {
  const targets: string[] = [];
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const fields = new Map<string, string>();
    for (const field of flag.value.split(',')) {
      const equals = field.indexOf('=');
      if (equals > 0) fields.set(field.slice(0, equals).trim().toLowerCase(), field.slice(equals + 1).trim());
    }
    const type = (fields.get('type') ?? 'bind').toLowerCase();
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if ((type === 'cache' || type === 'tmpfs') && target !== undefined) targets.push(target);
  }
  return targets;
}

const UPDATERS = ['apt-get', 'apt', 'aptitude'];
const APT_OPTIONS_WITH_VALUES = ['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release'];
/** `/var/lib/apt(/lists)?(/\*?)?`, spelled out: a lookup rather than a regular expression for each `rm` argument. */
const LISTS: ReadonlySet<string> = new Set(['/var/lib/apt', '/var/lib/apt/', '/var/lib/apt/*', '/var/lib/apt/lists', '/var/lib/apt/lists/', '/var/lib/apt/lists/*']);

/**
 * `rm -rf /var/lib/apt/lists/*` (or the lists folder itself, or all of /var/lib/apt), `find /var/lib/apt/lists … -delete`.
 * (A word starting with `/` is never one of rm's options, so every argument can be tested as it is.)
 */
function removesLists({ tool, name }: RunCommand): boolean {
  if (name === 'rm') {
    for (const arg of tool.args) if (isLists(arg.value)) return true;
    return false;
  }
  if (name === 'find') return isLists(tool.args[0]?.value) && tool.args.some((arg) => arg.value === '-delete');
  return false;
}

function isLists(value: string | undefined): boolean {
  return value !== undefined && value.startsWith('/var/lib/apt') && LISTS.has(value);
}

function isUpdate({ tool, name }: RunCommand): boolean {
  if (name === undefined || !UPDATERS.includes(name)) return false;
  // `apt-get update` as usually written: a first word that is no option is the first operand.
  const first = tool.args[0]?.value;
  if (first === 'update') return true;
  if (first === undefined || !tool.args.some((arg) => arg.value === 'update')) return false;
  const operand = parseOptions(tool.args, APT_OPTIONS_WITH_VALUES).find((option) => option.kind === 'positional');
  return operand?.word.value === 'update';
}

/**
 * Whether the stage's files reach an image: the last stage, or a stage another stage is built FROM. ONBUILD and pre-FROM RUNs always count.
 * (Both come from the FROM lines, which a local rule may depend on.)
 */
function stageMatters(context: RuleContext, instruction: Instruction, trigger: boolean): boolean {
  if (trigger) return true;
  const stage = context.model.stageOf(instruction);
  if (!stage) return true;
  return stage === context.model.stages[context.model.stages.length - 1] || stage.usedBy.some((use) => use.kind === 'from');
}

const CLEANUP = 'rm -rf /var/lib/apt/lists/*';

/** Appends the cleanup to the RUN's last script (it must run after the install): after its last command, or as a last heredoc line. */
function appendCleanup(context: RuleContext, instruction: Instruction): Fix[] {
  const scripts = context.scripts(instruction);
  const script: RunScript | undefined = scripts[scripts.length - 1];
  if (!script) return [];
  if (script.origin === 'heredoc') {
    const index = scripts.filter((each) => each.origin === 'heredoc').indexOf(script);
    const heredoc = instruction.heredocs[index];
    if (!heredoc?.terminatorRange || heredoc.content !== script.parsed.text) return [];
    const at = heredoc.bodyRange.end;
    return [{ title: `Add ${CLEANUP}`, edits: [{ range: { start: at, end: at }, newText: `${CLEANUP}\n` }] }];
  }
  const last = script.parsed.lists[script.parsed.lists.length - 1];
  const lastCommand = last?.commands[last.commands.length - 1];
  // The RUN line alone holds no heredoc bodies (they follow it in the Dockerfile), so an unterminated heredoc there is expected.
  const broken = script.parsed.problems.some((problem) => problem.code !== 'unterminated-here-doc' || instruction.heredocs.length === 0);
  if (!last || !lastCommand || lastCommand.operator === '&' || broken) return [];
  if (script.origin === 'exec-form' && context.text.slice(last.docRange.start, last.docRange.end) !== script.parsed.text.slice(last.range.start, last.range.end)) return [];
  const at = last.docRange.end;
  return [{ title: `Append && ${CLEANUP}`, edits: [{ range: { start: at, end: at }, newText: ` && ${CLEANUP}` }] }];
}

export const DL3009: Rule = {
  id: 'DL3009',
  source: 'hadolint',
  severity: 'info',
  summary: 'Delete the apt lists (/var/lib/apt/lists) after installing something.',
  docs: `\`apt-get update\` downloads the package indexes into \`/var/lib/apt/lists\`, tens of megabytes that nothing needs once the packages are installed. Whatever a RUN leaves behind is frozen into its layer, so remove them in the same RUN: end it with \`&& rm -rf /var/lib/apt/lists/*\`. Alternatively keep them out of the layer with a cache mount (\`RUN --mount=type=cache,target=/var/lib/apt/lists …\`, or cache mounts on both \`/var/lib/apt\` and \`/var/cache/apt\`). Only stages whose files reach an image are checked: the last stage and stages that other stages are built \`FROM\`; a build stage you only \`COPY --from\` can keep its lists.`,
  examples: {
    fire: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12 AS base\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\nFROM base\nCMD ["curl"]\n',
    ],
    pass: [
      'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3\nFROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/local/bin/\n',
      'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\nrm -rf /var/lib/apt/lists/*\nEOF\n',
    ],
  },
  ...perInstruction({
    commands: UPDATERS,
    triggers: true,
    visit(instruction, context, report, onbuild) {
      // One finding per RUN: one cleanup at the end covers every update in it.
      const commands = context.commandsOf(instruction);
      const command = commands.find(isUpdate)?.tool;
      const name = command?.name;
      if (!command || !name) return;
      if (commands.some(removesLists)) return;
      const mounts = cacheOrTmpfsTargets(instruction);
      const mounted = (path: string) => mounts.some((target) => target.includes(path));
      if (mounted('/var/lib/apt/lists') || (mounted('/var/lib/apt') && mounted('/var/cache/apt'))) return;
      if (!stageMatters(context, instruction, onbuild !== undefined)) return;
      const update = command.args.find((arg) => arg.value === 'update');
      report({
        range: { start: name.docRange.start, end: update?.docRange.end ?? name.docRange.end },
        message: `The package lists that ${commandName(command)} update downloads stay in this layer: remove /var/lib/apt/lists/* in the same RUN`,
        fixes: appendCleanup(context, instruction),
      });
    },
  }),
};
