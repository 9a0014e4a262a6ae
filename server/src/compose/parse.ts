/**
 * `parseComposeFile`: a compose file's text → its YAML documents as
 * `ComposeNode` trees with ranges, plus `yaml-syntax` and `duplicate-key`
 * findings. Independent of the environment (interpolation happens when a
 * project is loaded), so one parse per text version can be shared.
 *
 * The fast block-YAML reader handles ordinary files; anything else (and every
 * text with a syntax error) goes through the `yaml` package, which is fault
 * tolerant: a file with errors still yields the tree around them.
 */

import type { AnchorMark, ComposeFinding, ComposeNode } from './types';
import { fastReadYaml, type FastReadResult } from './yaml/fastReader';
import { libraryReadYaml } from './yaml/libraryReader';

export interface ComposeDocument {
  /** The document's root after aliases and merge keys; undefined for an empty document. */
  root: ComposeNode | undefined;
}

export interface ParsedComposeFile {
  /** The name given to `parseComposeFile` (a path or URI); every node's `file`. */
  file: string;
  text: string;
  documents: ComposeDocument[];
  /** `yaml-syntax` and `duplicate-key` findings, in `file`. */
  problems: ComposeFinding[];
  /** Anchors (`&name`) and aliases (`*name`) as written, in text order. */
  anchors: AnchorMark[];
  /** Which reader was used (for tests and benchmarks). */
  reader: 'fast' | 'yaml';
}

export function parseComposeFile(text: string, file = ''): ParsedComposeFile {
  const source = typeof text === 'string' ? text : '';
  let fast: FastReadResult | undefined;
  try {
    fast = fastReadYaml(source, file);
  } catch {
    // The fast reader is an optimisation (a test holds it to never throwing); the fallback reads everything.
    fast = undefined;
  }
  if (fast) return { file, text: source, documents: fast.roots.map((root) => ({ root })), problems: sortProblems(fast.problems), anchors: fast.anchors, reader: 'fast' };
  const result = libraryReadYaml(source, file);
  const problems: ComposeFinding[] = result.syntax.map((problem) => ({ code: 'yaml-syntax', severity: 'error', file, range: problem.range, message: problem.message }));
  problems.push(...result.problems);
  return { file, text: source, documents: result.roots.map((root) => ({ root })), problems: sortProblems(problems), anchors: result.anchors, reader: 'yaml' };
}

function sortProblems(problems: ComposeFinding[]): ComposeFinding[] {
  return problems.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}
