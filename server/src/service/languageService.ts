import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type CodeAction,
  type CompletionList,
  type Diagnostic,
  type DocumentHighlight,
  type DocumentLink,
  type DocumentSymbol,
  type FormattingOptions,
  type TextEdit,
  type FoldingRange,
  type Range,
  type SelectionRange,
  type SemanticTokens,
  type Hover,
  type Location,
  type Position,
  type SignatureHelp,
} from 'vscode-languageserver-types';
import { buildModel, parseDockerfile, type DockerfileModel, type TextRange } from '../dockerfile';
import { ruleDocsUrl } from '../rules/docs';
import { DOCKERFILE_RULES } from '../rules/dockerfile';
import { IncrementalLinter } from '../rules/incremental';
import type { LintResult } from '../rules/runner';
import { shellCheck } from '../shellcheck/shellcheck';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../rules/settings';
import type { Fix, Severity } from '../rules/types';
import { dockerfileCodeActions } from './codeActions';
import { composeDiagnostics, type ComposeFileSystem } from './composeDiagnostics';
import { dockerfileCompletion, type KnownImage } from './completion';
import { dockerfileHover } from './hover';
import { dockerfileDefinition, dockerfileDocumentHighlights, dockerfileReferences } from './navigation';
import { dockerfilePrepareRename, dockerfileRename, type PrepareRenameOutcome, type RenameOutcome } from './rename';
import { dockerfileSignatureHelp } from './signatureHelp';
import { dockerfileDocumentSymbols } from './documentSymbols';
import { dockerfileFoldingRanges } from './folding';
import { dockerfileSelectionRanges } from './selectionRange';
import { dockerfileSemanticTokens, dockerfileSemanticTokensRange } from './semanticTokens';
import { dockerfileDocumentLinks } from './documentLinks';
import { formatDockerfile, formatDockerfileOnType, formatDockerfileRange } from './formatting';
import { ComposeDocuments, type ComposeDocumentContext } from './compose/composeDocuments';

export type LanguageId = 'dockerfile' | 'dockercompose';

export interface LanguageServiceOptions {
  /** Told when a rule throws; the other rules' findings are still returned. */
  onInternalError?: (message: string) => void;
  /** Files other than the document (compose override files, includes, Dockerfiles); without it only the document is seen. */
  files?: ComposeFileSystem;
  /** The environment compose files are interpolated with. */
  environment?: Readonly<Record<string, string | undefined>>;
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
  /** Local images known to the engine (sent by the editor); used by completion and hover. */
  setKnownImages(images: KnownImage[]): void;
  complete(document: TextDocument, position: Position, options?: { snippetSupport?: boolean }): CompletionList;
  signatureHelp(document: TextDocument, position: Position): SignatureHelp | null;
  hover(document: TextDocument, position: Position): Hover | null;
  definition(document: TextDocument, position: Position): Location[];
  references(document: TextDocument, position: Position, includeDeclaration: boolean): Location[];
  highlights(document: TextDocument, position: Position): DocumentHighlight[];
  /** A range and placeholder, or `{ error }` saying why this cannot be renamed. */
  prepareRename(document: TextDocument, position: Position): PrepareRenameOutcome | null;
  rename(document: TextDocument, position: Position, newName: string): RenameOutcome | null;
  documentSymbols(document: TextDocument): DocumentSymbol[];
  foldingRanges(document: TextDocument, rangeLimit?: number): FoldingRange[];
  selectionRanges(document: TextDocument, positions: Position[]): SelectionRange[];
  semanticTokens(document: TextDocument, range?: Range): SemanticTokens;
  /** `fileExists` answers for paths relative to the Dockerfile's folder (the build context). */
  documentLinks(document: TextDocument, fileExists?: (path: string) => boolean): DocumentLink[];
  /** Whole document, or only the instructions a range touches. */
  format(document: TextDocument, options: FormattingOptions, range?: Range): TextEdit[];
  /** After Enter on a line ending with the escape character: indent the continuation. */
  formatOnType(document: TextDocument, position: Position, ch: string, options: FormattingOptions): TextEdit[];
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
    // After an edit, the instructions it did not touch come from the previous tree.
    const model = buildModel(parseDockerfile(text, cached ? { previous: cached.model.ast } : {}));
    models.set(document.uri, { version: document.version, text, model });
    return model;
  };
  // Each document keeps what the rules found per instruction, so that after an
  // edit only the instructions that changed are checked again (see rules/incremental.ts).
  const linters = new Map<string, IncrementalLinter>();
  const linterOf = (uri: string): IncrementalLinter => {
    let linter = linters.get(uri);
    if (!linter) linters.set(uri, (linter = new IncrementalLinter(DOCKERFILE_RULES)));
    return linter;
  };
  let knownImages: KnownImage[] = [];
  const dockerfile = <T>(document: TextDocument, feature: (model: DockerfileModel) => T, otherwise: T): T =>
    document.languageId === 'dockerfile' ? feature(modelOf(document)) : otherwise;
  // Compose features share one parse per text version, and the project on demand.
  const composeDocuments = new ComposeDocuments(options.files, options.environment ?? {});
  /** Runs the compose feature for compose documents, else the Dockerfile one. */
  const byLanguage = <T>(document: TextDocument, compose: (context: ComposeDocumentContext) => T, onDockerfile: (model: DockerfileModel) => T, otherwise: T): T =>
    document.languageId === 'dockercompose' ? compose(composeDocuments.get(document)) : dockerfile(document, onDockerfile, otherwise);
  void byLanguage; // WIRING: removed once the first compose feature below uses byLanguage
  return {
    setKnownImages(images) {
      knownImages = images;
    },
    complete: (document, position, completionOptions = {}) =>
      dockerfile(document, (model) => dockerfileCompletion(document, model, position, knownImages, completionOptions), { isIncomplete: false, items: [] }),
    signatureHelp: (document, position) => dockerfile(document, (model) => dockerfileSignatureHelp(document, model, position), null),
    hover: (document, position) => dockerfile(document, (model) => dockerfileHover(document, model, position, knownImages), null),
    definition: (document, position) => dockerfile(document, (model) => dockerfileDefinition(document, model, position), []),
    references: (document, position, includeDeclaration) => dockerfile(document, (model) => dockerfileReferences(document, model, position, { includeDeclaration }), []),
    highlights: (document, position) => dockerfile(document, (model) => dockerfileDocumentHighlights(document, model, position), []),
    prepareRename: (document, position) => dockerfile(document, (model) => dockerfilePrepareRename(document, model, position), null),
    rename: (document, position, newName) => dockerfile(document, (model) => dockerfileRename(document, model, position, newName), null),
    documentSymbols: (document) => dockerfile(document, (model) => dockerfileDocumentSymbols(document, model), []),
    foldingRanges: (document, rangeLimit) => dockerfile(document, (model) => dockerfileFoldingRanges(document, model, rangeLimit === undefined ? {} : { rangeLimit }), []),
    selectionRanges: (document, positions) => dockerfile(document, (model) => dockerfileSelectionRanges(document, model, positions), []),
    semanticTokens: (document, range) =>
      dockerfile(document, (model) => (range ? dockerfileSemanticTokensRange(document, model, range) : dockerfileSemanticTokens(document, model)), { data: [] }),
    documentLinks: (document, fileExists) => dockerfile(document, (model) => dockerfileDocumentLinks(document, model, fileExists ? { fileExists } : {}), []),
    format: (document, formatting, range) =>
      dockerfile(document, (model) => (range ? formatDockerfileRange(document, model, range, formatting) : formatDockerfile(document, model, formatting)), []),
    formatOnType: (document, position, ch, formatting) => dockerfile(document, (model) => formatDockerfileOnType(document, model, position, ch, formatting), []),
    codeActions(document, diagnostics) {
      if (document.languageId !== 'dockerfile') return [];
      return dockerfileCodeActions(document, modelOf(document), diagnostics);
    },
    validate(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId === 'dockercompose') {
        const found = composeDiagnostics(document, options.files, options.environment ?? {});
        return found.filter((diagnostic) => !settings.ignored.has(String(diagnostic.code)));
      }
      if (document.languageId !== 'dockerfile') return [];
      const model = modelOf(document);
      const run = linterOf(document.uri).lint(model, settings);
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
