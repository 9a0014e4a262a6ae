/**
 * The JSON exec form (`["executable", "arg"]`).
 *
 * Docker decodes the arguments with Go's encoding/json when they start with
 * `[`. Outcomes, mirrored here:
 * - a well-formed array of strings: exec form. Text after the closing `]`
 *   makes the whole JSON invalid (BuildKit moved from json.Decoder, which
 *   stopped after the first value, to json.Unmarshal in 2024), so Docker
 *   falls back to the shell form; this scanner stops at the `]` and the
 *   caller (instructionArgs.ts) checks what follows;
 * - malformed JSON (`['a']`, missing `]`, trailing comma...): Docker silently
 *   falls back to the shell form; we keep what was read so a rule can warn;
 * - well-formed JSON holding a non-string: Docker fails the build.
 * Element ranges include the quotes; values are decoded.
 */

const MAX_DEPTH = 10000; // Go's decoder refuses deeper nesting

export interface JsonStringElement {
  start: number;
  end: number;
  value: string;
}

export interface JsonArrayScan {
  valid: boolean;
  elements: JsonStringElement[];
  /** Index after the closing `]`, or where reading stopped. */
  end: number;
  error?: string;
  errorStart?: number;
  errorEnd?: number;
  nonStringElement: boolean;
}

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

/** Reads a JSON array starting at `text[start] === '['`, never past `end`. */
export function scanJsonArray(text: string, start: number, end: number): JsonArrayScan {
  const reader = new JsonReader(text, end);
  const elements: JsonStringElement[] = [];
  let nonString = false;
  reader.pos = start + 1;
  try {
    reader.skipWhitespace();
    if (reader.peek() === 0x5d /* ] */) {
      reader.pos++;
      return { valid: true, elements, end: reader.pos, nonStringElement: false };
    }
    for (;;) {
      reader.skipWhitespace();
      if (reader.peek() === 0x22) {
        const elementStart = reader.pos;
        const value = reader.readString();
        elements.push({ start: elementStart, end: reader.pos, value });
      } else {
        reader.skipValue();
        nonString = true;
      }
      reader.skipWhitespace();
      const next = reader.peek();
      if (next === 0x2c /* , */) {
        reader.pos++;
        continue;
      }
      if (next === 0x5d) {
        reader.pos++;
        break;
      }
      throw reader.error(next < 0 ? 'unexpected end of JSON input' : "expected ',' or ']' after array element");
    }
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = Math.min(error.position, end);
    return {
      valid: false,
      elements,
      end: at,
      error: error.message,
      errorStart: at,
      errorEnd: Math.min(at + 1, end),
      nonStringElement: false,
    };
  }
  if (nonString) {
    return {
      valid: false,
      elements,
      end: reader.pos,
      error: 'when using JSON array syntax, arrays must be comprised of strings only',
      nonStringElement: true,
    };
  }
  return { valid: true, elements, end: reader.pos, nonStringElement: false };
}

class JsonReader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly end: number,
  ) {}

  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  error(message: string): JsonSyntaxError {
    return new JsonSyntaxError(message, this.pos);
  }

  skipWhitespace(): void {
    while (this.pos < this.end) {
      const code = this.text.charCodeAt(this.pos);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
      this.pos++;
    }
  }

  /** Reads a string at `"`, returning its decoded value. */
  readString(): string {
    this.pos++; // opening quote
    let value = '';
    let runStart = this.pos;
    while (this.pos < this.end) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        value += this.text.slice(runStart, this.pos);
        this.pos++;
        return value;
      }
      if (code < 0x20) throw this.error('invalid character in string literal');
      if (code !== 0x5c) {
        this.pos++;
        continue;
      }
      value += this.text.slice(runStart, this.pos);
      value += this.readEscape();
      runStart = this.pos;
    }
    throw this.error('unexpected end of JSON input');
  }

  private readEscape(): string {
    this.pos++; // backslash
    if (this.pos >= this.end) throw this.error('unexpected end of JSON input');
    const code = this.text.charCodeAt(this.pos++);
    switch (code) {
      case 0x22: return '"';
      case 0x5c: return '\\';
      case 0x2f: return '/';
      case 0x62: return '\b';
      case 0x66: return '\f';
      case 0x6e: return '\n';
      case 0x72: return '\r';
      case 0x74: return '\t';
      case 0x75: {
        const unit = this.readHex4();
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate only stands if a \u low surrogate follows (Go replaces lone ones).
          if (this.text.startsWith('\\u', this.pos) && this.pos + 6 <= this.end) {
            const save = this.pos;
            this.pos += 2;
            const low = this.readHex4();
            if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(unit, low);
            this.pos = save;
          }
          return '\ufffd';
        }
        if (unit >= 0xdc00 && unit <= 0xdfff) return '\ufffd';
        return String.fromCharCode(unit);
      }
      default:
        this.pos--;
        throw this.error('invalid escape in string literal');
    }
  }

  private readHex4(): number {
    if (this.pos + 4 > this.end) throw this.error('unexpected end of JSON input');
    const hex = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('invalid \\u escape in string literal');
    this.pos += 4;
    return parseInt(hex, 16);
  }

  /** Skips any JSON value; iterative so that deep nesting cannot overflow the stack. */
  skipValue(): void {
    // Stack of open containers: 0x5d for arrays, 0x7d for objects.
    const stack: number[] = [];
    for (;;) {
      this.skipWhitespace();
      const code = this.peek();
      if (code === 0x5b || code === 0x7b) {
        if (stack.length + 2 > MAX_DEPTH) throw this.error('exceeded max depth');
        this.pos++;
        const close = code === 0x5b ? 0x5d : 0x7d;
        stack.push(close);
        this.skipWhitespace();
        if (this.peek() === close) {
          this.pos++;
          stack.pop();
        } else {
          if (close === 0x7d) this.readMemberName();
          continue;
        }
      } else if (code === 0x22) {
        this.readString();
      } else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
        this.skipNumber();
      } else if (code === 0x74) {
        this.expectLiteral('true');
      } else if (code === 0x66) {
        this.expectLiteral('false');
      } else if (code === 0x6e) {
        this.expectLiteral('null');
      } else {
        throw this.error(code < 0 ? 'unexpected end of JSON input' : 'invalid character looking for beginning of value');
      }
      // A value is complete: close containers or move to the next element.
      for (;;) {
        if (stack.length === 0) return;
        this.skipWhitespace();
        const next = this.peek();
        const close = stack[stack.length - 1];
        if (next === 0x2c) {
          this.pos++;
          if (close === 0x7d) {
            this.skipWhitespace();
            this.readMemberName();
          }
          break;
        }
        if (next === close) {
          this.pos++;
          stack.pop();
          continue;
        }
        throw this.error(next < 0 ? 'unexpected end of JSON input' : 'invalid character after value');
      }
    }
  }

  private readMemberName(): void {
    if (this.peek() !== 0x22) throw this.error('invalid character looking for beginning of object key string');
    this.readString();
    this.skipWhitespace();
    if (this.peek() !== 0x3a /* : */) throw this.error("invalid character after object key");
    this.pos++;
  }

  private skipNumber(): void {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found || found[0].length === 0 || this.pos + found[0].length > this.end || found[0] === '-') {
      throw this.error('invalid number literal');
    }
    this.pos += found[0].length;
  }

  private expectLiteral(literal: string): void {
    if (this.pos + literal.length > this.end || !this.text.startsWith(literal, this.pos)) {
      throw this.error('invalid literal');
    }
    this.pos += literal.length;
  }
}
