import { DaemonAlreadyRunningError, DaemonListenError, startDaemon, type DaemonOptions } from './daemon';
import { EndpointError, parseEngineUrl } from './engine/endpoint';

export class UsageError extends Error {}

export const DAEMON_USAGE = `usage: berth daemon [--listen unix|unix:PATH|tcp:127.0.0.1:PORT] [--engine URL]... [--no-discover] [--idle-exit SECONDS]

Runs the Berth runtime daemon in the foreground. It writes its address and token
to $XDG_RUNTIME_DIR/berth/runtime.json (else ~/.berth/runtime.json), mode 0600.
If a daemon is already running it says so and exits 0. Without --engine it serves
the engine the docker CLI would use (DOCKER_HOST, DOCKER_CONTEXT, the current
context), every other Docker or Podman socket found, and ~/.berth/engines.json.
--no-discover leaves out the other sockets found. --listen defaults to unix (a
0600 socket beside the discovery file), on Windows to tcp:127.0.0.1:0.`;

/**
 * Parses `berth daemon` arguments; throws UsageError saying what is wrong.
 * Without --listen: a unix socket, except on Windows, where Node listens on
 * named pipes rather than socket files: there it is loopback TCP on a free port.
 */
export function parseDaemonArgs(args: string[], platform: NodeJS.Platform = process.platform): DaemonOptions {
  const options: DaemonOptions = { listen: platform === 'win32' ? { kind: 'tcp', host: '127.0.0.1', port: 0 } : { kind: 'unix' } };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--listen': {
        const listen = value();
        if (listen.startsWith('unix') && platform === 'win32') throw new UsageError(`--listen "${listen}": unix sockets are not available on Windows; use tcp:127.0.0.1:PORT`);
        if (listen === 'unix') options.listen = { kind: 'unix' };
        else if (listen.startsWith('unix:')) options.listen = { kind: 'unix', socketPath: listen.slice(5) };
        else {
          const match = /^tcp:(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(listen);
          if (!match) throw new UsageError(`--listen "${listen}": expected unix, unix:PATH or tcp:127.0.0.1:PORT (loopback only)`);
          options.listen = { kind: 'tcp', host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
        }
        break;
      }
      case '--engine':
        try {
          (options.engines ??= []).push(parseEngineUrl(value(), '--engine'));
        } catch (error) {
          throw error instanceof EndpointError ? new UsageError(error.message) : error;
        }
        break;
      case '--no-discover':
        if (inline !== undefined) throw new UsageError(`--no-discover takes no value`);
        options.discoverOtherSockets = false;
        break;
      case '--idle-exit': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--idle-exit needs a number of seconds`);
        options.idleExitMs = seconds * 1000;
        break;
      }
      default:
        throw new UsageError(`unknown option "${args[i]}" for berth daemon`);
    }
  }
  return options;
}

/** Runs the daemon until SIGINT/SIGTERM or idle exit; resolves to the exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let daemon;
  try {
    daemon = await startDaemon({ ...options, log });
  } catch (error) {
    // One daemon per user: finding it running is success, not a failure.
    if (error instanceof DaemonAlreadyRunningError) {
      process.stdout.write(`${error.message}; not starting another\n`);
      return 0;
    }
    if (error instanceof DaemonListenError) {
      log(error.message);
      return 1;
    }
    throw error;
  }
  // Whoever started us may close our pipes once we are up; a late write must not kill the daemon.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.stdout.write(`listening ${daemon.discovery.url}\n`);
  const stop = () => void daemon.stop();
  // Not once: a terminal's Ctrl-C can arrive twice (from the terminal and passed on by `berth daemon`), and the second must not kill the daemon mid-cleanup.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await daemon.stopped;
  return 0;
}
