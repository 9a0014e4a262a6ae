import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Whether this process was started with every one of `flags`. */
export function startedWith(flags: readonly string[]): boolean {
  return flags.every((flag) => process.execArgv.includes(flag));
}

/**
 * Runs this same command again in a Node started with `flags` (V8 settings
 * that only take effect at start-up), in the foreground with the same stdio,
 * passing signals on; answers its exit code.
 */
export function rerunWithNodeFlags(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`berth: cannot start ${process.execPath}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
