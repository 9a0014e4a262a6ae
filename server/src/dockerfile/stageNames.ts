/**
 * What Docker accepts as a build stage's name. Names are compared in any
 * case; rules, rename and the casing check must agree on which names are
 * valid, or one problem gets advice that leads to another.
 */

const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const RESERVED_STAGE_NAMES = new Set(['context', 'scratch']);

/** A letter, then letters, digits, `-`, `_` and `.` (never a variable: stage names are not expanded). */
export function isValidStageName(name: string): boolean {
  return VALID_STAGE_NAME.test(name.toLowerCase());
}

/** `scratch` (the empty image) and `context` (the build context), which a stage reference could not tell apart from a stage. */
export function isReservedStageName(name: string): boolean {
  return RESERVED_STAGE_NAMES.has(name.toLowerCase());
}
