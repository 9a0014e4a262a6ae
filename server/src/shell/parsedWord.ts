/**
 * The classes of every word the parser makes. Most words are read for their
 * `raw` text and `value` only, so the rest is made on first read: a plain word
 * (no quotes, escapes or expansions) gets its one literal part only when asked
 * for its `parts`, and any word maps its range into the document only when
 * asked for its `docRange`. A command's arguments are
 * `ParsedArgument`s, made with their `isFlag` slot (which `markArguments` fills
 * in) rather than growing one; a class of its own, as constructing a subclass
 * costs more.
 */
import type { Argument, Range, Word, WordPart } from './ast';
import type { ParseSession } from './session';

export class ParsedWord implements Word {
  private docRangeSlot: Range | undefined = undefined;

  constructor(
    public raw: string,
    public value: string | undefined,
    public quoted: boolean,
    public range: Range,
    /** Undefined for a plain word, whose only part is the literal `raw` over `range`. */
    private partsSlot: WordPart[] | undefined,
    private readonly session: ParseSession,
  ) {}

  get parts(): WordPart[] {
    return (this.partsSlot ??= [{ kind: 'literal', text: this.raw, range: this.range }]);
  }

  get docRange(): Range {
    return (this.docRangeSlot ??= this.session.documentRange(this.range));
  }

  /** An argument copy of this word (see `toArguments`), sharing what this word has made so far. */
  asArgument(isFlag: boolean): ParsedArgument {
    const copy = new ParsedArgument(this.raw, this.value, this.quoted, this.range, this.partsSlot, this.session);
    copy.isFlag = isFlag;
    copy.docRangeSlot = this.docRangeSlot;
    return copy;
  }
}

/** `ParsedWord` with the `isFlag` slot of an `Argument`. */
export class ParsedArgument implements Argument {
  isFlag = false;
  /** Set by `asArgument` to share a range already mapped. */
  docRangeSlot: Range | undefined = undefined;

  constructor(
    public raw: string,
    public value: string | undefined,
    public quoted: boolean,
    public range: Range,
    private partsSlot: WordPart[] | undefined,
    private readonly session: ParseSession,
  ) {}

  get parts(): WordPart[] {
    return (this.partsSlot ??= [{ kind: 'literal', text: this.raw, range: this.range }]);
  }

  get docRange(): Range {
    return (this.docRangeSlot ??= this.session.documentRange(this.range));
  }

  /** A copy with its own `isFlag` (see `toArguments`), sharing what this word has made so far. */
  asArgument(isFlag: boolean): ParsedArgument {
    const copy = new ParsedArgument(this.raw, this.value, this.quoted, this.range, this.partsSlot, this.session);
    copy.isFlag = isFlag;
    copy.docRangeSlot = this.docRangeSlot;
    return copy;
  }
}

/** Whether `word` is a `ParsedWord` or `ParsedArgument` (rules and tests may hand the query helpers words of their own). */
export function isParsedWord(word: Word): word is ParsedWord | ParsedArgument {
  return word instanceof ParsedWord || word instanceof ParsedArgument;
}
