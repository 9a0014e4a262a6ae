/** Facts about words that both the parser and the query helpers need. */
import type { Argument, Word, WordPart } from './ast';
import { isParsedWord } from './parsedWord';

/** The word's value when no part depends on run time (see `Word.value`). */
export function staticValue(parts: readonly WordPart[]): string | undefined {
  let value = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
      case 'single-quoted':
      case 'ansi-c-quoted':
        value += part.text;
        break;
      case 'double-quoted': {
        const inner = staticValue(part.parts);
        if (inner === undefined) return undefined;
        value += inner;
        break;
      }
      default:
        return undefined;
    }
  }
  return value;
}

/** The statically known text before the first expansion (`--name=$X` → `--name=`). */
export function staticPrefix(parts: readonly WordPart[]): string {
  return collectPrefix(parts).text;
}

function collectPrefix(parts: readonly WordPart[]): { text: string; complete: boolean } {
  let text = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
      case 'single-quoted':
      case 'ansi-c-quoted':
        text += part.text;
        break;
      case 'double-quoted': {
        const inner = collectPrefix(part.parts);
        text += inner.text;
        if (!inner.complete) return { text, complete: false };
        break;
      }
      default:
        return { text, complete: false };
    }
  }
  return { text, complete: true };
}

/** Whether a word, taken on its own, has option syntax (`-x`, `--x`, `-$V`; not `-`). */
export function looksLikeFlag(word: Word): boolean {
  const value = word.value;
  if (value !== undefined) return value.length > 1 && value.charCodeAt(0) === 45;
  return prefixStart(word.parts) === 45;
}

/**
 * `staticPrefix(parts).charCodeAt(0)` without building the prefix: the first
 * static character's code; -1 when an expansion comes first, -2 (for the
 * recursion) when the parts are static and empty.
 */
function prefixStart(parts: readonly WordPart[]): number {
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
      case 'single-quoted':
      case 'ansi-c-quoted':
        if (part.text.length > 0) return part.text.charCodeAt(0);
        break;
      case 'double-quoted': {
        const inner = prefixStart(part.parts);
        if (inner !== -2) return inner;
        break;
      }
      default:
        return -1;
    }
  }
  return -2;
}

/** Attaches `isFlag` to argument words (as copies); nothing after a `--` is a flag. */
export function toArguments(words: readonly Word[]): Argument[] {
  let optionsEnded = false;
  return words.map((word) => {
    const isFlag = !optionsEnded && looksLikeFlag(word);
    if (isFlag && word.value === '--') optionsEnded = true;
    if (isParsedWord(word)) return word.asArgument(isFlag);
    return { raw: word.raw, value: word.value, quoted: word.quoted, parts: word.parts, range: word.range, docRange: word.docRange, isFlag };
  });
}
