import type { Instruction, Stage } from '../../dockerfile';
import { NONE } from '../../dockerfile/none';
import { parseOptions, type Argument, type ParsedOption, type UnwrappedCommand } from '../../shell';
import { newMap, perInstruction, type RuleContext, type RunScript } from '../context';
import type { Rule } from '../types';

// ---------------------------------------------------------------------------
// apt-get knowledge shared by DL3008, DL3014 and DL3015.

/** apt-get options that take a value (so the value is not read as a package). */
export const APT_GET_OPTIONS_WITH_VALUES: readonly string[] = [
  '-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release',
  '-a', '--host-architecture', '-P', '--build-profiles',
];

/** One `apt-get install` found in a RUN (wrappers such as sudo already peeled off). */
export interface AptGetInstall {
  instruction: Instruction;
  script: RunScript;
  command: UnwrappedCommand;
  /** The `install` word. */
  install: Argument;
  /** The operands after `install`: packages, `pkg=version`, `pkg/release`, `.deb` paths. */
  packages: Argument[];
  /** The command's arguments as apt-get reads them (flags, their values, operands). */
  options: ParsedOption<Argument>[];
}

/** The `apt-get install` commands of one RUN (or RUN trigger), read once per run for the rules that ask (DL3008, DL3014, DL3015). */
export function aptGetInstallsIn(context: RuleContext, instruction: Instruction): readonly AptGetInstall[] {
  const known = context.memo(aptGetInstallsIn, newMap<Instruction, readonly AptGetInstall[]>);
  let installs = known.get(instruction);
  if (!installs) known.set(instruction, (installs = readAptGetInstalls(context, instruction)));
  return installs;
}

function readAptGetInstalls(context: RuleContext, instruction: Instruction): readonly AptGetInstall[] {
  let installs: AptGetInstall[] | undefined;
  for (const { script, tool: command, name } of context.commandsOf(instruction)) {
    // `apt-get update` and the like have no `install` word at all: no need to read their options.
    if (name !== 'apt-get' || !hasWord(command, 'install')) continue;
    const options = parseOptions(command.args, APT_GET_OPTIONS_WITH_VALUES);
    let install: Argument | undefined;
    const packages: Argument[] = [];
    for (const option of options) {
      if (option.kind !== 'positional') continue;
      if (install) packages.push(option.word);
      else if (option.word.value === 'install') install = option.word;
      else break;
    }
    if (install) (installs ??= []).push({ instruction, script, command, install, packages, options });
  }
  return installs ?? NONE;
}

function hasWord(command: UnwrappedCommand, value: string): boolean {
  for (const arg of command.args) if (arg.value === value) return true;
  return false;
}

/** `APT::Get::Assume-Yes "true"` in an apt.conf snippet or `-o APT::Get::Assume-Yes=true`. */
export const APT_ASSUME_YES = /APT::Get::Assume-Yes\s*(?:=|\s)\s*"?(?:true|yes|on|1)"?/i;
/** `APT::Install-Recommends "false"` in an apt.conf snippet or `-o APT::Install-Recommends=false`. */
export const APT_NO_RECOMMENDS = /APT::Install-Recommends\s*(?:=|\s)\s*"?(?:false|no|off|0)"?/i;

/** Whether one of the install's `-o` / `--option` values sets what `setting` matches. */
export function aptOptionSets(install: AptGetInstall, setting: RegExp): boolean {
  for (const option of install.options) {
    if (option.kind === 'flag' && (option.name === '-o' || option.name === '--option') && option.value !== undefined && setting.test(option.value)) return true;
  }
  return false;
}

/**
 * Whether apt was configured with `setting` before (or by) this RUN: a RUN of
 * the same stage, or of a stage it is built FROM, that writes an apt.conf
 * snippet (`echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…`,
 * a here-document), or a COPY here-document with such a line.
 */
export function aptConfiguredBefore(context: RuleContext, instruction: Instruction, setting: RegExp): boolean {
  // Each stage is read once per run: where the first instruction configuring it is.
  const firstIn = context.memo(setting, newMap<Stage, { top: number; withTriggers: number }>);
  // ONBUILD triggers only run in a later build, so they only configure other triggers.
  const isTrigger = context.onbuildOfTrigger(instruction) !== undefined;
  const seen = new Set<Stage>();
  for (let stage = context.model.stageOf(instruction); stage && !seen.has(stage); stage = stage.base.stage) {
    seen.add(stage);
    let first = firstIn.get(stage);
    if (!first) firstIn.set(stage, (first = firstConfiguring(context, stage, setting)));
    if ((isTrigger ? first.withTriggers : first.top) <= instruction.range.start) return true;
  }
  return false;
}

/** Start of the stage's first instruction that configures `setting` (itself, or itself or its trigger); Infinity when none does. */
function firstConfiguring(context: RuleContext, stage: Stage, setting: RegExp): { top: number; withTriggers: number } {
  let top = Infinity;
  let withTriggers = Infinity;
  for (const candidate of stage.instructions) {
    if (configures(context, candidate, setting)) {
      top = Math.min(top, candidate.range.start);
      withTriggers = Math.min(withTriggers, candidate.range.start);
      break;
    }
    if (withTriggers === Infinity && candidate.trigger && configures(context, candidate.trigger, setting)) withTriggers = candidate.range.start;
  }
  return { top, withTriggers };
}

/** Whether an instruction writes `setting` itself: in a heredoc, a command argument or a command's here-document. */
export function configures(context: RuleContext, run: Instruction, setting: RegExp): boolean {
  // Asked about every instruction (see `aptConfigurationOf`): most have neither commands nor heredocs, and need no fact kept.
  if (run.name !== 'RUN' && run.heredocs.length === 0) return false;
  let name = FACT_NAMES.get(setting);
  if (!name) FACT_NAMES.set(setting, (name = `configures /${setting.source}/${setting.flags}`));
  return context.fact(run, name, () => {
    if (run.heredocs.some((heredoc) => setting.test(heredoc.content))) return true;
    for (const { command } of context.commandsOf(run)) {
      if (command.args.some((arg) => arg.value !== undefined && setting.test(arg.value))) return true;
      if (command.redirects.some((redirect) => redirect.hereDoc !== undefined && setting.test(redirect.hereDoc.text))) return true;
    }
    return false;
  });
}

const FACT_NAMES = new WeakMap<RegExp, string>();

/** `dependsOn` of the rules that use `aptConfiguredBefore`: whether the instruction or its trigger configures `setting`. */
export function aptConfigurationOf(context: RuleContext, instruction: Instruction, setting: RegExp): string {
  const own = configures(context, instruction, setting);
  const trigger = instruction.trigger !== undefined && configures(context, instruction.trigger, setting);
  return own || trigger ? `${own ? 'configures' : ''}${trigger ? ' trigger configures' : ''}` : '';
}

/** Whether an edit at this word's document range lands where the word is written (not true inside JSON strings with escapes). */
export function editableWord(context: RuleContext, script: RunScript, word: Argument): boolean {
  return script.origin !== 'exec-form' || context.text.slice(word.docRange.start, word.docRange.end) === word.raw;
}

/**
 * The shared check of DL3014 and DL3015: every `apt-get install` should carry an
 * option (`-y`, `--no-install-recommends`) unless an apt.conf snippet written
 * earlier in the stage sets the same thing; the fix adds the option after `install`.
 */
export function aptInstallNeeds(need: { satisfied: (install: AptGetInstall) => boolean; setting: RegExp; message: string; option: string }) {
  return perInstruction({
    commands: ['apt-get'],
    triggers: true,
    visit(instruction, context, report) {
      for (const install of aptGetInstallsIn(context, instruction)) {
        if (need.satisfied(install) || aptConfiguredBefore(context, instruction, need.setting)) continue;
        const start = install.command.name?.docRange.start ?? install.install.docRange.start;
        const at = install.install.docRange.end;
        report({
          range: { start, end: at },
          message: need.message,
          fixes: editableWord(context, install.script, install.install) ? [{ title: `Add ${need.option}`, edits: [{ range: { start: at, end: at }, newText: ` ${need.option}` }] }] : [],
        });
      }
    },
    dependsOn: (instruction, context) => aptConfigurationOf(context, instruction, need.setting),
  });
}

// ---------------------------------------------------------------------------

/** `curl=8.5.0-2`, `curl=${CURL_VERSION}`, `curl/bookworm-backports`, `./local.deb`. */
function versionIsFixed(word: Argument): boolean | undefined {
  if (word.raw.includes('=')) return true;
  if (word.value === undefined) return word.raw.includes('/') ? true : undefined; // `$PKG`: cannot tell
  return word.value.includes('/') || word.value.endsWith('.deb');
}

export const DL3008: Rule = {
  id: 'DL3008',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in apt-get install.',
  docs: `Without a version, \`apt-get install curl\` installs whatever the mirror has on the day of the build, so two builds of the same Dockerfile can differ and a rebuild can break for reasons outside your code. Write \`package=version\` (the version \`apt-cache policy package\` shows), or pick the release with \`package/release\`. A local \`.deb\` file and a version held in a variable count as pinned; a package given wholly by a variable cannot be checked and is left alone.`,
  examples: {
    fire: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends -t bookworm-backports \\\n      ca-certificates=20230311 git \\\n && rm -rf /var/lib/apt/lists/*\n',
    ],
    pass: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nARG CURL_VERSION=7.88.1-10+deb12u5\nRUN apt-get update && apt-get install -y --no-install-recommends "curl=${CURL_VERSION}" && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends ./tool_1.2.0_amd64.deb git/bookworm-backports\n',
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold -t bookworm-backports $PACKAGES\n',
      'FROM debian:12\nRUN apt-get update && apt-get upgrade -y && apt-cache show curl\n',
    ],
  },
  ...perInstruction({
    commands: ['apt-get'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { packages } of aptGetInstallsIn(context, instruction)) {
        for (const word of packages) {
          if (versionIsFixed(word) !== false) continue;
          const name = word.value ?? word.raw;
          report({ range: word.docRange, message: `Pin the version of ${name} in apt-get install: write ${name}=<version>` });
        }
      }
    },
  }),
};
