/**
 * A string with the characters of `text` that keeps nothing else alive. V8
 * makes a slice of 13 characters or more a view into the string it was cut
 * from, so a cache keyed by a value read out of a compose file (or holding
 * parts cut from it) keeps that version's whole text; after a keystroke in
 * such a value, every version typed would stay in memory. Joining the text to
 * another string and slicing that copies its characters into a string of
 * their own.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
