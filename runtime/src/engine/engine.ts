import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { EngineModel } from '../model/engineModel';
import { RESOURCE_KINDS, type EngineHealth, type EngineInfo, type ImageSummary, type ResourceKind, type StateChange, type VolumeSummary } from '../protocol/types';
import type { EngineEndpoint } from './endpoint';
import { EngineHttpClient, compareApiVersions, MIN_API_VERSION } from './httpClient';
import { scheduleRetry } from './retry';
import { engineProduct, fetchContainer, fetchNetwork, listContainers, listImages, listNetworks, listVolumes, type ApiVersion } from './resources';
import { SwarmWatch } from './swarmWatch';

/** Events for one object often come in bursts (create, attach, start…): read it once per burst. */
const REFRESH_DELAY_MS = 20;
/** Re-reads of an object that failed are tried again this many times (after 200, 400, 800 ms). */
const REFRESH_RETRIES = 3;

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/**
 * The state a container event leaves its container in. dockerd sends the event
 * before its list of containers shows the change: a re-read right after `die`
 * can still say `running`, and no later event would correct it.
 */
const STATE_AFTER: Record<string, (state: string) => boolean> = {
  start: (state) => state !== 'created',
  die: (state) => state !== 'running' && state !== 'paused',
  pause: (state) => state === 'paused',
  unpause: (state) => state !== 'paused',
};

class StaleReadError extends Error {}

export interface EngineEvents {
  health: [EngineInfo];
  change: [StateChange];
}

/**
 * One container engine: its health, and a live model of its objects fed by
 * one snapshot at connect and then the engine's own event stream. Only while
 * the engine is unreachable does anything retry, with backoff.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly model: EngineModel;
  readonly client: EngineHttpClient;
  private health: EngineHealth = { state: 'connecting' };
  private events?: IncomingMessage;
  private cancelRetry?: () => void;
  private failures = 0;
  private disposed = false;
  private readonly exposedPortsById = new Map<string, string[]>();
  /** Per object: a re-read waiting to run, or running (and whether an event came in meanwhile). */
  private readonly refreshes = new Map<string, { timer?: NodeJS.Timeout; again: boolean }>();
  /** Per container: what its latest state-changing event says its state must now be, until a read agrees. */
  private readonly expectedStates = new Map<string, (state: string) => boolean>();
  /** Services, tasks, nodes, secrets and configs, while the engine manages a swarm. */
  private readonly swarm: SwarmWatch;

  constructor(
    readonly id: string,
    readonly endpoint: EngineEndpoint,
  ) {
    super();
    this.client = new EngineHttpClient(endpoint);
    this.model = new EngineModel(id);
    this.swarm = new SwarmWatch(this.client, this.model, (changes) => this.publish(changes), () => !this.disposed && this.ready);
  }

  info(): EngineInfo {
    return { id: this.id, endpoint: this.endpoint.url, source: this.endpoint.source, health: this.health };
  }

  get ready(): boolean {
    return this.health.state === 'ready';
  }

  start(): void {
    void this.connect();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelRetry?.();
    this.client.dispose();
    for (const { timer } of this.refreshes.values()) clearTimeout(timer);
    this.swarm.dispose();
    this.events?.destroy();
  }

  /** Taken out of service (engines.remove): its streams end with `reason`, then it is disposed. */
  remove(reason: string): void {
    this.setHealth({ state: 'unreachable', reason });
    this.dispose();
  }

  private async connect(): Promise<void> {
    if (this.endpoint.problem) {
      this.fail(this.endpoint.problem, false);
      return;
    }
    try {
      await this.client.negotiate();
      const version = await this.client.json<ApiVersion>('GET', '/version');
      if (compareApiVersions(version.ApiVersion, MIN_API_VERSION) < 0) {
        this.fail(`engine API ${version.ApiVersion} is older than ${MIN_API_VERSION}, the oldest Berth supports`, false);
        return;
      }
      // Listen before listing, so nothing that happens during the snapshot is missed.
      const events = await this.client.stream('/events');
      if (this.disposed) {
        events.destroy();
        return;
      }
      this.events = events;
      readJsonLines(events, (event) => this.onEvent(event as EngineEvent));
      events.once('close', () => {
        if (this.events === events) this.fail('the engine closed its event stream', true);
      });
      await this.snapshot();
      this.failures = 0;
      this.setHealth({ state: 'ready', product: engineProduct(version), version: version.Version, apiVersion: version.ApiVersion, os: version.Os, arch: version.Arch });
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error), true);
    }
  }

  /** Lists everything and pushes the differences from what the model held (all of it at first connect). */
  private async snapshot(): Promise<void> {
    const containers = await listContainers(this.client);
    const [images, volumes, networks] = await Promise.all([listImages(this.client, this.exposedPortsById, containers), listVolumes(this.client, containers), listNetworks(this.client)]);
    this.publish(this.model.replace('container', containers));
    this.publish(this.model.replace('image', images));
    this.publish(this.model.replace('volume', volumes));
    this.publish(this.model.replace('network', networks));
    await this.swarm.snapshot();
  }

  private onEvent(event: EngineEvent): void {
    const id = event.Actor?.ID;
    this.swarm.onEvent(event);
    switch (event.Type) {
      case 'container': {
        if (!id) break;
        const expected = STATE_AFTER[event.Action ?? ''];
        if (expected) this.expectedStates.set(id, expected);
        else if (event.Action === 'destroy') this.expectedStates.delete(id);
        this.refreshLater(`container:${id}`, () => this.refreshContainer(id));
        break;
      }
      case 'image':
        this.refreshLater('images', () => this.refreshImages());
        break;
      case 'volume':
        this.refreshLater('volumes', () => this.refreshVolumes());
        break;
      case 'network':
        if (id) this.refreshLater(`network:${id}`, async () => this.publish([this.model.set('network', id, await fetchNetwork(this.client, id))]));
        // A network connect or disconnect changes the container's network list too.
        if (event.Actor?.Attributes?.container) {
          const container = event.Actor.Attributes.container;
          this.refreshLater(`container:${container}`, () => this.refreshContainer(container));
        }
        break;
    }
  }

  private async refreshContainer(id: string): Promise<void> {
    const before = this.model.get('container', id);
    const expected = this.expectedStates.get(id);
    const after = await fetchContainer(this.client, id);
    this.publish([this.model.set('container', id, after)]);
    // Which images and volumes are in use follows from the containers.
    if (!before || !after || before.imageId !== after.imageId || JSON.stringify(before.mounts) !== JSON.stringify(after.mounts)) {
      this.publish(this.recomputeUsage());
    }
    if (!after || !expected || expected(after.state)) {
      // Unless a newer event set another expectation while this read was out.
      if (this.expectedStates.get(id) === expected) this.expectedStates.delete(id);
      return;
    }
    // The engine's list lags its event: read again, later, as after a refused read.
    throw new StaleReadError(`container ${id} still reads ${after.state}`);
  }

  private async refreshImages(): Promise<void> {
    this.publish(this.model.replace('image', await listImages(this.client, this.exposedPortsById, this.model.list('container'))));
  }

  private async refreshVolumes(): Promise<void> {
    this.publish(this.model.replace('volume', await listVolumes(this.client, this.model.list('container'))));
  }

  private recomputeUsage(): (StateChange | undefined)[] {
    const containers = this.model.list('container');
    const imageUsers = new Map<string, string[]>();
    const volumeUsers = new Map<string, string[]>();
    // Appended in place: copying the list per container made this quadratic (a 1,000-container engine built megabytes of garbage per event).
    const add = (users: Map<string, string[]>, key: string, id: string) => {
      const list = users.get(key);
      if (list) list.push(id);
      else users.set(key, [id]);
    };
    for (const container of containers) {
      add(imageUsers, container.imageId, container.id);
      for (const mount of container.mounts) if (mount.type === 'volume' && mount.name) add(volumeUsers, mount.name, container.id);
    }
    return [
      ...this.model.list('image').map((image): StateChange | undefined => this.model.set('image', image.id, { ...image, usedBy: imageUsers.get(image.id) ?? [] } satisfies ImageSummary)),
      ...this.model.list('volume').map((volume): StateChange | undefined => this.model.set('volume', volume.id, { ...volume, usedBy: volumeUsers.get(volume.name) ?? [] } satisfies VolumeSummary)),
    ];
  }

  /**
   * Re-reads one object soon, once for a burst of events. Re-reads of the same
   * object never overlap: two in flight could answer out of order and leave the
   * older state (a container that exited shown running), so an event arriving
   * during a re-read makes another one run after it.
   */
  private refreshLater(key: string, refresh: () => Promise<void>, failures = 0): void {
    const current = this.refreshes.get(key);
    if (current) {
      if (!current.timer) current.again = true;
      return;
    }
    const entry: { timer?: NodeJS.Timeout; again: boolean } = { again: false };
    this.refreshes.set(key, entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.disposed || !this.ready) {
        this.refreshes.delete(key);
        return;
      }
      let failed = false;
      refresh()
        .catch(() => {
          // A re-read the engine refused or let time out, or one that still shows the
          // state from before its event (StaleReadError), would leave the object as it
          // was until its next event (a killed container shown running): read again,
          // a few times, later each time. The engine going away altogether is handled
          // by the event stream closing, and the re-list after reconnecting.
          failed = true;
        })
        .finally(() => {
          this.refreshes.delete(key);
          if (this.disposed) return;
          if (entry.again) this.refreshLater(key, refresh);
          else if (failed && failures < REFRESH_RETRIES) setTimeout(() => this.refreshLater(key, refresh, failures + 1), REFRESH_DELAY_MS * 10 * 2 ** failures).unref();
        });
    }, REFRESH_DELAY_MS);
  }

  private publish(changes: (StateChange | undefined)[]): void {
    for (const change of changes) if (change) this.emit('change', change);
  }

  private fail(reason: string, retry: boolean): void {
    if (this.disposed) return;
    this.events?.destroy();
    this.events = undefined;
    this.setHealth({ state: 'unreachable', reason });
    if (!retry) return;
    this.cancelRetry?.();
    this.cancelRetry = scheduleRetry(this.endpoint, this.failures++, () => void this.connect());
  }

  private setHealth(health: EngineHealth): void {
    const changed = JSON.stringify(health) !== JSON.stringify(this.health);
    this.health = health;
    if (changed) this.emit('health', this.info());
  }
}

export function isResourceKind(value: unknown): value is ResourceKind {
  return (RESOURCE_KINDS as readonly unknown[]).includes(value);
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
