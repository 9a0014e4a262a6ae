import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../dockerfile';
import type { DiagnosticData } from './languageService';

const IGNORE_LINE = /^(\s*#\s*hadolint\s+ignore\s*=\s*)([\w\s,-]*?)\s*$/i;
const GLOBAL_IGNORE_LINE = /^(\s*#\s*hadolint\s+global\s+ignore\s*=\s*)([\w\s,-]*?)\s*$/i;

/**
 * Quick fixes carried by each diagnostic, then "ignore here" and "ignore in
 * this file" for every rule finding (syntax errors cannot be ignored).
 */
export function dockerfileCodeActions(document: TextDocument, model: DockerfileModel, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const seenCodes = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'berth' || typeof diagnostic.code !== 'string') continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    for (const [index, fix] of (data?.fixes ?? []).entries()) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: { changes: { [document.uri]: fix.edits } },
      });
    }
    if (!diagnostic.codeDescription || seenCodes.has(diagnostic.code)) continue;
    seenCodes.add(diagnostic.code);
    const here = ignoreHereEdit(document, model, diagnostic);
    if (here) suppressions.push({ title: `Ignore ${diagnostic.code} for this instruction`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: [here] } } });
    suppressions.push({ title: `Ignore ${diagnostic.code} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: [ignoreInFileEdit(document, model, diagnostic.code)] } } });
  }
  return [...actions, ...suppressions];
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** Adds the code to the pragma right above the instruction, or writes one there. */
function ignoreHereEdit(document: TextDocument, model: DockerfileModel, diagnostic: Diagnostic): TextEdit | undefined {
  const offset = document.offsetAt(diagnostic.range.start);
  const instruction = model.ast.instructions.find((candidate) => offset >= candidate.range.start && offset <= candidate.range.end);
  if (!instruction) return undefined;
  const line = document.positionAt(instruction.range.start).line;
  const previous = line > 0 ? lineText(document, line - 1) : '';
  const existing = IGNORE_LINE.exec(previous);
  const code = String(diagnostic.code);
  if (existing) {
    const codes = existing[2]!.split(',').map((part) => part.trim()).filter(Boolean);
    return { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: previous.length } }, newText: `${existing[1]}${[...codes, code].join(',')}` };
  }
  const indentation = /^\s*/.exec(lineText(document, line))![0];
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indentation}# hadolint ignore=${code}\n` };
}

/** Adds the code to the file's global pragma, or writes one after the parser directives. */
function ignoreInFileEdit(document: TextDocument, model: DockerfileModel, code: string): TextEdit {
  for (const comment of model.ast.comments) {
    const line = document.positionAt(comment.range.start).line;
    const text = lineText(document, line);
    const existing = GLOBAL_IGNORE_LINE.exec(text);
    if (!existing) continue;
    const codes = existing[2]!.split(',').map((part) => part.trim()).filter(Boolean);
    return { range: { start: { line, character: 0 }, end: { line, character: text.length } }, newText: `${existing[1]}${[...codes, code].join(',')}` };
  }
  // Parser directives must stay first, or Docker stops reading them as directives.
  const lastDirective = model.ast.directives.at(-1);
  const line = lastDirective ? document.positionAt(lastDirective.range.start).line + 1 : 0;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `# hadolint global ignore=${code}\n` };
}
