// A private Podman API service (`podman system service`) for tests of the
// daemon against Podman's Docker-compatible API. Everything it has lives under
// /tmp/berth-podman-XXXX: storage (vfs, which works on any file system,
// overlay included), run root, events log, network configuration, socket. Its
// configuration is written there too and handed to podman through
// CONTAINERS_CONF, CONTAINERS_STORAGE_CONF and CONTAINERS_REGISTRIES_CONF, with
// HOME and the XDG folders pointed inside, so whatever /etc/containers or a
// user's ~/.config/containers say is never read: a fresh machine with the
// Debian package behaves as this one. Needs root.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEndpoint } from '../../runtime/src/engine/endpoint';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE } from './engine';

const PODMAN_PROGRAM = 'podman';
const BUSYBOX = '/bin/busybox';

/** Why a private Podman service cannot run here; undefined when it can. */
export function podmanUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a private Podman service needs root';
  if (spawnSync(PODMAN_PROGRAM, ['--version']).status !== 0) return `${PODMAN_PROGRAM} is not installed (Debian package podman; run: bash scripts/engine-setup.sh)`;
  if (spawnSync(BUSYBOX, ['true']).status !== 0) return `the base image needs ${BUSYBOX} (Debian package busybox-static)`;
  return undefined;
}

/**
 * Undefined when Podman tests can run; otherwise the reason to skip them, said
 * loudly on stderr. Under CI=true a Podman that cannot run is a failure
 * (scripts/engine-setup.sh installs it), as a missing dockerd is.
 */
export function podmanSkipReason(): string | undefined {
  const problem = podmanUnavailable();
  if (!problem) return undefined;
  if (process.env.CI === 'true') throw new Error(`CI=true but Podman tests cannot run: ${problem}`);
  const reason = `NO PODMAN: ${problem}; Podman tests skipped (they fail under CI=true)`;
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

export class PodmanService {
  readonly socketPath: string;
  /** `unix://…`, as the daemon's endpoints and podman's CLI name it. */
  readonly url: string;
  readonly logPath: string;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  private constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.socketPath = join(dir, 'podman.sock');
    this.url = `unix://${this.socketPath}`;
    this.logPath = join(dir, 'service.log');
  }

  /**
   * A service holding the tests' base image, answering on its socket. Nothing
   * is pulled: busybox from the host is imported as scripts/engine-setup.sh
   * does for Docker (Podman names it `localhost/<BASE_IMAGE>`).
   */
  static async start(): Promise<PodmanService> {
    const dir = mkdtempSync('/tmp/berth-podman-');
    const service = new PodmanService(dir, writeConfiguration(dir));
    try {
      service.importBaseImage();
      await service.serve();
      return service;
    } catch (error) {
      await service.stop();
      throw error;
    }
  }

  endpoint(id = 'podman'): EngineEndpoint {
    return { id, url: this.url, source: 'test: private podman service', socketPath: this.socketPath };
  }

  client(): EngineHttpClient {
    return new EngineHttpClient({ url: this.url, source: 'test', socketPath: this.socketPath });
  }

  /** Runs the podman CLI on this service's storage and configuration; its stdout. */
  podman(args: string[], input?: Buffer): string {
    const result = spawnSync(PODMAN_PROGRAM, args, { env: this.env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`podman ${args.join(' ')}: ${result.stderr || result.error?.message}`);
    return result.stdout;
  }

  /** Removes its containers, stops the service and removes everything it had. */
  async stop(): Promise<void> {
    try {
      this.podman(['rm', '--all', '--force', '--time', '0']);
    } catch (error) {
      process.stderr.write(`podman: could not remove its containers (${(error as Error).message})\n`);
    }
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
    process.off('exit', this.killOnExit);
    this.endLingeringConmons();
    const mounts = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((path) => path === this.dir || path.startsWith(`${this.dir}/`));
    for (const path of mounts.reverse()) spawnSync('umount', [path]);
    // A process killed just now may still be writing its last files there: retried until the folder empties.
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }

  private importBaseImage(): void {
    const rootfs = join(this.dir, 'rootfs');
    for (const sub of ['bin', 'tmp', 'etc']) mkdirSync(join(rootfs, sub), { recursive: true });
    copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
    const applets = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((name) => name && name !== 'busybox');
    for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet));
    writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar of the base image: ${tar.stderr}`);
    const policy = join(this.dir, 'policy.json');
    this.podman(['import', '--signature-policy', policy, '-q', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/bin/sh"]', '-c', 'LABEL berth.test.base=1', '-', BASE_IMAGE], tar.stdout);
    rmSync(rootfs, { recursive: true, force: true });
  }

  /** Starts `podman system service` on its socket and waits until it answers. */
  private async serve(): Promise<void> {
    const log = openSync(this.logPath, 'a');
    const child = spawn(PODMAN_PROGRAM, ['system', 'service', '--time=0', this.url], { env: this.env, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    process.once('exit', this.killOnExit);
    const client = this.client();
    const deadline = Date.now() + 30_000;
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the podman service exited (${child.exitCode}): ${readFileSync(this.logPath, 'utf8').slice(-1000)}`);
        try {
          await client.negotiate();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`the podman service did not answer within 30 s (${(error as Error).message}): ${readFileSync(this.logPath, 'utf8').slice(-1000)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      client.dispose();
    }
  }

  /**
   * The conmon of each exec session waits 5 minutes (containers.conf
   * exit_command_delay, which keeps the session's exit code readable) before
   * its clean-up, outliving the service: ended here by pid, picked by this
   * service's folder on their command lines.
   */
  private endLingeringConmons(): void {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let commandLine: string;
      try {
        commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (commandLine.startsWith('/usr/bin/conmon\0') && commandLine.includes(`${this.dir}/`)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }
}

/** Writes the configuration podman reads into `dir`; the environment that points podman there. */
function writeConfiguration(dir: string): NodeJS.ProcessEnv {
  const at = (...parts: string[]) => join(dir, ...parts);
  for (const folder of ['home', 'config', 'runtime']) mkdirSync(at(folder), { mode: 0o700 });
  writeFileSync(at('storage.conf'), ['[storage]', 'driver = "vfs"', `runroot = "${at('run')}"`, `graphroot = "${at('root')}"`, ''].join('\n'));
  writeFileSync(
    at('containers.conf'),
    [
      '[containers]',
      // As root, Podman gives each container RLIMIT_NOFILE and RLIMIT_NPROC at its own
      // idea of the maximum, and runc may not set them in a container that lacks
      // CAP_SYS_RESOURCE ("error setting rlimit type 7: operation not permitted").
      // Limits no higher than our hard ones are always allowed.
      `default_ulimits = ["nofile=${belowHardLimit('Max open files', 1024)}", "nproc=${belowHardLimit('Max processes', 4096)}"]`,
      '[engine]',
      // journald, the default events backend, and systemd, the default cgroup manager,
      // may be absent (they are in CI); a file of its own also keeps the events private.
      'events_logger = "file"',
      `events_logfile_path = "${at('events.log')}"`,
      'cgroup_manager = "cgroupfs"',
      `tmp_dir = "${at('tmp')}"`,
      '[network]',
      `network_config_dir = "${at('networks')}"`,
      '',
    ].join('\n'),
  );
  // Nothing here is pulled; no registry is searched for a short name.
  writeFileSync(at('registries.conf'), 'unqualified-search-registries = []\n');
  // Importing goes through the signature policy, which has no environment variable: `--signature-policy` names it.
  writeFileSync(at('policy.json'), `${JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] })}\n`);
  return {
    ...process.env,
    CONTAINERS_CONF: at('containers.conf'),
    CONTAINERS_STORAGE_CONF: at('storage.conf'),
    CONTAINERS_REGISTRIES_CONF: at('registries.conf'),
    HOME: at('home'),
    XDG_CONFIG_HOME: at('config'),
    XDG_DATA_HOME: at('home'),
    XDG_RUNTIME_DIR: at('runtime'),
  };
}

/** `N:N` for a ulimit: `wanted`, or this process's hard limit named `name` in /proc/self/limits when that is lower. */
function belowHardLimit(name: string, wanted: number): string {
  const hard = new RegExp(`^${name}\\s+\\S+\\s+(\\d+)`, 'm').exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  const limit = hard === undefined ? wanted : Math.min(wanted, Number(hard));
  return `${limit}:${limit}`;
}
