/** The text without one quote character at its start and one at its end (`"KEY"` → `KEY`), as `/^["']|["']$/g` removes them. */
export function stripQuotes(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const start = first === 0x22 || first === 0x27 ? 1 : 0;
  const end = text.length > start && (last === 0x22 || last === 0x27) ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
