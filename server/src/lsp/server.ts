import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../service/languageService';

declare const BERTH_VERSION: string;

const VALIDATION_DELAY_MS = 150;
const version = typeof BERTH_VERSION === 'string' ? BERTH_VERSION : 'dev';

/** Wires the language service to an LSP connection; holds no language logic. */
export function startLanguageServer(connection: Connection): void {
  const service = getLanguageService();
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, NodeJS.Timeout>();

  connection.onInitialized(() => connection.console.info(`Berth language server ${version} ready (pid ${process.pid})`));
  connection.onInitialize(() => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'berth', version },
  }));

  const validate = (document: TextDocument) => {
    let diagnostics;
    try {
      diagnostics = service.validate(document);
    } catch (error) {
      // A bug in one check must not take the server down with it.
      connection.console.error(`validation of ${document.uri} failed: ${(error as Error).stack ?? error}`);
      return;
    }
    // Only the newest text's results are published; an older run's are dropped.
    if (documents.get(document.uri)?.version !== document.version) return;
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
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

  documents.onDidOpen(({ document }) => schedule(document, 0));
  documents.onDidChangeContent(({ document }) => schedule(document, VALIDATION_DELAY_MS));
  documents.onDidClose(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
