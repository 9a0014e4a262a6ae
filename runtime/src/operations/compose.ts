// Compose and stacks through the user's own tool (`docker compose`,
// `docker-compose`, `podman compose`; `docker stack`), found on PATH, run
// with argv arrays (never a shell) in the compose file's folder, pointed at
// the engine the request names, with its output streamed as text lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Engine } from '../engine/engine';
import { RuntimeErrorCode } from '../protocol/types';
import { readParams } from '../server/params';
import { RpcError, type RpcServer } from '../server/rpcServer';
import type { ProgressStreams } from '../streams/streams';
import { invalid, type EngineLookup } from './engineCall';
import { TextLines } from './progress';

export interface ComposeTool {
  /** How the user would type it: `docker compose`, `docker-compose`, `podman compose`. */
  tool: string;
  version: string;
  /** The program and the arguments before the compose command. */
  argv: string[];
}

const CANDIDATES: { tool: string; argv: string[]; versionArgs: string[] }[] = [
  { tool: 'docker compose', argv: ['docker', 'compose'], versionArgs: ['version', '--short'] },
  { tool: 'docker-compose', argv: ['docker-compose'], versionArgs: ['version', '--short'] },
  { tool: 'podman compose', argv: ['podman', 'compose'], versionArgs: ['version'] },
];

export const COMPOSE_INSTALL =
  'no compose tool found on PATH: install the Docker Compose plugin (`docker compose`, e.g. the docker-compose-plugin package), or `docker-compose`, or Podman with `podman compose`';
export const DOCKER_CLI_INSTALL = 'no `docker` program found on PATH: `docker stack` needs the Docker CLI (e.g. the docker-ce-cli or docker.io package)';

/** Runs a program to completion with a time limit, for short questions (versions). */
function ask(argv: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'], shell: false, timeout: timeoutMs });
    } catch {
      resolve({ code: null, stdout: '' });
      return;
    }
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.on('error', () => resolve({ code: null, stdout }));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** The first compose tool on the PATH of `env` that answers its version. */
export async function findComposeTool(env: NodeJS.ProcessEnv = process.env): Promise<ComposeTool | undefined> {
  for (const candidate of CANDIDATES) {
    const answer = await ask([...candidate.argv, ...candidate.versionArgs], env);
    if (answer.code !== 0) continue;
    const version = /v?(\d+\.\d+[\w.+-]*)/.exec(answer.stdout)?.[1] ?? answer.stdout.trim();
    return { tool: candidate.tool, version, argv: candidate.argv };
  }
  return undefined;
}

let found: ComposeTool | undefined;

/** The daemon's compose tool: remembered once found, looked for again while there is none (the user may install one). */
async function detectComposeTool(): Promise<ComposeTool | undefined> {
  found ??= await findComposeTool();
  return found;
}

/** DOCKER_HOST and friends, so the tool talks to the engine the request names. */
function engineEnvironment(engine: Engine): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: engine.endpoint.url };
  delete env.DOCKER_CONTEXT;
  const tls = engine.endpoint.tls;
  if (tls) {
    const certDir = tls.certFile ?? tls.caFile;
    if (certDir) env.DOCKER_CERT_PATH = dirname(certDir);
    if (tls.verify) env.DOCKER_TLS_VERIFY = '1';
    else delete env.DOCKER_TLS_VERIFY;
  }
  return env;
}

/** The last thing the tool said, for a failure's `error`. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/**
 * Runs the tool and streams what it writes (stdout and stderr, as lines).
 * The child is read only as fast as the client takes the output; closing the
 * stream interrupts the tool (SIGINT, as Ctrl-C would), then kills it.
 */
function runTool(progress: ProgressStreams, client: Parameters<ProgressStreams['open']>[0], engine: Engine, argv: string[], cwd: string, missing: string) {
  const merged = new PassThrough();
  const lines = new TextLines();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: string | undefined;
  let tail = '';
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: engineEnvironment(engine), stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  let open = 2;
  for (const output of [child.stdout!, child.stderr!]) {
    output.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4096)));
    output.pipe(merged, { end: false });
    output.on('end', () => {
      if (--open === 0 && exit) merged.end();
    });
  }
  child.on('error', (error: NodeJS.ErrnoException) => {
    spawnError = error.code === 'ENOENT' ? missing : `could not run ${argv[0]}: ${error.message}`;
    exit ??= { code: null, signal: null };
    merged.end();
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    if (open === 0) merged.end();
  });
  merged.pipe(lines);
  lines.on('close', () => {
    if (exit) return;
    child.kill('SIGINT');
    setTimeout(() => exit ?? child.kill('SIGKILL'), 10_000).unref();
  });
  return progress.open(client, 'tool', engine, lines, () => {
    if (spawnError) return { reason: 'failed', error: spawnError };
    if (exit?.code === 0) return { reason: 'completed', exitCode: 0 };
    if (exit?.code === null || exit?.code === undefined) return { reason: 'failed', error: `${argv.slice(0, 2).join(' ')} was stopped${exit?.signal ? ` by ${exit.signal}` : ''}` };
    return { reason: 'failed', exitCode: exit.code, error: lastLine(tail) || `${argv.slice(0, 2).join(' ')} exited with code ${exit.code}` };
  });
}

const SERVICE = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

async function composeFile(method: string, file: string): Promise<string> {
  if (!isAbsolute(file)) throw invalid(`${method}: param "file" must be an absolute path, got "${file}"`);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) throw invalid(`${method}: param "file": no compose file at ${file}`);
  return file;
}

function checkServices(method: string, services: string[] | undefined): string[] {
  const bad = services?.find((service) => !SERVICE.test(service));
  if (bad !== undefined) throw invalid(`${method}: param "services": "${bad}" is not a service name`);
  return services ?? [];
}

export function registerCompose(rpc: RpcServer, engineFor: EngineLookup, progress: ProgressStreams): void {
  const tool = async (method: string) => {
    const found = await detectComposeTool();
    if (!found) throw new RpcError(RuntimeErrorCode.ToolMissing, `${method}: ${COMPOSE_INSTALL}`);
    return found;
  };
  // Global options every tool version here knows; plain output without colours for a text stream.
  const base = (found: ComposeTool, file: string, projectName: string | undefined) => [
    ...found.argv,
    ...(found.tool === 'podman compose' ? [] : ['--ansi', 'never']),
    '-f',
    file,
    ...(projectName ? ['-p', projectName] : []),
  ];
  const project = (method: string, name: string | undefined) => {
    if (name !== undefined && !PROJECT.test(name)) throw invalid(`${method}: param "projectName" "${name}" must be lowercase letters, digits, - and _, starting with a letter or digit`);
    return name;
  };

  rpc.handle('compose.tool', async (params) => {
    readParams('compose.tool', params, {});
    const found = await detectComposeTool();
    return found ? { tool: found.tool, version: found.version } : { tool: null, install: COMPOSE_INSTALL };
  });

  rpc.handle('compose.up', async (params, client) => {
    const method = 'compose.up';
    const p = readParams(method, params, { engine: 'string?', file: 'string', services: 'string[]?', build: 'boolean?', projectName: 'string?' });
    const file = await composeFile(method, p.file);
    const services = checkServices(method, p.services);
    const engine = engineFor(method, p.engine);
    const found = await tool(method);
    const argv = [...base(found, file, project(method, p.projectName)), 'up', '-d', ...(p.build ? ['--build'] : []), ...services];
    return runTool(progress, client, engine, argv, dirname(file), COMPOSE_INSTALL);
  });

  rpc.handle('compose.down', async (params, client) => {
    const method = 'compose.down';
    const p = readParams(method, params, { engine: 'string?', file: 'string', volumes: 'boolean?', projectName: 'string?' });
    const file = await composeFile(method, p.file);
    const engine = engineFor(method, p.engine);
    const found = await tool(method);
    return runTool(progress, client, engine, [...base(found, file, project(method, p.projectName)), 'down', ...(p.volumes ? ['--volumes'] : [])], dirname(file), COMPOSE_INSTALL);
  });

  rpc.handle('compose.restart', async (params, client) => {
    const method = 'compose.restart';
    const p = readParams(method, params, { engine: 'string?', file: 'string', services: 'string[]?', projectName: 'string?' });
    const file = await composeFile(method, p.file);
    const services = checkServices(method, p.services);
    const engine = engineFor(method, p.engine);
    const found = await tool(method);
    return runTool(progress, client, engine, [...base(found, file, project(method, p.projectName)), 'restart', ...services], dirname(file), COMPOSE_INSTALL);
  });

  rpc.handle('compose.logs', async (params, client) => {
    const method = 'compose.logs';
    const p = readParams(method, params, { engine: 'string?', file: 'string', services: 'string[]?', follow: 'boolean?', projectName: 'string?' });
    const file = await composeFile(method, p.file);
    const services = checkServices(method, p.services);
    const engine = engineFor(method, p.engine);
    const found = await tool(method);
    return runTool(progress, client, engine, [...base(found, file, project(method, p.projectName)), 'logs', '--no-color', ...(p.follow ? ['-f'] : []), ...services], dirname(file), COMPOSE_INSTALL);
  });

  rpc.handle('stack.deploy', async (params, client) => {
    const method = 'stack.deploy';
    const p = readParams(method, params, { engine: 'string?', file: 'string', name: 'string' });
    const file = await composeFile(method, p.file);
    if (!PROJECT.test(p.name)) throw invalid(`${method}: param "name" "${p.name}" must be lowercase letters, digits, - and _, starting with a letter or digit`);
    const engine = engineFor(method, p.engine);
    return runTool(progress, client, engine, ['docker', 'stack', 'deploy', '--compose-file', file, p.name], dirname(file), DOCKER_CLI_INSTALL);
  });

  rpc.handle('stack.remove', async (params, client) => {
    const method = 'stack.remove';
    const p = readParams(method, params, { engine: 'string?', name: 'string' });
    if (!PROJECT.test(p.name)) throw invalid(`${method}: param "name" "${p.name}" is not a stack name`);
    const engine = engineFor(method, p.engine);
    return runTool(progress, client, engine, ['docker', 'stack', 'rm', p.name], process.cwd(), DOCKER_CLI_INSTALL);
  });
}
