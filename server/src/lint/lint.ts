import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService } from '../service/languageService';
import { expandLintPaths } from './files';

export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One finding, 1-based positions: the shape of `berth lint --format json`. */
export interface LintFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: FindingSeverity;
  code: string;
  message: string;
  source: string;
}

export class LintInputError extends Error {}

const SEVERITY_NAMES: Record<number, FindingSeverity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function lintText(text: string, file: string): LintFinding[] {
  const uri = file === '-' ? 'untitled:stdin' : pathToFileURL(resolve(file)).href;
  const document = TextDocument.create(uri, 'dockerfile', 0, text);
  return getLanguageService()
    .validate(document)
    .map((diagnostic) => ({
      file,
      line: diagnostic.range.start.line + 1,
      column: diagnostic.range.start.character + 1,
      endLine: diagnostic.range.end.line + 1,
      endColumn: diagnostic.range.end.character + 1,
      severity: SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Error]!,
      code: String(diagnostic.code ?? ''),
      message: diagnostic.message,
      source: diagnostic.source ?? 'berth',
    }));
}

/** Lints files and directories; throws LintInputError naming a file it cannot read. */
export function lintPaths(paths: string[], readStdin: () => string): LintFinding[] {
  let files: string[];
  try {
    files = expandLintPaths(paths);
  } catch (error) {
    throw new LintInputError(describeReadError(error));
  }
  const findings: LintFinding[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
    } catch (error) {
      throw new LintInputError(describeReadError(error));
    }
    findings.push(...lintText(text, file));
  }
  return findings;
}

function describeReadError(error: unknown): string {
  const failure = error as NodeJS.ErrnoException;
  if (failure.code === 'ENOENT') return `${failure.path}: no such file or directory`;
  if (failure.code === 'EACCES') return `${failure.path}: permission denied`;
  if (failure.code === 'EISDIR') return `${failure.path}: is a directory`;
  return failure.message;
}
