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
}

/** Notifications the daemon pushes to every connected client. */
export interface RuntimeNotifications {
  'engines.changed': EngineInfo[];
  /** One object changed, for a kind the client subscribed to. */
  'state.changed': StateChange;
  /** The full list of a kind: on subscribe, and after an engine reconnects. */
  'state.resync': StateResync;
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
} as const;
