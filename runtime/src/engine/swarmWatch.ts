import type { EngineModel } from '../model/engineModel';
import { SWARM_KINDS, type StateChange, type TaskSummary } from '../protocol/types';
import { EngineRequestError, type EngineHttpClient } from './httpClient';
import { isSwarmManager, listNodes, listServicesAndTasks, listSwarmData } from './swarmResources';

/** A burst of events (a service update touches every task) is read once. */
const REFRESH_DELAY_MS = 50;
/**
 * A task's state reaches the manager a moment after its container's event,
 * so while some task is on its way somewhere the list is read again, at
 * growing intervals, until every task has arrived; never while all is still.
 */
const SETTLE_DELAYS_MS = [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000];
const ON_THE_WAY = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);

function inTransition(task: TaskSummary): boolean {
  if (task.desiredState === 'running') return ON_THE_WAY.has(task.state);
  return (task.desiredState === 'shutdown' || task.desiredState === 'remove') && (ON_THE_WAY.has(task.state) || task.state === 'running');
}

interface SwarmEvent {
  Type?: string;
  Actor?: { Attributes?: Record<string, string> };
}

/**
 * The Swarm part of an engine's live model: services, tasks, nodes, secrets
 * and configs, listed while the engine is a Swarm manager and re-read when
 * the event stream names them. Joining a swarm shows as a `node` event; the
 * engine sends none on leaving, which is noticed when a swarm read is refused
 * (a task's container going away is such a read) or at the next reconnect.
 */
export class SwarmWatch {
  private manager = false;
  private settling = 0;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly client: EngineHttpClient,
    private readonly model: EngineModel,
    private readonly publish: (changes: (StateChange | undefined)[]) => void,
    /** Whether reads may go out (the engine is connected and not disposed). */
    private readonly active: () => boolean,
  ) {}

  /** At every (re)connect: lists everything when a manager, empties the Swarm kinds otherwise. */
  async snapshot(): Promise<void> {
    await this.guard(async () => {
      this.manager = await isSwarmManager(this.client);
      if (!this.manager) return this.clear();
      const [{ services, tasks }, nodes, secrets, configs] = await Promise.all([
        listServicesAndTasks(this.client),
        listNodes(this.client),
        listSwarmData(this.client, 'secrets'),
        listSwarmData(this.client, 'configs'),
      ]);
      this.publish([
        ...this.model.replace('service', services),
        ...this.model.replace('task', tasks),
        ...this.model.replace('node', nodes),
        ...this.model.replace('secret', secrets),
        ...this.model.replace('config', configs),
      ]);
    });
  }

  onEvent(event: SwarmEvent): void {
    switch (event.Type) {
      case 'node':
        // Also how an `init` or `join` shows: ask again whether this engine manages a swarm.
        this.later('all', () => this.snapshot());
        break;
      case 'service':
        if (this.manager) this.later('services', () => this.refreshServices());
        break;
      case 'secret':
      case 'config': {
        const kind = event.Type;
        if (this.manager) this.later(kind, () => this.guard(async () => this.publish(this.model.replace(kind, await listSwarmData(this.client, `${kind}s`)))));
        break;
      }
      case 'container':
        // Tasks have no events of their own; their containers do.
        if (this.manager && event.Actor?.Attributes?.['com.docker.swarm.task.id']) this.later('services', () => this.refreshServices());
        break;
    }
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private refreshServices(): Promise<void> {
    return this.guard(async () => {
      const { services, tasks } = await listServicesAndTasks(this.client);
      this.publish([...this.model.replace('service', services), ...this.model.replace('task', tasks)]);
      if (!tasks.some(inTransition)) this.settling = 0;
      else if (this.settling < SETTLE_DELAYS_MS.length) this.later('services', () => this.refreshServices(), SETTLE_DELAYS_MS[this.settling++]);
    });
  }

  private clear(): void {
    this.manager = false;
    for (const kind of SWARM_KINDS) this.publish(this.model.replace(kind, []));
  }

  /** A read refused with 503 means the engine no longer manages a swarm; other failures are the event stream's to report. */
  private async guard(read: () => Promise<void>): Promise<void> {
    try {
      await read();
    } catch (error) {
      if (error instanceof EngineRequestError && error.status === 503) this.clear();
    }
  }

  private later(key: string, refresh: () => Promise<void>, delayMs = REFRESH_DELAY_MS): void {
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (this.active()) void refresh();
      }, delayMs),
    );
  }
}
