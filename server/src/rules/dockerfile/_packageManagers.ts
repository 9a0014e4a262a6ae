/**
 * Shared by the package-manager rules: the "clean the cache after installing"
 * rules (DL3032 yum, DL3036 zypper, DL3040 dnf) and the "answer yes up front"
 * rules (DL3030 yum, DL3034 zypper, DL3038 dnf). Each rule keeps its own file,
 * code and words; what a package manager's command line means lives here once.
 */
import type { Instruction } from '../../dockerfile';
import { hasFlag, positionalArgs, type OptionNames, type SimpleCommand, type Word } from '../../shell';
import type { RuleContext } from '../context';
import type { Finding, Fix } from '../types';

export const YUM_OPTIONS_WITH_VALUES: readonly string[] = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '-x', '--exclude', '--color', '--releasever', '--setopt', '--downloaddir', '--disableplugin',
  '--enableplugin',
];

export const DNF_OPTIONS_WITH_VALUES: readonly string[] = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x', '--exclude', '--color', '--releasever', '--setopt',
  '--downloaddir', '--destdir', '--disableplugin', '--enableplugin', '--forcearch', '--comment', '--repofrompath',
];

export const ZYPPER_OPTIONS_WITH_VALUES: readonly string[] = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];

/** The subcommand word of a yum/dnf install: `install`, `groupinstall`, `localinstall`, or `install` after `group`/`module`. */
export function rpmInstallWord(positionals: readonly Word[]): Word | undefined {
  const [first, second] = positionals;
  if (first?.value === 'install' || first?.value === 'groupinstall' || first?.value === 'localinstall') return first;
  if ((first?.value === 'group' || first?.value === 'groups' || first?.value === 'module') && second?.value === 'install') return second;
  return undefined;
}

/** How a package manager installs and cleans up, for `findUncleanedInstalls`. */
export interface CacheCleaning {
  /** Command names (`RunCommand.name`) of the package manager. */
  tools: readonly string[];
  optionsWithValues: readonly string[];
  /** The subcommand word when the command installs packages. */
  installWord(positionals: readonly Word[]): Word | undefined;
  /** Whether the command cleans the cache (`yum clean all`). */
  cleans(positionals: readonly Word[]): boolean;
  /** Where the package manager keeps its cache; `rm -rf` of one of them, or of `/var/cache`, cleans it. */
  cacheDirs: readonly string[];
  /** The finding's message, for the tool whose install was not cleaned up after. */
  message(tool: string): string;
}

/**
 * Reports, per tool, the last install of a RUN that no later clean (or removal
 * of the cache directory) follows; nothing when a cache or tmpfs mount keeps the
 * cache out of the image.
 */
export function reportUncleanedInstalls(context: RuleContext, instruction: Instruction, cleaning: CacheCleaning, report: (finding: Finding) => void): void {
  if (cleaning.cacheDirs.some((dir) => cacheMountCovers(instruction, dir))) return;
  const pending = new Map<string, { command: SimpleCommand; sub: Word }>();
  for (const { tool, name } of context.commandsOf(instruction)) {
    if (name !== undefined && cleaning.tools.includes(name)) {
      const positionals = positionalArgs(tool, cleaning.optionsWithValues);
      const install = cleaning.installWord(positionals);
      if (install) pending.set(name, { command: tool, sub: install });
      else if (cleaning.cleans(positionals)) pending.delete(name);
    } else if (name === 'rm' && positionalArgs(tool).some((arg) => arg.value !== undefined && removesCache(arg.value, cleaning.cacheDirs))) {
      pending.clear();
    }
  }
  for (const [name, { command, sub }] of pending) {
    if (!command.name) continue;
    report({ range: { start: command.name.docRange.start, end: sub.docRange.end }, message: cleaning.message(name) });
  }
}

function removesCache(path: string, cacheDirs: readonly string[]): boolean {
  const trimmed = path.replace(/\/\*?$/, '');
  return trimmed === '/var/cache' || cacheDirs.some((dir) => trimmed === dir || trimmed.startsWith(dir + '/'));
}

/** A cache or tmpfs mount at, above or inside `dir` keeps what the RUN writes there out of the image. */
function cacheMountCovers(instruction: Instruction, dir: string): boolean {
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    let type = 'bind';
    let target: string | undefined;
    for (const field of flag.value.split(',')) {
      const equals = field.indexOf('=');
      const key = (equals < 0 ? field : field.slice(0, equals)).trim().toLowerCase();
      const value = equals < 0 ? '' : field.slice(equals + 1).trim();
      if (key === 'type') type = value.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') target = value.replace(/\/+$/, '') || '/';
    }
    if ((type === 'cache' || type === 'tmpfs') && target !== undefined && nested(dir, target)) return true;
  }
  return false;
}

/** One path is the other or lies inside it. */
function nested(a: string, b: string): boolean {
  const inside = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : dir + '/');
  return inside(a, b) || inside(b, a);
}

/** How a package manager is told not to ask for confirmation, for `reportPromptingCommands`. */
export interface AssumeYes {
  tools: readonly string[];
  optionsWithValues: readonly string[];
  /** The subcommand that would prompt (`word`), and how the message names it; undefined for commands that do not prompt. */
  prompting(positionals: readonly Word[]): { word: Word; label: string } | undefined;
  /** The flags that answer yes (`-y`, `--assumeyes`). */
  short: OptionNames;
  long: OptionNames;
  /** The quick fix: what to insert, after which word. */
  fix: { title: string; newText: string; after: 'tool' | 'subcommand' };
  message(tool: string, subcommand: string): string;
}

/** Reports each command of a RUN that would stop to ask for confirmation, with a quick fix adding the flag. */
export function reportPromptingCommands(context: RuleContext, instruction: Instruction, assumeYes: AssumeYes, report: (finding: Finding) => void): void {
  for (const { script, tool, name } of context.commandsOf(instruction)) {
    if (name === undefined || !assumeYes.tools.includes(name) || !tool.name) continue;
    const prompting = assumeYes.prompting(positionalArgs(tool, assumeYes.optionsWithValues));
    if (!prompting || hasFlag(tool, assumeYes.short, assumeYes.long, assumeYes.optionsWithValues)) continue;
    const editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
    const at = assumeYes.fix.after === 'tool' ? tool.name.docRange.end : prompting.word.docRange.end;
    const fixes: Fix[] = editable ? [{ title: assumeYes.fix.title, edits: [{ range: { start: at, end: at }, newText: assumeYes.fix.newText }] }] : [];
    report({ range: { start: tool.name.docRange.start, end: prompting.word.docRange.end }, message: assumeYes.message(name, prompting.label), fixes });
  }
}

/** A yum/dnf install as `AssumeYes.prompting` describes it: `install`, or `group install` named as such. */
export function rpmPromptingInstall(positionals: readonly Word[]): { word: Word; label: string } | undefined {
  const word = rpmInstallWord(positionals);
  if (!word) return undefined;
  return { word, label: word === positionals[0] ? word.value! : `${positionals[0]?.value} install` };
}

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
