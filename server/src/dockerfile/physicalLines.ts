/**
 * Splits a document into physical lines the way BuildKit's scanner does: at
 * `\n` only, with trailing `\r`/`\n` characters removed from each line's
 * content, and a UTF-8 byte-order mark skipped on the first line.
 */

export class PhysicalLines {
  /** Offset where each line's content starts (after a BOM on line 0). */
  readonly starts: number[] = [];
  /** Offset where each line's content ends (before trailing `\r`s and the `\n`). */
  readonly contentEnds: number[] = [];

  constructor(private readonly text: string) {
    let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (text.length === 0) return;
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const lineEnd = newline < 0 ? text.length : newline;
      if (newline < 0 && lineEnd === start && this.starts.length > 0) break; // no empty line after a final "\n"
      let contentEnd = lineEnd;
      while (contentEnd > start && text.charCodeAt(contentEnd - 1) === 0x0d) contentEnd--;
      this.starts.push(start);
      this.contentEnds.push(contentEnd);
      if (newline < 0) break;
      start = newline + 1;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** Offset where the line after `line` starts, or the document length. */
  nextLineStart(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
  }
}
