/** Decoding of bash `$'...'` strings. */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

const OCTAL = /^[0-7]{1,3}/;
const HEX2 = /^[0-9a-fA-F]{1,2}/;
const HEX4 = /^[0-9a-fA-F]{1,4}/;
const HEX8 = /^[0-9a-fA-F]{1,8}/;

/** Decodes the body of `$'...'` (without the quotes). Unknown escapes stay as written. */
export function decodeAnsiC(body: string): string {
  let out = '';
  let index = 0;
  while (index < body.length) {
    const slash = body.indexOf('\\', index);
    if (slash < 0 || slash === body.length - 1) {
      out += body.slice(index);
      break;
    }
    out += body.slice(index, slash);
    const kind = body[slash + 1]!;
    const rest = body.slice(slash + 2, slash + 10);
    index = slash + 2;
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const numeric = decodeNumeric(kind, rest, body.slice(slash + 1, slash + 4));
    if (numeric) {
      out += numeric.text;
      index = slash + 1 + numeric.length;
      continue;
    }
    if (kind === 'c' && rest.length > 0) {
      out += String.fromCharCode(rest.charCodeAt(0) & 0x1f);
      index += 1;
      continue;
    }
    out += '\\' + kind;
  }
  return out;
}

/** `\nnn`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`: returns the text and how many characters after the backslash it used. */
function decodeNumeric(kind: string, afterKind: string, octalCandidate: string): { text: string; length: number } | undefined {
  const octal = OCTAL.exec(octalCandidate);
  if (octal) return { text: String.fromCharCode(parseInt(octal[0], 8) & 0xff), length: octal[0].length };
  const pattern = kind === 'x' ? HEX2 : kind === 'u' ? HEX4 : kind === 'U' ? HEX8 : undefined;
  if (!pattern) return undefined;
  const digits = pattern.exec(afterKind);
  if (!digits) return undefined;
  const code = parseInt(digits[0], 16);
  const text = code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  return { text, length: 1 + digits[0].length };
}
