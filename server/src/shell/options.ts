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
  const out: ParsedOption<W>[] = [];
  const reader = new OptionReader(words, optionSet(optionsWithValues));
  while (reader.next()) {
    const word = reader.word!;
    if (reader.kind === 'flag') out.push({ kind: 'flag', name: reader.name, value: reader.value, valueWord: reader.valueWord, word });
    else out.push({ kind: reader.kind, word });
  }
  return out;
}

/** Which options take a value: a set, or `FlagValueOptions`. */
interface TakesValue {
  has(name: string): boolean;
}

/**
 * Steps through a command's words one option at a time, as `parseOptions`
 * lists them, holding the current one in its fields: the queries below read
 * options this way and make no object per option.
 */
class OptionReader<W extends Word> {
  kind: ParsedOption['kind'] = 'positional';
  /** For a flag: see `ParsedOption`. */
  name = '';
  value: string | undefined = undefined;
  valueWord: W | undefined = undefined;
  word: W | undefined = undefined;
  /** The next word to read. */
  private index = 0;
  private optionsEnded = false;
  /** The text of the short-flag cluster being read (`-qy`), its static value, and the next letter's index. */
  private cluster: string | undefined = undefined;
  private clusterValue: string | undefined = undefined;
  private at = 0;

  constructor(
    private readonly words: readonly W[],
    private readonly takesValue: TakesValue,
  ) {}

  /** Moves to the next option; false after the last. */
  next(): boolean {
    if (this.cluster !== undefined && this.nextInCluster()) return true;
    const words = this.words;
    if (this.index >= words.length) return false;
    const word = words[this.index++]!;
    const known = word.value;
    const text = known ?? staticPrefix(word.parts);
    this.word = word;
    this.value = undefined;
    this.valueWord = undefined;
    if (this.optionsEnded || text.charCodeAt(0) !== 45 || known === '-') {
      this.kind = 'positional';
      return true;
    }
    if (known === '--') {
      this.kind = 'end-of-options';
      this.optionsEnded = true;
      return true;
    }
    this.kind = 'flag';
    if (text.charCodeAt(1) === 45) {
      const equals = text.indexOf('=');
      if (equals >= 0) {
        this.name = text.slice(0, equals);
        this.value = known?.slice(equals + 1);
      } else if (known === undefined) {
        this.name = '';
      } else {
        this.name = known;
        const next = words[this.index];
        if (this.takesValue.has(known) && next) {
          this.value = next.value;
          this.valueWord = next;
          this.index++;
        }
      }
      return true;
    }
    if (text.length === 1) {
      this.name = '';
      return true;
    }
    // A cluster: `-qy` is `-q -y`; a letter that takes a value takes the rest of the word, or the next word.
    this.cluster = text;
    this.clusterValue = known;
    this.at = 1;
    return this.nextInCluster();
  }

  private nextInCluster(): boolean {
    const text = this.cluster!;
    if (this.at >= text.length) {
      this.cluster = undefined;
      return false;
    }
    const at = this.at++;
    const name = shortFlag(text, at);
    this.kind = 'flag';
    this.name = name;
    this.value = undefined;
    this.valueWord = undefined;
    if (!this.takesValue.has(name)) return true;
    this.cluster = undefined;
    const known = this.clusterValue;
    if (known === undefined) return true;
    if (at + 1 < text.length) {
      this.value = text.slice(at + 1);
      return true;
    }
    const next = this.words[this.index];
    if (next) {
      this.value = next.value;
      this.valueWord = next;
      this.index++;
    }
    return true;
  }
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
  const reader = new OptionReader(command.args, optionSet(optionsWithValues));
  while (reader.next()) {
    if (reader.kind === 'flag' && isNamed(reader.name, short, long)) {
      found.push({ kind: 'flag', name: reader.name, value: reader.value, valueWord: reader.valueWord, word: reader.word! });
    }
  }
  return found;
}

/**
 * Whether the command passes the flag: `hasFlag(cmd, 'y', 'yes')` matches `-y`,
 * `-qy`, `--yes`, `--yes=...`. Pass `optionsWithValues` so that a cluster like
 * `-oy` (= `-o y`) or a value word that starts with `-` is not misread.
 */
export function hasFlag(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = NO_OPTIONS): boolean {
  const reader = new OptionReader(command.args, optionSet(optionsWithValues));
  while (reader.next()) if (reader.kind === 'flag' && isNamed(reader.name, short, long)) return true;
  return false;
}

/**
 * The static value of the last occurrence of a flag that takes a value
 * (`--progress=dot`, `-o X`, `-oX`); the flag's own names count as taking one.
 */
export function flagValue(command: SimpleCommand, short: OptionNames, long?: OptionNames, optionsWithValues: readonly string[] = NO_OPTIONS): string | undefined {
  let value: string | undefined;
  const reader = new OptionReader(command.args, new FlagValueOptions(optionSet(optionsWithValues), short, long));
  while (reader.next()) if (reader.kind === 'flag' && isNamed(reader.name, short, long)) value = reader.value;
  return value;
}

/** `optionsWithValues` plus the flag asked about, without making a set of the two per call. */
class FlagValueOptions implements TakesValue {
  constructor(
    private readonly options: ReadonlySet<string>,
    private readonly short: OptionNames,
    private readonly long: OptionNames,
  ) {}

  has(name: string): boolean {
    return this.options.has(name) || isNamed(name, this.short, this.long);
  }
}

/** Arguments that are neither flags nor flag values: `apt-get install -y a b` → install, a, b. */
export function positionalArgs(command: SimpleCommand, optionsWithValues: readonly string[] = NO_OPTIONS): Argument[] {
  const out: Argument[] = [];
  const reader = new OptionReader(command.args, optionSet(optionsWithValues));
  while (reader.next()) if (reader.kind === 'positional') out.push(reader.word!);
  return out;
}

/** The first positional argument's static value: `apt-get -q install x` → `install`. */
export function subcommand(command: SimpleCommand, optionsWithValues: readonly string[] = NO_OPTIONS): string | undefined {
  const reader = new OptionReader(command.args, optionSet(optionsWithValues));
  while (reader.next()) if (reader.kind === 'positional') return reader.word!.value;
  return undefined;
}

/**
 * Whether a dashed flag name is `-` + one of `short` or `--` + one of `long`
 * (their own leading dashes dropped), compared without making those strings
 * for every command asked about.
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
