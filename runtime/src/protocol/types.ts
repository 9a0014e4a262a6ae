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

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
}

export interface ImageSummary {
  id: string;
  /** `repository:tag` names; untagged images are not listed. */
  repoTags: string[];
  size: number;
  /** ISO 8601. */
  created: string;
  /** As in the image config, e.g. `8080/tcp`. */
  exposedPorts: string[];
}

export interface HelloResult {
  version: string;
  protocol: number;
  pid: number;
}

/** Requests a client may send, with their params and results. */
export interface RuntimeMethods {
  'runtime.hello': { params: { client: string; protocol: number }; result: HelloResult };
  'engines.list': { params: Record<string, never>; result: EngineInfo[] };
  'containers.list': { params: { engineId: string }; result: ContainerSummary[] };
  'images.list': { params: { engineId: string }; result: ImageSummary[] };
}

/** Notifications the daemon pushes to every connected client. */
export interface RuntimeNotifications {
  'engines.changed': EngineInfo[];
  /**
   * Something in an engine changed (coalesced over a short window); re-read what
   * you show. `kinds` are the engine's event types seen: container, image, volume, network…
   */
  'state.changed': { engineId: string; kinds: string[] };
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
} as const;
