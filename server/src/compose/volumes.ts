/**
 * The short syntax of service volumes as compose reads it
 * (`[source:]target[:options]`, with Windows drive letters kept in paths):
 * a source starting with `.`, `/`, `~`, `\\` or a drive letter is a host path
 * (a bind mount); any other source names a volume; no source at all is an
 * anonymous volume.
 */

import { detached } from './detached';

export interface VolumeSpec {
  type: 'bind' | 'volume';
  /** '' for an anonymous volume. */
  source: string;
  target: string;
  options: string[];
}

function isLetter(ch: string | undefined): boolean {
  if (ch === undefined || ch === '') return false;
  const c = ch.charCodeAt(0);
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  return c >= 0x80 && /^\p{L}$/u.test(ch);
}

/** A host path rather than a volume name. */
export function isHostPath(source: string): boolean {
  if (source === '') return false;
  const c = source[0];
  if (c === '.' || c === '/' || c === '~') return true;
  if (source.startsWith('\\\\')) return true;
  const first = String.fromCodePoint(source.codePointAt(0)!);
  return source.length > first.length && isLetter(first) && source[first.length] === ':';
}

/**
 * Specs read so far: the same few strings are read for every service (by the
 * merge and the checks) after every keystroke. Results are shared, so they
 * are frozen. Bounded: forgotten all at once past `SPECS_KEPT`.
 */
const specs = new Map<string, Readonly<VolumeSpec> | Readonly<{ error: string }>>();
const SPECS_KEPT = 4096;

/** A volume's short syntax read; the result is shared between callers and must not be changed. */
export function parseVolumeSpec(spec: string): Readonly<VolumeSpec> | Readonly<{ error: string }> {
  let parsed = specs.get(spec);
  if (parsed === undefined) {
    // Kept past this version: key and parts must not point into its text.
    const own = detached(spec);
    parsed = readVolumeSpec(own);
    Object.freeze(parsed);
    if ('options' in parsed) Object.freeze(parsed.options);
    if (specs.size >= SPECS_KEPT) specs.clear();
    specs.set(own, parsed);
  }
  return parsed;
}

function readVolumeSpec(spec: string): VolumeSpec | { error: string } {
  if (spec.length === 0) return { error: 'empty volume' };
  if (spec.length <= 2 || (spec.length <= 4 && [...spec].length <= 2)) return { type: 'volume', source: '', target: spec, options: [] };
  // Split at colons, except the one after a drive letter starting a field (`C:\\data`).
  const fields: string[] = [];
  let start = 0;
  let at = 0;
  while (at <= spec.length) {
    const colon = spec.indexOf(':', at);
    const end = colon < 0 ? spec.length : colon;
    if (colon >= 0 && end - start === 1 && isLetter(spec[start])) {
      at = colon + 1;
      continue;
    }
    if (colon >= 0 && end - start === 2 && isLetter(spec.slice(start, end)) && spec.charCodeAt(start) >= 0xd800 && spec.charCodeAt(start) <= 0xdbff) {
      at = colon + 1;
      continue;
    }
    if (end === start) return { error: 'empty section between colons' };
    if (colon >= 0 && fields.length >= 2) return { error: 'too many colons' };
    fields.push(spec.slice(start, end));
    if (colon < 0) break;
    start = at = colon + 1;
  }
  if (fields.length === 1) return { type: 'volume', source: '', target: fields[0]!, options: [] };
  const source = fields[0]!;
  return { type: isHostPath(source) ? 'bind' : 'volume', source, target: fields[1]!, options: fields[2] ? fields[2].split(',') : [] };
}
