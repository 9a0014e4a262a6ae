// The language server as the extension starts it (out/server/start.js over the
// language server protocol, under the editor's Node flags): from spawning the
// process to the first diagnostics of the file the editor opened, for a small
// and a 2,000-line Dockerfile. Three ways: server.js required plainly (no code
// cache: what editors that start server.js themselves get), start.js on its
// first start (no cache yet: it writes one some seconds later), and start.js
// once the cache exists (every later start); beside them, the peer's floor:
// a fresh process validating the same text with dockerfile-utils. Medians of
// several fresh processes. Needs `npm run build` first (it measures the built files).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/lsp/nodeFlags';
import { generateDockerfile } from './generate';
import { table } from './measure';

// npm run bench runs each bench from the repository's root.
const server = join(process.cwd(), 'out/server/server.js');
const start = join(process.cwd(), 'out/server/start.js');
if (!existsSync(start)) {
  console.log('out/server/start.js is missing: run `npm run build` first');
  process.exit(0);
}

/**
 * Milliseconds from spawn to the first diagnostics of `text`. With `stayUntil`, the server is
 * kept running after them until it says so (a session that lasts until its code cache is written).
 */
async function firstDiagnostics(args: string[], text: string, stayUntil?: () => boolean): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...LANGUAGE_SERVER_NODE_FLAGS, ...args, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const uri = pathToFileURL(join(tmpdir(), 'berth-startup', 'Dockerfile')).href;
  const published = new Promise<number>((resolve) => connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => params.uri === uri && resolve(performance.now() - started)));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const ms = await published;
  while (stayUntil && !stayUntil()) await new Promise((resolve) => setTimeout(resolve, 100));
  connection.dispose();
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  return ms;
}

/**
 * The peer: a fresh Node process that loads dockerfile-utils (the validator inside today's Dockerfile
 * language server) and validates the same text, from spawn to its answer on stdout. No protocol
 * round trips, so it is the peer's floor.
 */
async function peerFirstDiagnostics(text: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...LANGUAGE_SERVER_NODE_FLAGS, '-e', "const t = require('fs').readFileSync(0, 'utf8'); process.stdout.write(String(require('dockerfile-utils').validate(t).length))"], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin!.end(text);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  const ms = performance.now() - started;
  await new Promise((resolve) => child.once('exit', resolve));
  return ms;
}

const median = (samples: number[]) => samples.sort((a, b) => a - b)[samples.length >> 1]!;
const ROUNDS = 5;
async function main(): Promise<void> {
  const rows: (string | number)[][] = [['file', 'server.js, no cache', 'start.js, first start', 'start.js, cache made', 'cache speed-up', 'dockerfile-utils', 'vs peer']];
  for (const [label, lines] of [['small', 20], ['large multi-stage', 2000]] as const) {
    const text = generateDockerfile(lines);
    const plain: number[] = [];
    const first: number[] = [];
    const cached: number[] = [];
    const peer: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await firstDiagnostics([server], text));
      peer.push(await peerFirstDiagnostics(text));
      const directory = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
      const args = [start, `--code-cache-dir=${directory}`];
      first.push(await firstDiagnostics(args, text));
      // The first start writes its cache 5 s in: stay that long, as a user's session would.
      await firstDiagnostics(args, text, () => readdirSync(directory).some((file) => file.endsWith('.cache')));
      cached.push(await firstDiagnostics(args, text));
      rmSync(directory, { recursive: true, force: true });
    }
    rows.push([label, median(plain), median(first), median(cached), `${(median(plain) / median(cached)).toFixed(1)}x`, median(peer), `${(median(peer) / median(cached)).toFixed(1)}x`]);
  }
  console.log(`Language server start to first diagnostics (ms, median of ${ROUNDS} fresh processes each)\n`);
  console.log(table(rows));
}

void main();
