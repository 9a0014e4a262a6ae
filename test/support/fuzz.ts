/**
 * Seeded random input for the fuzz tests: a small PRNG, the run's size and
 * seed from the environment, and text mutators built from a few kinds of edit.
 * Everything is deterministic for a seed, so a failure names an input that
 * reproduces it.
 */

/** A source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many inputs to try: `BERTH_FUZZ_ITERATIONS` (set by `npm run fuzz` for a long run), else the suite's own number. */
export function fuzzIterations(fallback: number, variable = 'BERTH_FUZZ_ITERATIONS'): number {
  return Number(process.env[variable] ?? fallback);
}

/** The seed: `BERTH_FUZZ_SEED` (to replay or vary a run), else the suite's own. */
export function fuzzSeed(fallback: number): number {
  return Number(process.env.BERTH_FUZZ_SEED ?? fallback);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One edit of `text` at offset `at` (0 to its length). */
export type Edit = (random: Random, text: string, at: number) => string;

/** Inserts one of `fragments`. */
export function insertOneOf(fragments: readonly string[]): Edit {
  return (random, text, at) => text.slice(0, at) + pick(random, fragments) + text.slice(at);
}

/** Removes 1 to `max` characters. */
export function removeUpTo(max: number): Edit {
  return (random, text, at) => text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * max));
}

/** Inserts a copy of 1 to `max` characters taken from elsewhere in the text. */
export function copyUpTo(max: number): Edit {
  return (random, text, at) => {
    const from = Math.floor(random() * text.length);
    return text.slice(0, at) + text.slice(from, from + 1 + Math.floor(random() * max)) + text.slice(at);
  };
}

/** Inserts one UTF-16 code unit below `limit` (control characters, letters of every script, lone surrogates...). */
export function insertCodeUnitBelow(limit: number): Edit {
  return (random, text, at) => text.slice(0, at) + String.fromCharCode(Math.floor(random() * limit)) + text.slice(at);
}

/**
 * A mutator applying 1 to `maxEdits` random edits. `edits` lists each kind of
 * edit with the share of the draws below which it is chosen (cumulative, in
 * order; the last kind takes whatever is left).
 */
export function mutator(maxEdits: number, edits: ReadonlyArray<readonly [below: number, edit: Edit]>): (random: Random, text: string) => string {
  return (random, text) => {
    let result = text;
    const count = 1 + Math.floor(random() * maxEdits);
    for (let i = 0; i < count; i++) {
      const at = Math.floor(random() * (result.length + 1));
      const choice = random();
      const kind = edits.find(([below], index) => choice < below || index === edits.length - 1)!;
      result = kind[1](random, result, at);
    }
    return result;
  };
}

/** Up to `maxLength` characters, each made by `character` (a UTF-16 code unit). */
export function randomText(random: Random, maxLength: number, character: (random: Random) => number): string {
  const length = Math.floor(random() * maxLength);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(character(random));
  return out;
}
