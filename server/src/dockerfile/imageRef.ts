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

/** Last index of `char` outside `${...}` within [0, end), or -1. */
function lastTopLevelIndex(reference: string, chars: string, end: number): Record<string, number> {
  const found: Record<string, number> = {};
  for (const char of chars) found[char] = -1;
  let braceDepth = 0;
  for (let i = 0; i < end; i++) {
    const char = reference[i];
    if (char === '$' && reference[i + 1] === '{') {
      braceDepth++;
      i++;
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
    } else if (braceDepth === 0 && chars.includes(char)) {
      found[char] = i;
    }
  }
  return found;
}

export function splitImageReference(reference: string): ImageReferenceParts {
  const parts: ImageReferenceParts = { name: [0, reference.length] };
  let nameEnd = reference.length;
  const at = lastTopLevelIndex(reference, '@', reference.length)['@'];
  if (at >= 0) {
    parts.digest = [at + 1, reference.length];
    nameEnd = at;
  }
  const found = lastTopLevelIndex(reference, '/:', nameEnd);
  if (found[':'] > found['/']) {
    parts.tag = [found[':'] + 1, nameEnd];
    nameEnd = found[':'];
  }
  parts.name = [0, nameEnd];
  return parts;
}
