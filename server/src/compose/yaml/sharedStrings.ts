/**
 * Short strings read out of a text, shared between every place and every
 * version that writes the same characters: a compose file repeats its keys
 * (`image`, `environment`, `condition`) and many values (`unless-stopped`,
 * `json-file`) once per service. Slicing each one out makes a new string every
 * time (V8 copies strings shorter than 13 characters rather than pointing into
 * the text), and the tree keeps them all; here the same characters give the
 * same string object, found without slicing: a hash of the characters, which
 * the reader computes while it scans them, picks one slot of a small table. A
 * string used as a property key also has its hash and internalized form
 * computed once rather than once per occurrence.
 *
 * Only strings of at most `SHARED_MAX` characters are shared: longer ones are
 * slices that point into the text (V8 does not copy them), and a table entry
 * must not keep an old text alive.
 */

import type { ScalarValue } from '../types';
import { resolvePlain } from './scalars';

/** Strings of at most this many characters are shared (V8 copies a slice shorter than 13 characters). */
const SHARED_MAX = 12;
const SLOTS = 4096;
const texts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
/** The plain scalar value of `texts[slot]` (`UNRESOLVED` until asked). */
const plains: unknown[] = new Array<unknown>(SLOTS).fill(undefined);
const UNRESOLVED: unknown = Symbol('unresolved');

/** The hash of a string with one more character: readers compute it while they scan (0 for the empty string). */
export function hashStep(hash: number, char: number): number {
  return (Math.imul(hash, 31) + char) | 0;
}

/** The slot holding exactly the characters text[start, end) (at most SHARED_MAX of them), whose hash is `hash`. */
function slotOf(text: string, start: number, end: number, hash: number): number {
  const slot = (hash ^ (hash >>> 12)) & (SLOTS - 1);
  const known = texts[slot];
  if (known !== undefined && known.length === end - start) {
    let i = 0;
    while (i < known.length && known.charCodeAt(i) === text.charCodeAt(start + i)) i++;
    if (i === known.length) return slot;
  }
  texts[slot] = text.slice(start, end);
  plains[slot] = UNRESOLVED;
  return slot;
}

/** text.slice(start, end), the same string object for the same short string; `hash` is the characters' (`hashStep`). */
export function sharedText(text: string, start: number, end: number, hash: number): string {
  if (end - start > SHARED_MAX) return text.slice(start, end);
  return texts[slotOf(text, start, end, hash)]!;
}

/** The value of the plain scalar text[start, end) (see `resolvePlain`), strings shared as `sharedText` does. */
export function sharedPlain(text: string, start: number, end: number, hash: number): ScalarValue {
  if (end - start > SHARED_MAX) return resolvePlain(text.slice(start, end));
  const slot = slotOf(text, start, end, hash);
  let value = plains[slot];
  if (value === UNRESOLVED) plains[slot] = value = resolvePlain(texts[slot]!);
  return value as ScalarValue;
}
