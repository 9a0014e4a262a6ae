import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { ContainerSummary, EngineHealth, EngineInfo, ImageSummary } from '../protocol/types';
import type { EngineEndpoint } from './endpoint';
import { EngineHttpClient, EngineRequestError, compareApiVersions, MIN_API_VERSION } from './httpClient';

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

interface EngineVersion {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
}

interface EngineImage {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  Created: number;
}

interface EngineImageDetails {
  Config?: { ExposedPorts?: Record<string, unknown> | null } | null;
}

const INSPECT_CONCURRENCY = 4;

interface EngineContainer {
  Id: string;
  Names?: string[];
  Image: string;
  State: string;
  Status: string;
}

/**
 * One container engine and its health. The engine's own event stream tells us
 * when it goes away; only while it is unreachable do we retry, with backoff.
 */
export class Engine extends EventEmitter {
  private health: EngineHealth = { state: 'connecting' };
  private readonly client: EngineHttpClient;
  private events?: IncomingMessage;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private disposed = false;
  /** An image's configuration never changes under its id, so what we read once stays true. */
  private readonly exposedPortsById = new Map<string, string[]>();

  constructor(
    readonly id: string,
    readonly endpoint: EngineEndpoint,
  ) {
    super();
    this.client = new EngineHttpClient(endpoint);
  }

  info(): EngineInfo {
    return { id: this.id, endpoint: this.endpoint.url, source: this.endpoint.source, health: this.health };
  }

  start(): void {
    void this.connect();
  }

  async listContainers(): Promise<ContainerSummary[]> {
    this.requireReady();
    const containers = await this.client.json<EngineContainer[]>('GET', '/containers/json?all=1');
    return containers.map((container) => ({
      id: container.Id,
      name: (container.Names?.[0] ?? container.Id.slice(0, 12)).replace(/^\//, ''),
      image: container.Image,
      state: container.State,
      status: container.Status,
    }));
  }

  /** Tagged images with their exposed ports (read once per image id). */
  async listImages(): Promise<ImageSummary[]> {
    this.requireReady();
    const images = await this.client.json<EngineImage[]>('GET', '/images/json');
    const tagged = images.filter((image) => (image.RepoTags ?? []).some((tag) => tag !== '<none>:<none>'));
    const unknown = tagged.filter((image) => !this.exposedPortsById.has(image.Id));
    for (let i = 0; i < unknown.length; i += INSPECT_CONCURRENCY) {
      await Promise.all(
        unknown.slice(i, i + INSPECT_CONCURRENCY).map(async (image) => {
          const details = await this.client.json<EngineImageDetails>('GET', `/images/${encodeURIComponent(image.Id)}/json`).catch(() => undefined);
          this.exposedPortsById.set(image.Id, Object.keys(details?.Config?.ExposedPorts ?? {}));
        }),
      );
    }
    return tagged.map((image) => ({
      id: image.Id,
      repoTags: (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
      size: image.Size,
      created: new Date(image.Created * 1000).toISOString(),
      exposedPorts: this.exposedPortsById.get(image.Id) ?? [],
    }));
  }

  private requireReady(): void {
    if (this.health.state !== 'ready') {
      throw new EngineRequestError(this.health.state === 'unreachable' ? this.health.reason : 'engine is still connecting');
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.events?.destroy();
  }

  private async connect(): Promise<void> {
    try {
      await this.client.negotiate();
      const version = await this.client.json<EngineVersion>('GET', '/version');
      if (compareApiVersions(version.ApiVersion, MIN_API_VERSION) < 0) {
        this.fail(`engine API ${version.ApiVersion} is older than ${MIN_API_VERSION}, the oldest Berth supports`, false);
        return;
      }
      const events = await this.client.stream('/events');
      if (this.disposed) {
        events.destroy();
        return;
      }
      this.events = events;
      readJsonLines(events, (event) => {
        const { Type } = event as { Type?: unknown };
        this.emit('event', typeof Type === 'string' ? Type : 'unknown');
      });
      events.once('close', () => this.fail('the engine closed its event stream', true));
      this.failures = 0;
      this.setHealth({ state: 'ready', version: version.Version, apiVersion: version.ApiVersion, os: version.Os, arch: version.Arch });
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error), true);
    }
  }

  private fail(reason: string, retry: boolean): void {
    if (this.disposed) return;
    this.events = undefined;
    this.setHealth({ state: 'unreachable', reason });
    if (!retry) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.failures++, RETRY_DELAYS_MS.length - 1)];
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private setHealth(health: EngineHealth): void {
    const changed = JSON.stringify(health) !== JSON.stringify(this.health);
    this.health = health;
    if (changed) this.emit('health', this.info());
  }
}

/** Calls `onValue` with each JSON value of a newline-delimited JSON stream; skips lines that are not JSON. */
function readJsonLines(stream: IncomingMessage, onValue: (value: unknown) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (!line) continue;
      try {
        onValue(JSON.parse(line));
      } catch {
        // A line that is not JSON is not an event.
      }
    }
  });
}
