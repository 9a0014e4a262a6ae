/**
 * Here-documents inside a script (`cat <<EOF` ... `EOF`). The redirection is
 * parsed with its command; the body starts after the next newline token and runs
 * to the delimiter line, so the parser registers the here-doc as pending and
 * reads the body when it meets that newline.
 */
import type { HereDoc, Word } from './ast';
import type { Cursor } from './cursor';
import type { SourceText } from './session';
import type { WordScanner } from './wordScanner';

/** A here-doc whose body has not been read yet. */
export function pendingHereDoc(delimiterWord: Word, stripTabs: boolean, at: number, source: SourceText): HereDoc {
  const range = source.range(at, at);
  return {
    delimiter: removeQuotes(delimiterWord.raw),
    quoted: delimiterWord.quoted,
    stripTabs,
    text: '',
    parts: [],
    range,
    docRange: source.session.documentRange(range),
    terminated: false,
  };
}

/**
 * Reads the body of `doc` from the cursor (the start of a line) through its
 * delimiter line, leaving the cursor after it. An unquoted body is scanned for
 * expansions, which may contain command substitutions.
 */
export function readHereDocBody(doc: HereDoc, cursor: Cursor, source: SourceText, words: WordScanner): void {
  const text = cursor.text;
  const bodyStart = cursor.pos;
  let bodyEnd = cursor.end;
  while (cursor.pos < cursor.end) {
    const lineStart = cursor.pos;
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline >= cursor.end ? cursor.end : newline;
    cursor.pos = lineEnd < cursor.end ? lineEnd + 1 : cursor.end;
    if (isDelimiterLine(text.slice(lineStart, lineEnd), doc)) {
      bodyEnd = lineStart;
      doc.terminated = true;
      break;
    }
  }
  if (!doc.terminated) {
    bodyEnd = cursor.end;
    source.report('unterminated-here-doc', `Here-document is missing its '${doc.delimiter}' delimiter line`, bodyStart, bodyStart);
  }
  finishBody(doc, bodyStart, bodyEnd, source);
  if (!doc.quoted) doc.parts = words.scanHereDocBody(bodyStart, bodyEnd);
}

/** The script ended before the line holding the body even began. */
export function markHereDocUnread(doc: HereDoc, at: number, source: SourceText): void {
  source.report('unterminated-here-doc', `Here-document '${doc.delimiter}' has no body`, at, at);
  finishBody(doc, at, at, source);
}

function finishBody(doc: HereDoc, start: number, end: number, source: SourceText): void {
  const body = source.text.slice(start, end);
  doc.text = doc.stripTabs ? body.replace(/^\t+/gm, '') : body;
  doc.range = source.range(start, end);
  doc.docRange = source.session.documentRange(doc.range);
}

function isDelimiterLine(line: string, doc: HereDoc): boolean {
  let candidate = doc.stripTabs ? line.replace(/^\t+/, '') : line;
  // Tolerate CRLF line endings, which the shell itself would not.
  if (candidate.endsWith('\r')) candidate = candidate.slice(0, -1);
  return candidate === doc.delimiter;
}

/** Quote removal without expansion, as the shell applies to a here-doc delimiter. */
export function removeQuotes(raw: string): string {
  let out = '';
  let quote: '' | "'" | '"' = '';
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    if (quote === "'") {
      if (char === "'") quote = '';
      else out += char;
    } else if (char === '\\' && index + 1 < raw.length && (quote === '' || '$`"\\'.includes(raw[index + 1]!))) {
      out += raw[++index];
    } else if (char === quote) {
      quote = '';
    } else if (quote === '' && (char === "'" || char === '"')) {
      quote = char;
    } else {
      out += char;
    }
  }
  return out;
}
