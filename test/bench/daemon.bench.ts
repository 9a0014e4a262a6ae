// The runtime daemon against the real engine, each figure beside a peer:
// event → state.changed latency (beside the raw engine event, as `docker events`
// sees it), idle CPU (beside dockerd's own), containers.list with 1,000
// containers (beside spawning `docker ps -a`), exec throughput (beside the
// Engine API read directly) and the daemon's resident memory.
// The daemon runs as a child process (this same file with --daemon-child, and
// the daemon's Node flags), so its CPU and memory are its own. Skips with a message when no engine answers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../../runtime/src/daemon';
import { defaultEngineEndpoint } from '../../runtime/src/engine/endpoint';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { RuntimeConnection } from '../../runtime/src/protocol/connection';
import { DAEMON_NODE_FLAGS } from '../../runtime/src/protocol/launcher';
import type { RuntimeDiscovery, StateChange, StreamData, StreamEnd } from '../../runtime/src/protocol/types';
import { engineIn, untilEngines } from '../support/engineHealth';
import WebSocket from 'ws';
import { table } from './measure';

const BASE_IMAGE = process.env.BERTH_TEST_BASE_IMAGE ?? 'berth-test/busybox:latest';
const TEST_LABEL = 'berth.test';
const QUICK = process.env.BERTH_BENCH_QUICK === '1';
const IDLE_SECONDS = QUICK ? 10 : 60;
const EXEC_BYTES = (QUICK ? 32 : 128) * 1024 * 1024;

interface Usage {
  cpu: NodeJS.CpuUsage;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

if (process.argv[2] === '--daemon-child') runDaemonChild(process.argv[3]!);
else
  main().catch((error: Error) => {
    console.error(`daemon bench failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  });

/** The daemon under test: answers its CPU time and memory when asked over IPC. */
function runDaemonChild(dir: string): void {
  void startDaemon({ listen: { kind: 'unix', socketPath: join(dir, 's.sock') }, discoveryPath: join(dir, 'r.json'), engines: [defaultEngineEndpoint()] }).then((daemon) => {
    process.on('message', (message) => {
      if (message === 'usage') {
        const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
        process.send!({ cpu: process.cpuUsage(), rss, heapUsed, heapTotal, external } satisfies Usage);
      }
      if (message === 'stop') void daemon.stop().then(() => process.exit(0));
    });
    process.send!({ discovery: daemon.discovery });
  });
}

async function main(): Promise<void> {
  const engine = new EngineHttpClient(defaultEngineEndpoint());
  try {
    await engine.negotiate();
    await engine.json('GET', `/images/${encodeURIComponent(BASE_IMAGE)}/json`);
  } catch (error) {
    console.log(`skipped: no usable Docker engine (${(error as Error).message}); run bash scripts/engine-setup.sh`);
    return;
  }
  const created: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-daemon-'));
  // With the Node flags the launcher and `berth daemon` start it with.
  const child = spawn(process.execPath, [...process.execArgv, ...DAEMON_NODE_FLAGS, __filename, '--daemon-child', dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const cleanUp = async () => {
    if (child.connected) child.send('stop');
    progress(`removing ${created.length} containers`);
    await removeContainers(engine, created);
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const { discovery } = await nextMessage<{ discovery: RuntimeDiscovery }>(child, (message) => 'discovery' in message);
    const connection = await RuntimeConnection.connect(discovery);
    await ready(connection);
    const rows: (string | number)[][] = [['measure', 'berth daemon', 'peer', 'peer is', 'target']];

    // Idle: no requests, no events. Anything the daemon spends here is polling or a leak.
    progress(`measuring idle CPU for ${IDLE_SECONDS} s`);
    // Other programs using the engine meanwhile make events the daemon must follow: count them.
    const idleEvents = await engine.stream('/events');
    let eventCount = 0;
    readLines(idleEvents, () => eventCount++);
    const baseline = await usage(child);
    const dockerdBefore = processCpuMs(dockerdPid());
    await delay(IDLE_SECONDS * 1000);
    const idle = await usage(child);
    const dockerdAfter = processCpuMs(dockerdPid());
    idleEvents.destroy();
    const idleCpu = (idle.cpu.user + idle.cpu.system - baseline.cpu.user - baseline.cpu.system) / 1000;
    rows.push([`idle CPU over ${IDLE_SECONDS} s (ms), ${eventCount} engine events meanwhile`, idleCpu, dockerdAfter === undefined || dockerdBefore === undefined ? 'n/a' : dockerdAfter - dockerdBefore, 'dockerd itself', '≈ 0']);
    rows.push(['RSS at start (MB) / heap used / heap / external', memory(baseline), '', '', '< 60']);

    // Event latency while 200 containers exist.
    await connection.request('state.subscribe', { kinds: ['container'] });
    const modelHas = (ids: string[]) => async () => {
      const listed = new Set((await connection.request('containers.list', {})).map((container) => container.id));
      return ids.every((id) => listed.has(id));
    };
    progress('creating 200 containers');
    created.push(...(await createContainers(engine, 200)));
    await until(connection, modelHas(created));
    const withTwoHundred = (await connection.request('containers.list', {})).length;
    progress('measuring event latency');
    const latency = await eventLatency(engine, connection, created.slice(0, 50));
    rows.push([`API call → state.changed p50 (ms), ${withTwoHundred} containers`, latency.daemon.p50, latency.raw.p50, 'API call → raw /events', '']);
    rows.push(['API call → state.changed p95 (ms)', latency.daemon.p95, latency.raw.p95, 'API call → raw /events', '']);
    rows.push(['raw event → state.changed p50 / p95 (ms)', `${latency.added.p50.toFixed(1)} / ${latency.added.p95.toFixed(1)}`, '', '', 'p95 < 50']);

    // containers.list with 1,000 containers.
    const more = Math.max(0, 1000 - (await connection.request('containers.list', {})).length);
    progress(`creating ${more} more containers`);
    created.push(...(await createContainers(engine, more)));
    await until(connection, modelHas(created));
    progress('measuring containers.list');
    const count = (await connection.request('containers.list', {})).length;
    const listMs = await medianMs(30, () => connection.request('containers.list', {}));
    // The same request from a bare WebSocket that does not parse the answer: the daemon's share of the round trip.
    const bare = await bareClient(discovery);
    const bareListMs = await medianMs(30, () => bare.roundTrip('containers.list', {}));
    const answerKB = (await bare.roundTrip('containers.list', {})).length / 1024;
    bare.close();
    const psMs = await medianMs(5, async () => {
      const ps = spawnSync('docker', ['ps', '-a', '--no-trunc', '--format', '{{json .}}'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (ps.status !== 0) throw new Error(`docker ps failed: ${ps.stderr}`);
    });
    rows.push([`containers.list, ${count} containers, parsed (ms)`, listMs, psMs, 'docker ps -a --format {{json .}}', '']);
    rows.push([`containers.list, ${count} containers, ${answerKB.toFixed(0)} KB unparsed (ms)`, bareListMs, psMs, 'docker ps -a --format {{json .}}', '< 2']);
    const loaded = await usage(child);
    rows.push([`RSS with ${count} containers (MB) / heap used / heap / external`, memory(loaded), '', '', '< 60']);

    // Exec throughput: the same bytes read through the daemon and from the Engine API directly.
    progress('measuring exec throughput');
    const [sleeper] = await createContainers(engine, 1, ['sleep', '600']);
    created.push(sleeper!);
    await engine.json('POST', `/containers/${sleeper}/start`);
    // The machine's load varies from second to second: each way through the daemon is
    // timed in turns with the Engine API read directly, and the medians compared.
    const rounds = 5;
    const binary = await RuntimeConnection.connect(discovery);
    await binary.request('runtime.hello', { client: 'bench', binaryStreams: true });
    const execRow = async (what: string, through: RuntimeConnection, target: string) => {
      const direct: number[] = [];
      const viaDaemon: number[] = [];
      for (let round = 0; round < rounds; round++) {
        direct.push(await directExecMBps(engine, sleeper!));
        viaDaemon.push(await daemonExecMBps(through, sleeper!));
      }
      const [daemonMedian, directMedian] = [median(viaDaemon), median(direct)];
      rows.push([`exec output, ${EXEC_BYTES / 1024 / 1024} MB, ${what} (MB/s, median of ${rounds})`, daemonMedian, directMedian, 'Engine API directly, in turns', `${target}(${((daemonMedian / directMedian) * 100).toFixed(0)}%)`]);
    };
    await execRow('binary frames', binary, '≥ 90% ');
    binary.close();
    rows.push(['RSS after binary exec (MB) / heap used / heap / external', memory(await usage(child)), '', '', '< 60']);
    await execRow('base64 in JSON', connection, '');
    const end = await usage(child);
    rows.push(['RSS at the end (MB) / heap used / heap / external', memory(end), '', '', '< 60']);

    connection.close();
    console.log(`Runtime daemon against Docker ${(await engine.json<{ Version: string }>('GET', '/version')).Version}${QUICK ? ' (BERTH_BENCH_QUICK=1)' : ''}\n`);
    console.log(table(rows));
  } finally {
    await cleanUp();
  }
}

async function ready(connection: RuntimeConnection): Promise<void> {
  await untilEngines(connection, engineIn('ready'), 'the engine to be ready');
}

/** Creates `count` stopped, labelled containers, eight requests at a time. */
async function createContainers(engine: EngineHttpClient, count: number, cmd = ['true']): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next++;
        const { Id } = await engine.json<{ Id: string }>('POST', '/containers/create', { Image: BASE_IMAGE, Cmd: cmd, Labels: { [TEST_LABEL]: 'bench' }, HostConfig: { NetworkMode: 'none' } });
        ids.push(Id);
      }
    }),
  );
  return ids;
}

async function removeContainers(engine: EngineHttpClient, ids: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) await engine.json('DELETE', `/containers/${ids[next++]}?force=1`).catch(() => undefined);
    }),
  );
}

/** Renames each container in turn; times the engine's own event and the daemon's state.changed from the call. */
async function eventLatency(engine: EngineHttpClient, connection: RuntimeConnection, ids: string[]) {
  const events = await engine.stream('/events?filters=' + encodeURIComponent(JSON.stringify({ type: ['container'], event: ['rename'] })));
  const rawSeen = new Map<string, number>();
  const changedSeen = new Map<string, number>();
  let wake = () => undefined as void;
  readLines(events, (line) => {
    const name = (JSON.parse(line) as { Actor?: { Attributes?: { name?: string } } }).Actor?.Attributes?.name;
    if (name) rawSeen.set(name, performance.now());
    wake();
  });
  const stop = connection.onNotification('state.changed', (change: StateChange) => {
    if (change.kind === 'container' && change.item && 'name' in change.item) changedSeen.set(change.item.name, performance.now());
    wake();
  });
  const raw: number[] = [];
  const daemon: number[] = [];
  const added: number[] = [];
  for (const [index, id] of ids.entries()) {
    const name = `berth-bench-${process.pid}-${index}`;
    const started = performance.now();
    await engine.json('POST', `/containers/${id}/rename?name=${name}`);
    await new Promise<void>((resolve) => {
      wake = () => rawSeen.has(name) && changedSeen.has(name) && resolve();
      wake();
    });
    raw.push(rawSeen.get(name)! - started);
    daemon.push(changedSeen.get(name)! - started);
    added.push(changedSeen.get(name)! - rawSeen.get(name)!);
  }
  stop();
  events.destroy();
  return { raw: percentiles(raw), daemon: percentiles(daemon), added: percentiles(added) };
}

async function directExecMBps(engine: EngineHttpClient, container: string): Promise<number> {
  // Timed from the exec's creation, as the daemon's figure is (container.exec creates and starts it).
  const started = performance.now();
  const { Id } = await engine.json<{ Id: string }>('POST', `/containers/${container}/exec`, { AttachStdout: true, AttachStderr: true, Tty: false, Cmd: ['head', '-c', String(EXEC_BYTES), '/dev/zero'] });
  const { socket, head } = await engine.upgrade('POST', `/exec/${Id}/start`, { Detach: false, Tty: false });
  let bytes = head.length;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('close', () => resolve());
    socket.on('end', () => socket.destroy());
    socket.resume();
  });
  // The multiplexing headers (8 bytes a frame) are not output.
  return Math.min(bytes, EXEC_BYTES) / 1024 / 1024 / ((performance.now() - started) / 1000);
}

async function daemonExecMBps(connection: RuntimeConnection, container: string): Promise<number> {
  let bytes = 0;
  let streamId = '';
  const started = performance.now();
  // Only this exec runs on the connection; its first output may come in the same read as the answer, before its id is known here.
  const stops: (() => void)[] = [];
  const ended = new Promise<StreamEnd>((resolve) => {
    stops.push(
      connection.onNotification('stream.data', (data: StreamData) => {
        if (data.channel !== 'stats') bytes += Buffer.byteLength(data.data, 'base64');
      }),
      connection.onStreamBytes((output) => (bytes += output.data.length)),
      connection.onNotification('stream.end', (end: StreamEnd) => end.streamId === streamId && resolve(end)),
    );
  });
  ({ streamId } = await connection.request('container.exec', { id: container, cmd: ['head', '-c', String(EXEC_BYTES), '/dev/zero'], tty: false }));
  const end = await ended;
  for (const stop of stops) stop();
  if (bytes !== EXEC_BYTES) throw new Error(`exec through the daemon delivered ${bytes} of ${EXEC_BYTES} bytes (${JSON.stringify(end)})`);
  return bytes / 1024 / 1024 / ((performance.now() - started) / 1000);
}

/** A WebSocket to the daemon that hands back each answer's raw bytes, unparsed. */
async function bareClient(discovery: RuntimeDiscovery) {
  const socket = new WebSocket(discovery.url, { headers: { Authorization: `Bearer ${discovery.token}` }, maxPayload: 64 * 1024 * 1024 });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  return {
    roundTrip(method: string, params: unknown): Promise<Buffer> {
      return new Promise((resolve) => {
        socket.once('message', (data) => resolve(data as Buffer));
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }));
      });
    },
    close: () => socket.close(),
  };
}

function usage(child: ChildProcess): Promise<Usage> {
  const answer = nextMessage<Usage>(child, (message) => 'rss' in message);
  child.send('usage');
  return answer;
}

function nextMessage<T>(child: ChildProcess, test: (message: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!test(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`the daemon exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Waits until `test` holds, checking after each state.changed (and once now). */
async function until(connection: RuntimeConnection, test: () => Promise<boolean>): Promise<void> {
  if (await test()) return;
  await new Promise<void>((resolve) => {
    let checking = false;
    const stop = connection.onNotification('state.changed', () => {
      if (checking) return;
      checking = true;
      void delay(50)
        .then(test)
        .then((done) => {
          checking = false;
          if (done) {
            stop();
            resolve();
          }
        });
    });
  });
}

async function medianMs(rounds: number, run: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return percentiles(samples).p50;
}

function median(samples: number[]): number {
  return percentiles(samples).p50;
}

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

function dockerdPid(): number | undefined {
  try {
    return Number(readFileSync('/var/run/docker.pid', 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of a process in ms, from /proc. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function readLines(stream: IncomingMessage, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) onLine(line);
    }
  });
}

const progress = (what: string) => process.stderr.write(`  … ${what}\n`);
const mb = (bytes: number) => bytes / 1024 / 1024;
const memory = (usage: Usage) => [usage.rss, usage.heapUsed, usage.heapTotal, usage.external].map((bytes) => mb(bytes).toFixed(1)).join(' / ');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
