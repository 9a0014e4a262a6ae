import { Uri, window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/lsp/nodeFlags';

export const LANGUAGE_SERVER_NAME = 'Berth Language Server';

// Bundled on its own (out/client/languageClient.js, see scripts/build.mjs): the
// library is two thirds of the client's code, and extension.js requires this
// module only once activate has returned, so none of it counts as activation.

/** Starts the bundled language server over IPC; resolves once it has initialized. */
export async function startLanguageClient(context: ExtensionContext): Promise<LanguageClient> {
  // start.js runs server.js through a code cache kept with the extension's other global state:
  // after the first start, the server starts and lints its first file without compiling its code again.
  const codeCache = Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: context.asAbsolutePath('out/server/start.js'), args: [`--code-cache-dir=${codeCache}`], transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS] } },
    debug: { module: context.asAbsolutePath('out/server/server.js'), transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
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
