// container.files.*: a file explorer over a container's filesystem. Reading,
// listing, writing and making folders go through the archive API, which works
// in any container, running or not, with or without a shell; deleting and
// renaming have no API, so they run `rm` or `mv` in the container, as argv
// arrays (never a shell line), which needs it running with those programs.
import { posix } from 'node:path';
import type { Engine } from '../engine/engine';
import { EngineRequestError } from '../engine/httpClient';
import { RuntimeErrorCode, type FileEntry } from '../protocol/types';
import { readParams } from '../server/params';
import { RpcError, type RpcServer } from '../server/rpcServer';
import { Demultiplexer } from '../streams/demux';
import { absolutePath, call, invalid, type EngineLookup } from './engineCall';
import { readTar, tarOf, TarFormatError, type TarEntry, type TarEntryType } from './tar';

/** Larger files are refused by container.files.read: they would travel base64 in one message. */
export const MAX_READ_BYTES = 50 * 1024 * 1024;
const MAX_LINK_HOPS = 16;
/** Past this much archive, listing a running container's folder asks it for the names instead. */
export const LIST_ARCHIVE_BYTES = 4 * 1024 * 1024;

/** The archive API's stat: Go FileMode bits and an RFC 3339 time. */
interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

const bit = (mode: number, n: number) => Math.floor(mode / 2 ** n) % 2 === 1;

function fromPathStat(stat: PathStat): FileEntry {
  // Go's os.FileMode: 31 directory, 27 symlink, 26 device, 25 named pipe, 24 socket, 21 char device, 19 irregular.
  const type = bit(stat.mode, 31) ? 'directory' : bit(stat.mode, 27) ? 'symlink' : [26, 25, 24, 21, 19].some((n) => bit(stat.mode, n)) ? 'other' : 'file';
  return {
    name: stat.name,
    type,
    size: stat.size,
    mtime: Date.parse(stat.mtime),
    mode: (stat.mode % 0o1000) + (bit(stat.mode, 23) ? 0o4000 : 0) + (bit(stat.mode, 22) ? 0o2000 : 0) + (bit(stat.mode, 20) ? 0o1000 : 0),
    ...(type === 'symlink' && stat.linkTarget ? { linkTarget: stat.linkTarget } : {}),
  };
}

/** A folder's entry from its archive; a symlink's target made absolute, as the engine's stat gives it. */
function fromTarEntry(entry: TarEntry, name: string, folder: string): FileEntry {
  const types: Record<TarEntryType, FileEntry['type']> = { file: 'file', hardlink: 'file', directory: 'directory', symlink: 'symlink', other: 'other' };
  return {
    name,
    type: types[entry.type],
    size: entry.size,
    mtime: entry.mtime,
    mode: entry.mode,
    ...(entry.type === 'symlink' && entry.linkTarget ? { linkTarget: posix.resolve(folder, entry.linkTarget) } : {}),
  };
}

export const fileError = (code: number, message: string) => new RpcError(code, message);

class Files {
  constructor(
    private readonly method: string,
    private readonly engine: Engine,
    private readonly container: string,
  ) {}

  private archivePath(path: string): string {
    return `/containers/${encodeURIComponent(this.container)}/archive?path=${encodeURIComponent(path)}`;
  }

  /** One path's entry (a symlink itself, not its target), or undefined when nothing is there. */
  async stat(path: string): Promise<FileEntry | undefined> {
    const response = await call(this.method, () => this.engine.client.send('HEAD', this.archivePath(path), undefined, {}, 30_000));
    response.resume();
    const status = response.statusCode ?? 500;
    if (status === 404) {
      // The container itself may be what is missing.
      await call(this.method, () => this.engine.client.json('GET', `/containers/${encodeURIComponent(this.container)}/json`));
      return undefined;
    }
    if (status >= 400) throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: the engine answered HTTP ${status} for ${path}`, { status });
    const header = response.headers['x-docker-container-path-stat'];
    if (typeof header !== 'string') throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: the engine sent no stat for ${path}`);
    return fromPathStat(JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat);
  }

  async existing(path: string): Promise<FileEntry> {
    const entry = await this.stat(path);
    if (!entry) throw fileError(RuntimeErrorCode.FileNotFound, `${this.method}: no such file or folder: ${path}`);
    return entry;
  }

  /** Follows symlinks (as the engine reports their targets, absolute) to what they name. */
  async resolved(path: string): Promise<{ path: string; entry: FileEntry }> {
    let current = path;
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const entry = await this.existing(current);
      if (entry.type !== 'symlink' || !entry.linkTarget) return { path: current, entry };
      current = posix.resolve(posix.dirname(current), entry.linkTarget);
    }
    throw invalid(`${this.method}: too many levels of symbolic links at ${path}`);
  }

  async list(path: string): Promise<FileEntry[]> {
    const target = await this.resolved(path);
    if (target.entry.type !== 'directory') throw fileError(RuntimeErrorCode.FileNotADirectory, `${this.method}: not a folder: ${path}`);
    // The archive holds everything below the folder. Most folders are small, and the archive works in
    // any container; past a few MiB, a running container is asked for the names instead.
    const response = await this.archive(target.path);
    let bytes = 0;
    let decided = false;
    let switched = false;
    const running = () => this.running();
    const metered = (async function* () {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > LIST_ARCHIVE_BYTES && !decided) {
          decided = true;
          if (await running()) {
            switched = true;
            response.destroy();
            return;
          }
        }
        yield chunk;
      }
    })();
    let entries: FileEntry[] = [];
    try {
      entries = await this.childrenIn(target.path, metered, response);
    } catch (error) {
      if (!switched) throw error;
    }
    if (switched) {
      // Without `find` in the container, the whole archive after all.
      entries = (await this.listByName(target.path)) ?? (await this.archive(target.path).then((again) => this.childrenIn(target.path, again, again)));
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The entries of a folder's archive that are its own children. */
  private async childrenIn(folder: string, source: AsyncIterable<Buffer>, response: { destroy(): void }): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    let prefix: string | undefined;
    await this.readArchive(source, response, (entry) => {
      if (prefix === undefined) {
        // The first entry is the folder itself, `/` for the root and its base name otherwise.
        prefix = entry.name === '' ? '/' : `${entry.name}/`;
        return false;
      }
      const rest = entry.name.startsWith(prefix) ? entry.name.slice(prefix.length) : '';
      if (rest && !rest.includes('/')) entries.push(fromTarEntry(entry, rest, folder));
      return false;
    });
    return entries;
  }

  async read(path: string): Promise<Buffer> {
    const target = await this.resolved(path);
    if (target.entry.type === 'directory') throw fileError(RuntimeErrorCode.FileIsADirectory, `${this.method}: ${path} is a folder`);
    if (target.entry.size > MAX_READ_BYTES) throw fileError(RuntimeErrorCode.FileTooLarge, `${this.method}: ${path} is ${target.entry.size} bytes; files over ${MAX_READ_BYTES} bytes (50 MiB) are not read (copy it out of the container instead)`);
    const response = await this.archive(target.path);
    let content: Buffer | undefined;
    await this.readArchive(response, response, (entry) => content === undefined && entry.type === 'file', (_entry, data) => (content ??= data));
    if (content === undefined) throw fileError(RuntimeErrorCode.FileNotFound, `${this.method}: ${path} is not a regular file`);
    return content;
  }

  /** Puts a one-entry archive into the folder holding `path`. */
  async put(path: string, entry: Omit<TarEntry, 'name' | 'size'>, data?: Buffer): Promise<void> {
    const folder = posix.dirname(path);
    const archive = tarOf([{ entry: { ...entry, name: posix.basename(path), size: data?.length ?? 0 }, ...(data ? { data } : {}) }]);
    const response = await call(this.method, () =>
      this.engine.client.send('PUT', `${this.archivePath(folder)}&noOverwriteDirNonDir=true`, archive, { 'Content-Type': 'application/x-tar', 'Content-Length': String(archive.length) }, 60_000),
    );
    const text = await readText(response);
    const status = response.statusCode ?? 500;
    if (status === 404) throw fileError(RuntimeErrorCode.FileNotFound, `${this.method}: no folder ${folder} to put ${posix.basename(path)} in`);
    if (status === 403) throw fileError(RuntimeErrorCode.NoPermissions, `${this.method}: ${folder} is on a read-only filesystem`);
    if (status >= 400) throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: ${engineMessage(text) || `HTTP ${status}`}`, { status });
  }

  /** Runs a program in the container (argv, no shell): its output and exit code. */
  private async exec(argv: string[]): Promise<{ stdout: Buffer; stderr: string; exitCode: number | undefined }> {
    let created: { Id: string };
    try {
      created = await this.engine.client.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(this.container)}/exec`, { AttachStdout: true, AttachStderr: true, Tty: false, Cmd: argv });
    } catch (error) {
      if (error instanceof EngineRequestError && error.status === 409) {
        throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: the container is not running; start it first (the Engine API has no call for this, so it runs ${argv[0]} in the container)`, { status: 409 });
      }
      throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: ${(error instanceof EngineRequestError && error.engineMessage) || (error as Error).message}`, error instanceof EngineRequestError ? { status: error.status } : undefined);
    }
    const { socket, head } = await call(this.method, () => this.engine.client.upgrade('POST', `/exec/${encodeURIComponent(created.Id)}/start`, { Detach: false, Tty: false }));
    const output = await new Promise<{ stdout: Buffer; stderr: string }>((resolve) => {
      const stdout: Buffer[] = [];
      let stderr = '';
      const demux = new Demultiplexer((channel, data) => {
        if (channel === 'stderr') stderr += data.toString('utf8');
        else stdout.push(Buffer.from(data));
      });
      socket.on('data', (chunk: Buffer) => demux.push(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ stdout: Buffer.concat(stdout), stderr: stderr.trim() }));
      demux.push(head);
      socket.end();
      socket.resume();
    });
    let exitCode: number | null | undefined;
    for (let attempt = 0; attempt < 40 && (exitCode === undefined || exitCode === null); attempt++) {
      const exec = await call(this.method, () => this.engine.client.json<{ Running?: boolean; ExitCode?: number | null }>('GET', `/exec/${encodeURIComponent(created.Id)}/json`));
      if (!exec.Running) exitCode = exec.ExitCode;
      if (exitCode === undefined || exitCode === null) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return { ...output, exitCode: exitCode ?? undefined };
  }

  /** Runs a program in the container and fails with its error output unless it exits 0. */
  async run(argv: string[]): Promise<void> {
    const { stderr, exitCode } = await this.exec(argv);
    if (exitCode === 0) return;
    if (exitCode === 126 || exitCode === 127 || /executable file not found|no such file or directory: unknown/i.test(stderr)) {
      throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: the container has no ${argv[0]} program to do this`);
    }
    const code = /permission denied|read-only file system/i.test(stderr) ? RuntimeErrorCode.NoPermissions : RuntimeErrorCode.EngineError;
    throw new RpcError(code, `${this.method}: ${argv[0]} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${stderr || 'no message'}`);
  }

  /**
   * A large folder's entries without reading the archive of everything below
   * it: their names from `find` in the container, then each one's stat from
   * the engine. Undefined when the container cannot run `find`.
   */
  private async listByName(folder: string): Promise<FileEntry[] | undefined> {
    let found;
    try {
      found = await this.exec(['find', folder, '-mindepth', '1', '-maxdepth', '1', '-print0']);
    } catch {
      return undefined;
    }
    if (found.exitCode !== 0) return undefined;
    const names = found.stdout
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((path) => posix.basename(path));
    const entries: FileEntry[] = [];
    const STAT_CONCURRENCY = 8;
    for (let i = 0; i < names.length; i += STAT_CONCURRENCY) {
      const batch = await Promise.all(names.slice(i, i + STAT_CONCURRENCY).map((name) => this.stat(posix.join(folder, name))));
      for (const entry of batch) if (entry) entries.push(entry);
    }
    return entries;
  }

  private async running(): Promise<boolean> {
    const container = await this.engine.client.json<{ State?: { Running?: boolean } }>('GET', `/containers/${encodeURIComponent(this.container)}/json`).catch(() => undefined);
    return container?.State?.Running === true;
  }

  private async archive(path: string) {
    const response = await call(this.method, () => this.engine.client.send('GET', this.archivePath(path)));
    if ((response.statusCode ?? 500) >= 400) {
      const text = await readText(response);
      if (response.statusCode === 404) throw fileError(RuntimeErrorCode.FileNotFound, `${this.method}: no such file or folder: ${path}`);
      throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: ${engineMessage(text) || `HTTP ${response.statusCode}`}`, { status: response.statusCode });
    }
    return response;
  }

  private async readArchive(source: AsyncIterable<Buffer>, response: { destroy(): void }, onEntry: (entry: TarEntry) => boolean, onData?: (entry: TarEntry, data: Buffer) => void): Promise<void> {
    try {
      await readTar(source, onEntry, onData);
    } catch (error) {
      response.destroy();
      if (error instanceof TarFormatError) throw new RpcError(RuntimeErrorCode.EngineError, `${this.method}: the engine's archive is unreadable: ${error.message}`);
      throw error;
    }
  }
}

async function readText(response: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function engineMessage(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text.trim();
  } catch {
    return text.trim();
  }
}

export function registerFileOperations(rpc: RpcServer, engineFor: EngineLookup): void {
  const files = (method: string, engine: string | undefined, id: string) => new Files(method, engineFor(method, engine), id);
  /** A path param: absolute, and never the root where an operation cannot act on it. */
  const pathParam = (method: string, name: string, value: string, allowRoot = true) => {
    absolutePath(method, name, value);
    const normal = posix.normalize(value);
    if (!allowRoot && normal === '/') throw invalid(`${method}: param "${name}" cannot be the root folder`);
    return normal.length > 1 ? normal.replace(/\/$/, '') : normal;
  };

  rpc.handle('container.files.list', async (params) => {
    const method = 'container.files.list';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string' });
    return files(method, p.engine, p.id).list(pathParam(method, 'path', p.path));
  });

  rpc.handle('container.files.stat', async (params) => {
    const method = 'container.files.stat';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string' });
    return files(method, p.engine, p.id).existing(pathParam(method, 'path', p.path));
  });

  rpc.handle('container.files.read', async (params) => {
    const method = 'container.files.read';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string' });
    return { content: (await files(method, p.engine, p.id).read(pathParam(method, 'path', p.path))).toString('base64') };
  });

  rpc.handle('container.files.write', async (params) => {
    const method = 'container.files.write';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string', content: 'string', create: 'boolean?', overwrite: 'boolean?' });
    const path = pathParam(method, 'path', p.path, false);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(p.content)) throw invalid(`${method}: param "content" must be base64`);
    const container = files(method, p.engine, p.id);
    const existing = await container.stat(path);
    if (existing?.type === 'directory') throw fileError(RuntimeErrorCode.FileIsADirectory, `${method}: ${path} is a folder`);
    if (existing && p.overwrite === false) throw fileError(RuntimeErrorCode.FileExists, `${method}: ${path} exists (pass overwrite: true to replace it)`);
    if (!existing && p.create === false) throw fileError(RuntimeErrorCode.FileNotFound, `${method}: ${path} does not exist (pass create: true to make it)`);
    // A file keeps its permissions when replaced.
    const mode = existing?.type === 'file' ? existing.mode : 0o644;
    await container.put(path, { type: 'file', mode, mtime: Date.now() }, Buffer.from(p.content, 'base64'));
    return {};
  });

  rpc.handle('container.files.mkdir', async (params) => {
    const method = 'container.files.mkdir';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string' });
    const path = pathParam(method, 'path', p.path, false);
    const container = files(method, p.engine, p.id);
    if (await container.stat(path)) throw fileError(RuntimeErrorCode.FileExists, `${method}: ${path} exists`);
    await container.put(path, { type: 'directory', mode: 0o755, mtime: Date.now() });
    return {};
  });

  rpc.handle('container.files.delete', async (params) => {
    const method = 'container.files.delete';
    const p = readParams(method, params, { engine: 'string?', id: 'string', path: 'string', recursive: 'boolean?' });
    const path = pathParam(method, 'path', p.path, false);
    const container = files(method, p.engine, p.id);
    const entry = await container.existing(path);
    // `--` ends the options: whatever the path, rm and rmdir read it as a path.
    if (entry.type !== 'directory') await container.run(['rm', '-f', '--', path]);
    else if (p.recursive) await container.run(['rm', '-rf', '--', path]);
    else await container.run(['rmdir', '--', path]);
    return {};
  });

  rpc.handle('container.files.rename', async (params) => {
    const method = 'container.files.rename';
    const p = readParams(method, params, { engine: 'string?', id: 'string', from: 'string', to: 'string', overwrite: 'boolean?' });
    const from = pathParam(method, 'from', p.from, false);
    const to = pathParam(method, 'to', p.to, false);
    if (to === from || to.startsWith(`${from}/`)) throw invalid(`${method}: cannot move ${from} into itself (${to})`);
    const container = files(method, p.engine, p.id);
    await container.existing(from);
    const target = await container.stat(to);
    if (target && !p.overwrite) throw fileError(RuntimeErrorCode.FileExists, `${method}: ${to} exists (pass overwrite: true to replace it)`);
    // Removed first, so `mv` replaces it rather than moving into it when it is a folder.
    if (target) await container.run(['rm', '-rf', '--', to]);
    await container.run(['mv', '--', from, to]);
    return {};
  });
}
