/**
 * Quick fixes for compose diagnostics:
 * - `schema` with a did-you-mean: replace the misspelled key or value with the
 *   suggestion the diagnostic carries in `data`;
 * - `obsolete-version`: remove the `version` entry with its lines;
 * - `undefined-network` / `-volume` / `-secret` / `-config`: declare the name
 *   under the file's top-level section, or add the section at the end;
 * - `duplicate-key`: remove this entry, or the earlier one, whole;
 * - every code: "Ignore <code> here" / "… in this file", with the pragmas of
 *   composePragmas.ts.
 * The YAML is located with the `yaml` package (which keeps duplicate keys),
 * so the edits remove whole entries and never leave a half line behind.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { isMap, isPair, isScalar, parseAllDocuments, visit, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { ComposeDiagnosticData } from '../composeDiagnostics';
import { composeSuppressionEdits } from '../composePragmas';

type DeclarableKind = 'networks' | 'volumes' | 'secrets' | 'configs';

const UNDEFINED_CODES: Record<string, DeclarableKind> = {
  'undefined-network': 'networks',
  'undefined-volume': 'volumes',
  'undefined-secret': 'secrets',
  'undefined-config': 'configs',
};
const SINGULAR: Record<DeclarableKind, string> = { networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

export function composeCodeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  let yaml: Document.Parsed[] | undefined;
  const documents = () => (yaml ??= readYaml(document.getText()));
  for (const diagnostic of diagnostics) {
    const code = String(diagnostic.code ?? '');
    const fix = (title: string, edits: TextEdit[], preferred = false): void => {
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: edits } }, ...(preferred ? { isPreferred: true } : {}) });
    };
    if (code === 'schema') {
      const suggestion = (diagnostic.data as ComposeDiagnosticData | undefined)?.suggestion;
      if (suggestion) fix(`Change to "${suggestion.text}"`, [{ range: suggestion.range, newText: suggestion.text }], true);
    } else if (code === 'obsolete-version') {
      const found = pairAt(documents(), document.offsetAt(diagnostic.range.start));
      if (found) fix('Remove the obsolete `version`', [removal(document, found.pair, found.map)], true);
    } else if (code === 'duplicate-key') {
      const found = pairAt(documents(), document.offsetAt(diagnostic.range.start));
      if (!found) continue;
      const key = keyText(found.pair);
      const index = found.map.items.indexOf(found.pair);
      const earlier = found.map.items
        .slice(0, index)
        .reverse()
        .find((candidate) => keyText(candidate) === key);
      fix(`Remove this "${key}" entry (line ${diagnostic.range.start.line + 1})`, [removal(document, found.pair, found.map)]);
      if (earlier) fix(`Remove the earlier "${key}" entry (line ${document.positionAt(keyStart(earlier)).line + 1})`, [removal(document, earlier, found.map)]);
    } else if (code in UNDEFINED_CODES) {
      const kind = UNDEFINED_CODES[code]!;
      const name = /(?:network|volume|secret|config) "((?:[^"\\]|\\.)*)"/.exec(diagnostic.message)?.[1];
      if (name === undefined || name === '' || name.includes('${')) continue;
      const edit = declaration(document, documents(), kind, name);
      if (edit) fix(`Declare ${SINGULAR[kind]} "${name}" under the top-level ${kind}`, [edit], true);
    }
  }
  // One "ignore" per code and line (and per code for the file), however many diagnostics share them.
  const offered = new Set<string>();
  for (const diagnostic of diagnostics) {
    const code = typeof diagnostic.code === 'string' ? diagnostic.code : '';
    if (!/^[\w-]+$/.test(code)) continue;
    const text = document.getText();
    for (const [scope, title] of [['line', `Ignore ${code} here`], ['file', `Ignore ${code} in this file`]] as const) {
      const key = `${code} ${scope === 'line' ? diagnostic.range.start.line : 'file'}`;
      if (offered.has(key)) continue;
      offered.add(key);
      const edits = composeSuppressionEdits(text, diagnostic.range, code, scope);
      if (edits.length > 0) actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: edits } } });
    }
  }
  return actions;
}

function readYaml(text: string): Document.Parsed[] {
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: false });
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The pair whose key starts at `offset`, with its mapping. */
function pairAt(documents: Document.Parsed[], offset: number): { pair: Pair; map: YAMLMap } | undefined {
  let found: { pair: Pair; map: YAMLMap } | undefined;
  for (const document of documents) {
    visit(document, {
      Map(_, map) {
        for (const item of map.items) {
          if (keyStart(item) === offset) {
            found = { pair: item, map };
            return visit.BREAK;
          }
        }
        return undefined;
      },
    });
    if (found) return found;
  }
  return undefined;
}

function keyStart(pair: Pair): number {
  return (pair.key as YamlNode | null)?.range?.[0] ?? -1;
}

function keyText(pair: Pair): string {
  const key = pair.key as YamlNode | null;
  return isScalar(key) ? String(key.value) : String(key);
}

/** Where a pair ends: its value's end (before trailing comments), or its key's. */
function pairEnd(pair: Pair): number {
  const value = pair.value as YamlNode | null;
  return value?.range?.[1] ?? (pair.key as YamlNode | null)?.range?.[1] ?? keyStart(pair);
}

/**
 * An edit removing a pair: whole lines in a block mapping (from the key's line
 * to the end of its value's last line, a comment there included), or the pair
 * and one comma in a flow mapping.
 */
function removal(document: TextDocument, pair: Pair, map: YAMLMap): TextEdit {
  const text = document.getText();
  const start = keyStart(pair);
  let end = pairEnd(pair);
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!map.flow && /^[ \t]*$/.test(text.slice(lineStart, start))) {
    const newline = text.indexOf('\n', Math.max(start, end - 1));
    const stop = newline < 0 ? text.length : newline + 1;
    return { range: { start: document.positionAt(lineStart), end: document.positionAt(stop) }, newText: '' };
  }
  const after = /^\s*,[ \t]*/.exec(text.slice(end));
  if (after) return { range: { start: document.positionAt(start), end: document.positionAt(end + after[0].length) }, newText: '' };
  const before = /,\s*$/.exec(text.slice(0, start));
  const from = before ? start - before[0].length : start;
  return { range: { start: document.positionAt(from), end: document.positionAt(end) }, newText: '' };
}

function plainName(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : JSON.stringify(name);
}

/** The edit declaring `name` under the top-level `kind` of the file (added at the end when there is none). */
function declaration(document: TextDocument, documents: Document.Parsed[], kind: DeclarableKind, name: string): TextEdit | undefined {
  const text = document.getText();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const key = plainName(name);
  const needsSource = kind === 'secrets' || kind === 'configs';
  const source = `./${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  for (const yaml of documents) {
    const root = yaml.contents;
    if (!isMap(root) || root.flow) continue;
    const section = root.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === kind);
    if (!section) continue;
    const value = section.value as YamlNode | null;
    const sectionKey = section.key as YamlNode;
    const keyColumn = document.positionAt(sectionKey.range![0]).character;
    if (isMap(value) && value.flow) {
      const entry = `${key}: ${needsSource ? `{ file: ${source} }` : '{}'}`;
      if (value.items.length > 0) {
        const at = pairEnd(value.items[value.items.length - 1]!);
        return { range: { start: document.positionAt(at), end: document.positionAt(at) }, newText: `, ${entry}` };
      }
      const open = value.range![0];
      const close = text.indexOf('}', open);
      if (close < 0) return undefined;
      return { range: { start: document.positionAt(open + 1), end: document.positionAt(close) }, newText: ` ${entry} ` };
    }
    if (isMap(value) && value.items.length > 0) {
      const first = value.items[0]!;
      const indent = document.positionAt(keyStart(first)).character;
      const last = value.items[value.items.length - 1]!;
      const lastEnd = pairEnd(last);
      const newline = text.indexOf('\n', Math.max(keyStart(last), lastEnd - 1));
      const at = newline < 0 ? text.length : newline + 1;
      const lead = newline < 0 ? eol : '';
      return { range: { start: document.positionAt(at), end: document.positionAt(at) }, newText: lead + entryLines(key, indent, indent + 2, needsSource, source, eol) };
    }
    if (value === null || (isScalar(value) && (value.value === null || value.value === undefined))) {
      // `networks:` with nothing: the entry goes on the next line, below the key.
      const keyLineEnd = text.indexOf('\n', sectionKey.range![0]);
      const at = keyLineEnd < 0 ? text.length : keyLineEnd;
      const lineEnd = at > 0 && text[at - 1] === '\r' ? at - 1 : at;
      return { range: { start: document.positionAt(lineEnd), end: document.positionAt(lineEnd) }, newText: eol + entryLines(key, keyColumn + 2, keyColumn + 4, needsSource, source, eol).slice(0, -eol.length) };
    }
    return undefined;
  }
  const separator = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return { range: { start: document.positionAt(text.length), end: document.positionAt(text.length) }, newText: `${separator}${kind}:${eol}${entryLines(key, 2, 4, needsSource, source, eol)}` };
}

function entryLines(key: string, indent: number, inner: number, needsSource: boolean, source: string, eol: string): string {
  return needsSource ? `${' '.repeat(indent)}${key}:${eol}${' '.repeat(inner)}file: ${source}${eol}` : `${' '.repeat(indent)}${key}: {}${eol}`;
}
