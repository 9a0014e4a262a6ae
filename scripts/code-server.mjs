// A real VS Code for Berth's end-to-end tests and `npm start`: code-server
// 4.100.3 (VS Code 1.100, runs on Node 20), installed offline from the npm
// registry into a per-machine cache folder outside the project.
//
// Its normal `npm install` runs a postinstall script that downloads from
// GitHub, which this machine cannot reach, so `ensureCodeServer` does the
// same steps by hand (see /work/shared/notes/machine.md). The project's own
// node_modules and package-lock.json are never touched.
//
//   node scripts/code-server.mjs install    install (once) and print the folder
//
// Plain ESM, Node built-ins only.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** Settings every launch gets; callers' `settings` are merged over them. */
export const BASE_SETTINGS = Object.freeze({
  // Otherwise a trust dialog covers the workbench and extensions stay restricted.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  // Terminal text is in the DOM only with the DOM renderer.
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
});

/** Native modules of lib/vscode that need a build (no prebuilt binaries in the npm tarballs). */
const VSCODE_NATIVE_MODULES = ['node-pty', '@vscode/spdlog', 'native-watchdog', 'kerberos', '@vscode/deviceid'];

const MARKER = '.berth-install-complete';
const TAIL_CHARS = 4000;

const defaultLog = (message) => process.stderr.write(`[code-server] ${message}\n`);

/** `${XDG_CACHE_HOME || ~/.cache}/berth/code-server-4.100.3` */
export function codeServerCacheDir() {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheRoot, 'berth', `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server package folder inside the cache (where `out/node/entry.js` lives). */
export function codeServerPackageDir() {
  return path.join(codeServerCacheDir(), 'node_modules', 'code-server');
}

// ---------------------------------------------------------------------------
// Running commands

/**
 * The environment for child npm / node-gyp / code-server processes: without
 * the npm_* variables an enclosing `npm run` sets (they would point npm at the
 * project: local prefix, package name, lifecycle event, ...).
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function tail(text, chars = TAIL_CHARS) {
  const trimmed = text.trimEnd();
  return trimmed.length > chars ? `...${trimmed.slice(-chars)}` : trimmed;
}

/**
 * Runs a command to completion; throws an Error naming `step` with the tail of
 * its combined output when it cannot start, exits non-zero or times out.
 */
function run(step, command, args, { cwd, env = cleanEnv(), log = defaultLog, timeoutMs = 15 * 60_000 } = {}) {
  log(`${step}: ${command} ${args.join(' ')}${cwd ? `  (in ${cwd})` : ''}`);
  return new Promise((resolve, reject) => {
    let output = '';
    const keep = (chunk) => {
      output += chunk.toString();
      if (output.length > 64 * 1024) output = output.slice(-32 * 1024);
    };
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      keep(`\n(killed after ${Math.round(timeoutMs / 1000)} s)`);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`code-server install step "${step}" could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new Error(`code-server install step "${step}" failed: ${command} ${args.join(' ')} ${how}\n${tail(output)}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------
// Install

/** Node's own headers (node-gyp would otherwise try to download them). */
function findNodeDir() {
  const candidates = [path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  for (const dir of candidates) {
    if (existsSync(path.join(dir, 'include', 'node', 'common.gypi'))) return dir;
  }
  throw new Error(
    `code-server install step "find Node headers" failed: no include/node/common.gypi under ${candidates.join(', ')} ` +
      '(on Debian the headers come with the nodejs package; install the headers of this exact Node version)',
  );
}

/** The node-gyp that ships with npm. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const npm = path.join(dir, 'npm');
    if (!existsSync(npm)) continue;
    try {
      const npmRoot = path.resolve(path.dirname(realpathSync(npm)), '..');
      candidates.push(path.join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    } catch {
      // a dangling link; try the next one
    }
  }
  candidates.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(`code-server install step "find node-gyp" failed: none of ${candidates.join(', ')} exists`);
  }
  return found;
}

/** chromium and ripgrep (used by tests and by VS Code's search) and Kerberos headers (to build `kerberos`). */
async function ensureSystemPackages({ needBuildHeaders, log }) {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('/usr/bin/chromium');
  if (!existsSync('/usr/bin/rg')) missing.push('/usr/bin/rg');
  if (needBuildHeaders && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('/usr/include/gssapi/gssapi.h');
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `code-server install step "apt-get install" failed: ${missing.join(', ')} missing and not running as root; ` +
        'run: sudo apt-get update && sudo apt-get install -y chromium ripgrep libkrb5-dev',
    );
  }
  log(`missing ${missing.join(', ')}; installing Debian packages`);
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  await run('apt-get update', 'apt-get', ['update'], { env, log });
  await run('apt-get install', 'apt-get', ['install', '-y', 'chromium', 'ripgrep', 'libkrb5-dev'], { env, log });
}

async function symlink(target, linkPath) {
  await fs.rm(linkPath, { recursive: true, force: true });
  await fs.mkdir(path.dirname(linkPath), { recursive: true });
  await fs.symlink(target, linkPath);
}

/** One install at a time per machine: a lock folder holding the owner's pid. */
async function withInstallLock(dir, log, fn) {
  const lock = `${dir}.lock`;
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let said = false;
  for (;;) {
    try {
      await fs.mkdir(lock);
      await fs.writeFile(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(await fs.readFile(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      let alive = true;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
        } catch (e) {
          alive = e.code === 'EPERM';
        }
      } else {
        const stat = await fs.stat(lock).catch(() => null);
        alive = stat !== null && Date.now() - stat.mtimeMs < 30_000;
      }
      if (!alive) {
        log(`removing stale install lock ${lock} (pid ${owner} is gone)`);
        await fs.rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`code-server install step "lock" failed: ${lock} held by pid ${owner} for too long`);
      if (!said) log(`waiting for another install (pid ${owner}) to finish`);
      said = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

/**
 * Installs code-server 4.100.3 once per machine into the cache folder and
 * returns the code-server package folder. Idempotent: a marker written after
 * every step succeeded; anything without the marker is wiped and redone.
 */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  const dir = codeServerCacheDir();
  const pkgDir = codeServerPackageDir();
  const marker = path.join(dir, MARKER);
  const installed = () => existsSync(marker) && existsSync(path.join(pkgDir, 'out', 'node', 'entry.js'));

  await ensureSystemPackages({ needBuildHeaders: !installed(), log });
  if (installed()) return pkgDir;

  return withInstallLock(dir, log, async () => {
    if (installed()) return pkgDir; // another process finished it while we waited
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once per machine, about a minute)`);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    // Its own package.json so npm treats this folder as the project (and never walks up).
    await fs.writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'berth-code-server-cache', private: true, description: 'Installed by Berth scripts/code-server.mjs' }, null, 2),
    );

    const nodeDir = findNodeDir();
    const nodeGyp = findNodeGyp();
    // node-gyp reads npm_config_* from the environment; point it at the local headers.
    const buildEnv = cleanEnv({ npm_config_nodedir: nodeDir });
    const npmFlags = ['--no-audit', '--no-fund', '--no-update-notifier'];

    await run(
      'npm install code-server',
      'npm',
      ['install', '--ignore-scripts', '--omit=dev', '--prefix', dir, ...npmFlags, `code-server@${CODE_SERVER_VERSION}`],
      { cwd: dir, env: buildEnv, log },
    );

    // argon2 is loaded at start even with `--auth none`; npm hoists it next to code-server.
    await run('build argon2', 'npm', ['rebuild', 'argon2', '--build-from-source', '--prefix', dir, ...npmFlags], { cwd: dir, env: buildEnv, log });
    const argon2Dir = [path.join(pkgDir, 'node_modules', 'argon2'), path.join(dir, 'node_modules', 'argon2')].find((d) => existsSync(d));
    await run('check argon2 loads', process.execPath, ['-e', `require(${JSON.stringify(argon2Dir ?? 'argon2')})`], { cwd: pkgDir, log, timeoutMs: 60_000 });

    const vscodeDir = path.join(pkgDir, 'lib', 'vscode');
    await run('npm install lib/vscode', 'npm', ['install', '--omit=dev', '--ignore-scripts', ...npmFlags], { cwd: vscodeDir, env: buildEnv, log });

    for (const name of VSCODE_NATIVE_MODULES) {
      const moduleDir = path.join(vscodeDir, 'node_modules', ...name.split('/'));
      if (!existsSync(path.join(moduleDir, 'binding.gyp'))) {
        throw new Error(`code-server install step "build ${name}" failed: ${moduleDir}/binding.gyp not found`);
      }
      await run(`build ${name}`, process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, `--jobs=${Math.max(1, os.availableParallelism?.() ?? 2)}`], {
        cwd: moduleDir,
        env: buildEnv,
        log,
      });
    }

    await run('npm install lib/vscode/extensions', 'npm', ['install', '--omit=dev', '--ignore-scripts', ...npmFlags], {
      cwd: path.join(vscodeDir, 'extensions'),
      env: buildEnv,
      log,
    });

    // What the skipped postinstall scripts would have done.
    try {
      await symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
      await symlink('/usr/bin/rg', path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
      await symlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
      await symlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
    } catch (error) {
      throw new Error(`code-server install step "links" failed: ${error.message}`);
    }

    // Does it start at all, and do the native modules load?
    // (--config: without it code-server creates ~/.config/code-server/config.yaml)
    const emptyConfig = path.join(dir, 'empty-config.yaml');
    await fs.writeFile(emptyConfig, '');
    const version = await run('check code-server --version', process.execPath, [path.join(pkgDir, 'out', 'node', 'entry.js'), '--config', emptyConfig, '--version'], {
      cwd: dir,
      env: cleanEnv({ XDG_DATA_HOME: path.join(dir, 'xdg-data') }),
      log,
      timeoutMs: 60_000,
    });
    if (!version.includes(CODE_SERVER_VERSION)) {
      throw new Error(`code-server install step "check code-server --version" failed: unexpected output\n${tail(version)}`);
    }
    const loadCheck = VSCODE_NATIVE_MODULES.map((name) => `require(${JSON.stringify(name)});`).join('');
    await run('check native modules load', process.execPath, ['-e', loadCheck], { cwd: vscodeDir, log, timeoutMs: 60_000 });

    await fs.writeFile(marker, `code-server ${CODE_SERVER_VERSION} installed ${new Date().toISOString()} with Node ${process.version}\n`);
    log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return pkgDir;
  });
}

// ---------------------------------------------------------------------------
// Launch

/** Resolves true when nothing listens on 127.0.0.1:port (and we may bind it). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function pickFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function readTail(file, chars = TAIL_CHARS) {
  try {
    return tail(await fs.readFile(file, 'utf8'), chars);
  } catch {
    return '(no log)';
  }
}

async function walk(dir) {
  const out = [];
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * The extension host log files code-server wrote under `<userDataDir>/logs`:
 * `logs/<timestamp>/exthost<N>/remoteexthost.log` (one per extension host
 * started; a reload makes another). Newest first.
 */
export async function findExtensionHostLogs(userDataDir) {
  const files = await walk(path.join(userDataDir, 'logs'));
  const hostLogs = files.filter((file) => /exthost\d*$/i.test(path.basename(path.dirname(file))) && /exthost\.log$/i.test(path.basename(file)));
  const withTimes = await Promise.all(hostLogs.map(async (file) => ({ file, mtime: (await fs.stat(file)).mtimeMs })));
  return withTimes.sort((a, b) => b.mtime - a.mtime).map((entry) => entry.file);
}

/** The log file of one of the extension's output channels (`<exthost dir>/<extension id>/<name>.log`), if any. */
export async function findOutputChannelLogs(userDataDir, extensionId) {
  const files = await walk(path.join(userDataDir, 'logs'));
  return files.filter((file) => path.basename(path.dirname(file)).toLowerCase() === extensionId.toLowerCase());
}

/** Our processes (other than this one) whose command line mentions `folder`. Linux only (reads /proc). */
function processesUsing(folder) {
  let names;
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(folder) && isRunning(Number(name))) found.push({ pid: Number(name), cmdline });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Alive and not a zombie. */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // "pid (comm) S ...": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Ends (SIGTERM, then SIGKILL after 3 s) the processes a launch started that
 * left its process group (the extension's detached runtime daemon): those whose
 * command line mentions the launch's temp folder.
 */
async function killProcessesUsing(folder, log) {
  const found = processesUsing(folder);
  for (const { pid, cmdline } of found) {
    log(`stopping pid ${pid}, left running by this code-server: ${cmdline.slice(0, 160)}`);
    signal(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 3000;
  while (found.some(({ pid }) => isRunning(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const { pid } of found) if (isRunning(pid)) signal(pid, 'SIGKILL');
}

/**
 * Last-resort cleanup of live launches when this process ends without stop():
 * on 'exit', and on SIGINT/SIGTERM/SIGHUP when nobody else handles the signal
 * (then the signal is raised again, so the process still ends as it would
 * have). A program that handles these signals itself (scripts/start.mjs)
 * calls stop() instead.
 */
const liveLaunches = new Set();
let cleanupInstalled = false;
function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const kill of liveLaunches) kill();
  });
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const handler = () => {
      if (process.listenerCount(name) > 1) return; // someone else handles it
      for (const kill of liveLaunches) kill();
      liveLaunches.clear();
      process.removeListener(name, handler);
      process.kill(process.pid, name);
    };
    process.on(name, handler);
  }
}

/**
 * Starts a fresh code-server with `vsix` installed and `workspace` opened.
 * Fresh temp user-data and extensions folders every time; `stop()` ends the
 * whole process group (server, extension hosts, terminals) and removes them
 * (`stop({ saveLogsTo: dir })` first copies code-server's log and the
 * `logs/` folder of the user data dir there).
 *
 * `env` is merged over the environment code-server gets, and so the extension
 * host and the runtime daemon the extension starts (e.g. `{ DOCKER_HOST:
 * 'unix:///nonexistent/docker.sock' }`); a key set to `undefined` is removed.
 *
 * Resolves to { url, port, pid, userDataDir, extensionsDir, logFile, exited, stop }.
 * Throws an Error with code 'EADDRINUSE' when a given `port` is taken.
 */
export async function launchCodeServer({
  vsix,
  // More .vsix files installed beside `vsix` (the activation bench's control extension).
  extraVsix = [],
  workspace,
  port = 0,
  settings = {},
  env = {},
  log = defaultLog,
  codeServerDir,
  readyTimeoutMs = 60_000,
} = {}) {
  if (!vsix || !existsSync(vsix)) throw new Error(`launchCodeServer: no .vsix at ${vsix}`);
  if (!workspace || !existsSync(workspace)) throw new Error(`launchCodeServer: no workspace folder at ${workspace}`);
  vsix = path.resolve(vsix);
  workspace = path.resolve(workspace);
  const pkgDir = codeServerDir ?? (await ensureCodeServer({ log }));
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');

  if (port === 0) port = await pickFreePort();
  else if (!(await isPortFree(port))) {
    const error = new Error(`port ${port} on 127.0.0.1 is already in use`);
    error.code = 'EADDRINUSE';
    error.port = port;
    throw error;
  }

  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-code-server-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const configFile = path.join(root, 'config.yaml');
  const logFile = path.join(root, 'code-server.log');
  await fs.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fs.mkdir(extensionsDir, { recursive: true });
  await fs.writeFile(configFile, ''); // or it reads ~/.config/code-server/config.yaml
  // code-server keeps a heartbeat file and its own logs in $XDG_DATA_HOME/code-server: keep them in the temp folder too.
  // XDG_RUNTIME_DIR: the extension finds (or starts) its runtime daemon through
  // $XDG_RUNTIME_DIR/berth, so each launch gets its own daemon, from this .vsix,
  // instead of reusing one a previous build left running.
  const runtimeDir = path.join(root, 'runtime');
  await fs.mkdir(runtimeDir, { mode: 0o700 });
  const serverEnv = cleanEnv({ XDG_DATA_HOME: path.join(root, 'xdg-data'), XDG_RUNTIME_DIR: runtimeDir, ...env });
  for (const [key, value] of Object.entries(serverEnv)) if (value === undefined) delete serverEnv[key];
  await fs.writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));

  let child;
  let exitedPromise;
  let stopped = false;
  const killGroup = (signal) => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Never leave a server (or its daemon) behind if this process ends without stop().
  const killNow = () => {
    killGroup('SIGKILL');
    for (const { pid } of processesUsing(root + path.sep)) signal(pid, 'SIGKILL');
  };
  const exited = () => child === undefined || child.exitCode !== null || child.signalCode !== null;

  async function stop({ saveLogsTo } = {}) {
    if (stopped) return;
    stopped = true;
    liveLaunches.delete(killNow);
    if (child && !exited()) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      killGroup('SIGTERM');
      const timedOut = await Promise.race([gone.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
      if (timedOut) killGroup('SIGKILL');
    }
    // Children of the group (extension hosts) may outlive the server by a moment.
    killGroup('SIGKILL');
    // Processes that left the group on purpose (the extension's detached runtime
    // daemon) but run from or in this launch's folders.
    await killProcessesUsing(root + path.sep, log);
    if (saveLogsTo) {
      try {
        await fs.mkdir(saveLogsTo, { recursive: true });
        await fs.cp(logFile, path.join(saveLogsTo, 'code-server.log')).catch(() => {});
        await fs.cp(path.join(userDataDir, 'logs'), path.join(saveLogsTo, 'logs'), { recursive: true }).catch(() => {});
      } catch (error) {
        log(`could not save logs to ${saveLogsTo}: ${error.message}`);
      }
    }
    await fs.rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  try {
    const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    const installOut = await run('install the .vsix', process.execPath, [entry, ...common, '--install-extension', vsix], {
      cwd: root,
      env: serverEnv,
      log,
      timeoutMs: 120_000,
    }).catch((error) => {
      throw new Error(error.message.replace('code-server install step', 'code-server launch step'));
    });
    if (!/successfully installed/i.test(installOut)) {
      throw new Error(`code-server launch step "install the .vsix" did not report success:\n${tail(installOut)}`);
    }
    for (const extra of extraVsix) {
      const out = await run(`install ${path.basename(extra)}`, process.execPath, [entry, ...common, '--install-extension', path.resolve(extra)], { cwd: root, env: serverEnv, log, timeoutMs: 120_000 });
      if (!/successfully installed/i.test(out)) throw new Error(`code-server did not install ${extra}:\n${tail(out)}`);
    }

    const logFd = openSync(logFile, 'a');
    const args = [
      entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ];
    log(`starting code-server on 127.0.0.1:${port} (log: ${logFile})`);
    child = spawn(process.execPath, args, { cwd: root, env: serverEnv, detached: true, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.unref();
    liveLaunches.add(killNow);
    installCleanup();
    exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let spawnError;
    child.on('error', (error) => {
      spawnError = error;
    });

    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (spawnError) throw new Error(`code-server could not start: ${spawnError.message}`);
      if (exited()) {
        throw new Error(`code-server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering on port ${port}:\n${await readTail(logFile)}`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`code-server did not answer on http://127.0.0.1:${port} within ${Math.round(readyTimeoutMs / 1000)} s:\n${await readTail(logFile)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    // `exited` resolves when the server process ends (on its own or by stop()).
    return { url, port, pid: child.pid, userDataDir, extensionsDir, logFile, exited: exitedPromise, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The last `chars` characters of a text file (e.g. a launch's `logFile`), or '(no log)'. */
export { readTail };

// ---------------------------------------------------------------------------
// CLI

const isMain = process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const [command] = process.argv.slice(2);
  if (command === 'install') {
    try {
      const dir = await ensureCodeServer({});
      process.stdout.write(`${dir}\n`);
    } catch (error) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
  } else {
    process.stderr.write(`usage: node ${path.relative(process.cwd(), fileURLToPath(import.meta.url))} install\n`);
    process.exit(2);
  }
}
