/**
 * The outline of a compose file: its top-level keys; under `services` each
 * service with its keys (the value shown beside a scalar, the count of a
 * list); under `networks`, `volumes`, `secrets`, `configs` and `models` their
 * names. Every YAML document of the file contributes, in order.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { ComposeNode, ComposePair } from '../../compose';
import type { ComposeDocumentContext } from './composeDocuments';

const SECTION_KINDS: Record<string, SymbolKind> = {
  services: SymbolKind.Module,
  networks: SymbolKind.Namespace,
  volumes: SymbolKind.Namespace,
  secrets: SymbolKind.Namespace,
  configs: SymbolKind.Namespace,
  models: SymbolKind.Namespace,
  include: SymbolKind.Package,
};

const ENTRY_KINDS: Record<string, SymbolKind> = {
  services: SymbolKind.Class,
  networks: SymbolKind.Interface,
  volumes: SymbolKind.Struct,
  secrets: SymbolKind.Key,
  configs: SymbolKind.File,
  models: SymbolKind.Object,
};

export function composeDocumentSymbols(document: TextDocument, context: ComposeDocumentContext): DocumentSymbol[] {
  const file = context.parsed.file;
  const symbol = (pair: ComposePair, kind: SymbolKind, detail: string | undefined, children?: DocumentSymbol[]): DocumentSymbol => {
    const end = Math.max(pair.keyRange.end, pair.value.file === file ? pair.value.range.end : pair.keyRange.end);
    const result: DocumentSymbol = {
      name: pair.key,
      kind,
      range: { start: document.positionAt(pair.keyRange.start), end: document.positionAt(end) },
      selectionRange: { start: document.positionAt(pair.keyRange.start), end: document.positionAt(pair.keyRange.end) },
    };
    if (detail) result.detail = detail;
    if (children) result.children = children;
    return result;
  };
  // Pairs brought in by a merge key (`<<: *base`) are written elsewhere: the anchor shows them.
  const own = (node: ComposeNode): ComposePair[] =>
    node.kind === 'map' ? node.pairs.filter((pair) => pair.file === file && pair.keyRange.start >= node.range.start && pair.keyRange.end <= node.range.end) : [];
  const symbols: DocumentSymbol[] = [];
  for (const { root } of context.parsed.documents) {
    if (!root) continue;
    for (const section of own(root)) {
      const entryKind = ENTRY_KINDS[section.key];
      if (entryKind === undefined) {
        symbols.push(symbol(section, SECTION_KINDS[section.key] ?? (section.key.startsWith('x-') ? SymbolKind.Object : SymbolKind.Property), summary(section.value)));
        continue;
      }
      const entries = own(section.value).map((entry) =>
        symbol(entry, entryKind, section.key === 'services' ? serviceDetail(entry.value) : summary(entry.value), section.key === 'services' ? own(entry.value).map((key) => symbol(key, SymbolKind.Property, summary(key.value))) : undefined),
      );
      symbols.push(symbol(section, SECTION_KINDS[section.key]!, `${entries.length} ${entries.length === 1 ? section.key.replace(/s$/, '') : section.key}`, entries));
    }
  }
  return symbols;
}

/** A service's image, or that it is built. */
function serviceDetail(node: ComposeNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  const image = node.pairs.find((pair) => pair.key === 'image')?.value;
  if (image?.kind === 'scalar' && typeof image.raw === 'string') return image.raw;
  if (node.pairs.some((pair) => pair.key === 'build')) return 'build';
  return undefined;
}

/** A scalar's text (shortened), or the size of a list or mapping. */
function summary(node: ComposeNode): string | undefined {
  if (node.kind === 'scalar') {
    if (node.raw === null) return undefined;
    const text = String(node.raw).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }
  if (node.kind === 'seq') return node.items.length === 1 ? '1 item' : `${node.items.length} items`;
  return node.pairs.length === 1 ? '1 key' : `${node.pairs.length} keys`;
}
