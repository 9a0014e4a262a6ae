// Entry of out/runtime/daemon.js, the program the extension spawns.
import { parseDaemonArgs, runDaemon, UsageError, DAEMON_USAGE } from './daemonCommand';

try {
  const options = parseDaemonArgs(process.argv.slice(2));
  runDaemon(options).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`berth daemon: ${error.message}\n`);
      process.exit(1);
    },
  );
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`berth daemon: ${error.message}\n${DAEMON_USAGE}\n`);
  process.exit(2);
}
