// An engine behind ssh, reached as the docker CLI reaches it: the system ssh
// runs `docker system dial-stdio` on the remote host, and that process's
// stdin and stdout are the connection to the remote engine's socket. Using the
// system ssh means the user's keys, agent, known_hosts and ~/.ssh/config apply.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import type { SshSettings } from './endpoint';

/** The ssh argv: no password prompts (nobody could answer them), the remote's docker bridging stdio to its engine. */
export function sshArguments(ssh: SshSettings): string[] {
  return [
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=30',
    '-T',
    ...(ssh.user ? ['-l', ssh.user] : []),
    ...(ssh.port ? ['-p', String(ssh.port)] : []),
    '--',
    ssh.host,
    'docker', 'system', 'dial-stdio',
  ];
}

/**
 * A child process's stdio as a socket, enough of one for Node's HTTP client:
 * bytes written go to its stdin, its stdout is what is read, and its death
 * (with what it said on stderr) is the connection's error.
 */
export class ChildProcessSocket extends Duplex {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private stderr = '';
  private idleTimer?: NodeJS.Timeout;
  private idleMs = 0;
  readonly remoteAddress: string;
  connecting = false;

  constructor(command: string, args: string[], what: string) {
    super({ allowHalfOpen: true });
    this.remoteAddress = what;
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) this.child.stdout.pause();
    });
    // The end of its output is the end of the connection only once ssh says how it went (see 'close').
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => (this.stderr = (this.stderr + text).slice(-2000)));
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      const message = error.code === 'ENOENT' ? `the ssh program "${command}" was not found (install an OpenSSH client to reach ${what})` : `cannot run ${command} for ${what}: ${error.message}`;
      this.destroy(Object.assign(new Error(message), { code: 'ESSH' }));
    });
    this.child.on('close', (code, signal) => {
      clearTimeout(this.idleTimer);
      if (this.destroyed) return;
      const said = this.stderr.trim().split('\n').filter(Boolean).at(-1);
      if (code === 0) {
        this.push(null);
        return;
      }
      const how = code === null ? `was killed (${signal})` : `exited with status ${code}`;
      this.destroy(Object.assign(new Error(`ssh to ${what} ${how}${said ? `: ${said}` : ''}`), { code: 'ESSH' }));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    callback(error);
  }

  /** As net.Socket: emit 'timeout' after `ms` without traffic; 0 turns it off. */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.idleMs > 0 && !this.destroyed) this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
  }
}
