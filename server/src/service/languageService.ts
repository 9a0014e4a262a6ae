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
import { buildModel, parseDockerfile, type DockerfileModel, LineIndex, type TextRange } from '../dockerfile';
import { ruleDocsUrl } from '../rules/docs';
import { DOCKERFILE_RULES } from '../rules/dockerfile';
import { IncrementalLinter } from '../rules/incremental';
import type { LintResult } from '../rules/runner';
import { shellCheck, shellCheckSync } from '../shellcheck/shellcheck';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../rules/settings';
import type { Fix, Severity } from '../rules/types';
import { dockerfileCodeActions } from './codeActions';
import { composeDiagnostics, composeProjectDiagnostics, type ComposeFileSystem } from './composeDiagnostics';
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
import { composeCompletion } from './compose/completion';
import { composeHover } from './compose/hover';
import { composeDocumentSymbols } from './compose/documentSymbols';
import { composeDocumentLinks } from './compose/documentLinks';
import { composeDefinition, composeDocumentHighlights, composeReferences } from './compose/navigation';
import { composePrepareRename, composeRename } from './compose/rename';
import { formatCompose } from './compose/formatting';
import { composeCodeActions } from './compose/codeActions';

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
   * As validate, for every file the document's findings land in: a compose
   * document's project (override, included and extended files, `.env`) is
   * checked as a whole. Keyed by URI: the document and every compose file of
   * its project are there (possibly with no diagnostics), other files (`.env`)
   * when something was found in them.
   */
  validateProject(document: TextDocument, settings?: LintSettings): Map<string, Diagnostic[]>;
  /**
   * ShellCheck's findings for the RUN scripts, as diagnostics. The one feature
   * that runs a program (ShellCheck, when installed); resolves to [] without it.
   */
  shellCheck(document: TextDocument, settings?: LintSettings): Promise<Diagnostic[]>;
  /** The same, blocking (for `berth lint`, which reads one file after another), on the model `validate` made. */
  shellCheckSync(document: TextDocument, settings?: LintSettings): Diagnostic[];
  /** Quick fixes and suppressions for the given diagnostics of this document. */
  codeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[];
  /** Local images known to the engine (sent by the editor); used by completion and hover. */
  setKnownImages(images: KnownImage[]): void;
  /**
   * Drops what is kept about a document between versions (its model, what its
   * rules found, its compose project): the editor closed it, or `berth lint`
   * is done with it. Asking about it again later starts afresh.
   */
  forget(uri: string): void;
  /** `triggerCharacter`: the character whose typing asked for completion (the LSP request's context), if any. */
  complete(document: TextDocument, position: Position, options?: { snippetSupport?: boolean; triggerCharacter?: string }): CompletionList;
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
  /** `fileExists` answers whether a regular file exists: for Dockerfiles given a path relative to the Dockerfile's folder (the build context), for compose files an absolute path. */
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
    // After an edit, the instructions it did not touch come from the previous tree, and the stages before it from the previous model.
    const model = cached ? buildModel(parseDockerfile(text, { previous: cached.model.ast }), { previous: cached.model }) : buildModel(parseDockerfile(text));
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
  return {
    setKnownImages(images) {
      knownImages = images;
    },
    forget(uri) {
      models.delete(uri);
      linters.delete(uri);
      composeDocuments.forget(uri);
    },
    complete: (document, position, completionOptions = {}) =>
      byLanguage(
        document,
        (context) => composeCompletion(document, context, position, knownImages, completionOptions),
        (model) => dockerfileCompletion(document, model, position, knownImages, completionOptions),
        { isIncomplete: false, items: [] },
      ),
    signatureHelp: (document, position) => dockerfile(document, (model) => dockerfileSignatureHelp(document, model, position), null),
    hover: (document, position) => byLanguage(document, (context) => composeHover(document, context, position, knownImages), (model) => dockerfileHover(document, model, position, knownImages), null),
    definition: (document, position) => byLanguage(document, (context) => composeDefinition(document, context, position), (model) => dockerfileDefinition(document, model, position), []),
    references: (document, position, includeDeclaration) =>
      byLanguage(document, (context) => composeReferences(document, context, position, { includeDeclaration }), (model) => dockerfileReferences(document, model, position, { includeDeclaration }), []),
    highlights: (document, position) => byLanguage(document, (context) => composeDocumentHighlights(document, context, position), (model) => dockerfileDocumentHighlights(document, model, position), []),
    prepareRename: (document, position) => byLanguage(document, (context) => composePrepareRename(document, context, position), (model) => dockerfilePrepareRename(document, model, position), null),
    rename: (document, position, newName) => byLanguage(document, (context) => composeRename(document, context, position, newName), (model) => dockerfileRename(document, model, position, newName), null),
    documentSymbols: (document) => byLanguage(document, (context) => composeDocumentSymbols(document, context), (model) => dockerfileDocumentSymbols(document, model), []),
    foldingRanges: (document, rangeLimit) => dockerfile(document, (model) => dockerfileFoldingRanges(document, model, rangeLimit === undefined ? {} : { rangeLimit }), []),
    selectionRanges: (document, positions) => dockerfile(document, (model) => dockerfileSelectionRanges(document, model, positions), []),
    semanticTokens: (document, range) =>
      dockerfile(document, (model) => (range ? dockerfileSemanticTokensRange(document, model, range) : dockerfileSemanticTokens(document, model)), { data: [] }),
    documentLinks: (document, fileExists) =>
      byLanguage(
        document,
        (context) => composeDocumentLinks(document, context, fileExists ? { fileExists } : {}),
        (model) => dockerfileDocumentLinks(document, model, fileExists ? { fileExists } : {}),
        [],
      ),
    format: (document, formatting, range) =>
      byLanguage(
        document,
        // Range formatting of compose files answers nothing: indentation is a property of the whole file.
        () => (range ? [] : formatCompose(document, formatting)),
        (model) => (range ? formatDockerfileRange(document, model, range, formatting) : formatDockerfile(document, model, formatting)),
        [],
      ),
    formatOnType: (document, position, ch, formatting) => dockerfile(document, (model) => formatDockerfileOnType(document, model, position, ch, formatting), []),
    codeActions(document, diagnostics) {
      if (document.languageId === 'dockercompose') return composeCodeActions(document, diagnostics);
      if (document.languageId !== 'dockerfile') return [];
      return dockerfileCodeActions(document, modelOf(document), diagnostics);
    },
    validate(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId === 'dockercompose') return composeDiagnostics(document.uri, composeDocuments.get(document), options.environment ?? {}, settings);
      if (document.languageId !== 'dockerfile') return [];
      const model = modelOf(document);
      const run = linterOf(document.uri).lint(model, settings);
      for (const failure of run.failures) {
        options.onInternalError?.(`rule ${failure.code} failed on ${document.uri}: ${(failure.error as Error)?.stack ?? failure.error}`);
      }
      return toLspDiagnostics(document, run.results, model.ast.lineIndex);
    },
    validateProject(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId === 'dockercompose') return composeProjectDiagnostics(document.uri, composeDocuments.get(document), options.environment ?? {}, settings);
      return new Map([[document.uri, this.validate(document, settings)]]);
    },
    async shellCheck(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId !== 'dockerfile' || !settings.shellcheck) return [];
      const model = modelOf(document);
      return toLspDiagnostics(document, await shellCheck(model, settings), model.ast.lineIndex);
    },
    shellCheckSync(document, settings = DEFAULT_LINT_SETTINGS) {
      if (document.languageId !== 'dockerfile' || !settings.shellcheck) return [];
      const model = modelOf(document);
      return toLspDiagnostics(document, shellCheckSync(model, settings), model.ast.lineIndex);
    },
  };
}

/**
 * `document.positionAt`, for a document that is usually new (one per version):
 * its own line table is built with a scan of every character, while text
 * without `\r` (which alone makes LSP's line breaks differ from `\n`) finds
 * its lines with `indexOf`, several times faster on a large file.
 */
function positionFinder(document: TextDocument, lineIndex: LineIndex | undefined): (offset: number) => Position {
  // The tree's line index when the caller has the tree of this text: other features of the same version share it.
  const index = lineIndex ?? new LineIndex(document.getText());
  return (offset) => index.positionAt(offset);
}

/** Findings as LSP diagnostics: `code`, a link to the rule's page, fixes in `data`. */
export function toLspDiagnostics(document: TextDocument, results: LintResult[], lineIndex?: LineIndex): Diagnostic[] {
  const positionAt = positionFinder(document, lineIndex);
  const range = (offsets: TextRange) => ({ start: positionAt(offsets.start), end: positionAt(offsets.end) });
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
