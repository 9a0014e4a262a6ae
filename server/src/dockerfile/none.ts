/**
 * The one empty array every empty list of the syntax tree shares (an
 * instruction's flags, args, heredocs, comments, variables…), instead of an
 * array per field per instruction: most of them are empty. Frozen, so code
 * that tried to add to one instruction's list (trees are never changed once
 * built; relocate.ts shares their parts too) would fail at once instead of
 * adding to every instruction's.
 */
export const NONE = Object.freeze([]) as never[];
