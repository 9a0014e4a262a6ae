/**
 * Where the `--mount` field starting at `start` ends in text[.., end): fields
 * are separated by commas, and a comma inside quotes does not split. Read in
 * place, field by field, with no list of them made.
 */
export function mountFieldEnd(text: string, start: number, end: number): number {
  let quote = '';
  for (let i = start; i < end; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ',') {
      return i;
    }
  }
  return end;
}
