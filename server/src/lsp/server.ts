import { CodeActionKind, DidChangeConfigurationNotification, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../service/languageService';
import { DocumentSettings, type EditorDockerfileSettings } from './documentSettings';

declare const BERTH_VERSION: string;

const VALIDATION_DELAY_MS = 150;
const version = typeof BERTH_VERSION === 'string' ? BERTH_VERSION : 'dev';

/** Wires the language service to an LSP connection; holds no language logic. */
export function startLanguageServer(connection: Connection): void {
  const service = getLanguageService({ onInternalError: (message) => connection.console.error(message) });
  const documents = new TextDocuments(TextDocument);
  const settings = new DocumentSettings();
  const pending = new Map<string, NodeJS.Timeout>();
  /** Config files whose problems are on screen, so they can be cleared when fixed. */
  const publishedConfigs = new Set<string>();
  let canPullConfiguration = false;

  connection.onInitialize((params) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    settings.setWorkspaceFolders((params.workspaceFolders ?? []).map((folder) => folder.uri).concat(params.rootUri ? [params.rootUri] : []));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
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

  const validate = (document: TextDocument) => {
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

  const schedule = (document: TextDocument, delay: number) => {
    clearTimeout(pending.get(document.uri));
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        const latest = documents.get(document.uri);
        if (latest) validate(latest);
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
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
