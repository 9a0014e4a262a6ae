/**
 * Splits a document into physical lines the way BuildKit's scanner does: at
 * `\n` only, with trailing `\r`/`\n` characters removed from each line's
 * content, and a UTF-8 byte-order mark skipped on the first line.
 *
 * Offsets are kept in typed arrays sized from a guess at the line count and
 * doubled when full: two allocations for most documents, where arrays of
 * numbers grown one push at a time are copied many times over. The parser's
 * lines (`shared`) are written into arrays kept for every parse: a typed array's
 * buffer lives outside the heap, and making two per parse cost a small
 * document more than finding its lines.
 */

export class PhysicalLines {
  /** Offset where each line's content starts (after a BOM on line 0); the first `count` entries are lines. */
  readonly starts: Int32Array;
  /** Offset where each line's content ends (before trailing `\r`s and the `\n`); the first `count` entries are lines. */
  readonly contentEnds: Int32Array;
  readonly count: number;

  /**
   * `shared`: in the arrays kept for such calls, which the next one overwrites
   * (for a caller that reads the lines only until it returns, as the parser).
   */
  constructor(
    private readonly text: string,
    shared = false,
  ) {
    // Room for lines of 32 characters on average (Dockerfile lines are mostly longer): seldom grown.
    let capacity = shared ? SHARED_CAPACITY : 16 + (text.length >> 5);
    let starts: Int32Array = shared ? (SHARED_STARTS ??= new Int32Array(SHARED_CAPACITY)) : new Int32Array(capacity);
    let contentEnds: Int32Array = shared ? (SHARED_CONTENT_ENDS ??= new Int32Array(SHARED_CAPACITY)) : new Int32Array(capacity);
    let count = 0;
    let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (text.length > 0 && start <= text.length) {
      const newline = text.indexOf('\n', start);
      const lineEnd = newline < 0 ? text.length : newline;
      if (newline < 0 && lineEnd === start && count > 0) break; // no empty line after a final "\n"
      let contentEnd = lineEnd;
      while (contentEnd > start && text.charCodeAt(contentEnd - 1) === 0x0d) contentEnd--;
      if (count === capacity) {
        capacity *= 2;
        starts = grown(starts, capacity);
        contentEnds = grown(contentEnds, capacity);
      }
      starts[count] = start;
      contentEnds[count] = contentEnd;
      count++;
      if (newline < 0) break;
      start = newline + 1;
    }
    this.starts = starts;
    this.contentEnds = contentEnds;
    this.count = count;
  }

  /**
   * Where each line starts as LSP counts lines (lineIndex.ts), for a text
   * without `\r`, where only the BOM and a final `\n` make them differ from
   * these; undefined for a text with a `\r`, where they differ more.
   */
  lspLineStarts(): number[] | undefined {
    const text = this.text;
    if (text.includes('\r')) return undefined;
    const starts = [0];
    for (let line = 1; line < this.count; line++) starts.push(this.starts[line]!);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0a) starts.push(text.length);
    return starts;
  }

  /** Offset where the line after `line` starts, or the document length. */
  nextLineStart(line: number): number {
    return line + 1 < this.count ? this.starts[line + 1]! : this.text.length;
  }
}

/** Lines of the shared arrays: a text with more gets arrays of its own (grown from these, which stay as they are). */
const SHARED_CAPACITY = 4096;
let SHARED_STARTS: Int32Array | undefined;
let SHARED_CONTENT_ENDS: Int32Array | undefined;

function grown(array: Int32Array, capacity: number): Int32Array {
  const larger = new Int32Array(capacity);
  larger.set(array);
  return larger;
}
