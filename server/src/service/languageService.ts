import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { analyzeDockerfile, type DockerfileModel, type TextRange } from '../dockerfile';
import { ruleDocsUrl } from '../rules/docs';
import { DOCKERFILE_RULES } from '../rules/dockerfile';
import { runRules, type LintResult } from '../rules/runner';
import { shellCheck } from '../shellcheck/shellcheck';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../rules/settings';
import type { Fix, Severity } from '../rules/types';
import { dockerfileCodeActions } from './codeActions';

export type LanguageId = 'dockerfile' | 'dockercompose';

export interface LanguageServiceOptions {
  /** Told when a rule throws; the other rules' findings are still returned. */
  onInternalError?: (message: string) => void;
}

/**
 * The language features of Berth as pure functions over text. The LSP server,
 * `berth lint` and tests all call this; none of it knows about a connection.
 */
export interface LanguageService {
  validate(document: TextDocument, settings?: LintSettings): Diagnostic[];
  /**
   * ShellCheck's findings for the RUN scripts, as diagnostics. The one feature
   * that runs a program (ShellCheck, when installed); resolves to [] without it.
   */
  shellCheck(document: TextDocument, settings?: LintSettings): Promise<Diagnostic[]>;
  /** Quick fixes and suppressions for the given diagnostics of this document. */
  codeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[];
}

/** Fixes travel with their diagnostic so code actions need not re-run the rules. */
export interface DiagnosticData {
  fixes: { title: string; edits: { range: Diagnostic['range']; newText: string }[] }[];
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  style: DiagnosticSeverity.Hint,
};

export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  // The model is computed once per text version and shared by every feature.
  const models = new Map<string, { version: number; text: string; model: DockerfileModel }>();
  const modelOf = (document: TextDocument): DockerfileModel => {
    const text = document.getText();
    const cached = models.get(document.uri);
    if (cached && cached.version === document.version && cached.text === text) return cached.model;
    const model = analyzeDockerfile(text);
    models.set(document.uri, { version: document.version, text, model });
    return model;
  };
  return {
    codeActions(document, diagnostics) {
      if (document.languageId !== 'dockerfile') return [];
      return dockerfileCodeActions(document, modelOf(document), diagnostics);
    },
    validate(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId !== 'dockerfile') return [];
      const model = modelOf(document);
      const run = runRules(model, DOCKERFILE_RULES, settings);
      for (const failure of run.failures) {
        options.onInternalError?.(`rule ${failure.code} failed on ${document.uri}: ${(failure.error as Error)?.stack ?? failure.error}`);
      }
      return toLspDiagnostics(document, run.results);
    },
    async shellCheck(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId !== 'dockerfile' || !settings.shellcheck) return [];
      return toLspDiagnostics(document, await shellCheck(modelOf(document), settings));
    },
  };
}

/** Findings as LSP diagnostics: `code`, a link to the rule's page, fixes in `data`. */
export function toLspDiagnostics(document: TextDocument, results: LintResult[]): Diagnostic[] {
  const range = (offsets: TextRange) => ({ start: document.positionAt(offsets.start), end: document.positionAt(offsets.end) });
  const toData = (fixes: Fix[]): DiagnosticData => ({
    fixes: fixes.map((fix) => ({ title: fix.title, edits: fix.edits.map((edit) => ({ range: range(edit.range), newText: edit.newText })) })),
  });
  return results.map((result) => ({
    range: range(result.range),
    severity: LSP_SEVERITY[result.severity],
    code: result.code,
    codeDescription: { href: result.code.startsWith('SC') ? `https://www.shellcheck.net/wiki/${result.code}` : ruleDocsUrl(result.code) },
    source: result.code.startsWith('SC') ? 'shellcheck' : 'berth',
    message: result.message,
    ...(result.fixes.length > 0 ? { data: toData(result.fixes) } : {}),
  }));
}
