/**
 * What a user types when running an image, checked before anything is sent:
 * environment variables (`KEY=value`, separated by spaces; quotes keep spaces
 * in a value) and volumes (`source:target[:ro|rw]`).
 */

/** Splits on spaces outside single or double quotes, dropping the quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started || current) words.push(current);
      current = '';
      started = false;
    } else current += char;
  }
  if (quote) throw new Error(`a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (started || current) words.push(current);
  return words;
}

/** `KEY=value` words; an error names the first word that is not one. */
export function parseEnvironment(text: string): string[] {
  const words = splitWords(text);
  const bad = words.find((word) => !/^[A-Za-z_][A-Za-z0-9_.-]*=/.test(word));
  if (bad !== undefined) throw new Error(`"${bad}" is not KEY=value (a name of letters, digits and _, then =)`);
  return words;
}

/** `source:target[:ro|rw]` words, the target absolute; an error names the first word that is not one. */
export function parseVolumes(text: string): string[] {
  const words = splitWords(text);
  for (const word of words) {
    const parts = word.split(':');
    const [source, target, mode] = parts;
    if (parts.length < 2 || parts.length > 3 || !source || !target) throw new Error(`"${word}" is not source:target[:ro] (a volume name or host path, then a path in the container)`);
    if (!target.startsWith('/')) throw new Error(`"${word}": the path in the container must be absolute (start with /)`);
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new Error(`"${word}": the mode must be ro or rw, not "${mode}"`);
  }
  return words;
}
