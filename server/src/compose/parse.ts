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

import type { Memoized } from './memo';
import type { AnchorMark, ComposeFinding, ComposeNode } from './types';
import { fastReadYaml, type FastReadResult } from './yaml/fastReader';
import { reparseIncrementally, type IncrementalBase } from './yaml/incremental';
import { libraryReadYaml } from './yaml/libraryReader';

export interface ComposeDocument {
  /** The document's root after aliases and merge keys; undefined for an empty document. */
  root: ComposeNode | undefined;
}

export interface ParsedComposeFile extends Memoized {
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
  /**
   * @internal What a fast-read parse keeps for reading the next version from
   * it (this module's own); on the parse rather than in a WeakMap beside it,
   * as compose/memo.ts explains.
   */
  incremental?: IncrementalBase | undefined;
}

/**
 * With `previous` (the parse of an earlier version of the same file), only
 * the part of the text an edit touched is read again when that is certain to
 * give the same result (yaml/incremental.ts), else everything is. `previous`
 * is then consumed: nodes of it written after the edit become the new
 * version's (their ranges are moved), so it must not be read any more.
 */
export function parseComposeFile(text: string, file = '', previous?: ParsedComposeFile): ParsedComposeFile {
  const source = typeof text === 'string' ? text : '';
  if (previous) {
    if (previous.text === source && previous.file === file) return previous;
    const base = previous.incremental;
    const result = base && reparseIncrementally(base, source, file);
    if (result) return { file, text: source, documents: [{ root: result.root }], problems: [], anchors: result.anchors, reader: 'fast', incremental: result.base, memo: undefined };
  }
  let fast: FastReadResult | undefined;
  try {
    fast = fastReadYaml(source, file);
  } catch {
    // The fast reader is an optimisation (a test holds it to never throwing); the fallback reads everything.
    fast = undefined;
  }
  if (fast) {
    const root = fast.roots[0];
    const incremental: IncrementalBase | undefined =
      fast.roots.length === 1 && root?.kind === 'map' && fast.problems.length === 0
        ? { file, text: source, root, anchors: fast.anchors, targets: fast.targets, expanded: fast.expanded[0] ?? 0, consumed: false }
        : undefined;
    return { file, text: source, documents: fast.roots.map((root) => ({ root })), problems: sortProblems(fast.problems), anchors: fast.anchors, reader: 'fast', incremental, memo: undefined };
  }
  const result = libraryReadYaml(source, file);
  const problems: ComposeFinding[] = result.syntax.map((problem) => ({ code: 'yaml-syntax', severity: 'error', file, range: problem.range, message: problem.message }));
  problems.push(...result.problems);
  return { file, text: source, documents: result.roots.map((root) => ({ root })), problems: sortProblems(problems), anchors: result.anchors, reader: 'yaml', incremental: undefined, memo: undefined };
}

/** Whether a parse can still be the `previous` of a later version's parse without reading everything again. */
export function canReparseFrom(parsed: ParsedComposeFile): boolean {
  const base = parsed.incremental;
  return base !== undefined && !base.consumed;
}

function sortProblems(problems: ComposeFinding[]): ComposeFinding[] {
  return problems.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}
