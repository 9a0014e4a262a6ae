/**
 * Questions lint rules ask about a parsed script. Traversal lives here; option
 * reading, wrapper unwrapping and `set` parsing live in their own modules and
 * are re-exported so rules can import everything from one place.
 */
import type { Command, CommandList, CompoundKind, ParsedScript, Range, Redirect, SimpleCommand, Word, WordPart } from './ast';
import { commandName } from './names';
import { pipefailChange } from './shellOptions';

export { commandName } from './names';
export { pipefailChange, setCommandOptions } from './shellOptions';
export { unwrap, unwrapUncached, type UnwrappedCommand } from './unwrap';
export {
  findFlags,
  flagValue,
  hasFlag,
  parseOptions,
  positionalArgs,
  subcommand,
  type FlagOccurrence,
  type OptionNames,
  type ParsedOption,
} from './options';

export type ScriptRoot = ParsedScript | readonly CommandList[];

/**
 * Visits every command, simple and compound, in source order: a command before
 * the commands inside it (compound bodies, and substitutions in its words,
 * redirections and unquoted here-doc bodies).
 */
export function walkCommands(root: ScriptRoot, visit: (command: Command) => void): void {
  traverse(listsOf(root), { command: visit });
}

/** Visits every and-or list at any depth (compound bodies and substitutions included), outer before inner. */
export function walkLists(root: ScriptRoot, visit: (list: CommandList) => void): void {
  traverse(listsOf(root), { list: visit });
}

/** Every simple command, nested ones included (they have `substitutionDepth > 0`), in `walkCommands` order. */
export function allCommands(root: ScriptRoot): SimpleCommand[] {
  return [...cachedCommands(root)];
}

/** Most rules start here; a parsed script never changes, so walk it once. Read-only: callers get copies. */
function cachedCommands(root: ScriptRoot): readonly SimpleCommand[] {
  let cached = allCommandsCache.get(root);
  if (!cached) allCommandsCache.set(root, (cached = listCommands(root)));
  return cached;
}

/** `allCommands` without its cache, for callers that keep the list themselves. */
export function listCommands(root: ScriptRoot): SimpleCommand[] {
  const listed = 'lists' in root ? root.simpleCommands : undefined;
  if (listed) return listed.slice();
  const collector = new SimpleCommandCollector();
  traverse(listsOf(root), collector);
  return collector.found;
}

/** A visitor object rather than a closure per walk. */
class SimpleCommandCollector implements Visitor {
  readonly found: SimpleCommand[] = [];

  command(command: Command): void {
    if (command.type === 'simple') this.found.push(command);
  }
}

const allCommandsCache = new WeakMap<ScriptRoot, SimpleCommand[]>();

/**
 * Every pipeline of two or more commands, at any depth: `a | b && c | d` gives
 * [a, b] and [c, d]. The members may be compound commands (`(a) | b`).
 */
export function pipelines(root: ScriptRoot): Command[][] {
  const collector = new PipelineCollector();
  traverse(listsOf(root), collector);
  return collector.found;
}

class PipelineCollector implements Visitor {
  readonly found: Command[][] = [];

  list(list: CommandList): void {
    const commands = list.commands;
    let start = 0;
    for (let index = 0; index < commands.length; index++) {
      const operator = commands[index]!.operator;
      if (operator === '|' || operator === '|&') continue;
      if (index > start) this.found.push(commands.slice(start, index + 1));
      start = index + 1;
    }
    if (commands.length - start > 1) this.found.push(commands.slice(start));
  }
}

/** Whether the command sits inside a compound command of `kind`, or inside any substitution. */
export function isInside(command: Command, kind: CompoundKind | 'substitution'): boolean {
  for (const frame of command.context) if (frame.kind === 'substitution' ? kind === 'substitution' : frame.command.kind === kind) return true;
  return false;
}

export interface PipefailQuery {
  /** Only consider `set` commands that start before this script offset (e.g. the first pipe). */
  before?: number;
  /** The script's simple commands in `allCommands` order, when the caller has them (else the script is walked, and the list kept for it). */
  commands?: readonly SimpleCommand[];
}

/**
 * Whether `set -o pipefail` (or `set -euxo pipefail`...) is in effect for the
 * script's own commands: the last such `set` that runs in the script's shell
 * (not in a subshell or substitution) decides; `set +o pipefail` turns it off.
 */
export function isPipefailSet(root: ScriptRoot, query: PipefailQuery = {}): boolean {
  let enabled = false;
  for (const command of query.commands ?? cachedCommands(root)) {
    if (query.before !== undefined && command.range.start >= query.before) break;
    const change = pipefailChange(command);
    if (change !== undefined && command.substitutionDepth === 0 && !isInside(command, 'subshell')) enabled = change;
  }
  return enabled;
}

/** The commands whose static name (see `commandName`) is one of `names`. */
export function commandsNamed(root: ScriptRoot, ...names: string[]): SimpleCommand[] {
  return cachedCommands(root).filter((command) => {
    const name = commandName(command);
    return name !== undefined && names.includes(name);
  });
}

// ---------------------------------------------------------------------------

function listsOf(root: ScriptRoot): readonly CommandList[] {
  return 'lists' in root ? root.lists : root;
}

interface Visitor {
  list?: (list: CommandList) => void;
  command?: (command: Command) => void;
}

function traverse(lists: readonly CommandList[], visitor: Visitor): void {
  for (const list of lists) {
    visitor.list?.(list);
    for (const command of list.commands) traverseCommand(command, visitor);
  }
}

function traverseCommand(command: Command, visitor: Visitor): void {
  visitor.command?.(command);
  if (command.type === 'compound') {
    // Its own words first; its redirections come after its body.
    for (const word of command.words) visitWord(word, visitor);
    for (const clause of command.clauses) {
      for (const pattern of clause.patterns) visitWord(pattern, visitor);
      traverse(clause.lists, visitor);
    }
    for (const redirect of command.redirects) visitRedirect(redirect, visitor);
    return;
  }
  if (command.redirects.length > 0 && !wordsInOrder(command)) {
    for (const located of sortedWordsOf(command)) visitParts(located.parts, visitor);
    return;
  }
  // The common case, already in source order: no arrays to build and sort (this runs for every command of every RUN).
  for (const assignment of command.assignments) visitWord(assignment.word, visitor);
  if (command.name) visitWord(command.name, visitor);
  for (const arg of command.args) visitWord(arg, visitor);
  for (const redirect of command.redirects) visitRedirect(redirect, visitor);
}

/** A word with a static value has no expansion, so no substitution: its parts need no visit. */
function visitWord(word: Word, visitor: Visitor): void {
  if (word.value === undefined) visitParts(word.parts, visitor);
}

function visitRedirect(redirect: Redirect, visitor: Visitor): void {
  if (redirect.target) visitWord(redirect.target, visitor);
  if (redirect.hereDoc) visitParts(redirect.hereDoc.parts, visitor);
}

/** Whether a simple command's words, then its redirections' targets and here-doc bodies, come in source order (redirections mostly come last: `sort > out`). */
function wordsInOrder(command: SimpleCommand): boolean {
  let last = -1;
  for (const assignment of command.assignments) last = assignment.word.range.start;
  if (command.name) last = command.name.range.start;
  const args = command.args;
  if (args.length > 0) last = args[args.length - 1]!.range.start;
  for (const redirect of command.redirects) {
    if (redirect.target) {
      if (redirect.target.range.start < last) return false;
      last = redirect.target.range.start;
    }
    if (redirect.hereDoc) {
      if (redirect.hereDoc.range.start < last) return false;
      last = redirect.hereDoc.range.start;
    }
  }
  return true;
}

/** A simple command's words and redirection targets and here-doc bodies, in source order. */
function sortedWordsOf(command: SimpleCommand): { range: Range; parts: WordPart[] }[] {
  const located: { range: Range; parts: WordPart[] }[] = [];
  for (const assignment of command.assignments) located.push(assignment.word);
  if (command.name) located.push(command.name);
  located.push(...command.args);
  for (const redirect of command.redirects) {
    if (redirect.target) located.push(redirect.target);
    if (redirect.hereDoc) located.push(redirect.hereDoc);
  }
  return located.sort((a, b) => a.range.start - b.range.start);
}

/** Traverses the command substitutions among `parts`. */
function visitParts(parts: readonly WordPart[], visitor: Visitor): void {
  for (const part of parts) {
    switch (part.kind) {
      case 'command-substitution':
        traverse(part.lists, visitor);
        break;
      case 'double-quoted':
      case 'parameter':
      case 'arithmetic':
        visitParts(part.parts, visitor);
        break;
      default:
        break;
    }
  }
}
