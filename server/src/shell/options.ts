/**
 * Reading a command's arguments the way getopt-style tools do: short flags that
 * combine (`-qy`), long flags with `=value` or a separate value, `--` ending the
 * options. Which options take a value is tool knowledge the caller supplies
 * (`optionsWithValues`, dashed names such as `['-o', '--option']`); without it a
 * flag's value word would be mistaken for a positional argument.
 *
 * Not covered: single-dash long options (`find -name`, `wget -nv`) read as
 * clusters of short flags; check `args[i].value` for those.
 */
import type { Argument, SimpleCommand, Word } from './ast';
import { staticPrefix } from './words';

/** One option name or several aliases; with or without dashes (`'y'`, `'-y'`; `'yes'`, `'--yes'`). */
export type OptionNames = string | readonly string[] | undefined;

export type ParsedOption<W extends Word = Word> =
  | {
      kind: 'flag';
      /** Dashed name (`-y`, `--yes`); '' when the name itself is computed at run time (`-$X`). */
      name: string;
      /** The value when the option has one and it is static (`--x=v`, `-ov`, `-o v`). */
      value: string | undefined;
      /** The separate word holding the value (`-o v`), if any. */
      valueWord: W | undefined;
      word: W;
    }
  | { kind: 'positional'; word: W }
  | { kind: 'end-of-options'; word: W };

/** Classifies `words` into flags (one entry per letter of a cluster), positionals and `--`. */
export function parseOptions<W extends Word>(words: readonly W[], optionsWithValues: readonly string[] = NO_OPTIONS): ParsedOption<W>[] {
  return parseOptionsWith(words, optionSet(optionsWithValues));
}

function parseOptionsWith<W extends Word>(words: readonly W[], takesValue: ReadonlySet<string>): ParsedOption<W>[] {
  const out: ParsedOption<W>[] = [];
  let optionsEnded = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const known = word.value;
    const text = known ?? staticPrefix(word.parts);
    if (optionsEnded || text.charCodeAt(0) !== 45 || known === '-') {
      out.push({ kind: 'positional', word });
      continue;
    }
    if (known === '--') {
      out.push({ kind: 'end-of-options', word });
      optionsEnded = true;
      continue;
    }
    const next = words[index + 1];
    if (text.charCodeAt(1) === 45) {
      const equals = text.indexOf('=');
      if (equals >= 0) {
        out.push({ kind: 'flag', name: text.slice(0, equals), value: known?.slice(equals + 1), valueWord: undefined, word });
      } else if (known === undefined) {
        out.push({ kind: 'flag', name: '', value: undefined, valueWord: undefined, word });
      } else if (takesValue.has(known) && next) {
        out.push({ kind: 'flag', name: known, value: next.value, valueWord: next, word });
        index++;
      } else {
        out.push({ kind: 'flag', name: known, value: undefined, valueWord: undefined, word });
      }
      continue;
    }
    if (text.length === 1) {
      out.push({ kind: 'flag', name: '', value: undefined, valueWord: undefined, word });
      continue;
    }
    // A cluster: `-qy` is `-q -y`; a letter that takes a value takes the rest of the word, or the next word.
    for (let at = 1; at < text.length; at++) {
      const name = shortFlag(text, at);
      if (!takesValue.has(name)) {
        out.push({ kind: 'flag', name, value: undefined, valueWord: undefined, word });
        continue;
      }
      const rest = text.slice(at + 1);
      if (rest.length > 0 || known === undefined) {
        out.push({ kind: 'flag', name, value: known === undefined ? undefined : rest, valueWord: undefined, word });
      } else if (next) {
        out.push({ kind: 'flag', name, value: next.value, valueWord: next, word });
        index++;
      } else {
        out.push({ kind: 'flag', name, value: undefined, valueWord: undefined, word });
      }
      break;
    }
  }
  return out;
}

/** `-x` for the letter at `at`: ASCII ones from a table, to spare a new string per letter. */
function shortFlag(text: string, at: number): string {
  const code = text.charCodeAt(at);
  return code < 128 ? SHORT_FLAGS[code]! : '-' + text[at];
}

const SHORT_FLAGS: readonly string[] = Array.from({ length: 128 }, (_, code) => '-' + String.fromCharCode(code));

/** The default list: one array, so that its set below is made once too. */
const NO_OPTIONS: readonly string[] = [];
const NO_OPTION_SET: ReadonlySet<string> = new Set();

/** The lists are mostly module constants asked about for every command: make each one's set once. */
function optionSet(options: readonly string[]): ReadonlySet<string> {
  if (options.length === 0) return NO_OPTION_SET;
  // The last few lists asked about, compared by identity before the weak map (a lookup there costs more).
  for (let i = 0; i < RECENT_LISTS.length; i++) if (RECENT_LISTS[i] === options) return RECENT_SETS[i]!;
  let set = OPTION_SETS.get(options);
  if (!set) OPTION_SETS.set(options, (set = new Set(options)));
  RECENT_LISTS[recentNext] = options;
  RECENT_SETS[recentNext] = set;
  recentNext = (recentNext + 1) % RECENT_SIZE;
  return set;
}

const RECENT_SIZE = 8;
const RECENT_LISTS: (readonly string[] | undefined)[] = new Array<undefined>(RECENT_SIZE).fill(undefined);
const RECENT_SETS: (ReadonlySet<string> | undefined)[] = new Array<undefined>(RECENT_SIZE).fill(undefined);
let recentNext = 0;

const OPTION_SETS = new WeakMap<readonly string[], ReadonlySet<string>>();

export type FlagOccurrence = Extract<ParsedOption<Argument>, { kind: 'flag' }>;

/** Every occurrence of a flag, in order, e.g. `findFlags(cmd, 'o', 'option', APT_OPTIONS_WITH_VALUES)`. */
export function findFlags(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = NO_OPTIONS): FlagOccurrence[] {
  const found: FlagOccurrence[] = [];
  for (const option of parseOptions(command.args, optionsWithValues)) if (option.kind === 'flag' && isNamed(option.name, short, long)) found.push(option);
  return found;
}

/**
 * Whether the command passes the flag: `hasFlag(cmd, 'y', 'yes')` matches `-y`,
 * `-qy`, `--yes`, `--yes=...`. Pass `optionsWithValues` so that a cluster like
 * `-oy` (= `-o y`) or a value word that starts with `-` is not misread.
 */
export function hasFlag(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = NO_OPTIONS): boolean {
  for (const option of parseOptions(command.args, optionsWithValues)) if (option.kind === 'flag' && isNamed(option.name, short, long)) return true;
  return false;
}

/**
 * The static value of the last occurrence of a flag that takes a value
 * (`--progress=dot`, `-o X`, `-oX`); the flag's own names count as taking one.
 */
export function flagValue(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = NO_OPTIONS): string | undefined {
  const names = flagNames(short, long);
  let value: string | undefined;
  // A set of its own rather than a new list per call, which `optionSet` would keep.
  for (const option of parseOptionsWith(command.args, new Set([...optionsWithValues, ...names]))) {
    if (option.kind === 'flag' && names.has(option.name)) value = option.value;
  }
  return value;
}

/** Arguments that are neither flags nor flag values: `apt-get install -y a b` → install, a, b. */
export function positionalArgs(command: SimpleCommand, optionsWithValues: readonly string[] = NO_OPTIONS): Argument[] {
  const out: Argument[] = [];
  for (const option of parseOptions(command.args, optionsWithValues)) {
    if (option.kind === 'positional') out.push(option.word);
  }
  return out;
}

/** The first positional argument's static value: `apt-get -q install x` → `install`. */
export function subcommand(command: SimpleCommand, optionsWithValues: readonly string[] = NO_OPTIONS): string | undefined {
  return positionalArgs(command, optionsWithValues)[0]?.value;
}

/**
 * Whether a dashed flag name is `-` + one of `short` or `--` + one of `long`
 * (their own leading dashes dropped): what `flagNames` holds, compared without
 * making those strings for every command asked about.
 */
function isNamed(name: string, short: OptionNames, long: OptionNames): boolean {
  if (name.charCodeAt(0) !== 45) return false;
  return name.charCodeAt(1) === 45 ? isAnyOf(name, 2, long) || isAnyOf(name, 1, short) : isAnyOf(name, 1, short);
}

function isAnyOf(name: string, dashes: number, given: OptionNames): boolean {
  if (given === undefined) return false;
  if (typeof given === 'string') return isDashed(name, dashes, given);
  for (const each of given) if (isDashed(name, dashes, each)) return true;
  return false;
}

/** `name` is `dashes` dashes followed by `given` without its leading dashes. */
function isDashed(name: string, dashes: number, given: string): boolean {
  let skip = 0;
  while (given.charCodeAt(skip) === 45) skip++;
  if (name.length !== dashes + given.length - skip) return false;
  for (let i = 0; i < dashes; i++) if (name.charCodeAt(i) !== 45) return false;
  for (let i = skip; i < given.length; i++) if (name.charCodeAt(dashes + i - skip) !== given.charCodeAt(i)) return false;
  return true;
}

function flagNames(short: OptionNames, long: OptionNames): Set<string> {
  const names = new Set<string>();
  addNames(names, '-', short);
  addNames(names, '--', long);
  return names;
}

function addNames(names: Set<string>, dashes: string, given: OptionNames): void {
  if (given === undefined) return;
  if (typeof given === 'string') names.add(dashes + undashed(given));
  else for (const name of given) names.add(dashes + undashed(name));
}

function undashed(name: string): string {
  let at = 0;
  while (name.charCodeAt(at) === 45) at++;
  return at === 0 ? name : name.slice(at);
}
