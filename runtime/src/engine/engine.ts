import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { ContainerSummary, EngineHealth, EngineInfo } from '../protocol/types';
import type { EngineEndpoint } from './endpoint';
import { EngineHttpClient, EngineRequestError, compareApiVersions, MIN_API_VERSION } from './httpClient';

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

interface EngineVersion {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
}

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
    if (this.health.state !== 'ready') {
      throw new EngineRequestError(this.health.state === 'unreachable' ? this.health.reason : 'engine is still connecting');
    }
    const containers = await this.client.json<EngineContainer[]>('GET', '/containers/json?all=1');
    return containers.map((container) => ({
      id: container.Id,
      name: (container.Names?.[0] ?? container.Id.slice(0, 12)).replace(/^\//, ''),
      image: container.Image,
      state: container.State,
      status: container.Status,
    }));
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
      events.on('data', () => this.emit('event'));
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
