import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { discoveryFilePath, readDiscoveryFile, runtimeDirectory } from './discoveryFile';
import { RuntimeConnection } from './connection';
import { PROTOCOL_VERSION } from './types';

const START_TIMEOUT_MS = 15_000;
/** A daemon we started goes away on its own once no window has used it for this long. */
const IDLE_EXIT_SECONDS = 600;

/**
 * Node flags the daemon runs with, wherever it is started (this launcher,
 * `berth daemon`, the daemon benchmark); each only takes effect at start-up.
 * Measured with test/bench/daemon.bench.ts (RSS):
 * - a 1 MB semi-space: V8 otherwise grows the young generation to 16 MB a
 *   semi-space during a burst of events and list answers, and keeps it; with
 *   1,000 containers the daemon stays about 6 MB smaller. What it allocates per
 *   message is short-lived, so scavenges stay cheap;
 * - one V8 worker thread and garbage collection on the main thread: the other
 *   workers' stacks and malloc arenas cost about 2 MB, for a heap of about
 *   10 MB, with the same throughput and list latency;
 * - no TurboFan: the first function it optimizes pages about 4 MB of the
 *   optimizing compiler's own machine code in from the runtime's binary, and
 *   they stay resident (RSS with 1,000 containers 52–53 MB against 57–58, after
 *   exec output 54–55 against 59–61). The daemon's work is engine round trips
 *   and JSON and buffer work done in native code, which Sparkplug's baseline
 *   code drives as well: in interleaved runs event latency and containers.list
 *   were unchanged; exec output cost the daemon more CPU per MB (binary frames
 *   up to a quarter, base64 up to a half), while the engine still set the pace.
 * glibc's MALLOC_ARENA_MAX (1 or 2), a fixed mmap threshold and --single-threaded
 * were measured too: none moved RSS by more than 0.5 MB.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--v8-pool-size=1', '--single-threaded-gc', '--no-turbofan'];

/** How a daemon this launcher starts should choose its engines; a running daemon keeps its own. */
export interface LaunchOptions {
  /** Serve every engine socket found beside the docker CLI's choice (default true); false passes --no-discover. */
  discover?: boolean;
}

/**
 * Connects to the running daemon named by the discovery file, or starts one from
 * the bundle and connects to it. Never talks to an engine itself.
 */
export async function connectToDaemon(daemonScript: string, log: (line: string) => void, options: LaunchOptions = {}): Promise<RuntimeConnection> {
  const existing = readDiscoveryFile(discoveryFilePath());
  if (existing && existing.protocol === PROTOCOL_VERSION) {
    try {
      const connection = await RuntimeConnection.connect(existing);
      log(`connected to the running Berth daemon (pid ${existing.pid}) at ${existing.url}`);
      return connection;
    } catch (error) {
      log(`the daemon in ${discoveryFilePath()} did not answer (${(error as Error).message}); starting a new one`);
    }
  }
  await spawnDaemon(daemonScript, options);
  const started = readDiscoveryFile(discoveryFilePath());
  if (!started) throw new Error(`the Berth daemon started but wrote no ${discoveryFilePath()}`);
  const connection = await RuntimeConnection.connect(started);
  log(`started the Berth daemon (pid ${started.pid}) at ${started.url}`);
  return connection;
}

export function daemonLogPath(): string {
  return join(runtimeDirectory(), 'daemon.log');
}

/**
 * Spawns the daemon detached and waits for the line saying it is listening.
 * Its log goes to a file, not a pipe, because it outlives this window.
 */
function spawnDaemon(daemonScript: string, options: LaunchOptions, flags: readonly string[] = DAEMON_NODE_FLAGS): Promise<void> {
  mkdirSync(runtimeDirectory(), { recursive: true, mode: 0o700 });
  const logFd = openSync(daemonLogPath(), 'a', 0o600);
  return new Promise((resolve, reject) => {
    const args = [...flags, daemonScript, '--idle-exit', String(IDLE_EXIT_SECONDS), ...(options.discover === false ? ['--no-discover'] : [])];
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', 'pipe', logFd],
      // In VS Code's Electron host, execPath is Electron: this makes it plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const timer = setTimeout(() => finish(new Error(`the Berth daemon did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The daemon outlives this window; stop holding its pipes once it is up.
      child.stdout?.destroy();
      closeSync(logFd);
      child.unref();
      if (error) reject(error);
      else resolve();
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('listening ')) finish();
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => {
      // 9 is Node's answer to an option it does not know: a runtime (an Electron
      // build, say) without one of the memory flags still runs the daemon, without them.
      if (code === 9 && flags.length > 0 && !settled) {
        settled = true;
        clearTimeout(timer);
        closeSync(logFd);
        spawnDaemon(daemonScript, options, []).then(resolve, reject);
        return;
      }
      finish(new Error(`the Berth daemon exited with code ${code}: ${lastLines(daemonLogPath(), 3)}`));
    });
  });
}

function lastLines(path: string, count: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count).join(' | ');
  } catch {
    return '(no log)';
  }
}
