/**
 * What Docker's Dockerfile frontend (BuildKit, `docker/dockerfile:1`) accepts,
 * shared by the `syntax` rules: which instructions take which flags, and the
 * value formats Docker parses (Go durations, booleans, CSV, sizes).
 * Files starting with `_` are helpers, not rules (the rule index skips them).
 */

import { KNOWN_INSTRUCTIONS, type Instruction, type InstructionFlag, type TextRange } from '../../dockerfile';
import { perInstruction, type RuleContext } from '../context';
import type { Finding } from '../types';

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

/** The instructions that take any flag (a rule about accepted flags has nothing to check elsewhere). */
export const FLAGGED_INSTRUCTIONS: readonly string[] = Object.keys(INSTRUCTION_FLAGS);

/**
 * The flags Docker reads on this instruction; undefined when it never looks
 * at them (unknown instructions, STOPSIGNAL and HEALTHCHECK NONE ignore flags).
 */
export function acceptedFlags(instruction: Instruction): Readonly<Record<string, FlagKind>> | undefined {
  if (!instruction.known || instruction.name === 'STOPSIGNAL') return undefined;
  if (instruction.name === 'HEALTHCHECK' && instruction.healthcheck?.type?.value.toUpperCase() === 'NONE') return undefined;
  return INSTRUCTION_FLAGS[instruction.name] ?? {};
}

/** An instruction to check; `onbuild` is set for an ONBUILD trigger, which runs in a later build. */
export interface SyntaxTarget {
  instruction: Instruction;
  onbuild?: Instruction;
}

/** Every instruction and ONBUILD trigger, unless the file asks for another frontend than Docker's. */
export function* syntaxTargets(context: RuleContext): Generator<SyntaxTarget> {
  if (usesOtherFrontend(context)) return;
  for (const instruction of context.instructions) {
    yield { instruction };
    if (instruction.trigger) yield { instruction: instruction.trigger, onbuild: instruction };
  }
}

/**
 * `perInstruction` for the syntax rules: `visit` gets each instruction and ONBUILD
 * trigger named in `names` (all when undefined) as a target, in document order,
 * unless the file asks for another frontend (which the `# syntax=` directive says).
 */
export function perSyntaxTarget(names: readonly string[] | undefined, visit: (target: SyntaxTarget, context: RuleContext, report: (finding: Finding) => void) => void) {
  return perInstruction({
    ...(names ? { names } : {}),
    triggers: true,
    visit(instruction, context, report, onbuild) {
      if (usesOtherFrontend(context)) return;
      // A new small object per visit costs less than finding a shared one in a map (this runs for every instruction and rule).
      visit({ instruction, onbuild }, context, report);
    },
  });
}

const DOCKER_FRONTEND = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?docker\/dockerfile(?:-upstream)?(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;

/** `# syntax=` names a frontend other than docker/dockerfile, whose language we do not know. */
export function usesOtherFrontend(context: RuleContext): boolean {
  return context.memo(usesOtherFrontend, namesOtherFrontend);
}

function namesOtherFrontend(context: RuleContext): boolean {
  const syntax = context.model.ast.directives.find((directive) => directive.name === 'syntax' && directive.active);
  return syntax !== undefined && !DOCKER_FRONTEND.test(syntax.value.trim());
}

/**
 * `text` as Docker sees it after variable expansion and quote removal, or
 * undefined when that depends on a value not known statically. A trigger's
 * variables belong to a later build, so they are never known.
 */
export function expandedValue(context: RuleContext, target: SyntaxTarget, text: string): string | undefined {
  if (target.onbuild && text.includes('$')) return undefined;
  const result = context.model.expand(text, target.instruction);
  return result.error === undefined ? result.value : undefined;
}

/** A variable reference (`$NAME`, `${...}`) in text Docker takes literally. */
export function hasVariable(text: string): boolean {
  return /\$(?:[A-Za-z_{])/.test(text);
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

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's `time.ParseDuration`: nanoseconds, or undefined when Go rejects the text. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return undefined;
    s = s.slice(number![0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return undefined;
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) return undefined;
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction ?? ''}0`) * scale;
    if (total > 9.223372036854775807e18) return undefined;
  }
  return negative ? -total : total;
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
