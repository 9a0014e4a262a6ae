import { parseComposeFile, type ParsedComposeFile } from './parse';

/**
 * Other files of a project (an override or included file) are read on every
 * keystroke in the main file; they are parsed again only when their text
 * changed. Shared by diagnostics and editing features, so each such file is
 * parsed once per text however many features load the project.
 */
const parsedByPath = new Map<string, ParsedComposeFile>();
const FILES_KEPT = 64;

export function parseComposeFileCached(path: string, text: string): ParsedComposeFile {
  const known = parsedByPath.get(path);
  if (known && known.text === text) return known;
  const parsed = parseComposeFile(text, path);
  parsedByPath.delete(path);
  if (parsedByPath.size >= FILES_KEPT) parsedByPath.delete(parsedByPath.keys().next().value!);
  parsedByPath.set(path, parsed);
  return parsed;
}
