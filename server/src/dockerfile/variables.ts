/**
 * Variable references and their expansion, following Docker's shell lexer
 * (BuildKit frontend/dockerfile/shell):
 * - `$NAME` (letters, digits, `_`), `${NAME}`, and `${NAME<modifier>word}` with
 *   `-` `:-` `+` `:+` `?` `:?` `#` `##` `%` `%%` `/` `//`; the word may hold
 *   quotes and nested references;
 * - the escape character makes the next character literal (`\$V` is no
 *   reference); inside double quotes it only escapes `"`, `$` and itself;
 * - single-quoted text is literal (unless quote processing is off, as Docker
 *   does for heredoc bodies);
 * - `$1`, `$@`, `$?` ... are consumed but not reported;
 * - syntax errors (missing `}`, `${}`, unsupported modifiers) are reported on
 *   the reference (`malformed`) instead of aborting.
 * One scanner serves both reference extraction and value expansion, so the two
 * can never disagree about what is a reference.
 */

import { removeShellPattern, replaceShellPattern } from './shellPattern';
import { isAsciiDigit, isAsciiLetter } from './characters';
import { NONE } from './none';
import type { ExpansionContext, TextRange, VariableReference } from './types';

/**
 * Value of a variable for expansion: a string when known, `null` when the
 * variable exists but its value cannot be known statically, `undefined` when
 * it is not set (expands to the empty string, as in Docker).
 */
export type VariableLookup = (name: string) => string | null | undefined;

export interface VariableScanOptions {
  /** Escape character: `\` (default) or a backtick. */
  escapeChar?: string;
  /** Treat quotes as shell quotes (single-quoted text is literal). Default true. */
  processQuotes?: boolean;
  /** Document offset of `text[0]`, added to every returned range. Default 0. */
  offset?: number;
  /** Recorded on each reference. Default 'builder'. */
  expandedBy?: ExpansionContext;
  /**
   * Maps [start, end) indices of `text` to a document range, for text that is
   * not a contiguous slice of the document (e.g. `LogicalLine.sourceRange` for
   * an instruction joined from continuation lines). Overrides `offset`.
   */
  toDocumentRange?: (start: number, end: number) => TextRange;
}

export interface ExpansionResult {
  /** Expanded text with quotes removed; undefined when any needed value is unknown. */
  value: string | undefined;
  references: VariableReference[];
  /** Names whose value was needed but unknown. */
  unknown: string[];
  /** A syntax or `${VAR?message}` error Docker would fail the build with. */
  error?: string;
}

/** All variable references in `text`, with ranges shifted by `options.offset`. */
export function extractVariableReferences(text: string, options: VariableScanOptions = {}): VariableReference[] {
  return extractVariableReferencesInRange(text, 0, text.length, options);
}

/** References in `text[start, end)`; ranges are indices into `text` plus `options.offset`. */
export function extractVariableReferencesInRange(
  text: string,
  start: number,
  end: number,
  options: VariableScanOptions = {},
): VariableReference[] {
  const dollar = text.indexOf('$', start);
  if (dollar < 0 || dollar >= end) return [];
  const scanner = scannerFor(text, start, end, options, undefined);
  scanner.scanUntil(undefined, false, 0);
  return scanner.references;
}

/**
 * `extractVariableReferencesInRange` for callers that know `text[start, end)` holds a `$` and have the options
 * at hand (an instruction's parts: no options object per part).
 */
export function scanReferences(
  text: string,
  start: number,
  end: number,
  escapeChar: string,
  processQuotes: boolean,
  expandedBy: ExpansionContext,
  toDocumentRange: ((start: number, end: number) => TextRange) | undefined,
): VariableReference[] {
  const scanner = new WordScanner(text, start, end, escapeChar.charCodeAt(0), processQuotes, 0, expandedBy, toDocumentRange, undefined);
  scanner.scanUntil(undefined, false, 0);
  return scanner.references;
}

/** Expands `text` like Docker does for instruction arguments (quotes removed). */
export function expandVariables(text: string, lookup: VariableLookup, options: VariableScanOptions = {}): ExpansionResult {
  if (isPlainWord(text, options)) return { value: text, references: [], unknown: [] };
  const scanner = scannerFor(text, 0, text.length, options, lookup);
  const result = scanner.scanUntil(undefined, false, 0);
  const expansion: ExpansionResult = {
    value: result.value ?? undefined,
    references: scanner.references,
    unknown: scanner.unknown,
  };
  if (scanner.error) {
    expansion.error = scanner.error;
    expansion.value = undefined;
  }
  return expansion;
}

/**
 * Why Docker cannot process `text` as a word it expands, whatever the values of its
 * variables: an unterminated quote or a malformed `${...}` (BuildKit's own message);
 * undefined when it can. `${VAR?message}` is not an error here, as it depends on a value.
 */
export function expansionSyntaxError(text: string, escapeChar = '\\'): string | undefined {
  const escape = escapeChar.charCodeAt(0);
  if (plainlyExpandable(text, escape)) return undefined;
  const scanner = new WordScanner(text, 0, text.length, escape, true, 0, 'builder', undefined, undefined);
  scanner.scanUntil(undefined, false, 0);
  return scanner.error;
}

/**
 * Whether `text` is plainly free of anything Docker could fail on: no escape character,
 * quotes closed with no `$` inside, and `${` only as `${NAME}`. Most words are (or have
 * no quotes or `$` at all), and this loop costs a fraction of the full scan.
 */
function plainlyExpandable(text: string, escape: number): boolean {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x28 && code !== escape) continue;
    if (code === escape) return false;
    if (code === 0x22 || code === 0x27) {
      let close = i + 1;
      while (close < length && text.charCodeAt(close) !== code) {
        const inner = text.charCodeAt(close);
        if (inner === escape || inner === 0x24) return false;
        close++;
      }
      if (close >= length) return false;
      i = close;
    } else if (code === 0x24 && text.charCodeAt(i + 1) === 0x7b) {
      let j = i + 2;
      while (j < length && isAsciiNameCode(text.charCodeAt(j))) j++;
      if (j === i + 2 || text.charCodeAt(j) !== 0x7d) return false;
      i = j;
    }
  }
  return true;
}

/** ASCII only: a name with other letters is left to the full scan. */
function isAsciiNameCode(code: number): boolean {
  return isAsciiLetter(code) || isAsciiDigit(code) || code === 0x5f;
}

/**
 * `expandVariables(text, lookup, { escapeChar }).value` for text that is not a plain word, `escape` being the
 * escape character's code: no result object.
 */
export function expandedText(text: string, lookup: VariableLookup, escape: number): string | undefined {
  const scanner = new WordScanner(text, 0, text.length, escape, true, 0, 'builder', undefined, lookup);
  const result = scanner.scanUntil(undefined, false, 0);
  return scanner.error === undefined ? (result.value ?? undefined) : undefined;
}

/** No `$`, quotes or escapes: expansion is the identity (the common case, worth a fast path). */
export function isPlainWord(text: string, options: VariableScanOptions): boolean {
  return isPlainText(text, (options.escapeChar ?? '\\').charCodeAt(0), options.processQuotes ?? true);
}

/** `isPlainWord` with the escape character's code and whether quotes count at hand. */
export function isPlainText(text: string, escape: number, quotes: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // `"`, `$` and `'` are below `(`, where few characters of a word are.
    if (code < 0x28 ? code === 0x24 || (quotes && (code === 0x22 || code === 0x27)) || code === escape : code === escape) return false;
  }
  return true;
}

const MAX_NESTING = 32;
/** A braced reference's ranges until they are known (never seen outside `scanDollar`). */
const UNSET_RANGE: TextRange = Object.freeze({ start: -1, end: -1 });
const SPECIAL_PARAMETERS = '@*#?-$!0';
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

interface ScanResult {
  /** null when unknown (or when not computing values). */
  value: string | null;
  closed: boolean;
}

function scannerFor(text: string, start: number, end: number, options: VariableScanOptions, lookup: VariableLookup | undefined): WordScanner {
  return new WordScanner(
    text,
    start,
    end,
    (options.escapeChar ?? '\\').charCodeAt(0),
    options.processQuotes ?? true,
    options.offset ?? 0,
    options.expandedBy ?? 'builder',
    options.toDocumentRange,
    lookup,
  );
}

/** How far past the scanned range `indexOf` may look for the next special character (see `nextSpecial`). */
const SEARCH_SLACK = 512;

class WordScanner {
  pos: number;
  readonly references: VariableReference[] = [];
  /** Names whose value was needed but unknown (in first-seen order); only expansions track them. */
  readonly unknown: string[];
  error: string | undefined;
  private readonly computeValues: boolean;
  /**
   * Where the next `$`, escape character, `'` and `"` are at or after the last search (`end`: none before the
   * end; -1: not searched yet). Only used when searching cannot run far past `end` (a heredoc body is a range of
   * the whole document).
   */
  private readonly searches: boolean;
  private nextDollar = -1;
  private nextEscape = -1;
  private nextSingle = -1;
  private nextDouble = -1;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly escape: number,
    private readonly processQuotes: boolean,
    private readonly offset: number,
    private readonly expandedBy: ExpansionContext,
    private readonly toDocumentRange: ((start: number, end: number) => TextRange) | undefined,
    private readonly lookup: VariableLookup | undefined,
  ) {
    this.pos = start;
    this.computeValues = lookup !== undefined;
    this.unknown = lookup === undefined ? NONE : [];
    this.searches = text.length - end <= SEARCH_SLACK;
    // No escape character (an empty one): nothing to search for.
    if (Number.isNaN(escape)) this.nextEscape = end;
  }

  /** Docker's processStopOn: scan up to `stop` (consumed) or the end. */
  scanUntil(stop: number | undefined, rawEscapes: boolean, depth: number): ScanResult {
    const text = this.text;
    // null once any part is unknown (or when values are not computed at all).
    let value: string | null = this.computeValues ? '' : null;
    while (this.pos < this.end) {
      const code = text.charCodeAt(this.pos);
      if (code === stop) {
        this.pos++;
        return { value, closed: true };
      }
      let part: string | null;
      if (code === 0x24 /* $ */) {
        part = this.scanDollar(depth);
      } else if (this.processQuotes && code === 0x27) {
        part = this.scanSingleQuoted();
      } else if (this.processQuotes && code === 0x22) {
        part = this.scanDoubleQuoted(depth);
      } else if (code === this.escape) {
        this.pos++;
        if (this.pos >= this.end) {
          if (rawEscapes && value !== null) value += text[this.pos - 1];
          break;
        }
        part = rawEscapes ? text.slice(this.pos - 1, this.pos + 1) : text[this.pos];
        this.pos++;
      } else {
        part = this.scanOrdinaryRun(stop);
      }
      if (value !== null) value = part === null ? null : value + part;
    }
    return { value, closed: stop === undefined };
  }

  /** A run of characters with no special meaning, copied in one go. */
  private scanOrdinaryRun(stop: number | undefined): string {
    const text = this.text;
    const runStart = this.pos;
    if (stop === undefined && this.searches) {
      // Outside `${...}` only these four characters end a run: found by native searches rather than a loop
      // over every character (a RUN script's text is mostly ordinary).
      this.pos = this.nextSpecial(runStart + 1);
      return this.computeValues ? text.slice(runStart, this.pos) : '';
    }
    this.pos++;
    while (this.pos < this.end) {
      const next = text.charCodeAt(this.pos);
      if (next === stop || next === 0x24 || next === this.escape) break;
      if (this.processQuotes && (next === 0x27 || next === 0x22)) break;
      this.pos++;
    }
    return this.computeValues ? text.slice(runStart, this.pos) : '';
  }

  /** The first `$`, escape character or (when quotes count) quote at or after `from`; `end` when none. */
  private nextSpecial(from: number): number {
    if (this.nextDollar < from) this.nextDollar = this.search('$', from);
    let next = this.nextDollar;
    if (this.nextEscape < from) this.nextEscape = this.search(String.fromCharCode(this.escape), from);
    if (this.nextEscape < next) next = this.nextEscape;
    if (this.processQuotes) {
      if (this.nextSingle < from) this.nextSingle = this.search("'", from);
      if (this.nextSingle < next) next = this.nextSingle;
      if (this.nextDouble < from) this.nextDouble = this.search('"', from);
      if (this.nextDouble < next) next = this.nextDouble;
    }
    return next;
  }

  private search(char: string, from: number): number {
    const found = this.text.indexOf(char, from);
    return found < 0 || found > this.end ? this.end : found;
  }

  private scanSingleQuoted(): string | null {
    const close = this.text.indexOf("'", this.pos + 1);
    if (close < 0 || close >= this.end) {
      this.fail('unexpected end of statement while looking for matching single-quote');
      const content = this.text.slice(this.pos + 1, this.end);
      this.pos = this.end;
      return this.computeValues ? content : null;
    }
    const content = this.text.slice(this.pos + 1, close);
    this.pos = close + 1;
    return this.computeValues ? content : null;
  }

  private scanDoubleQuoted(depth: number): string | null {
    const text = this.text;
    this.pos++; // opening quote
    let value: string | null = this.computeValues ? '' : null;
    while (this.pos < this.end) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos++;
        return value;
      }
      if (code === 0x24) {
        const part = this.scanDollar(depth);
        if (value !== null) value = part === null ? null : value + part;
        continue;
      }
      this.pos++;
      let char = text[this.pos - 1];
      if (code === this.escape) {
        if (this.pos >= this.end) continue; // escape at the very end is dropped
        const next = text.charCodeAt(this.pos);
        if (next === 0x22 || next === 0x24 || next === this.escape) {
          char = text[this.pos];
          this.pos++;
        }
      }
      if (value !== null) value += char;
    }
    this.fail('unexpected end of statement while looking for matching double-quote');
    return value;
  }

  /** At `$`: a reference, or a literal `$`. */
  private scanDollar(depth: number): string | null {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    if (this.pos >= this.end || text.charCodeAt(this.pos) !== 0x7b /* { */) {
      const name = this.scanName();
      if (name.text === '') return '$';
      if (name.special) return this.valueOf(name.text, false);
      this.references.push({
        name: name.text,
        nameRange: this.range(name.start, this.pos),
        range: this.range(start, this.pos),
        braced: false,
        depth,
        expandedBy: this.expandedBy,
      });
      return this.valueOf(name.text, true);
    }

    this.pos++; // {
    // Every path below sets `range`, and `nameRange` once the name is known: no ranges mapped only to be replaced.
    const reference: VariableReference = {
      name: '',
      nameRange: UNSET_RANGE,
      range: UNSET_RANGE,
      braced: true,
      depth,
      expandedBy: this.expandedBy,
    };
    if (depth >= MAX_NESTING) {
      // Pathologically deep nesting: skip the rest without recursing further.
      reference.nameRange = this.range(this.pos, this.pos);
      this.skipToClosingBrace();
      reference.malformed = 'nesting too deep';
      reference.range = this.range(start, this.pos);
      this.references.push(reference);
      return null;
    }
    const first = this.pos < this.end ? text.charCodeAt(this.pos) : -1;
    if (first < 0 || first === 0x7b || first === 0x7d || first === 0x3a) {
      // `${`, `${}`, `${{...`, `${:...`: reported as a nameless malformed reference.
      reference.nameRange = this.range(this.pos, this.pos);
      this.references.push(reference);
      if (first < 0) return this.malformed(reference, start, "syntax error: missing '}'");
      this.skipToClosingBrace();
      return this.malformed(reference, start, 'syntax error: bad substitution');
    }
    const name = this.scanName();
    reference.name = name.text;
    reference.nameRange = this.range(name.start, this.pos);
    if (!name.special) this.references.push(reference);
    if (this.pos >= this.end) return this.malformed(reference, start, "syntax error: missing '}'");

    const modifierStart = this.pos;
    let modifierChar = text[this.pos++];
    if (modifierChar === '}') {
      reference.range = this.range(start, this.pos);
      return this.valueOf(name.text, !name.special);
    }
    let nullIsUnset = false;
    if (modifierChar === ':') {
      nullIsUnset = true;
      if (this.pos >= this.end) return this.malformed(reference, start, "syntax error: missing '}'");
      modifierChar = text[this.pos++];
    }
    if (modifierChar === '/') {
      return this.scanReplacement(reference, start, modifierStart, depth, nullIsUnset);
    }
    if (!nullIsUnset && !'-+?#%'.includes(modifierChar)) {
      // Docker stops right here (`${A }`, `${A!x}`), so scanning resumes after it.
      reference.modifier = modifierChar;
      reference.modifierRange = this.range(modifierStart, this.pos);
      return this.malformed(reference, start, `unsupported modifier (${modifierChar}) in substitution`);
    }

    const rawEscapes = modifierChar === '#' || modifierChar === '%';
    let modifier = text.slice(modifierStart, this.pos);
    // `##` / `%%`: Docker reads the second character as part of the word.
    if (rawEscapes && this.pos < this.end && text[this.pos] === modifierChar) {
      this.pos++;
      modifier += modifierChar;
    }
    reference.modifier = modifier;
    reference.modifierRange = this.range(modifierStart, this.pos);
    const operandStart = this.pos;
    const operand = this.scanUntil(0x7d, rawEscapes, depth + 1);
    const operandEnd = operand.closed ? this.pos - 1 : this.pos;
    reference.operand = { text: text.slice(operandStart, operandEnd), range: this.range(operandStart, operandEnd) };
    reference.range = this.range(start, this.pos);
    if (!operand.closed) return this.malformed(reference, start, "syntax error: missing '}'");
    if (!'-+?#%'.includes(modifierChar)) {
      return this.malformed(reference, start, `unsupported modifier (${modifier}) in substitution`);
    }
    if (!this.computeValues) return null;

    const current = this.valueOf(name.text, !name.special);
    const isUnset = this.lookupRaw(name.text) === undefined;
    const empty = isUnset || (nullIsUnset && current === '');
    switch (modifierChar) {
      case '-':
        if (current === null) return null;
        return empty ? operand.value : current;
      case '+':
        if (current === null) return null;
        return empty ? '' : operand.value;
      case '?':
        if (current === null) return null;
        if (empty) {
          const message = operand.value || (isUnset ? 'is not allowed to be unset' : 'is not allowed to be empty');
          this.fail(`${name.text}: ${message}`);
          return null;
        }
        return current;
      default: {
        if (current === null || operand.value === null) return null;
        const longest = modifier.length > (nullIsUnset ? 2 : 1);
        return removeShellPattern(current, operand.value, modifierChar === '%', longest);
      }
    }
  }

  /** `${NAME/pattern/replacement}` and `${NAME//pattern/replacement}`, after the first `/`. */
  private scanReplacement(
    reference: VariableReference,
    start: number,
    modifierStart: number,
    depth: number,
    nullIsUnset: boolean,
  ): string | null {
    const text = this.text;
    const replaceAll = this.pos < this.end && text[this.pos] === '/';
    if (replaceAll) this.pos++;
    reference.modifier = text.slice(modifierStart, this.pos);
    reference.modifierRange = this.range(modifierStart, this.pos);
    const operandStart = this.pos;
    const pattern = this.scanUntil(0x2f, true, depth + 1);
    const replacement = pattern.closed ? this.scanUntil(0x7d, true, depth + 1) : { value: null, closed: false };
    const operandEnd = replacement.closed ? this.pos - 1 : this.pos;
    reference.operand = { text: text.slice(operandStart, operandEnd), range: this.range(operandStart, operandEnd) };
    reference.range = this.range(start, this.pos);
    if (!pattern.closed) return this.malformed(reference, start, "syntax error: missing '/' in ${}");
    if (!replacement.closed) return this.malformed(reference, start, "syntax error: missing '}'");
    if (nullIsUnset) return this.malformed(reference, start, `unsupported modifier (${reference.modifier}) in substitution`);
    if (!this.computeValues) return null;
    const current = this.valueOf(reference.name, true);
    if (current === null || pattern.value === null || replacement.value === null) return null;
    return replaceShellPattern(current, pattern.value, replacement.value, replaceAll);
  }

  /** Docker's processName: a name, a run of digits, or one special parameter character. */
  private scanName(): { text: string; start: number; special: boolean } {
    const text = this.text;
    const start = this.pos;
    if (this.pos >= this.end) return { text: '', start, special: false };
    const first = text.charCodeAt(this.pos);
    if (first >= 0x30 && first <= 0x39) {
      while (this.pos < this.end && isDigitAt(text, this.pos)) this.pos++;
      return { text: text.slice(start, this.pos), start, special: true };
    }
    if (SPECIAL_PARAMETERS.includes(text[this.pos])) {
      this.pos++;
      return { text: text.slice(start, this.pos), start, special: true };
    }
    while (this.pos < this.end) {
      const code = text.charCodeAt(this.pos);
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f) {
        this.pos++;
        continue;
      }
      if (code < 0x80) break;
      const char = String.fromCodePoint(text.codePointAt(this.pos) ?? 0);
      if (!NAME_CHAR.test(char) || this.pos + char.length > this.end) break;
      this.pos += char.length;
    }
    return { text: text.slice(start, this.pos), start, special: false };
  }

  private skipToClosingBrace(): void {
    let depth = 1;
    while (this.pos < this.end) {
      const code = this.text.charCodeAt(this.pos++);
      if (code === 0x7b) depth++;
      else if (code === 0x7d && --depth === 0) return;
    }
  }

  private malformed(reference: VariableReference, start: number, message: string): null {
    reference.malformed = message;
    reference.range = this.range(start, this.pos);
    this.fail(message);
    return null;
  }

  private fail(message: string): void {
    this.error ??= message;
  }

  private lookupRaw(name: string): string | null | undefined {
    return this.lookup ? this.lookup(name) : null;
  }

  /** Value a reference expands to: unset expands to '' as in Docker; unknown is null. */
  private valueOf(name: string, track: boolean): string | null {
    if (!this.computeValues) return null;
    const value = this.lookupRaw(name);
    if (value === null) {
      if (track && !this.unknown.includes(name)) this.unknown.push(name);
      return null;
    }
    return value ?? '';
  }

  private range(start: number, end: number): TextRange {
    if (this.toDocumentRange) return this.toDocumentRange(start, end);
    return { start: start + this.offset, end: end + this.offset };
  }
}

function isDigitAt(text: string, pos: number): boolean {
  const code = text.charCodeAt(pos);
  if (code >= 0x30 && code <= 0x39) return true;
  return code >= 0x80 && LETTER_OR_DIGIT.test(text[pos]) && /\p{Nd}/u.test(text[pos]);
}
