/**
 * Go to definition, find references and document highlight in compose files,
 * for services, networks, volumes, secrets and configs and for YAML anchors.
 * The symbol index built here is shared with rename.
 *
 * Names. A name is declared by its key under the top-level section
 * (`services:`, `networks:`, …) and referred to wherever model.ts finds a
 * reference (depends_on, links, extends, `service:x` values, volumes_from,
 * service networks, named volume mounts, secrets and configs in both
 * syntaxes, additional_contexts). Every file of the project is read on its
 * own, as written, rather than the merged model, so a service declared in both
 * compose.yaml and compose.override.yaml has two declarations and every
 * reference in either file is found. The top-level files and the files they
 * `include` share one namespace; a file read only through `extends.file` has
 * its own, reached from outside by the `extends` that names it.
 *
 * Anchors. `&a` declares an anchor and every later `*a` in the same YAML
 * document (up to the next `&a`) refers to it, merge keys (`<<: *a`)
 * included. Anchors never reach into other files.
 */

import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentHighlightKind, type DocumentHighlight, type Location, type Position, type Range } from 'vscode-languageserver-types';
import { resourceReferences, serviceReferences, type ComposeProject, type ResourceKind } from '../../compose';
import { get, stringValue } from '../../compose/tree';
import type { ComposeNode, TextRange } from '../../compose/types';
import { MemoSlot } from '../../compose/memo';
import type { ComposeDocumentContext } from './composeDocuments';

export type NameKind = 'services' | ResourceKind;
export const NAME_KINDS: readonly NameKind[] = ['services', 'networks', 'volumes', 'secrets', 'configs'];

export type ComposeSymbol =
  | { kind: NameKind; name: string; /** 'project', or the path of a file read through `extends.file`. */ scope: string; key: string }
  | { kind: 'anchor'; name: string; document: number; /** Where the anchor is declared (`&name`). */ range: TextRange; key: string };

export interface ComposeOccurrence {
  symbol: ComposeSymbol;
  file: string;
  /** The name as written (inside quotes when quoted); the `&name` / `*name` token for anchors. */
  range: TextRange;
  declaration: boolean;
  /** Set when the text at `range` is not the name spelled plainly (escapes, interpolation): it links but cannot be rewritten. */
  indirect?: true;
}

export interface ComposeSymbolIndex {
  occurrences: ComposeOccurrence[];
  /** Occurrences of a symbol, declarations first, then in file and text order. */
  occurrencesOf(symbol: ComposeSymbol): ComposeOccurrence[];
  /** The occurrence under an offset of a file. */
  at(file: string, offset: number): ComposeOccurrence | undefined;
  project: ComposeProject;
}

/** Kept on the context's project (loaded once per version), not in a WeakMap beside it (compose/memo.ts says why). */
const indexes = new MemoSlot<ComposeSymbolIndex>();

export function composeSymbolIndex(context: ComposeDocumentContext): ComposeSymbolIndex {
  const project = context.project();
  return indexes.get(project) ?? indexes.set(project, buildIndex(context));
}

function nameSymbol(kind: NameKind, name: string, scope: string): ComposeSymbol {
  return { kind, name, scope, key: `${kind}\0${scope}\0${name}` };
}

function buildIndex(context: ComposeDocumentContext): ComposeSymbolIndex {
  const project = context.project();
  const occurrences: ComposeOccurrence[] = [];
  const seen = new Set<string>();
  const textOf = (file: string): string | undefined => (file === context.path ? context.text : project.files.get(file)?.parsed.text);
  // A file outside the project (not loaded) is a scope of its own, with nothing declared in it.
  const scopeOf = (file: string): string => (project.files.has(file) && project.files.get(file)!.role !== 'extends' ? 'project' : file);
  const add = (symbol: ComposeSymbol, file: string, written: TextRange, declaration: boolean) => {
    const id = `${file}\0${written.start}\0${written.end}`;
    if (seen.has(id)) return; // a node shared through an alias, or a file included twice
    seen.add(id);
    const text = textOf(file);
    const range = text === undefined ? written : nameRange(text, written, symbol.name);
    occurrences.push({ symbol, file, range: range ?? written, declaration, ...(range ? {} : { indirect: true as const }) });
  };

  for (const loaded of project.files.values()) {
    const scope = scopeOf(loaded.path);
    for (const document of loaded.parsed.documents) {
      const root = document.root;
      if (root?.kind !== 'map') continue;
      for (const kind of NAME_KINDS) {
        const section = get(root, kind);
        if (section?.kind !== 'map') continue;
        for (const pair of section.pairs) add(nameSymbol(kind, pair.key, scope), pair.file, pair.keyRange, true);
      }
      // The model's reference finders, over this file as written (extends come from the loader's records below).
      const view: ComposeProject = { ...project, model: root, extends: [], memo: undefined };
      for (const reference of serviceReferences(view)) add(nameSymbol('services', reference.name, scope), reference.location.file, reference.location.range, false);
      for (const kind of NAME_KINDS) {
        if (kind === 'services') continue;
        for (const reference of resourceReferences(view, kind)) add(nameSymbol(kind, reference.name, scope), reference.location.file, reference.location.range, false);
      }
    }
  }
  // extends, in every service as written (the loader records only the services it loaded).
  for (const loaded of project.files.values()) {
    for (const document of loaded.parsed.documents) {
      const services = get(document.root, 'services');
      if (services?.kind !== 'map') continue;
      for (const pair of services.pairs) {
        const value = get(pair.value, 'extends');
        const baseNode = value?.kind === 'map' ? get(value, 'service') : value;
        const base = stringValue(baseNode);
        if (!baseNode || base === undefined) continue;
        const file = stringValue(get(value, 'file'));
        const scope = file === undefined ? scopeOf(loaded.path) : scopeOf(project.resolvePath(loaded.path, file));
        add(nameSymbol('services', base, scope), baseNode.file, baseNode.range, false);
      }
    }
  }
  // Anchors of the document itself.
  const latest = new Map<string, ComposeSymbol>();
  for (const mark of context.parsed.anchors) {
    const id = `${mark.document}\0${mark.name}`;
    if (mark.kind === 'anchor') {
      const symbol: ComposeSymbol = { kind: 'anchor', name: mark.name, document: mark.document, range: mark.range, key: `anchor\0${mark.document}\0${mark.range.start}` };
      latest.set(id, symbol);
      occurrences.push({ symbol, file: context.path, range: mark.range, declaration: true });
    } else {
      const symbol = latest.get(id);
      if (symbol) occurrences.push({ symbol, file: context.path, range: mark.range, declaration: false });
    }
  }

  const bySymbol = new Map<string, ComposeOccurrence[]>();
  for (const occurrence of occurrences) {
    const list = bySymbol.get(occurrence.symbol.key);
    if (list) list.push(occurrence);
    else bySymbol.set(occurrence.symbol.key, [occurrence]);
  }
  const fileOrder = new Map([...project.files.keys()].map((file, i) => [file, i]));
  for (const list of bySymbol.values()) {
    list.sort(
      (a, b) =>
        Number(b.declaration) - Number(a.declaration) ||
        (fileOrder.get(a.file) ?? -1) - (fileOrder.get(b.file) ?? -1) ||
        a.range.start - b.range.start,
    );
  }
  return {
    occurrences,
    project,
    occurrencesOf: (symbol) => bySymbol.get(symbol.key) ?? [],
    at(file, offset) {
      let best: ComposeOccurrence | undefined;
      for (const occurrence of occurrences) {
        if (occurrence.file !== file || offset < occurrence.range.start || offset > occurrence.range.end) continue;
        // Touching two (the end of one and the start of the next): the one that starts here.
        if (!best || occurrence.range.start > best.range.start) best = occurrence;
      }
      return best;
    },
  };
}

/**
 * The part of `written` that spells `name`: all of it for a plain name, the
 * inside of quotes for a quoted one; undefined when the text is not the name
 * as such (escapes, interpolation).
 */
function nameRange(text: string, written: TextRange, name: string): TextRange | undefined {
  const spelled = text.slice(written.start, written.end);
  if (spelled === name) return written;
  const quote = spelled[0];
  if ((quote === '"' || quote === "'") && spelled.length === name.length + 2 && spelled.endsWith(quote) && spelled.slice(1, -1) === name) {
    return { start: written.start + 1, end: written.end - 1 };
  }
  return undefined;
}

// ---- LSP shapes ------------------------------------------------------------

/** Positions in any file of the project: the document itself, or another file's text. */
export class ComposeLocator {
  private readonly documents = new Map<string, TextDocument>();

  constructor(
    private readonly document: TextDocument,
    private readonly context: ComposeDocumentContext,
    private readonly project: ComposeProject,
  ) {}

  uri(file: string): string {
    return file === this.context.path ? this.document.uri : pathToFileURL(file).href;
  }

  range(file: string, range: TextRange): Range {
    const document = this.textDocument(file);
    return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
  }

  location(occurrence: { file: string; range: TextRange }): Location {
    return { uri: this.uri(occurrence.file), range: this.range(occurrence.file, occurrence.range) };
  }

  private textDocument(file: string): TextDocument {
    if (file === this.context.path) return this.document;
    let document = this.documents.get(file);
    if (!document) {
      document = TextDocument.create(this.uri(file), 'dockercompose', 0, this.project.files.get(file)?.parsed.text ?? this.project.readFile(file) ?? '');
      this.documents.set(file, document);
    }
    return document;
  }
}

export function composeOccurrenceAt(context: ComposeDocumentContext, document: TextDocument, position: Position): ComposeOccurrence | undefined {
  return composeSymbolIndex(context).at(context.path, document.offsetAt(position));
}

export function composeDefinition(document: TextDocument, context: ComposeDocumentContext, position: Position): Location[] {
  const occurrence = composeOccurrenceAt(context, document, position);
  if (!occurrence) return [];
  const index = composeSymbolIndex(context);
  const locator = new ComposeLocator(document, context, index.project);
  return index
    .occurrencesOf(occurrence.symbol)
    .filter((candidate) => candidate.declaration)
    .map((candidate) => locator.location(candidate));
}

export function composeReferences(document: TextDocument, context: ComposeDocumentContext, position: Position, options: { includeDeclaration: boolean }): Location[] {
  const occurrence = composeOccurrenceAt(context, document, position);
  if (!occurrence) return [];
  const index = composeSymbolIndex(context);
  const locator = new ComposeLocator(document, context, index.project);
  return index
    .occurrencesOf(occurrence.symbol)
    .filter((candidate) => options.includeDeclaration || !candidate.declaration)
    .map((candidate) => locator.location(candidate));
}

export function composeDocumentHighlights(document: TextDocument, context: ComposeDocumentContext, position: Position): DocumentHighlight[] {
  const occurrence = composeOccurrenceAt(context, document, position);
  if (!occurrence) return [];
  return composeSymbolIndex(context)
    .occurrencesOf(occurrence.symbol)
    .filter((candidate) => candidate.file === context.path)
    .map((candidate) => ({
      range: { start: document.positionAt(candidate.range.start), end: document.positionAt(candidate.range.end) },
      kind: candidate.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
}

/** The top-level pair declaring a name in one file's documents (for rename's checks). */
export function declarationNode(project: ComposeProject, kind: NameKind, name: string, file: string): ComposeNode | undefined {
  for (const document of project.files.get(file)?.parsed.documents ?? []) {
    const value = get(get(document.root, kind), name);
    if (value) return value;
  }
  return undefined;
}
