import { window, workspace, type ExtensionContext } from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

export const LANGUAGE_SERVER_NAME = 'Berth Language Server';

/** Starts the bundled language server over IPC; resolves once it has initialized. */
export async function startLanguageClient(context: ExtensionContext): Promise<LanguageClient> {
  // Required here, not at the top: the library is two thirds of the bundle, and
  // initializing it on the activation path would count towards activation time.
  const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
  const module = context.asAbsolutePath('out/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'dockerfile' },
      { language: 'dockercompose' },
    ],
    // The server re-reads .hadolint.yaml and .dockerignore files when they change on disk.
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{.hadolint.yaml,.hadolint.yml,.dockerignore,*.dockerignore}') },
    // The library creates its channel lazily on first output; users look for it from the start.
    outputChannel: window.createOutputChannel(LANGUAGE_SERVER_NAME),
  };
  const client = new LanguageClient('berth', LANGUAGE_SERVER_NAME, serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
