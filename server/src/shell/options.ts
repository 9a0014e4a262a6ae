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
  const takesValue = optionSet(optionsWithValues);
  const out: ParsedOption<W>[] = [];
  let optionsEnded = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const known = word.value;
    const text = known ?? staticPrefix(word.parts);
    if (optionsEnded || !text.startsWith('-') || known === '-') {
      out.push({ kind: 'positional', word });
      continue;
    }
    if (known === '--') {
      out.push({ kind: 'end-of-options', word });
      optionsEnded = true;
      continue;
    }
    const next = words[index + 1];
    if (text.startsWith('--')) {
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
    const letters = text.slice(1);
    if (letters.length === 0) {
      out.push({ kind: 'flag', name: '', value: undefined, valueWord: undefined, word });
      continue;
    }
    for (let at = 0; at < letters.length; at++) {
      const name = '-' + letters[at];
      if (!takesValue.has(name)) {
        out.push({ kind: 'flag', name, value: undefined, valueWord: undefined, word });
        continue;
      }
      const rest = letters.slice(at + 1);
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

const NO_OPTIONS: readonly string[] = [];

/** The lists are mostly module constants asked about for every command: make each one's set once. */
function optionSet(options: readonly string[]): ReadonlySet<string> {
  let set = OPTION_SETS.get(options);
  if (!set) OPTION_SETS.set(options, (set = new Set(options)));
  return set;
}

const OPTION_SETS = new WeakMap<readonly string[], ReadonlySet<string>>();

export type FlagOccurrence = Extract<ParsedOption<Argument>, { kind: 'flag' }>;

/** Every occurrence of a flag, in order, e.g. `findFlags(cmd, 'o', 'option', APT_OPTIONS_WITH_VALUES)`. */
export function findFlags(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = []): FlagOccurrence[] {
  const names = flagNames(short, long);
  return parseOptions(command.args, optionsWithValues).filter(
    (option): option is FlagOccurrence => option.kind === 'flag' && names.has(option.name),
  );
}

/**
 * Whether the command passes the flag: `hasFlag(cmd, 'y', 'yes')` matches `-y`,
 * `-qy`, `--yes`, `--yes=...`. Pass `optionsWithValues` so that a cluster like
 * `-oy` (= `-o y`) or a value word that starts with `-` is not misread.
 */
export function hasFlag(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = []): boolean {
  return findFlags(command, short, long, optionsWithValues).length > 0;
}

/**
 * The static value of the last occurrence of a flag that takes a value
 * (`--progress=dot`, `-o X`, `-oX`); the flag's own names count as taking one.
 */
export function flagValue(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = []): string | undefined {
  const names = flagNames(short, long);
  return findFlags(command, short, long, [...optionsWithValues, ...names]).at(-1)?.value;
}

/** Arguments that are neither flags nor flag values: `apt-get install -y a b` → install, a, b. */
export function positionalArgs(command: SimpleCommand, optionsWithValues: readonly string[] = []): Argument[] {
  const out: Argument[] = [];
  for (const option of parseOptions(command.args, optionsWithValues)) {
    if (option.kind === 'positional') out.push(option.word);
  }
  return out;
}

/** The first positional argument's static value: `apt-get -q install x` → `install`. */
export function subcommand(command: SimpleCommand, optionsWithValues: readonly string[] = []): string | undefined {
  return positionalArgs(command, optionsWithValues)[0]?.value;
}

function flagNames(short: OptionNames, long: OptionNames): Set<string> {
  const names = new Set<string>();
  for (const name of asList(short)) names.add('-' + name.replace(/^-+/, ''));
  for (const name of asList(long)) names.add('--' + name.replace(/^-+/, ''));
  return names;
}

function asList(names: OptionNames): readonly string[] {
  if (names === undefined) return [];
  return typeof names === 'string' ? [names] : names;
}
