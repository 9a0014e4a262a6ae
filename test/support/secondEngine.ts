// A second, private dockerd for tests that must stop, restart or reconfigure
// an engine (faults, Swarm) without touching the machine's main one, which
// other tests are using. It has its own socket, data, exec root and pid file
// under /tmp/berth-fault-XXXX, its own bridge interface, no iptables rules,
// and the vfs storage driver (works on any file system, including overlay).
// Needs root. Never `--bridge=none`: a dockerd started so deletes the host's
// docker0 interface, cutting the main engine's containers off the network.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEndpoint } from '../../runtime/src/engine/endpoint';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { BASE_IMAGE } from './engine';

/** Why a second engine cannot be started here, or undefined when it can. */
export function secondEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a second dockerd needs root';
  if (spawnSync('dockerd', ['--version']).status !== 0) return 'dockerd is not installed';
  if (spawnSync('ip', ['-V']).status !== 0) return 'the ip program (iproute2) is not installed';
  return undefined;
}

export class SecondEngine {
  readonly dir = mkdtempSync('/tmp/berth-fault-');
  readonly socketPath = join(this.dir, 'docker.sock');
  readonly url = `unix://${this.socketPath}`;
  readonly logPath = join(this.dir, 'dockerd.log');
  /** This engine's own bridge (interface names have at most 15 characters) on a subnet of its own. */
  readonly bridge = `berth${randomBytes(4).toString('hex')}`;
  private readonly bridgeAddress = `10.213.${randomBytes(1)[0]}.1/24`;
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private readonly killOnExit = () => this.process?.kill('SIGKILL');

  constructor(private readonly extraArgs: string[] = []) {
    // dockerd reads /etc/docker/daemon.json unless told otherwise; this one answers to nobody else's settings.
    writeFileSync(join(this.dir, 'daemon.json'), '{}\n');
  }

  endpoint(id = 'second'): EngineEndpoint {
    return { id, url: this.url, source: 'test: second dockerd', socketPath: this.socketPath };
  }

  client(socketPath = this.socketPath): EngineHttpClient {
    return new EngineHttpClient({ url: `unix://${socketPath}`, source: 'test', socketPath });
  }

  /** Starts dockerd (listening on `socketPath`, by default its own socket) and waits until it answers. */
  async start(socketPath = this.socketPath): Promise<void> {
    if (spawnSync('ip', ['link', 'show', this.bridge]).status !== 0) {
      for (const args of [['link', 'add', this.bridge, 'type', 'bridge'], ['addr', 'add', this.bridgeAddress, 'dev', this.bridge], ['link', 'set', this.bridge, 'up']]) {
        const result = spawnSync('ip', args, { encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
      }
    }
    const log = openSync(this.logPath, 'a');
    const args = [
      `--host=unix://${socketPath}`,
      `--data-root=${join(this.dir, 'data')}`,
      `--exec-root=${join(this.dir, 'exec')}`,
      `--pidfile=${join(this.dir, 'docker.pid')}`,
      `--config-file=${join(this.dir, 'daemon.json')}`,
      `--bridge=${this.bridge}`,
      '--iptables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      '--storage-driver=vfs',
      ...this.extraArgs,
    ];
    const child = spawn('dockerd', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    process.once('exit', this.killOnExit);
    const client = this.client(socketPath);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the second dockerd exited (${child.exitCode}); see ${this.logPath}`);
      try {
        await client.negotiate();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the second dockerd did not answer within 60 s (${(error as Error).message}); see ${this.logPath}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    client.dispose();
  }

  /** SIGTERM, as a service manager stops it; resolves once it has exited. */
  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGTERM');
    await this.exited;
    process.off('exit', this.killOnExit);
  }

  /** Copies an image from the main engine (default: the tests' base image). */
  loadImage(image = BASE_IMAGE): void {
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', 'docker save "$1" | docker -H "$2" load', 'load', image, this.url], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`could not copy ${image} into the second dockerd: ${result.stderr}`);
  }

  /**
   * Removes every container (with --live-restore they would outlive dockerd,
   * holding its directories), stops dockerd and removes everything it had.
   */
  async dispose(): Promise<void> {
    try {
      if (!this.process || this.process.exitCode !== null) await this.start();
      const client = this.client();
      const containers = await client.json<{ Id: string }[]>('GET', '/containers/json?all=1');
      for (const { Id } of containers) await client.json('DELETE', `/containers/${Id}?force=1&v=1`);
      client.dispose();
    } catch (error) {
      process.stderr.write(`second dockerd: could not remove its containers (${(error as Error).message}); see ${this.logPath}\n`);
    }
    await this.stop();
    spawnSync('ip', ['link', 'delete', this.bridge]);
    // A dockerd with --live-restore leaves its data root mounted on exit.
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '').filter((path) => path === this.dir || path.startsWith(`${this.dir}/`));
    for (const path of mounts.reverse()) spawnSync('umount', [path]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
