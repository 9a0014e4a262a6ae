// A private image registry for pull and push tests: the CNCF distribution
// registry from Debian's docker-registry package, on a port the kernel picks
// on 127.0.0.1 (which Docker treats as an insecure registry without any
// daemon configuration), storing into a temporary folder that is removed with
// it. Optionally behind HTTP basic auth from an htpasswd file (bcrypt, made
// by apache2-utils' htpasswd, the only hash the registry accepts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REGISTRY_PROGRAM = 'docker-registry';
const HTPASSWD_PROGRAM = 'htpasswd';

/** Why a private registry (with `auth`: one with basic auth) cannot run here; undefined when it can. */
export function registryUnavailable(options: { auth?: boolean } = {}): string | undefined {
  if (spawnSync(REGISTRY_PROGRAM, ['--version']).error) return `${REGISTRY_PROGRAM} is not installed (Debian package docker-registry; run: bash scripts/engine-setup.sh)`;
  if (options.auth && spawnSync(HTPASSWD_PROGRAM, ['-h']).error) return `${HTPASSWD_PROGRAM} is not installed (Debian package apache2-utils)`;
  return undefined;
}

export interface RegistryUser {
  username: string;
  password: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export class PrivateRegistry {
  /** `127.0.0.1:PORT`, as image references and the docker CLI's credentials name it. */
  readonly host: string;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    port: number,
    private readonly exited: Promise<void>,
    readonly user: RegistryUser | undefined,
  ) {
    this.host = `127.0.0.1:${port}`;
  }

  /**
   * Starts a registry and resolves once `/v2/` answers. With `user` it asks
   * for that user's password (basic auth) on every request.
   */
  static async start(options: { user?: RegistryUser } = {}): Promise<PrivateRegistry> {
    const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
    try {
      let auth = '';
      if (options.user) {
        const hashed = spawnSync(HTPASSWD_PROGRAM, ['-B', '-i', '-n', options.user.username], { input: options.user.password, encoding: 'utf8' });
        if (hashed.status !== 0) throw new Error(`${HTPASSWD_PROGRAM} failed: ${hashed.stderr || hashed.error?.message}`);
        writeFileSync(join(dir, 'htpasswd'), hashed.stdout);
        auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
      }
      const config = [
        'version: 0.1',
        'log:',
        '  level: info', // the "listening on" line is at info
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(dir, 'data')}`,
        '  delete:',
        '    enabled: true',
        '  maintenance:',
        '    uploadpurging:',
        '      enabled: false',
        'http:',
        // Port 0: the kernel picks a free one, so two test files never race for a port.
        '  addr: 127.0.0.1:0',
        `  secret: ${randomBytes(16).toString('hex')}`,
        auth,
      ].join('\n');
      writeFileSync(join(dir, 'config.yml'), config);
      const child = spawn(REGISTRY_PROGRAM, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const port = await listeningPort(child);
      const registry = new PrivateRegistry(child, dir, port, exited, options.user);
      process.once('exit', registry.killOnExit);
      const answer = await registry.get('/v2/', { anonymous: true });
      if (answer.status !== (options.user ? 401 : 200)) {
        await registry.stop();
        throw new Error(`the registry on ${registry.host} answered /v2/ with HTTP ${answer.status}: ${answer.body}`);
      }
      return registry;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** A GET on the registry's HTTP API, as the registry's user when it has one (unless `anonymous`). */
  get(path: string, options: { anonymous?: boolean } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { Accept: 'application/vnd.docker.distribution.manifest.v2+json' };
    if (this.user && !options.anonymous) headers.Authorization = `Basic ${Buffer.from(`${this.user.username}:${this.user.password}`).toString('base64')}`;
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(this.host.split(':')[1]), path, headers }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The tags of a repository (`/v2/<name>/tags/list`), empty when the registry has none of it. */
  async tags(repository: string): Promise<string[]> {
    const answer = await this.get(`/v2/${repository}/tags/list`);
    if (answer.status === 404) return [];
    if (answer.status !== 200) throw new Error(`the registry on ${this.host} answered tags/list of ${repository} with HTTP ${answer.status}: ${answer.body}`);
    return (JSON.parse(answer.body) as { tags: string[] | null }).tags ?? [];
  }

  /** Stops the registry and removes everything it stored. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
    process.off('exit', this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private readonly killOnExit = () => this.child.kill('SIGKILL');
}

/** The port from the registry's "listening on 127.0.0.1:PORT" log line; rejects if it exits first. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`${REGISTRY_PROGRAM} did not start listening within 30 s; its log: ${log.slice(-1000)}`)), 30_000);
    const onData = (text: string) => {
      log += text;
      const found = /msg="listening on 127\.0\.0\.1:(\d+)"/.exec(log);
      if (!found) return;
      finish();
      // Keep reading so a full pipe never blocks the registry.
      child.stderr!.resume();
      resolve(Number(found[1]));
    };
    const onExit = (code: number | null) => fail(new Error(`${REGISTRY_PROGRAM} exited (${code}) before listening; its log: ${log.slice(-1000)}`));
    const finish = () => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(error: Error) {
      finish();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}
