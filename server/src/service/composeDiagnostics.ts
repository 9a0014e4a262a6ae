import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { LineCounter, parseDocument } from 'yaml';
import { analyzeCompose, projectFilesFor } from '../compose';
import { validateComposeSchema } from '../compose/schema';
import type { TextRange } from '../dockerfile';

/** How compose checks see files other than the document: the editor's open buffers, then the disk. */
export interface ComposeFileSystem {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  style: DiagnosticSeverity.Hint,
};

/**
 * Everything Berth finds in one compose file: the project it belongs to
 * (with its override file, includes and extends) is loaded and checked, and
 * the findings that belong to this file are reported, with the schema's.
 */
export function composeDiagnostics(document: TextDocument, files: ComposeFileSystem | undefined, environment: Readonly<Record<string, string | undefined>>): Diagnostic[] {
  const text = document.getText();
  const path = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : `/untitled/${document.uri.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`;
  const host = {
    readFile: (candidate: string) => (candidate === path ? text : files?.readFile(candidate)),
    exists: (candidate: string) => candidate === path || (files?.exists(candidate) ?? false),
  };
  const range = (offsets: TextRange) => ({ start: document.positionAt(offsets.start), end: document.positionAt(offsets.end) });
  const diagnostics: Diagnostic[] = [];

  const analysis = analyzeCompose({ files: projectFilesFor(path, host.exists), host, environment, projectDirectory: dirname(path) });
  let syntaxBroken = false;
  for (const finding of analysis.byFile.get(path) ?? []) {
    if (finding.code === 'yaml-syntax') syntaxBroken = true;
    diagnostics.push({ range: range(finding.range), severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning, code: finding.code, source: 'berth', message: finding.message });
  }

  // The schema speaks of well-formed YAML only; on broken YAML its messages would be noise.
  if (!syntaxBroken) {
    const lineCounter = new LineCounter();
    const yamlDocument = parseDocument(text, { lineCounter, prettyErrors: false });
    if (yamlDocument.errors.length === 0) {
      for (const finding of validateComposeSchema(yamlDocument, text)) {
        diagnostics.push({ range: range(finding.range), severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Error, code: finding.code, source: 'berth', message: finding.message });
      }
    }
  }
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
