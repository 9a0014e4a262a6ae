// Docker's image reference grammar (distribution/reference, as the docker CLI
// and the engine read a name): [registry-host[:port]/]path[:tag][@digest].
// One reader for the client's Pull and Tag input boxes and the FROM rules.

// The grammar's pieces, shared by the part-by-part reader and the one expression of `isImageReference`.
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[[0-9a-fA-F:.]+\\]';
const PATH = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG_PATTERN = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DOMAIN_COMPONENT = new RegExp(`^${DOMAIN}$`);
const IPV6_HOST = new RegExp(`^${IPV6}$`);
const PATH_COMPONENT = new RegExp(`^${PATH}$`);
const TAG = new RegExp(`^${TAG_PATTERN}$`);
const NAME_MAX = 255;

export interface ReferenceRules {
  /** Whether `@sha256:…` may end the reference (a pull may name a digest; a new tag may not). */
  digest: boolean;
}

/**
 * What is wrong with `text` as an image reference, in words for an input box's
 * message; undefined when it is valid.
 */
export function imageReferenceProblem(text: string, rules: ReferenceRules = { digest: true }): string | undefined {
  const reference = text.trim();
  if (!reference) return 'an image reference is needed, e.g. nginx:1.27 or registry.example.com:5000/team/app';
  if (/\s/.test(reference)) return 'an image reference has no spaces';
  if (/^[a-f0-9]{64}$/.test(reference)) return 'a 64-character hexadecimal string is an image ID, not a reference';

  let rest = reference;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!rules.digest) return 'a digest (@…) cannot be given here: name a repository and optionally :tag';
    const digest = rest.slice(at + 1);
    const problem = digestError(digest);
    if (problem) return `the digest "${digest}": ${problem}`;
    rest = rest.slice(0, at);
  }

  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let name = rest;
  if (colon > lastSlash) {
    const tag = rest.slice(colon + 1);
    if (!tag) return 'the tag after ":" is empty';
    if (!TAG.test(tag)) return tag.length > 128 ? `the tag is ${tag.length} characters long; at most 128 are allowed` : `the tag "${tag}" may hold letters, digits, _ . and - only, and may not start with . or -`;
    name = rest.slice(0, colon);
  }
  if (!name) return 'the repository name is missing';
  if (name.length > NAME_MAX) return `the repository name is ${name.length} characters long; at most ${NAME_MAX} are allowed`;

  const components = name.split('/');
  const first = components[0]!;
  // As Docker reads it, the first component is a registry when it has a dot or a port, or is localhost.
  if (components.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    const problem = registryProblem(first);
    if (problem) return problem;
    components.shift();
  }
  for (const component of components) {
    if (!component) return `the repository path "${name}" has an empty part (two slashes, or a slash at an end)`;
    if (component !== component.toLowerCase()) return `the repository path must be lowercase: "${component}"`;
    if (!PATH_COMPONENT.test(component)) return `"${component}" in the repository path may hold lowercase letters and digits, joined by single . or _, __, or dashes`;
  }
  return undefined;
}

/** The grammar as one anchored expression: a registry host may use capitals, the path may not. */
const REFERENCE = new RegExp(`^(?:(?:${DOMAIN}(?:\\.${DOMAIN})*|${IPV6})(?::[0-9]{1,5})?/)?${PATH}(?:/${PATH})*(?::${TAG_PATTERN})?(?:@([a-z0-9]+:[0-9a-f]+))?$`);

/**
 * Whether Docker accepts `reference` as it is (no spaces around it): `imageReferenceProblem(reference)
 * === undefined`, at the cost of one regular expression for the usual valid name (rules ask this of
 * every FROM), the words of the problem being worked out only for a name that has one.
 */
export function isImageReference(reference: string): boolean {
  const match = REFERENCE.exec(reference);
  if (match === null) return false;
  if (match[1] !== undefined && digestError(match[1]) !== undefined) return false;
  // Only names this long can pass the limit, and only names that look like image IDs are refused as such.
  return reference.length < 64 || imageReferenceProblem(reference) === undefined;
}

/** A valid reference split into repository (with registry) and tag, for a Tag Image call. */
export function splitRepositoryTag(reference: string): { repository: string; tag?: string } {
  const value = reference.trim();
  const colon = value.lastIndexOf(':');
  return colon > value.lastIndexOf('/') ? { repository: value.slice(0, colon), tag: value.slice(colon + 1) } : { repository: value };
}

function registryProblem(registry: string): string | undefined {
  const portAt = registry.startsWith('[') ? registry.indexOf(']:') + 1 : registry.lastIndexOf(':');
  const host = portAt > 0 ? registry.slice(0, portAt) : registry;
  const port = portAt > 0 ? registry.slice(portAt + 1) : undefined;
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return `the registry port "${port}" must be a number`;
  if (IPV6_HOST.test(host)) return undefined;
  if (!host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) return `the registry host "${host}" may hold letters, digits and inner dashes, separated by dots`;
  return undefined;
}

/** Hex digits per digest algorithm Docker knows. */
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why Docker refuses `digest` (`algorithm:hex`, as in an image reference or `ADD --checksum`), or undefined. */
export function digestError(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return 'write it as algorithm:hex, such as sha256: and 64 lowercase hexadecimal digits';
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_LENGTHS[algorithm];
  if (length === undefined) return `${algorithm} is not a digest algorithm Docker knows: use sha256, sha384 or sha512`;
  if (!/^[0-9a-f]*$/.test(hex)) return 'the digest takes lowercase hexadecimal digits only';
  if (hex.length !== length) return `${algorithm} takes ${length} hexadecimal digits, not ${hex.length}`;
  return undefined;
}
