/**
 * Results cached on the object they are about (a node, a parse, a project),
 * in its `memo` slots, instead of in a WeakMap beside it. V8's young-generation
 * collector keeps every WeakMap value alive whatever its key: after each
 * keystroke the caches gained entries for the version's new objects (the
 * edited service, the rebuilt root, the parse, the project), and every one of
 * them since the last collection survived it, was promoted and waited for a
 * full collection — about half of a small file's keystroke went to that. A
 * slot on the object dies with it.
 *
 * Each cache owns one slot (an index into the object's `memo` array); a value
 * is kept exactly as long as the object, as with a WeakMap keyed by identity.
 */

/** An object that can carry cached results: every compose node, parse and project has the slot (undefined until something is cached). */
export interface Memoized {
  /** @internal Cached results, one index per `MemoSlot`. */
  memo?: unknown[] | undefined;
}

let slotCount = 0;

/** One cache: a value per object. */
export class MemoSlot<T> {
  private readonly index = slotCount++;

  get(owner: Memoized): T | undefined {
    const memo = owner.memo;
    return memo === undefined ? undefined : (memo[this.index] as T | undefined);
  }

  set(owner: Memoized, value: T): T {
    // Every slot is made at module load, so the array is made at its full length once.
    const memo = (owner.memo ??= new Array<unknown>(slotCount).fill(undefined));
    memo[this.index] = value;
    return value;
  }

  /** The value for `owner`, read by `read` the first time it is asked (a result of undefined is kept too). */
  cached<O extends Memoized>(owner: O, read: (owner: O) => T | undefined): T | undefined {
    const known = this.get(owner);
    if (known !== undefined) return known === NOTHING ? undefined : known;
    const value = read(owner);
    this.set(owner, value === undefined ? (NOTHING as T) : value);
    return value;
  }
}

/** What `cached` keeps for an owner whose value is undefined, so that it is not read again. */
const NOTHING: unknown = Symbol('nothing');
