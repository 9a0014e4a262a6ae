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
  | { state: 'ready'; version: string; apiVersion: string; os: string; arch: string }
  | { state: 'unreachable'; reason: string };

export interface EngineInfo {
  id: string;
  /** Where the engine was found, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  /** How it was chosen, e.g. `DOCKER_HOST` or `default socket`. */
  source: string;
  health: EngineHealth;
}

export type ResourceKind = 'container' | 'image' | 'volume' | 'network';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['container', 'image', 'volume', 'network'];

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

export interface ResourceOf {
  container: ContainerSummary;
  image: ImageSummary;
  volume: VolumeSummary;
  network: NetworkSummary;
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
}

/** Requests a client may send, with their params and results. */
export interface RuntimeMethods {
  'runtime.hello': { params: { client?: string; protocol?: number }; result: HelloResult };
  'engines.list': { params: Record<string, never>; result: EngineInfo[] };
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
  'network.connect': { params: { engine?: string; id: string; container: string }; result: Record<string, never> };
  'network.disconnect': { params: { engine?: string; id: string; container: string }; result: Record<string, never> };
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

export type StreamKind = 'logs' | 'exec' | 'attach' | 'stats';

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

/** `data` is base64 bytes on `stdout`/`stderr` (a TTY's output is all `stdout`), a sample on `stats`. */
export type StreamData = { streamId: string; channel: 'stdout' | 'stderr'; data: string } | { streamId: string; channel: 'stats'; data: StatsSample };

/**
 * Why a stream ended: `ended` (the source finished: logs read, process exited,
 * container stopped), `closed` (stream.close), `client too slow`, `taken over`
 * (another client re-attached), `engine unreachable`, `error`, `daemon stopping`.
 */
export type StreamEndReason = 'ended' | 'closed' | 'client too slow' | 'taken over' | 'engine unreachable' | 'error' | 'daemon stopping';

export interface StreamEnd {
  streamId: string;
  reason: StreamEndReason;
  /** Details, for the reasons that have any. */
  message?: string;
  /** An exec's exit code, or an attached container's once it has stopped. */
  exitCode?: number;
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
} as const;
