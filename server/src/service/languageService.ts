import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';

export type LanguageId = 'dockerfile' | 'dockercompose';

/**
 * The language features of Berth as pure functions over text. The LSP server,
 * `berth lint` and tests all call this; none of it knows about a connection.
 */
export interface LanguageService {
  validate(document: TextDocument): Diagnostic[];
}

export function getLanguageService(): LanguageService {
  return {
    validate(document) {
      if (document.languageId === 'dockerfile') return validateDockerfile(document);
      return [];
    },
  };
}

const INSTRUCTION = /^\s*([A-Za-z]+)/;

/**
 * Until the full parser and rule set land, the one check every Dockerfile
 * needs: the first instruction must be FROM (or ARG before it).
 */
function validateDockerfile(document: TextDocument): Diagnostic[] {
  const lines = document.getText().split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line]!;
    if (/^\s*(#|$)/.test(text)) continue;
    const keyword = INSTRUCTION.exec(text)?.[1];
    if (!keyword || /^(FROM|ARG)$/i.test(keyword)) return [];
    const start = text.indexOf(keyword);
    return [
      {
        range: { start: { line, character: start }, end: { line, character: start + keyword.length } },
        severity: DiagnosticSeverity.Error,
        code: 'DL3061',
        source: 'berth',
        message: `${keyword.toUpperCase()} comes before any FROM: a Dockerfile must begin with FROM, ARG or a comment`,
      },
    ];
  }
  return [];
}
