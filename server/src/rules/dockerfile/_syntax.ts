/**
 * What Docker's Dockerfile frontend (BuildKit, `docker/dockerfile:1`) accepts,
 * shared by the `syntax` rules: which instructions take which flags, and the
 * value formats Docker parses (Go durations, booleans, CSV, sizes).
 * Files starting with `_` are helpers, not rules (the rule index skips them).
 */

import { KNOWN_INSTRUCTIONS, type Instruction, type InstructionFlag, type ParserDirective, type TextRange, type Token } from '../../dockerfile';
import { perInstruction, type InstructionPart, type LocalCheck, type RuleContext } from '../context';

/** BuildKit's three flag types: `--x`/`--x=bool`, `--x=value` once, `--x=value` repeatable. */
export type FlagKind = 'bool' | 'string' | 'strings';

const HEALTHCHECK_FLAGS: Readonly<Record<string, FlagKind>> = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
};

/** Flags per instruction (names are case-sensitive in Docker). Instructions not listed take none. */
export const INSTRUCTION_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  FROM: { platform: 'string' },
  RUN: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
  COPY: { from: 'string', chown: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' },
  ADD: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    unpack: 'bool',
    exclude: 'strings',
  },
  HEALTHCHECK: HEALTHCHECK_FLAGS,
  ARG: { required: 'bool' },
};

/**
 * `INSTRUCTION_FLAGS` as tables, one per instruction kind, shared by the flag rules: a Map finds a flag
 * by its name's hash, where a property lookup by name on six differently shaped objects is a slow, generic one.
 */
export const FLAG_TABLES: ReadonlyMap<string, ReadonlyMap<string, FlagKind>> = new Map(
  Object.entries(INSTRUCTION_FLAGS).map(([name, flags]) => [name, new Map(Object.entries(flags))]),
);

const NO_FLAGS: ReadonlyMap<string, FlagKind> = new Map();

/**
 * The flags Docker reads on this instruction, by name; undefined when it never
 * looks at them (unknown instructions, STOPSIGNAL and HEALTHCHECK NONE ignore flags).
 */
export function acceptedFlags(instruction: Instruction): ReadonlyMap<string, FlagKind> | undefined {
  if (!instruction.known || instruction.name === 'STOPSIGNAL') return undefined;
  if (instruction.name === 'HEALTHCHECK' && isHealthcheckNone(instruction)) return undefined;
  return FLAG_TABLES.get(instruction.name) ?? NO_FLAGS;
}

/**
 * The argument most likely meant as a flag's value: the first one, when the last flag takes a
 * value, was written without one, and the instruction still has what it needs after that word
 * (`COPY --from build /out /out`, `FROM --platform linux/amd64 alpine`). Docker refuses such an
 * instruction (`invalid-flag-value` reports the flag, and offers to join the two); rules about
 * the arguments read them without this word rather than report what follows from misreading it.
 */
export function argumentMeantAsFlagValue(instruction: Instruction): Token | undefined {
  const flags = instruction.flags;
  const args = instruction.args;
  if (flags.length === 0 || args.length === 0) return undefined;
  const last = flags[flags.length - 1]!;
  if (last.value !== undefined) return undefined;
  const kind = acceptedFlags(instruction)?.get(last.name);
  if (kind === undefined || kind === 'bool') return undefined;
  // A RUN in shell form is one argument, its script: the value is its first word, and a command must follow.
  if (instruction.name === 'RUN') return instruction.form !== 'exec' && /\S\s+\S/.test(args[0]!.value) ? args[0] : undefined;
  return args.length >= (instruction.name === 'COPY' || instruction.name === 'ADD' ? 3 : 2) ? args[0] : undefined;
}

/**
 * `perInstruction` for the syntax rules: `visit` gets each instruction and ONBUILD
 * trigger (with its ONBUILD as `onbuild`: it runs in a later build) named in
 * `names` (all when undefined), in document order. Each visit asks
 * `usesOtherFrontend` before finding anything (after its own cheapest test, such
 * as "has flags"): a file for another frontend is in a language we do not know.
 * (Asked there rather than in a wrapper here: a wrapper shared by every syntax
 * rule makes one more call per instruction, through a call site that sees every
 * rule, which V8 cannot inline.)
 */
export function perSyntaxTarget(names: readonly string[] | undefined, visit: LocalCheck['visit'], having?: InstructionPart) {
  return perInstruction({ ...(names ? { names } : {}), ...(having ? { having } : {}), triggers: true, visit });
}

const DOCKER_FRONTEND = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?docker\/dockerfile(?:-upstream)?(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;

/** The directives `lastAnswer` is about: trees are never changed once built, so the same list gives the same answer. */
let lastDirectives: readonly ParserDirective[] | undefined;
let lastAnswer = false;

/** `# syntax=` names a frontend other than docker/dockerfile, whose language we do not know. */
export function usesOtherFrontend(context: RuleContext): boolean {
  // Asked for every instruction by every syntax rule: a comparison, not a table lookup.
  const directives = context.model.ast.directives;
  if (directives !== lastDirectives) {
    lastAnswer = namesOtherFrontend(directives);
    lastDirectives = directives;
  }
  return lastAnswer;
}

/** The last `# syntax=` value judged, and whether it names another frontend: most files say `docker/dockerfile:1`, or nothing. */
let lastSyntax = '';
let lastSyntaxIsOther = false;

function namesOtherFrontend(directives: readonly ParserDirective[]): boolean {
  let syntax: ParserDirective | undefined;
  for (const directive of directives) {
    if (directive.name === 'syntax' && directive.active) {
      syntax = directive;
      break;
    }
  }
  if (syntax === undefined) return false;
  const value = syntax.value;
  if (value !== lastSyntax) {
    lastSyntaxIsOther = !DOCKER_FRONTEND.test(value.trim());
    lastSyntax = value;
  }
  return lastSyntaxIsOther;
}

/**
 * `text` as Docker sees it after variable expansion and quote removal, or
 * undefined when that depends on a value not known statically. A trigger's
 * variables belong to a later build, so they are never known.
 */
export function expandedValue(context: RuleContext, instruction: Instruction, onbuild: Instruction | undefined, text: string): string | undefined {
  if (onbuild && text.includes('$')) return undefined;
  return context.model.expandedValue(text, instruction);
}

/** Whether HEALTHCHECK's type is NONE (written in any case). */
export function isHealthcheckNone(instruction: Instruction): boolean {
  const type = instruction.healthcheck?.type?.value;
  return type !== undefined && type.length === 4 && type.toUpperCase() === 'NONE';
}

/** A variable reference (`$NAME`, `${...}`) in text Docker takes literally. */
export function hasVariable(text: string): boolean {
  return text.includes('$') && /\$(?:[A-Za-z_{])/.test(text);
}

/**
 * Document range of [start, end) of a flag's processed value; the whole value
 * (or flag) when quotes or escapes make processed and written text differ.
 */
export function flagValueRange(instruction: Instruction, flag: InstructionFlag, start?: number, end?: number): TextRange {
  const whole = flag.valueRange ?? flag.range;
  if (start === undefined || end === undefined || end <= start || !flag.valueLogicalRange || flag.rawValue !== flag.value) return whole;
  const base = flag.valueLogicalRange.start;
  return instruction.logical.sourceRange(base + start, base + end);
}

/** `--name` (without any `=value`). */
export function flagNameRange(flag: InstructionFlag): TextRange {
  return { start: flag.range.start, end: Math.max(flag.nameRange.end, flag.range.start) };
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The closest option within edit distance 2 (BuildKit's "did you mean"),
 * compared case-insensitively; undefined when none is close or `value`
 * already is one of them exactly.
 */
export function closest(value: string, options: readonly string[]): string | undefined {
  if (value === '' || options.includes(value)) return undefined;
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of options) {
    const distance = editDistance(lower, option.toLowerCase());
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  return best;
}

/** The operating systems and architectures containerd knows (its `platforms` package), by the names it normalizes to. */
const KNOWN_OS = ['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos'];
const KNOWN_ARCH = ['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm'];
const ARCH_ALIASES: Readonly<Record<string, string>> = { i386: '386', x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };
const PLATFORM_PART = /^[A-Za-z0-9_-]+$/;
/** An OS part with an OS version in parentheses, as newer Windows images name theirs: `windows(10.0.20348)`. */
const OS_WITH_VERSION = /^[A-Za-z0-9_-]+\([A-Za-z0-9_.-]*\)$/;

/**
 * Why BuildKit cannot read `value` as a platform (`os[/arch[/variant]]`, or a lone OS or
 * architecture, as containerd parses it), or undefined. Only what it refuses outright: a
 * well-formed `os/arch` it does not know fails later, at the pull.
 */
export function platformProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 3) return 'a platform has at most three parts: os/arch/variant';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!PLATFORM_PART.test(part) && !(i === 0 && OS_WITH_VERSION.test(part))) {
      return part === '' ? 'a part of it is empty' : `'${part}' may hold only letters, digits, '_' and '-'`;
    }
  }
  if (parts.length > 1) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'macos' || KNOWN_OS.includes(lower) || KNOWN_ARCH.includes(ARCH_ALIASES[lower] ?? lower)) return undefined;
  const near = closest(lower, [...KNOWN_OS, ...KNOWN_ARCH]);
  return `'${value}' is no operating system or architecture Docker knows${near ? ` (did you mean ${near}?)` : ''}: write os/arch, such as linux/amd64`;
}

/** The closest Dockerfile instruction, in the case the keyword was written in. */
export function closestInstruction(keyword: string): string | undefined {
  const match = closest(keyword.toUpperCase(), KNOWN_INSTRUCTIONS);
  if (!match) return undefined;
  return keyword === keyword.toLowerCase() ? match.toLowerCase() : match;
}

/** Go's `strconv.ParseBool`. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** Go's `time.ParseDuration`: nanoseconds, or undefined when Go rejects the text. */
export function parseGoDuration(text: string): number | undefined {
  // A scan with no regular expression or substring for the usual `30s` (every HEALTHCHECK has a few).
  const length = text.length;
  let pos = 0;
  let negative = false;
  if (length > 0 && (text[0] === '-' || text[0] === '+')) {
    negative = text[0] === '-';
    pos = 1;
  }
  if (length - pos === 1 && text[pos] === '0') return 0;
  if (pos === length) return undefined;
  let total = 0;
  while (pos < length) {
    const wholeStart = pos;
    while (pos < length && isAsciiDigit(text.charCodeAt(pos))) pos++;
    const wholeEnd = pos;
    let fractionEnd = -1;
    if (text[pos] === '.') {
      pos++;
      while (pos < length && isAsciiDigit(text.charCodeAt(pos))) pos++;
      fractionEnd = pos;
    }
    if (wholeEnd === wholeStart && (fractionEnd < 0 || fractionEnd === wholeEnd + 1)) return undefined;
    const unitStart = pos;
    while (pos < length && !isAsciiDigit(text.charCodeAt(pos)) && text[pos] !== '.') pos++;
    const scale = durationUnit(text, unitStart, pos);
    if (scale === undefined) return undefined;
    let number: number;
    if (fractionEnd > wholeEnd + 1) {
      number = Number(`${wholeEnd > wholeStart ? text.slice(wholeStart, wholeEnd) : '0'}.${text.slice(wholeEnd + 1, fractionEnd)}0`);
    } else if (wholeEnd - wholeStart <= 15) {
      // Exact: fifteen digits stay below 2^53.
      number = 0;
      for (let i = wholeStart; i < wholeEnd; i++) number = number * 10 + (text.charCodeAt(i) - 0x30);
    } else {
      number = Number(text.slice(wholeStart, wholeEnd));
    }
    total += number * scale;
    if (total > 9.223372036854775807e18) return undefined;
  }
  return negative ? -total : total;
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Nanoseconds per unit of Go's durations (ns, us, µs, μs, ms, s, m, h); undefined for anything else, empty included. */
function durationUnit(text: string, start: number, end: number): number | undefined {
  if (end - start === 1) {
    const unit = text[start];
    return unit === 's' ? 1e9 : unit === 'm' ? 60e9 : unit === 'h' ? 3600e9 : undefined;
  }
  if (end - start !== 2 || text[start + 1] !== 's') return undefined;
  switch (text[start]) {
    case 'n':
      return 1;
    case 'u':
    case '\u00b5':
    case '\u03bc':
      return 1e3;
    case 'm':
      return 1e6;
    default:
      return undefined;
  }
}

/** Go's `strconv.ParseInt(text, 10, bits)`. */
export function parseGoInt(text: string, bits: 32 | 64): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  const limit = 2 ** (bits - 1);
  return value >= -limit && value <= limit - 1 ? value : undefined;
}

/** Go's `strconv.ParseUint(text, base, 32)`. */
export function parseGoUint32(text: string, base: 8 | 10): number | undefined {
  if (!(base === 8 ? /^[0-7]+$/ : /^\d+$/).test(text)) return undefined;
  const value = parseInt(text, base);
  return value <= 0xffffffff ? value : undefined;
}

/** A field of a comma-separated value, with its offsets in that value. */
export interface CsvField {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits one CSV record as Go's encoding/csv reads it (a field may be
 * `"quoted"`, with `""` for a quote); undefined when Go would reject it.
 */
export function splitCsv(value: string): CsvField[] | undefined {
  const fields: CsvField[] = [];
  let pos = 0;
  for (;;) {
    const start = pos;
    if (value[pos] === '"') {
      let text = '';
      pos++;
      for (;;) {
        if (pos >= value.length) return undefined;
        if (value[pos] === '"') {
          if (value[pos + 1] === '"') {
            text += '"';
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        text += value[pos];
        pos++;
      }
      if (pos < value.length && value[pos] !== ',') return undefined;
      fields.push({ text, start, end: pos });
    } else {
      let end = value.indexOf(',', pos);
      if (end < 0) end = value.length;
      const text = value.slice(pos, end);
      if (text.includes('"')) return undefined;
      fields.push({ text, start, end });
      pos = end;
    }
    if (pos >= value.length) return fields;
    pos++; // past the comma
  }
}

/** docker/go-units `RAMInBytes` (as used for tmpfs `size=`): true when it accepts the text. */
export function isGoUnitsSize(text: string): boolean {
  let separator = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text[i]!)) {
      separator = i;
      break;
    }
  }
  if (separator < 0) return false;
  const number = text[separator] === ' ' ? text.slice(0, separator) : text.slice(0, separator + 1);
  let suffix = text.slice(separator + 1);
  if (!/^\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(number)) return false;
  if (suffix === '') return true;
  if (suffix.length > 3) return false;
  suffix = suffix.toLowerCase();
  if (suffix[0] === 'b') return suffix.length === 1;
  if (!'kmgtp'.includes(suffix[0]!)) return false;
  return suffix.length === 1 || (suffix.length === 2 && suffix[1] === 'b') || (suffix.length === 3 && suffix.slice(1) === 'ib');
}

/** A range covering tokens from the first to the last. */
export function spanOf(first: { range: TextRange }, last: { range: TextRange }): TextRange {
  return { start: first.range.start, end: last.range.end };
}

/** `'raw'`, or `'raw' (= 'value')` when expansion changed it, for messages. */
export function describeValue(raw: string, value: string): string {
  return raw === value ? `'${raw}'` : `'${raw}' (= '${value}')`;
}
