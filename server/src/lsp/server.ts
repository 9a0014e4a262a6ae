import { CodeActionKind, DidChangeConfigurationNotification, ErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getLanguageService } from '../service/languageService';
import { COMPLETION_TRIGGER_CHARACTERS, parseKnownImages } from '../service/completion';
import { isRenameRefusal } from '../service/rename';
import { DOCKERFILE_SEMANTIC_TOKENS_LEGEND } from '../service/semanticTokens';
import { SIGNATURE_HELP_RETRIGGER_CHARACTERS, SIGNATURE_HELP_TRIGGER_CHARACTERS } from '../service/signatureHelp';

/** The editor tells the server which images the local engine has (the server never asks an engine). */
export const KNOWN_IMAGES_NOTIFICATION = 'berth/knownImages';
import { DocumentSettings, type EditorComposeSettings, type EditorDockerfileSettings } from './documentSettings';

declare const BERTH_VERSION: string;

const VALIDATION_DELAY_MS = 150;
const version = typeof BERTH_VERSION === 'string' ? BERTH_VERSION : 'dev';

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Wires the language service to an LSP connection; holds no language logic. */
export function startLanguageServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const service = getLanguageService({
    onInternalError: (message) => connection.console.error(message),
    // Compose projects span files: what the user is editing wins over what is on disk.
    files: {
      readFile: (path) => documents.get(pathToFileURL(path).href)?.getText() ?? readTextFile(path),
      exists: (path) => documents.get(pathToFileURL(path).href) !== undefined || existsSync(path),
    },
    environment: process.env,
  });
  const settings = new DocumentSettings();
  const pending = new Map<string, NodeJS.Timeout>();
  /** Config files whose problems are on screen, so they can be cleared when fixed. */
  const publishedConfigs = new Set<string>();
  let canPullConfiguration = false;
  let snippetSupport = false;
  let foldingRangeLimit: number | undefined;

  connection.onInitialize((params) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    snippetSupport = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    foldingRangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
    settings.setWorkspaceFolders((params.workspaceFolders ?? []).map((folder) => folder.uri).concat(params.rootUri ? [params.rootUri] : []));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS, resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: SIGNATURE_HELP_TRIGGER_CHARACTERS, retriggerCharacters: SIGNATURE_HELP_RETRIGGER_CHARACTERS },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: DOCKERFILE_SEMANTIC_TOKENS_LEGEND, full: true, range: true },
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        documentOnTypeFormattingProvider: { firstTriggerCharacter: '\n' },
      },
      serverInfo: { name: 'berth', version },
    };
  });

  connection.onInitialized(async () => {
    connection.console.info(`Berth language server ${version} ready (pid ${process.pid})`);
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'berth' });
      await pullSettings();
    }
  });

  const pullSettings = async () => {
    if (!canPullConfiguration) return;
    try {
      settings.setEditorSettings((await connection.workspace.getConfiguration('berth.dockerfile')) as EditorDockerfileSettings);
    } catch (error) {
      connection.console.error(`reading berth.dockerfile settings failed: ${(error as Error).message}`);
    }
    try {
      settings.setComposeSettings((await connection.workspace.getConfiguration('berth.compose')) as EditorComposeSettings);
    } catch (error) {
      connection.console.error(`reading berth.compose settings failed: ${(error as Error).message}`);
    }
    revalidateAll();
  };

  connection.onDidChangeConfiguration(() => void pullSettings());
  connection.onDidChangeWatchedFiles(() => {
    settings.configFilesChanged();
    revalidateAll();
  });

  const publishConfigProblems = (configPath: string | undefined) => {
    if (!configPath) return;
    const { uri, diagnostics } = settings.configDiagnostics(configPath);
    if (diagnostics.length === 0 && !publishedConfigs.has(uri)) return;
    if (diagnostics.length > 0) publishedConfigs.add(uri);
    else publishedConfigs.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  const isCurrent = (document: TextDocument) => documents.get(document.uri)?.version === document.version;

  /**
   * Files other than open compose documents (a closed override or included
   * file, a `.env`), with the findings a compose document's project has in
   * them, per document that published them: cleared when the findings go away
   * or the document closes.
   */
  const publishedFor = new Map<string, Set<string>>();
  const publishedByOthers = (uri: string, except: string) => [...publishedFor].some(([source, uris]) => source !== except && uris.has(uri));

  /** `cascade`: the document was edited, so the other open files of its project are checked again too. */
  const validateCompose = (document: TextDocument, cascade: boolean) => {
    let byUri;
    try {
      byUri = service.validateProject(document, settings.composeSettingsFor(document.uri));
    } catch (error) {
      connection.console.error(`validation of ${document.uri} failed: ${(error as Error).stack ?? error}`);
      return;
    }
    if (!isCurrent(document)) return;
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: byUri.get(document.uri) ?? [] });
    const before = publishedFor.get(document.uri) ?? new Set<string>();
    const now = new Set<string>();
    for (const [uri, diagnostics] of byUri) {
      if (uri === document.uri) continue;
      const open = documents.get(uri);
      if (open?.languageId === 'dockercompose') {
        // An open compose file shows its own view of the project; it is checked again, not published for.
        if (cascade) schedule(open, VALIDATION_DELAY_MS, false);
        continue;
      }
      if (diagnostics.length === 0 && !before.has(uri)) continue;
      if (diagnostics.length > 0) now.add(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of before) if (!now.has(uri) && !byUri.has(uri) && documents.get(uri)?.languageId !== 'dockercompose' && !publishedByOthers(uri, document.uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    if (now.size > 0) publishedFor.set(document.uri, now);
    else publishedFor.delete(document.uri);
  };

  const validate = (document: TextDocument, cascade = true) => {
    if (document.languageId === 'dockercompose') return validateCompose(document, cascade);
    let diagnostics;
    let documentSettings;
    try {
      publishConfigProblems(settings.configPathFor(document.uri));
      documentSettings = settings.settingsFor(document.uri);
      diagnostics = service.validate(document, documentSettings);
    } catch (error) {
      // A bug in one check must not take the server down with it.
      connection.console.error(`validation of ${document.uri} failed: ${(error as Error).stack ?? error}`);
      return;
    }
    // Only the newest text's results are published; an older run's are dropped.
    if (!isCurrent(document)) return;
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    // ShellCheck runs as a separate program: its findings join the others when it answers.
    if (!documentSettings.shellcheck || document.languageId !== 'dockerfile') return;
    const ruleDiagnostics = diagnostics;
    service.shellCheck(document, documentSettings).then(
      (found) => {
        if (found.length > 0 && isCurrent(document)) void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [...ruleDiagnostics, ...found] });
      },
      (error: Error) => connection.console.error(`ShellCheck on ${document.uri} failed: ${error.stack ?? error}`),
    );
  };

  /** Documents whose next validation also re-checks the other open files of their compose project. */
  const cascading = new Set<string>();
  const schedule = (document: TextDocument, delay: number, cascade = true) => {
    clearTimeout(pending.get(document.uri));
    if (cascade) cascading.add(document.uri);
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        const latest = documents.get(document.uri);
        const cascadeNow = cascading.delete(document.uri);
        if (latest) validate(latest, cascadeNow);
      }, delay),
    );
  };

  const revalidateAll = () => {
    for (const uri of [...publishedConfigs]) {
      publishedConfigs.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    for (const document of documents.all()) schedule(document, 0);
  };

  connection.onNotification(KNOWN_IMAGES_NOTIFICATION, (params) => service.setKnownImages(parseKnownImages(params)));

  /** Runs a feature on an open document; a bug in it answers nothing rather than taking the server down. */
  const feature = <T>(name: string, uri: string, empty: T, run: (document: TextDocument) => T): T => {
    const document = documents.get(uri);
    if (!document) return empty;
    try {
      return run(document);
    } catch (error) {
      connection.console.error(`${name} on ${uri} failed: ${(error as Error).stack ?? error}`);
      return empty;
    }
  };
  connection.onCompletion(({ textDocument, position, context }) =>
    feature('completion', textDocument.uri, null, (document) => service.complete(document, position, { snippetSupport, ...(context?.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {}) })),
  );
  connection.onSignatureHelp(({ textDocument, position }) => feature('signature help', textDocument.uri, null, (document) => service.signatureHelp(document, position)));
  connection.onHover(({ textDocument, position }) => feature('hover', textDocument.uri, null, (document) => service.hover(document, position)));
  connection.onDefinition(({ textDocument, position }) => feature('definition', textDocument.uri, [], (document) => service.definition(document, position)));
  connection.onReferences(({ textDocument, position, context }) => feature('references', textDocument.uri, [], (document) => service.references(document, position, context.includeDeclaration)));
  connection.onDocumentHighlight(({ textDocument, position }) => feature('highlight', textDocument.uri, [], (document) => service.highlights(document, position)));
  connection.onDocumentSymbol(({ textDocument }) => feature('symbols', textDocument.uri, [], (document) => service.documentSymbols(document)));
  connection.onFoldingRanges(({ textDocument }) => feature('folding', textDocument.uri, [], (document) => service.foldingRanges(document, foldingRangeLimit)));
  connection.onSelectionRanges(({ textDocument, positions }) => feature('selection ranges', textDocument.uri, [], (document) => service.selectionRanges(document, positions)));
  connection.languages.semanticTokens.on(({ textDocument }) => feature('semantic tokens', textDocument.uri, { data: [] }, (document) => service.semanticTokens(document)));
  connection.languages.semanticTokens.onRange(({ textDocument, range }) => feature('semantic tokens', textDocument.uri, { data: [] }, (document) => service.semanticTokens(document, range)));
  connection.onDocumentLinks(({ textDocument }) =>
    feature('links', textDocument.uri, [], (document) => {
      if (!document.uri.startsWith('file:')) return service.documentLinks(document);
      const context = dirname(fileURLToPath(document.uri));
      // Only regular files: a COPY of a directory is not something to open. Compose files ask with absolute paths.
      return service.documentLinks(document, (path) => statSync(isAbsolute(path) ? path : join(context, path), { throwIfNoEntry: false })?.isFile() ?? false);
    }),
  );
  connection.onDocumentFormatting(({ textDocument, options }) => feature('formatting', textDocument.uri, [], (document) => service.format(document, options)));
  connection.onDocumentRangeFormatting(({ textDocument, range, options }) => feature('formatting', textDocument.uri, [], (document) => service.format(document, options, range)));
  connection.onDocumentOnTypeFormatting(({ textDocument, position, ch, options }) => feature('formatting', textDocument.uri, [], (document) => service.formatOnType(document, position, ch, options)));
  connection.onPrepareRename(({ textDocument, position }) => {
    const outcome = feature('prepare rename', textDocument.uri, null, (document) => service.prepareRename(document, position));
    // The reason is shown to the user by the editor.
    if (outcome && isRenameRefusal(outcome)) throw new ResponseError(ErrorCodes.InvalidRequest, outcome.error);
    return outcome;
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const outcome = feature('rename', textDocument.uri, null, (document) => service.rename(document, position, newName));
    if (outcome && isRenameRefusal(outcome)) throw new ResponseError(ErrorCodes.InvalidRequest, outcome.error);
    return outcome;
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    try {
      return service.codeActions(document, params.context.diagnostics);
    } catch (error) {
      connection.console.error(`code actions for ${document.uri} failed: ${(error as Error).stack ?? error}`);
      return [];
    }
  });

  documents.onDidChangeContent(({ document }) => schedule(document, document.version <= 1 ? 0 : VALIDATION_DELAY_MS));
  documents.onDidClose(({ document }) => {
    service.forget(document.uri);
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    cascading.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    if (document.languageId !== 'dockercompose') return;
    const others = publishedFor.get(document.uri);
    publishedFor.delete(document.uri);
    for (const uri of others ?? []) if (documents.get(uri)?.languageId !== 'dockercompose' && !publishedByOthers(uri, document.uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    // The open compose files of its project now show what it contributed to theirs, or what it had in it.
    for (const open of documents.all()) if (open.uri !== document.uri && open.languageId === 'dockercompose') schedule(open, 0, false);
  });

  documents.listen(connection);
  connection.listen();
}
