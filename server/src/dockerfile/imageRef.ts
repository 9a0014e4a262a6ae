/**
 * Splits an image reference `name[:tag][@digest]` into parts. A `:` only
 * starts a tag after the last `/` (so `localhost:5000/img` has no tag), and
 * characters inside `${...}` never split (so `${IMAGE:-alpine}` stays whole).
 */

export interface ImageReferenceParts {
  /** Offsets relative to the reference string. */
  name: [number, number];
  tag?: [number, number];
  digest?: [number, number];
}

/** Last index in [0, end) of a character outside `${...}` that is `first` or `second` (char codes), or -1. */
function lastTopLevelIndex(reference: string, end: number, first: number, second: number): number {
  let found = -1;
  let braceDepth = 0;
  for (let i = 0; i < end; i++) {
    const code = reference.charCodeAt(i);
    if (code === 0x24 /* $ */ && reference.charCodeAt(i + 1) === 0x7b /* { */) {
      braceDepth++;
      i++;
    } else if (code === 0x7d /* } */ && braceDepth > 0) {
      braceDepth--;
    } else if (braceDepth === 0 && (code === first || code === second)) {
      found = i;
    }
  }
  return found;
}

export function splitImageReference(reference: string): ImageReferenceParts {
  const parts: ImageReferenceParts = { name: [0, reference.length] };
  let nameEnd = reference.length;
  const at = lastTopLevelIndex(reference, reference.length, 0x40 /* @ */, 0x40);
  if (at >= 0) {
    parts.digest = [at + 1, reference.length];
    nameEnd = at;
  }
  // A tag when the last top-level `:` comes after the last `/`.
  const colonOrSlash = lastTopLevelIndex(reference, nameEnd, 0x3a /* : */, 0x2f /* / */);
  if (colonOrSlash >= 0 && reference.charCodeAt(colonOrSlash) === 0x3a) {
    parts.tag = [colonOrSlash + 1, nameEnd];
    nameEnd = colonOrSlash;
  }
  parts.name = [0, nameEnd];
  return parts;
}
