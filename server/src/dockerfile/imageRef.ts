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

/** The name grammar of Docker's image references (distribution's reference package), anchored. */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^((?:${HOST}(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
/** Hex digits per digest algorithm Docker knows. */
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_MAX_LENGTH = 255;

/**
 * Why Docker refuses `reference` as an image to pull (the reason after "invalid
 * reference format" and the like, as `docker pull` words it), or undefined when it
 * accepts it. Takes the value after variable expansion.
 */
export function imageReferenceError(reference: string): string | undefined {
  if (reference === '') return 'an image name cannot be empty';
  if (/^[a-f0-9]{64}$/.test(reference)) return 'an image name cannot be a 64-character hexadecimal string (that is an image ID)';
  const at = reference.indexOf('@');
  const withoutDigest = at < 0 ? reference : reference.slice(0, at);
  const slash = withoutDigest.indexOf('/');
  // The first component is a registry when it has a `.` or `:`, or is localhost; the rest must be lower case.
  const first = slash < 0 ? '' : withoutDigest.slice(0, slash);
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const tagColon = withoutDigest.lastIndexOf(':');
  const nameEnd = tagColon > withoutDigest.lastIndexOf('/') ? tagColon : withoutDigest.length;
  const repository = withoutDigest.slice(hasDomain ? slash + 1 : 0, nameEnd);
  if (repository !== repository.toLowerCase()) return 'invalid reference format: repository name must be lowercase';
  const match = REFERENCE.exec(reference);
  if (!match) return 'invalid reference format';
  if (match[1]!.length > NAME_MAX_LENGTH) return `invalid reference format: repository name must not be more than ${NAME_MAX_LENGTH} characters`;
  return match[3] === undefined ? undefined : digestError(match[3]);
}

/** Why Docker refuses `digest` (`algorithm:hex`, as in an image reference or `ADD --checksum`), or undefined. */
export function digestError(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return 'invalid checksum digest format: write algorithm:hex, such as sha256: and 64 hexadecimal digits';
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_LENGTHS[algorithm];
  if (length === undefined) return `unsupported digest algorithm ${algorithm}`;
  if (!/^[0-9a-f]*$/.test(hex)) return 'invalid checksum digest format: use lower-case hexadecimal digits';
  if (hex.length !== length) return `invalid checksum digest length: ${algorithm} takes ${length} hexadecimal digits, not ${hex.length}`;
  return undefined;
}
