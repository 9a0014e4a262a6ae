/**
 * Rename for compose names (services, networks, volumes, secrets, configs)
 * and YAML anchors, over the symbol index of navigation.ts: the declaration
 * and every reference is rewritten, in every file of the project.
 *
 * Refused, with the reason: a position with no name, a compose key, a name
 * with no declaration in the project, a name written indirectly (escapes,
 * interpolation), an external resource whose key is the engine's name for it
 * (renaming the key would point at another resource), and the `name:` of a
 * resource (the engine's name, not one the file refers to). A new name must
 * be a valid compose name (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`) not already declared
 * for the same kind; a new anchor name must be a plain YAML anchor not already
 * used in that YAML document.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { booleanValue, get } from '../../compose/tree';
import type { ComposeNode, ComposePair, TextRange } from '../../compose/types';
import type { PrepareRenameOutcome, RenameOutcome, RenameRefusal } from '../rename';
import type { ComposeDocumentContext } from './composeDocuments';
import { ComposeLocator, composeSymbolIndex, declarationNode, NAME_KINDS, type ComposeOccurrence, type ComposeSymbolIndex, type NameKind } from './navigation';

export const COMPOSE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const ANCHOR_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

const SINGULAR: Record<NameKind, string> = { services: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

export function composePrepareRename(document: TextDocument, context: ComposeDocumentContext, position: Position): PrepareRenameOutcome {
  const found = renameTarget(context, document.offsetAt(position));
  if ('error' in found) return found;
  const { occurrence } = found;
  return {
    range: { start: document.positionAt(occurrence.range.start), end: document.positionAt(occurrence.range.end) },
    placeholder: occurrence.symbol.kind === 'anchor' ? occurrence.symbol.name : context.text.slice(occurrence.range.start, occurrence.range.end),
  };
}

export function composeRename(document: TextDocument, context: ComposeDocumentContext, position: Position, newName: string): RenameOutcome {
  const found = renameTarget(context, document.offsetAt(position));
  if ('error' in found) return found;
  const { occurrence, index } = found;
  const symbol = occurrence.symbol;
  const occurrences = index.occurrencesOf(symbol);
  const problem = symbol.kind === 'anchor' ? checkAnchorName(index, symbol.document, symbol.name, newName) : checkName(index, symbol.kind, symbol.scope, symbol.name, newName);
  if (problem) return { error: problem };
  const indirect = occurrences.find((candidate) => candidate.indirect);
  const locator = new ComposeLocator(document, context, index.project);
  if (indirect) {
    const at = locator.location(indirect);
    return { error: `The name is written indirectly at ${describe(at.uri, at.range.start.line)} (escapes or a variable), so it cannot be rewritten there; spell it plainly first.` };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const candidate of occurrences) {
    const newText = symbol.kind === 'anchor' ? (candidate.declaration ? '&' : '*') + newName : newName;
    (changes[locator.uri(candidate.file)] ??= []).push({ range: locator.range(candidate.file, candidate.range), newText });
  }
  return { changes };
}

type Target = { occurrence: ComposeOccurrence; index: ComposeSymbolIndex } | RenameRefusal;

function renameTarget(context: ComposeDocumentContext, offset: number): Target {
  const index = composeSymbolIndex(context);
  const occurrence = index.at(context.path, offset);
  if (!occurrence) return { error: notRenameable(context, offset) };
  const symbol = occurrence.symbol;
  if (symbol.kind === 'anchor') return { occurrence, index };
  if (occurrence.indirect) return { error: `\`${symbol.name}\` is written indirectly here (escapes or a variable), so it cannot be renamed from this place.` };
  const what = SINGULAR[symbol.kind];
  const declarations = index.occurrencesOf(symbol).filter((candidate) => candidate.declaration);
  if (declarations.length === 0) {
    return { error: `No ${what} \`${symbol.name}\` is declared under the top-level \`${symbol.kind}:\` of this project, so there is nothing to rename.` };
  }
  if (symbol.kind === 'networks' && symbol.name === 'default') {
    return { error: 'The network `default` is the one compose creates for every service of the project; its name is fixed (set `name:` under it to change the name in the engine).' };
  }
  if (symbol.kind !== 'services') {
    for (const declaration of declarations) {
      const node = declarationNode(index.project, symbol.kind, symbol.name, declaration.file);
      if (node && isExternal(node) && get(node, 'name') === undefined) {
        return {
          error: `The ${what} \`${symbol.name}\` is external: its key is the name of an existing ${what} in the engine, so renaming it would point at another one. Add \`name: ${symbol.name}\` to its declaration first to rename the key alone.`,
        };
      }
    }
  }
  return { occurrence, index };
}

function isExternal(node: ComposeNode): boolean {
  const external = get(node, 'external');
  return booleanValue(external) === true || external?.kind === 'map';
}

/** Why there is nothing to rename at an offset. */
function notRenameable(context: ComposeDocumentContext, offset: number): string {
  const onName = resourceNameValue(context, offset);
  if (onName) return onName;
  const key = keyAt(context, offset);
  if (key) return `\`${key}\` is a compose key, not a name; only the names of services, networks, volumes, secrets and configs, and YAML anchors, can be renamed.`;
  return 'Nothing to rename here: only the names of services, networks, volumes, secrets and configs, and YAML anchors, can be renamed.';
}

/** On the value of `name:` in a top-level resource: that is the engine's name for it. */
function resourceNameValue(context: ComposeDocumentContext, offset: number): string | undefined {
  for (const document of context.parsed.documents) {
    for (const kind of NAME_KINDS) {
      const section = get(document.root, kind);
      if (section?.kind !== 'map') continue;
      for (const pair of section.pairs) {
        const value = get(pair.value, 'name');
        if (value && value.file === context.path && offset >= value.range.start && offset <= value.range.end) {
          return `This is the name the ${SINGULAR[kind]} \`${pair.key}\` has in the engine, not a name this file refers to; edit it as text, or rename the key \`${pair.key}\`.`;
        }
      }
    }
  }
  return undefined;
}

function keyAt(context: ComposeDocumentContext, offset: number): string | undefined {
  const visited = new Set<ComposeNode>();
  const search = (node: ComposeNode | undefined): string | undefined => {
    if (!node || node.kind === 'scalar' || visited.has(node) || node.file !== context.path) return undefined;
    if (offset < node.range.start || offset > node.range.end) return undefined;
    visited.add(node);
    const children: ComposeNode[] = node.kind === 'map' ? node.pairs.map((pair: ComposePair) => pair.value) : node.items;
    if (node.kind === 'map') {
      for (const pair of node.pairs) if (pair.file === context.path && offset >= pair.keyRange.start && offset <= pair.keyRange.end) return pair.key;
    }
    for (const child of children) {
      const found = search(child);
      if (found) return found;
    }
    return undefined;
  };
  for (const document of context.parsed.documents) {
    const found = search(document.root);
    if (found) return found;
  }
  return undefined;
}

function checkName(index: ComposeSymbolIndex, kind: NameKind, scope: string, oldName: string, newName: string): string | undefined {
  const what = SINGULAR[kind];
  if (!COMPOSE_NAME_PATTERN.test(newName)) {
    return `\`${newName}\` is not a valid ${what} name: it must start with a letter or digit and contain only letters, digits, \`_\`, \`.\` and \`-\`.`;
  }
  if (newName === oldName) return undefined;
  if (kind === 'networks' && newName === 'default') return 'A network named `default` would replace the network compose creates for the project; choose another name.';
  const clash = index.occurrences.find((candidate) => candidate.declaration && candidate.symbol.kind === kind && candidate.symbol.scope === scope && candidate.symbol.name === newName);
  if (clash) return `A ${what} named \`${newName}\` is already declared (${where(index, clash)}).`;
  return undefined;
}

function checkAnchorName(index: ComposeSymbolIndex, documentIndex: number, oldName: string, newName: string): string | undefined {
  if (!ANCHOR_NAME_PATTERN.test(newName)) return `\`${newName}\` is not a plain anchor name: use letters, digits, \`_\`, \`.\` and \`-\` only (without \`&\` or \`*\`).`;
  if (newName === oldName) return undefined;
  const clash = index.occurrences.find((candidate) => candidate.symbol.kind === 'anchor' && candidate.declaration && candidate.symbol.document === documentIndex && candidate.symbol.name === newName);
  if (clash) return `An anchor \`&${newName}\` already exists in this YAML document (${where(index, clash)}); aliases would then refer to the wrong one.`;
  return undefined;
}

function where(index: ComposeSymbolIndex, occurrence: ComposeOccurrence): string {
  const text = index.project.files.get(occurrence.file)?.parsed.text ?? '';
  return `${shortName(occurrence.file)}, line ${lineOf(text, occurrence.range)}`;
}

function describe(uri: string, line: number): string {
  return `${shortName(decodeURIComponent(uri))}, line ${line + 1}`;
}

function shortName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function lineOf(text: string, range: TextRange): number {
  let line = 1;
  for (let i = 0; i < range.start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
