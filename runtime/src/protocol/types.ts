// The contract between the daemon and its clients (the VS Code extension, the CLI,
// other editors). Bump PROTOCOL_VERSION on any incompatible change; see docs/protocol.md.

export const PROTOCOL_VERSION = 1;

/** Written by the daemon, mode 0600, so clients can find and authenticate to it. */
export interface RuntimeDiscovery {
  pid: number;
  version: string;
  protocol: number;
  /** `ws+unix:///path/to/socket` or `ws://127.0.0.1:PORT`. */
  url: string;
  /** 256 random bits, hex encoded; sent as `Authorization: Bearer <token>`. */
  token: string;
}

export type EngineHealth =
  | { state: 'connecting' }
  /** `product`: `Podman`, or `Docker` for every engine that does not say it is Podman; `version` is the product's own. */
  | { state: 'ready'; product: string; version: string; apiVersion: string; os: string; arch: string }
  | { state: 'unreachable'; reason: string };

export interface EngineInfo {
  /** Stable across daemon restarts: `docker` (the default socket), `docker-host`, a context's name, `rootless`, `podman`, `podman-root`, or an added engine's name. */
  id: string;
  /** Where the engine is, e.g. `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`. */
  endpoint: string;
  /** How it was found, e.g. `DOCKER_HOST`, `default socket`, `added by the user`. */
  source: string;
  health: EngineHealth;
  /** Added with engines.add (and so removable with engines.remove). */
  added?: boolean;
}

/** The Swarm kinds (`service`…`config`) hold objects only while the engine is a Swarm manager. */
export type ResourceKind = 'container' | 'image' | 'volume' | 'network' | 'service' | 'task' | 'node' | 'secret' | 'config';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['container', 'image', 'volume', 'network', 'service', 'task', 'node', 'secret', 'config'];
export const SWARM_KINDS: readonly ResourceKind[] = ['service', 'task', 'node', 'secret', 'config'];

export interface PortBinding {
  /** Host address, when published. */
  ip?: string;
  privatePort: number;
  publicPort?: number;
  type: string;
}

export interface MountSummary {
  type: string;
  /** Volume name for volume mounts. */
  name?: string;
  source: string;
  destination: string;
  readOnly: boolean;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  /** created, running, paused, restarting, exited, dead. */
  state: string;
  /** The engine's human status, e.g. "Up 3 minutes (healthy)". */
  status: string;
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** ISO 8601. */
  created: string;
  ports: PortBinding[];
  labels: Record<string, string>;
  composeProject?: string;
  composeService?: string;
  mounts: MountSummary[];
  networks: string[];
}

export interface ImageSummary {
  id: string;
  /** `repository:tag` names; empty for dangling images. */
  repoTags: string[];
  size: number;
  /** ISO 8601. */
  created: string;
  /** As in the image config, e.g. `8080/tcp`. */
  exposedPorts: string[];
  dangling: boolean;
  /** Containers (any state) created from this image. */
  usedBy: string[];
}

export interface VolumeSummary {
  id: string;
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
  /** ISO 8601, when the engine says. */
  created?: string;
  /** Containers mounting it. */
  usedBy: string[];
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  labels: Record<string, string>;
  /** Attached containers' ids. */
  containers: string[];
}

export interface ServiceSummary {
  id: string;
  name: string;
  image: string;
  /** `replicated`, `global`, `replicated-job` or `global-job`. */
  mode: string;
  /** Desired replicas (replicated services). */
  replicas?: number;
  /** Its tasks whose state is running. */
  runningTasks: number;
  /** The stack it belongs to (label com.docker.stack.namespace). */
  stack?: string;
  labels: Record<string, string>;
  ports: { published?: number; target: number; protocol: string }[];
  /** ISO 8601. */
  updatedAt: string;
  /** A rolling update's state (`updating`, `completed`, `rollback_completed`…), while there is one. */
  updateState?: string;
}

export interface TaskSummary {
  id: string;
  /** `service.slot` (or `service.node` for global services), as `docker service ps` shows it. */
  name: string;
  serviceId: string;
  serviceName?: string;
  slot?: number;
  nodeId?: string;
  /** new, pending, assigned, preparing, starting, running, complete, failed, shutdown, rejected, orphaned, remove. */
  state: string;
  desiredState: string;
  message: string;
  error?: string;
  containerId?: string;
  image: string;
  stack?: string;
  /** ISO 8601, when the state last changed. */
  updatedAt: string;
}

export interface NodeSummary {
  id: string;
  hostname: string;
  /** `manager` or `worker`. */
  role: string;
  /** `active`, `pause` or `drain`. */
  availability: string;
  /** `ready`, `down`, `unknown`, `disconnected`. */
  state: string;
  leader: boolean;
  address?: string;
  engineVersion?: string;
  labels: Record<string, string>;
}

/** A secret or a config: never its data. */
export interface SwarmDataSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  stack?: string;
  /** ISO 8601. */
  created: string;
  updated: string;
}

export interface StackSummary {
  name: string;
  services: number;
}

export interface ResourceOf {
  container: ContainerSummary;
  image: ImageSummary;
  volume: VolumeSummary;
  network: NetworkSummary;
  service: ServiceSummary;
  task: TaskSummary;
  node: NodeSummary;
  secret: SwarmDataSummary;
  config: SwarmDataSummary;
}

/** One object that appeared, changed or went away in an engine. */
export interface StateChange<K extends ResourceKind = ResourceKind> {
  engine: string;
  kind: K;
  id: string;
  action: 'added' | 'updated' | 'removed';
  /** The object as it is now; absent when removed. */
  item?: ResourceOf[K];
}

/** The whole current list of one kind (after a reconnect, or on subscribe). */
export interface StateResync<K extends ResourceKind = ResourceKind> {
  engine: string;
  kind: K;
  items: ResourceOf[K][];
}

export interface HelloResult {
  version: string;
  protocol: number;
  pid: number;
  engines: EngineInfo[];
  /** True when this connection now gets stream output bytes as binary frames (see streamFrames.ts). */
  binaryStreams: boolean;
}

/** Requests a client may send, with their params and results. */
export interface RuntimeMethods {
  /** `binaryStreams: true` asks for stdout/stderr bytes of this connection's streams in binary frames rather than stream.data notifications. */
  'runtime.hello': { params: { client?: string; protocol?: number; binaryStreams?: boolean }; result: HelloResult };
  'engines.list': { params: Record<string, never>; result: EngineInfo[] };
  /** Serves another engine from now on, saved in ~/.berth/engines.json; `tls.certPath` holds ca.pem, cert.pem, key.pem (default ~/.docker). */
  'engines.add': { params: { url: string; name?: string; tls?: { certPath?: string; verify?: boolean } }; result: EngineInfo };
  /** Stops serving an engine added with engines.add and forgets it. */
  'engines.remove': { params: { engine: string }; result: Record<string, never> };
  /** `engine` defaults to the first ready engine; `all` (default true) includes stopped containers. */
  'containers.list': { params: { engine?: string; all?: boolean }; result: ContainerSummary[] };
  'images.list': { params: { engine?: string }; result: ImageSummary[] };
  'volumes.list': { params: { engine?: string }; result: VolumeSummary[] };
  'networks.list': { params: { engine?: string }; result: NetworkSummary[] };
  'container.start': { params: { engine?: string; id: string }; result: Record<string, never> };
  'container.stop': { params: { engine?: string; id: string; timeout?: number }; result: Record<string, never> };
  'container.restart': { params: { engine?: string; id: string }; result: Record<string, never> };
  'container.kill': { params: { engine?: string; id: string; signal?: string }; result: Record<string, never> };
  'container.pause': { params: { engine?: string; id: string }; result: Record<string, never> };
  'container.unpause': { params: { engine?: string; id: string }; result: Record<string, never> };
  'container.remove': { params: { engine?: string; id: string; force?: boolean; volumes?: boolean }; result: Record<string, never> };
  'container.rename': { params: { engine?: string; id: string; name: string }; result: Record<string, never> };
  /** The engine's inspect document, as is. */
  'container.inspect': { params: { engine?: string; id: string }; result: unknown };
  'container.top': { params: { engine?: string; id: string }; result: { titles: string[]; processes: string[][] } };
  'image.inspect': { params: { engine?: string; id: string }; result: unknown };
  'image.history': { params: { engine?: string; id: string }; result: { id: string; created: string; createdBy: string; size: number; tags: string[]; comment: string }[] };
  'image.tag': { params: { engine?: string; id: string; repository: string; tag?: string }; result: Record<string, never> };
  'image.remove': { params: { engine?: string; id: string; force?: boolean }; result: { untagged: string[]; deleted: string[] } };
  'volume.create': { params: { engine?: string; name?: string; driver?: string }; result: { name: string } };
  'volume.inspect': { params: { engine?: string; id: string }; result: unknown };
  'volume.remove': { params: { engine?: string; id: string; force?: boolean }; result: Record<string, never> };
  'network.create': { params: { engine?: string; name: string; driver?: string; internal?: boolean }; result: { id: string } };
  'network.inspect': { params: { engine?: string; id: string }; result: unknown };
  'network.remove': { params: { engine?: string; id: string }; result: Record<string, never> };
  /** The network is `network` (or `id`, its first name). */
  'network.connect': { params: { engine?: string; network?: string; id?: string; container: string }; result: Record<string, never> };
  'network.disconnect': { params: { engine?: string; network?: string; id?: string; container: string; force?: boolean }; result: Record<string, never> };
  /** Prunes each kind (containers, images, volumes, networks, buildcache), answering what went and the bytes reclaimed. */
  'system.prune': { params: { engine?: string; kinds: string[]; label?: string }; result: Record<string, { removed: string[]; spaceReclaimed: number }> };
  /** Start receiving state.changed for these kinds (answered with a state.resync per kind and engine). */
  'state.subscribe': { params: { kinds: ResourceKind[] }; result: { kinds: ResourceKind[] } };
  /** Streams (see docs/protocol.md, "Streams"): each answers once the engine has accepted, then stream.data until one stream.end. */
  'container.logs': { params: { engine?: string; id: string; follow?: boolean; tail?: number; since?: number; timestamps?: boolean }; result: StreamInfo };
  /** `cmd` is an argv array (default: bash if the container has it, else sh), never given to a shell by the daemon. */
  'container.exec': { params: { engine?: string; id: string; cmd?: string[]; tty: boolean; cols?: number; rows?: number; user?: string; workdir?: string; env?: string[] }; result: StreamInfo };
  'container.attach': { params: { engine?: string; id: string }; result: StreamInfo };
  'container.stats': { params: { engine?: string; id: string }; result: StreamInfo };
  /** Writes to an exec's or attach's stdin; answered once the bytes are handed to the engine. `eof` closes stdin afterwards. */
  'stream.write': { params: { streamId: string; data: string; encoding?: 'utf8' | 'base64'; eof?: boolean }; result: { written: number } };
  'stream.resize': { params: { streamId: string; cols: number; rows: number }; result: Record<string, never> };
  'stream.close': { params: { streamId: string }; result: Record<string, never> };
  /** Takes over an exec or attach stream (after a reconnect): its recent output is replayed as stream.data before this answers. */
  'stream.reattach': { params: { streamId: string }; result: StreamInfo & { replayed: number; truncated: boolean } };
  /** Builds the context folder (tar honouring .dockerignore); a `build` progress stream ending `completed` with `imageId`, or `failed` with `error` and the Dockerfile `line`. */
  'image.build': {
    params: { engine?: string; context: string; dockerfile?: string; tags?: string[]; buildArgs?: Record<string, string>; target?: string; labels?: Record<string, string>; noCache?: boolean; network?: string };
    result: StreamInfo;
  };
  'image.pull': { params: { engine?: string; ref: string }; result: StreamInfo };
  'image.push': { params: { engine?: string; ref: string }; result: StreamInfo };
  /** Writes the images' archive to `path` (absolute) atomically: a temporary file renamed over it. */
  'image.save': { params: { engine?: string; refs: string[]; path: string }; result: { path: string; bytes: number } };
  'image.load': { params: { engine?: string; path: string }; result: { images: string[] } };
  'container.create': { params: ContainerCreateParams; result: { id: string; warnings: string[] } };
  'container.ports': { params: { engine?: string; id: string }; result: { container: string; hostIp: string; hostPort: number }[] };
  'container.diff': { params: { engine?: string; id: string }; result: { path: string; kind: 'changed' | 'added' | 'deleted' }[] };
  'container.commit': { params: { engine?: string; id: string; repo: string; tag?: string; message?: string; labels?: Record<string, string> }; result: { imageId: string } };
  'container.files.list': { params: { engine?: string; id: string; path: string }; result: FileEntry[] };
  'container.files.stat': { params: { engine?: string; id: string; path: string }; result: FileEntry };
  'container.files.read': { params: { engine?: string; id: string; path: string }; result: { content: string } };
  'container.files.write': { params: { engine?: string; id: string; path: string; content: string; create?: boolean; overwrite?: boolean }; result: Record<string, never> };
  'container.files.mkdir': { params: { engine?: string; id: string; path: string }; result: Record<string, never> };
  'container.files.delete': { params: { engine?: string; id: string; path: string; recursive?: boolean }; result: Record<string, never> };
  'container.files.rename': { params: { engine?: string; id: string; from: string; to: string; overwrite?: boolean }; result: Record<string, never> };
  /** The compose tool found on PATH, or what to install. */
  'compose.tool': { params: Record<string, never>; result: { tool: string; version: string } | { tool: null; install: string } };
  /** Compose and stack commands stream the tool's output (`tool` progress streams) and end `completed` (exitCode 0) or `failed` with `exitCode` and `error`. */
  'compose.up': { params: { engine?: string; file: string; services?: string[]; build?: boolean; projectName?: string }; result: StreamInfo };
  'compose.down': { params: { engine?: string; file: string; volumes?: boolean; projectName?: string }; result: StreamInfo };
  'compose.restart': { params: { engine?: string; file: string; services?: string[]; projectName?: string }; result: StreamInfo };
  'compose.logs': { params: { engine?: string; file: string; services?: string[]; follow?: boolean; projectName?: string }; result: StreamInfo };
  'stack.deploy': { params: { engine?: string; file: string; name: string }; result: StreamInfo };
  'stack.remove': { params: { engine?: string; name: string }; result: StreamInfo };
  /** Swarm lists, from the live model (empty unless the engine is a Swarm manager); stacks are derived from services' com.docker.stack.namespace label. */
  'services.list': { params: { engine?: string }; result: ServiceSummary[] };
  'tasks.list': { params: { engine?: string }; result: TaskSummary[] };
  'nodes.list': { params: { engine?: string }; result: NodeSummary[] };
  'secrets.list': { params: { engine?: string }; result: SwarmDataSummary[] };
  'configs.list': { params: { engine?: string }; result: SwarmDataSummary[] };
  'stacks.list': { params: { engine?: string }; result: StackSummary[] };
  'service.scale': { params: { engine?: string; id: string; replicas: number }; result: { warnings: string[] } };
  'service.update': { params: { engine?: string; id: string; image: string }; result: { warnings: string[] } };
  'service.rollback': { params: { engine?: string; id: string }; result: { warnings: string[] } };
  'service.remove': { params: { engine?: string; id: string }; result: Record<string, never> };
  /** A `logs` stream of every task of the service. */
  'service.logs': { params: { engine?: string; id: string; follow?: boolean; tail?: number; timestamps?: boolean }; result: StreamInfo };
  'node.update': { params: { engine?: string; id: string; availability: 'active' | 'pause' | 'drain' }; result: Record<string, never> };
  /** `data` is base64. */
  'secret.create': { params: { engine?: string; name: string; data: string; labels?: Record<string, string> }; result: { id: string } };
  'secret.remove': { params: { engine?: string; id: string }; result: Record<string, never> };
  'config.create': { params: { engine?: string; name: string; data: string; labels?: Record<string, string> }; result: { id: string } };
  'config.remove': { params: { engine?: string; id: string }; result: Record<string, never> };
}

export interface ContainerCreateParams {
  engine?: string;
  image: string;
  name?: string;
  cmd?: string[];
  entrypoint?: string[];
  /** `NAME=value` entries. */
  env?: string[];
  /** `container` is `80` or `80/tcp`; `hostPort` 0 or absent with `hostIp`: any free port; no host fields: exposed only. */
  ports?: { container: string; hostPort?: number; hostIp?: string }[];
  /** `source:/path[:ro]`: a named volume or an absolute host path. */
  volumes?: string[];
  labels?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  workdir?: string;
  user?: string;
  network?: string;
  autoRemove?: boolean;
  /** Start it once created. */
  start?: boolean;
}

/** One entry of a container's filesystem (container.files.*). */
export interface FileEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  /** Permission bits (0o755…). */
  mode: number;
  /** Where a symlink points. */
  linkTarget?: string;
}

/** Notifications the daemon pushes to every connected client. */
export interface RuntimeNotifications {
  'engines.changed': EngineInfo[];
  /** One object changed, for a kind the client subscribed to. */
  'state.changed': StateChange;
  /** The full list of a kind: on subscribe, and after an engine reconnects. */
  'state.resync': StateResync;
  /** Output of a stream, to the client that owns it. */
  'stream.data': StreamData;
  /** The last message of a stream. */
  'stream.end': StreamEnd;
}

/** `build`, `pull`, `push` and `tool` (a compose or stack command) are progress streams: text lines, then an outcome. */
export type StreamKind = 'logs' | 'exec' | 'attach' | 'stats' | 'build' | 'pull' | 'push' | 'tool';

/** What opening (or re-attaching to) a stream answers. */
export interface StreamInfo {
  streamId: string;
  kind: StreamKind;
  /** Output is one terminal byte stream (channel `stdout`) rather than stdout and stderr apart. */
  tty: boolean;
  /** stream.write reaches the process's stdin. */
  stdin: boolean;
}

/** Figures of one stats sample, computed as `docker stats` does. */
export interface StatsSample {
  /** ISO 8601, when the engine read them. */
  time: string;
  /** Share of one CPU × 100, so up to `onlineCpus` × 100. */
  cpuPercent: number;
  onlineCpus: number;
  /** Bytes, without the page cache (as `docker stats`). */
  memoryUsage: number;
  memoryLimit: number;
  memoryPercent: number;
  /** Bytes, summed over every network. */
  networkRx: number;
  networkTx: number;
  /** Bytes. */
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** `data` is base64 bytes on `stdout`/`stderr` (a TTY's output is all `stdout`), a sample on `stats`, whole UTF-8 text lines (not base64) on `progress`. */
export type StreamData =
  | { streamId: string; channel: 'stdout' | 'stderr'; data: string }
  | { streamId: string; channel: 'stats'; data: StatsSample }
  | { streamId: string; channel: 'progress'; data: string };

/**
 * Why a stream ended: `ended` (the source finished: logs read, process exited,
 * container stopped), `closed` (stream.close), `client too slow`, `taken over`
 * (another client re-attached), `engine unreachable`, `error`, `daemon stopping`.
 */
export type StreamEndReason = 'ended' | 'closed' | 'client too slow' | 'taken over' | 'engine unreachable' | 'error' | 'daemon stopping' | 'completed' | 'failed';

export interface StreamEnd {
  streamId: string;
  reason: StreamEndReason;
  /** Details, for the reasons that have any. */
  message?: string;
  /** An exec's exit code, or an attached container's once it has stopped; a tool's (compose, stack) when it ran. */
  exitCode?: number;
  /** Progress streams that `failed`: what went wrong. */
  error?: string;
  /** A failed build: the 1-based Dockerfile line of the failing instruction, when known. */
  line?: number;
  /** A completed build: the image built. */
  imageId?: string;
}

/** JSON-RPC error codes used by the daemon beyond the standard ones. */
export const RuntimeErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  EngineUnreachable: -32001,
  EngineError: -32002,
  UnknownEngine: -32003,
  NoEngineReady: -32004,
  /** No such stream (never opened, ended, or its detach grace expired), or not this client's: see the message. */
  UnknownStream: -32010,
  /** container.files.*: the path (or its folder) does not exist. */
  FileNotFound: -32020,
  /** container.files.*: something exists where the operation would make something new. */
  FileExists: -32021,
  FileNotADirectory: -32022,
  FileIsADirectory: -32023,
  /** container.files.read: over 50 MiB. */
  FileTooLarge: -32024,
  /** container.files.*: permission denied or a read-only filesystem. */
  NoPermissions: -32025,
  /** compose.* and stack.*: no compose tool (or docker CLI) is installed; the message says what to install. */
  ToolMissing: -32030,
} as const;
