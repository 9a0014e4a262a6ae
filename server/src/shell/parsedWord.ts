/**
 * The classes of every word the parser makes. Most words are read for their
 * `raw` text and `value` only, so the rest is made on first read: a plain word
 * (no quotes, escapes or expansions) gets its range object only when asked for
 * its `range`, and its one literal part when asked for its `parts`; any word
 * maps its range into the document only when asked for its `docRange`. A
 * command's arguments are `ParsedArgument`s, made with their `isFlag` slot
 * (which the parser's `markArgument` fills in) rather than growing one; a class
 * of its own, as constructing a subclass costs more.
 */
import type { Argument, Range, Word, WordPart } from './ast';
import type { SourceText } from './session';

export class ParsedWord implements Word {
  // Positions and the source are `#` fields: code that walks a tree's own fields (tests comparing trees without positions) sees neither.
  #rangeSlot: Range | undefined;
  readonly #scanStart: number;
  readonly #scanEnd: number;
  readonly #source: SourceText;
  private docRangeSlot: Range | undefined = undefined;

  constructor(
    public raw: string,
    public value: string | undefined,
    public quoted: boolean,
    /** The range when known, else made from `scanStart`/`scanEnd` (where the word lies in `source`'s text) on first read. */
    range: Range | undefined,
    scanStart: number,
    scanEnd: number,
    /** Undefined for a plain word, whose only part is the literal `raw` over `range`. */
    private partsSlot: WordPart[] | undefined,
    source: SourceText,
  ) {
    this.#rangeSlot = range;
    this.#scanStart = scanStart;
    this.#scanEnd = scanEnd;
    this.#source = source;
  }

  get range(): Range {
    return (this.#rangeSlot ??= this.#source.range(this.#scanStart, this.#scanEnd));
  }

  get parts(): WordPart[] {
    return (this.partsSlot ??= [{ kind: 'literal', text: this.raw, range: this.range }]);
  }

  get docRange(): Range {
    return (this.docRangeSlot ??= this.#source.session.documentRange(this.range));
  }

  /** An argument copy of this word (see `toArguments`), sharing what this word has made so far. */
  asArgument(isFlag: boolean): ParsedArgument {
    const copy = new ParsedArgument(this.raw, this.value, this.quoted, this.#rangeSlot, this.#scanStart, this.#scanEnd, this.partsSlot, this.#source);
    copy.isFlag = isFlag;
    copy.docRangeSlot = this.docRangeSlot;
    return copy;
  }
}

/** `ParsedWord` with the `isFlag` slot of an `Argument`. */
export class ParsedArgument implements Argument {
  isFlag = false;
  #rangeSlot: Range | undefined;
  readonly #scanStart: number;
  readonly #scanEnd: number;
  readonly #source: SourceText;
  /** Set by `asArgument` to share a range already mapped. */
  docRangeSlot: Range | undefined = undefined;

  constructor(
    public raw: string,
    public value: string | undefined,
    public quoted: boolean,
    range: Range | undefined,
    scanStart: number,
    scanEnd: number,
    private partsSlot: WordPart[] | undefined,
    source: SourceText,
  ) {
    this.#rangeSlot = range;
    this.#scanStart = scanStart;
    this.#scanEnd = scanEnd;
    this.#source = source;
  }

  get range(): Range {
    return (this.#rangeSlot ??= this.#source.range(this.#scanStart, this.#scanEnd));
  }

  get parts(): WordPart[] {
    return (this.partsSlot ??= [{ kind: 'literal', text: this.raw, range: this.range }]);
  }

  get docRange(): Range {
    return (this.docRangeSlot ??= this.#source.session.documentRange(this.range));
  }

  /** A copy with its own `isFlag` (see `toArguments`), sharing what this word has made so far. */
  asArgument(isFlag: boolean): ParsedArgument {
    const copy = new ParsedArgument(this.raw, this.value, this.quoted, this.#rangeSlot, this.#scanStart, this.#scanEnd, this.partsSlot, this.#source);
    copy.isFlag = isFlag;
    copy.docRangeSlot = this.docRangeSlot;
    return copy;
  }
}

/** Whether `word` is a `ParsedWord` or `ParsedArgument` (rules and tests may hand the query helpers words of their own). */
export function isParsedWord(word: Word): word is ParsedWord | ParsedArgument {
  return word instanceof ParsedWord || word instanceof ParsedArgument;
}
