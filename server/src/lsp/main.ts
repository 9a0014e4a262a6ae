// Entry of out/server/server.js. The transport (--node-ipc from VS Code, --stdio
// from other editors) is picked from the command line by createConnection.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './server';

startLanguageServer(createConnection(ProposedFeatures.all));
