/**
 * Heredocs in RUN, COPY and ADD (and ONBUILD of those), BuildKit style:
 * - the whole logical instruction line is split into raw shell words (always
 *   with `\` as escape); every word matching `^(\d*)<<(-?)([^<]*)$` with a
 *   non-empty rest is a heredoc marker, so `cat<<EOF` and `"<<EOF"` are not;
 * - the delimiter is the rest with quotes removed; if quotes were removed the
 *   body is not expanded (`<<"EOF"`, `<<'EOF'`, even `<<E"O"F`);
 * - bodies follow the instruction's last line, one after another in marker
 *   order; a body ends at a line equal to the delimiter (after dropping
 *   trailing `\r`, and leading tabs for `<<-`); nothing in a body is treated
 *   as a comment, directive or continuation.
 */

import type { PhysicalLines } from './physicalLines';
import { splitRawShellWords } from './words';

export interface HeredocMarker {
  wordStart: number;
  wordEnd: number;
  /** Where the delimiter as written starts (after `<<` / `<<-`). */
  delimiterStart: number;
  fileDescriptor?: number;
  stripLeadingTabs: boolean;
  name: string;
  quoted: boolean;
}

export interface HeredocMarkerScan {
  markers: HeredocMarker[];
  invalid: Array<{ start: number; end: number; message: string }>;
}

const MARKER_PATTERN = /^(\d*)<<(-?)([^<]*)$/;

export function findHeredocMarkers(text: string, start: number, end: number): HeredocMarkerScan {
  const result: HeredocMarkerScan = { markers: [], invalid: [] };
  const words = splitRawShellWords(text, start, end);
  if (!words) return result;
  for (const [wordStart, wordEnd] of words) {
    // Cheap pre-check before the regular expression: digits then "<<".
    let digitsEnd = wordStart;
    while (digitsEnd < wordEnd && text.charCodeAt(digitsEnd) >= 0x30 && text.charCodeAt(digitsEnd) <= 0x39) digitsEnd++;
    if (!text.startsWith('<<', digitsEnd) || digitsEnd + 2 > wordEnd) continue;
    const match = MARKER_PATTERN.exec(text.slice(wordStart, wordEnd));
    if (!match || match[3].length === 0) continue;
    const delimiterStart = wordEnd - match[3].length;
    const unquoted = unquoteDelimiter(match[3]);
    if (unquoted === undefined) {
      result.invalid.push({ start: wordStart, end: wordEnd, message: `invalid heredoc delimiter '${match[3]}'` });
      continue;
    }
    // BuildKit would accept an empty delimiter (`<<""`) and end the body at the
    // first empty line; that is never what was meant, so it is not a heredoc here.
    if (unquoted.name.length === 0) continue;
    const marker: HeredocMarker = {
      wordStart,
      wordEnd,
      delimiterStart,
      stripLeadingTabs: match[2] === '-',
      name: unquoted.name,
      quoted: unquoted.quoted,
    };
    if (match[1].length > 0) marker.fileDescriptor = Number.parseInt(match[1], 10);
    result.markers.push(marker);
  }
  return result;
}

/**
 * Removes shell quoting from a delimiter: '...' literal, "..." with `\"`, `\$`
 * and `\\` escapes, `\x` outside quotes. Undefined when a quote is left open.
 */
function unquoteDelimiter(raw: string): { name: string; quoted: boolean } | undefined {
  let name = '';
  let quoted = false;
  let pos = 0;
  while (pos < raw.length) {
    const char = raw[pos];
    if (char === "'") {
      const close = raw.indexOf("'", pos + 1);
      if (close < 0) return undefined;
      name += raw.slice(pos + 1, close);
      quoted = true;
      pos = close + 1;
    } else if (char === '"') {
      pos++;
      let closed = false;
      while (pos < raw.length) {
        const inner = raw[pos];
        if (inner === '"') {
          closed = true;
          pos++;
          break;
        }
        if (inner === '\\' && pos + 1 < raw.length && '"$\\'.includes(raw[pos + 1])) {
          name += raw[pos + 1];
          pos += 2;
          continue;
        }
        name += inner;
        pos++;
      }
      if (!closed) return undefined;
      quoted = true;
    } else if (char === '\\') {
      if (pos + 1 < raw.length) name += raw[pos + 1];
      pos += 2;
    } else {
      name += char;
      pos++;
    }
  }
  return { name, quoted };
}

export interface HeredocBody {
  bodyStart: number;
  bodyEnd: number;
  terminatorStart?: number;
  terminatorEnd?: number;
  content: string;
  /** Index of the first physical line after the body (and its terminator). */
  nextLine: number;
}

/** Reads a heredoc body starting at physical line `line`. */
export function readHeredocBody(
  text: string,
  lines: PhysicalLines,
  line: number,
  name: string,
  stripLeadingTabs: boolean,
): HeredocBody {
  const bodyStart = line < lines.count ? lines.starts[line] : text.length;
  while (line < lines.count) {
    const lineStart = lines.starts[line];
    const contentEnd = lines.contentEnds[line];
    let candidateStart = lineStart;
    if (stripLeadingTabs) {
      while (candidateStart < contentEnd && text.charCodeAt(candidateStart) === 0x09) candidateStart++;
    }
    if (contentEnd - candidateStart === name.length && text.startsWith(name, candidateStart)) {
      return {
        bodyStart,
        bodyEnd: lineStart,
        terminatorStart: lineStart,
        terminatorEnd: contentEnd,
        content: bodyContent(text.slice(bodyStart, lineStart), stripLeadingTabs),
        nextLine: line + 1,
      };
    }
    line++;
  }
  return {
    bodyStart,
    bodyEnd: text.length,
    content: bodyContent(text.slice(bodyStart), stripLeadingTabs),
    nextLine: line,
  };
}

function bodyContent(raw: string, stripLeadingTabs: boolean): string {
  // Go's (?m)^ only anchors after "\n", so split there rather than use JS's /m.
  if (!stripLeadingTabs) return raw;
  return raw
    .split('\n')
    .map((line) => line.replace(/^\t+/, ''))
    .join('\n');
}
