// The `berth` command: parses the command line and hands over to the server
// (lint, lsp) or the runtime (daemon). Heavy modules load only for their command.
import { LSP_USAGE, USAGE, UsageError } from './usage';

declare const BERTH_VERSION: string;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case '-v':
    case '--version':
    case 'version':
      process.stdout.write(`berth ${BERTH_VERSION}\n`);
      return 0;
    case 'lint': {
      const { runLint } = await import('./lintCommand');
      return runLint(rest);
    }
    case 'lsp': {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(LSP_USAGE + '\n');
        return 0;
      }
      const transports = rest.filter((arg) => arg === '--stdio' || arg === '--node-ipc' || /^--socket=\d+$/.test(arg));
      const unknown = rest.filter((arg) => !transports.includes(arg) && !/^--clientProcessId=\d+$/.test(arg));
      if (unknown.length > 0) throw new UsageError(`unknown option "${unknown[0]}" for berth lsp`, LSP_USAGE);
      if (transports.length !== 1) throw new UsageError('berth lsp needs exactly one transport: --stdio, --node-ipc or --socket=PORT', LSP_USAGE);
      // The server runs with the Node flags the extension starts it with. Not over --node-ipc:
      // the channel a client made with fork() reaches this process only.
      const { LANGUAGE_SERVER_NODE_FLAGS } = await import('../../server/src/lsp/nodeFlags');
      const { rerunWithNodeFlags, startedWith } = await import('./rerun');
      if (transports[0] !== '--node-ipc' && !startedWith(LANGUAGE_SERVER_NODE_FLAGS)) return rerunWithNodeFlags(LANGUAGE_SERVER_NODE_FLAGS);
      const { createConnection, ProposedFeatures } = await import('vscode-languageserver/node');
      const { startLanguageServer } = await import('../../server/src/lsp/server');
      startLanguageServer(createConnection(ProposedFeatures.all));
      return new Promise<number>(() => undefined); // runs until the client ends the connection
    }
    case 'ps': {
      const { runPs } = await import('./psCommand');
      return runPs(rest);
    }
    case 'daemon': {
      const { parseDaemonArgs, runDaemon, UsageError: DaemonUsageError, DAEMON_USAGE } = await import('../../runtime/src/daemonCommand');
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(DAEMON_USAGE + '\n');
        return 0;
      }
      try {
        const options = parseDaemonArgs(rest);
        // The daemon runs with the same Node flags as when the extension starts it.
        const { DAEMON_NODE_FLAGS } = await import('../../runtime/src/protocol/launcher');
        const { rerunWithNodeFlags, startedWith } = await import('./rerun');
        if (!startedWith(DAEMON_NODE_FLAGS)) return await rerunWithNodeFlags(DAEMON_NODE_FLAGS);
        return await runDaemon(options);
      } catch (error) {
        if (error instanceof DaemonUsageError) throw new UsageError(error.message, DAEMON_USAGE);
        throw error;
      }
    }
    default:
      throw new UsageError(command.startsWith('-') ? `unknown option "${command}"` : `unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`berth: ${error.message}\n\n${error.usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`berth: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
