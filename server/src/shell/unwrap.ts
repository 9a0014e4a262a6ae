/**
 * Seeing through commands that run another command: `sudo -E apt-get install x`
 * is, for a lint rule about apt-get, an `apt-get install x`.
 *
 * Unwrapped: sudo, doas, env, nice, nohup, time, timeout, stdbuf, ionice,
 * chroot, exec, command, builtin, xargs. Not unwrapped: `sh -c '...'` and
 * `bash -c` (the command is a string, not words), `su -c`, `env -S`, and any
 * wrapper whose options say it runs nothing (`sudo -l`, `command -v`).
 * `env`'s `NAME=value` words are skipped rather than turned into assignments.
 * For xargs, the arguments appended from standard input are of course unknown.
 */
import type { SimpleCommand, Word } from './ast';
import { toArguments } from './words';
import { commandName } from './names';
import { ParsedCommand } from './parsedNodes';

interface WrapperSpec {
  /** Options that consume the next word (or the rest of their short cluster). */
  optionsWithValues?: readonly string[];
  /** Options after which no command is run. */
  nonExecutingOptions?: readonly string[];
  /** Operands the wrapper takes before the command (timeout's DURATION, chroot's NEWROOT). */
  leadingOperands?: number;
  /** `env NAME=value cmd`. */
  skipsAssignments?: boolean;
  /** `nice -5 cmd`. */
  numericOptions?: boolean;
}

const WRAPPER_SPECS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    optionsWithValues: ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout', '-R', '--chroot'],
    nonExecutingOptions: ['-l', '--list', '-v', '--validate', '-e', '--edit', '-V', '--version', '-K', '--remove-timestamp', '-h', '--help'],
  },
  doas: { optionsWithValues: ['-u', '-C'], nonExecutingOptions: ['-C'] },
  env: {
    optionsWithValues: ['-u', '--unset', '-C', '--chdir'],
    nonExecutingOptions: ['-S', '--split-string', '--help', '--version'],
    skipsAssignments: true,
  },
  nice: { optionsWithValues: ['-n', '--adjustment'], numericOptions: true },
  nohup: {},
  time: { optionsWithValues: ['-f', '--format', '-o', '--output'] },
  timeout: { optionsWithValues: ['-s', '--signal', '-k', '--kill-after'], leadingOperands: 1 },
  stdbuf: { optionsWithValues: ['-i', '--input', '-o', '--output', '-e', '--error'] },
  ionice: { optionsWithValues: ['-c', '--class', '-n', '--classdata'], nonExecutingOptions: ['-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  chroot: { optionsWithValues: ['--userspec', '--groups'], leadingOperands: 1 },
  exec: { optionsWithValues: ['-a'] },
  command: { nonExecutingOptions: ['-v', '-V'] },
  builtin: {},
  xargs: {
    optionsWithValues: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var'],
    nonExecutingOptions: ['--help', '--version'],
  },
};

/**
 * Each wrapper by its name's first letter and length (no two wrappers share
 * both): most command names (`apt-get`, `npm`, `set`, `rm`) find no wrapper
 * here, and the others are compared with one wrapper's name, never hashed (a
 * map would hash every fresh name, and a record's keys include `constructor`).
 */
const WRAPPERS_BY_SHAPE: ({ name: string; spec: WrapperSpec } | undefined)[] = new Array<undefined>(26 * 8).fill(undefined);
for (const [name, spec] of Object.entries(WRAPPER_SPECS)) {
  const shape = wrapperShape(name);
  const taken = WRAPPERS_BY_SHAPE[shape];
  if (taken) throw new Error(`The wrappers ${taken.name} and ${name} have the same first letter and length`);
  WRAPPERS_BY_SHAPE[shape] = { name, spec };
}

/** An index into `WRAPPERS_BY_SHAPE`; 0 (no wrapper's: names are not empty) for a name no wrapper's could be. */
function wrapperShape(name: string): number {
  const letter = name.charCodeAt(0) - 97;
  return letter >= 0 && letter < 26 && name.length < 8 ? letter * 8 + name.length : 0;
}

function wrapperSpec(name: string): WrapperSpec | undefined {
  const wrapper = WRAPPERS_BY_SHAPE[wrapperShape(name)];
  return wrapper !== undefined && wrapper.name === name ? wrapper.spec : undefined;
}

/**
 * A command with its wrappers peeled off; `wrappers` are their name words,
 * outermost first. A command that wraps nothing is its own unwrapping.
 */
export type UnwrappedCommand = SimpleCommand;

/**
 * The command a wrapper chain runs, e.g. `sudo env A=1 nice -n 5 pip install x`
 * → `pip install x` with wrappers sudo, env, nice. The result shares the original
 * command's range, redirects, assignments and context; its `args` have `isFlag`
 * recomputed (a `--` that ended the wrapper's options does not end the tool's).
 * A command that wraps nothing comes back as it is.
 */
export function unwrap(command: SimpleCommand): UnwrappedCommand {
  // Dozens of rules ask for the same commands; the answer depends only on the command.
  let unwrapped = unwrapCache.get(command);
  if (!unwrapped) unwrapCache.set(command, (unwrapped = unwrapUncached(command)));
  return unwrapped;
}

const unwrapCache = new WeakMap<SimpleCommand, UnwrappedCommand>();

/**
 * `unwrap` without its cache, for callers that keep the result themselves (a
 * weak map entry per command is not free); `name` is `commandName(command)`,
 * for a caller that has it already.
 */
export function unwrapUncached(command: SimpleCommand, name = commandName(command)): UnwrappedCommand {
  let current = command;
  // Each round removes at least the wrapper's own name, so this terminates.
  for (;;) {
    const spec = name === undefined ? undefined : wrapperSpec(name);
    if (!spec || !current.name) return current;
    const commandIndex = wrappedCommandIndex(current.args, spec);
    if (commandIndex === undefined) return current;
    const tool = current.args[commandIndex];
    const args = toArguments(current.args.slice(commandIndex + 1));
    const wrappers = [...current.wrappers, current.name];
    // A parsed command keeps its lazy `docRange` (a spread would leave it behind); anyone else's is copied as it is.
    current = current instanceof ParsedCommand ? current.withTool(tool, args, wrappers) : { ...current, name: tool, args, wrappers };
    name = commandName(current);
  }
}

/** Index in `args` of the wrapped command's name, or undefined when there is none to know. */
function wrappedCommandIndex(args: readonly Word[], spec: WrapperSpec): number | undefined {
  const takesValue = new Set(spec.optionsWithValues ?? []);
  const stopsExecution = new Set(spec.nonExecutingOptions ?? []);
  let index = 0;
  while (index < args.length) {
    const value = args[index]!.value;
    if (value === undefined) return undefined; // `sudo $OPTS cmd`: cannot tell options from the command.
    if (value === '--') {
      index++;
      break;
    }
    if (spec.skipsAssignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      index++;
      continue;
    }
    if (!value.startsWith('-') || value === '-') break;
    if (spec.numericOptions && /^-\d+$/.test(value)) {
      index++;
      continue;
    }
    const consumed = optionLength(value, args, index, takesValue, stopsExecution);
    if (consumed === undefined) return undefined;
    index += consumed;
  }
  index += spec.leadingOperands ?? 0;
  return index < args.length ? index : undefined;
}

/** Words taken by the option at `index` (1, or 2 with a separate value); undefined when it means "run nothing". */
function optionLength(value: string, args: readonly Word[], index: number, takesValue: ReadonlySet<string>, stopsExecution: ReadonlySet<string>): number | undefined {
  if (value.startsWith('--')) {
    const name = value.split('=', 1)[0]!;
    if (stopsExecution.has(name)) return undefined;
    return takesValue.has(name) && !value.includes('=') ? 2 : 1;
  }
  for (let at = 1; at < value.length; at++) {
    const name = '-' + value[at];
    if (stopsExecution.has(name)) return undefined;
    if (takesValue.has(name)) return at === value.length - 1 && index + 1 < args.length ? 2 : 1;
  }
  return 1;
}
