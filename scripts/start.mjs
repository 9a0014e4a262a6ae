// `npm start`: package Berth, then run it in a real VS Code (code-server) on
// the examples/ folder, at http://127.0.0.1:8080 by default, until Ctrl+C.
//
//   npm start                     port 8080
//   npm start -- --port 9000      or BERTH_PORT=9000 npm start
//
// Each start uses fresh VS Code settings and extensions folders and the
// freshly built .vsix; code-server itself is installed once per machine (see
// scripts/code-server.mjs).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, isPortFree, launchCodeServer, readTail } from './code-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`[start] ${message}\n`);

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

function parsePort() {
  const args = process.argv.slice(2);
  let raw = process.env.BERTH_PORT;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') raw = args[++i];
    else if (args[i].startsWith('--port=')) raw = args[i].slice('--port='.length);
    else if (args[i] === '--help' || args[i] === '-h') {
      process.stdout.write('usage: npm start [-- --port N]   (or BERTH_PORT=N; default 8080)\n');
      process.exit(0);
    } else fail(`unknown argument ${args[i]} (usage: npm start [-- --port N])`);
  }
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`invalid port ${JSON.stringify(raw)}`);
  return port;
}

function runPackage() {
  return new Promise((resolve, reject) => {
    log('npm run package');
    const child = spawn('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`npm run package ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`))));
  });
}

const port = parsePort();
// Say so before spending time on the build.
if (!(await isPortFree(port))) {
  fail(`port ${port} on 127.0.0.1 is already in use; stop what uses it or pick another port: npm start -- --port N (or BERTH_PORT=N)`);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${manifest.name}-${manifest.version}.vsix`);
const workspace = join(root, 'examples');

let server;
let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping code-server`);
  try {
    await server?.stop();
  } finally {
    process.exit(0);
  }
}
// Before anything long starts, so Ctrl+C during the build or install also cleans up.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await runPackage();
  if (!existsSync(vsix)) fail(`npm run package did not write ${vsix}`);
  if (!existsSync(workspace)) fail(`${workspace} is missing`);
  const codeServerDir = await ensureCodeServer({ log });
  if (stopping) process.exit(0);
  server = await launchCodeServer({ vsix, workspace, port, codeServerDir, log });
} catch (error) {
  if (error.code === 'EADDRINUSE') {
    fail(`port ${port} on 127.0.0.1 is already in use; stop what uses it or pick another port: npm start -- --port N (or BERTH_PORT=N)`);
  }
  fail(error.message);
}
if (stopping) {
  await server.stop();
  process.exit(0);
}

process.stdout.write(`\nBerth is running in VS Code at ${server.url}\n(code-server log: ${server.logFile}; press Ctrl+C to stop)\n`);

// Stay in the foreground until a signal; if code-server ends on its own, say why and exit.
// (launchCodeServer unrefs the server process, so keep this one alive ourselves.)
const keepAlive = setInterval(() => {}, 60 * 60_000);
const { code, signal } = await server.exited;
clearInterval(keepAlive);
if (!stopping) {
  process.stderr.write(`npm start: code-server exited unexpectedly (code ${code}, signal ${signal}):\n${await readTail(server.logFile)}\n`);
  await server.stop();
  process.exit(1);
}
