/**
 * Where the `--mount` field starting at `start` ends in text[.., end): fields
 * are separated by commas, and a comma inside quotes does not split. Read in
 * place, field by field, with no list of them made.
 */
export function mountFieldEnd(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2c /* , */) return i;
    if (code === 0x22 /* " */ || code === 0x27 /* ' */) {
      const close = text.indexOf(code === 0x22 ? '"' : "'", i + 1);
      // An unclosed quote runs to the end.
      if (close < 0 || close >= end) return end;
      i = close;
    }
  }
  return end;
}
