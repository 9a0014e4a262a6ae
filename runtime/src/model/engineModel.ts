import { isDeepStrictEqual } from 'node:util';
import type { ResourceKind, ResourceOf, StateChange } from '../protocol/types';

type Store = { [K in ResourceKind]: Map<string, ResourceOf[K]> };

/**
 * What one engine holds, kind by kind, and the changes between one state and
 * the next. Only real differences count, so clients hear of nothing that
 * did not change.
 */
export class EngineModel {
  private readonly store: Store = {
    container: new Map(),
    image: new Map(),
    volume: new Map(),
    network: new Map(),
    service: new Map(),
    task: new Map(),
    node: new Map(),
    secret: new Map(),
    config: new Map(),
  };

  /**
   * Each kind's list as UTF-8 JSON, made on first demand after a change: a list
   * request then costs no encoding, and no fresh string of hundreds of KB.
   */
  private readonly serialized = new Map<ResourceKind, Buffer>();

  constructor(readonly engine: string) {}

  list<K extends ResourceKind>(kind: K): ResourceOf[K][] {
    return [...(this.store[kind] as Map<string, ResourceOf[K]>).values()];
  }

  /** `list(kind)` as JSON text; the same bytes until the kind changes. */
  listJson(kind: ResourceKind): Buffer {
    let json = this.serialized.get(kind);
    if (!json) {
      json = Buffer.from(JSON.stringify(this.list(kind)));
      this.serialized.set(kind, json);
    }
    return json;
  }

  get<K extends ResourceKind>(kind: K, id: string): ResourceOf[K] | undefined {
    return (this.store[kind] as Map<string, ResourceOf[K]>).get(id);
  }

  /** Replaces a whole kind (a snapshot), returning what changed. */
  replace<K extends ResourceKind>(kind: K, items: (ResourceOf[K] & { id: string })[]): StateChange<K>[] {
    const map = this.store[kind] as Map<string, ResourceOf[K]>;
    const changes: StateChange<K>[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.id);
      const change = this.put(kind, item);
      if (change) changes.push(change);
    }
    for (const id of [...map.keys()]) {
      if (!seen.has(id)) {
        map.delete(id);
        this.serialized.delete(kind);
        changes.push({ engine: this.engine, kind, id, action: 'removed' });
      }
    }
    return changes;
  }

  /** Sets one object (or removes it when `item` is undefined), returning the change if there was one. */
  set<K extends ResourceKind>(kind: K, id: string, item: (ResourceOf[K] & { id: string }) | undefined): StateChange<K> | undefined {
    const map = this.store[kind] as Map<string, ResourceOf[K]>;
    if (item) return this.put(kind, item);
    if (!map.delete(id)) return undefined;
    this.serialized.delete(kind);
    return { engine: this.engine, kind, id, action: 'removed' };
  }

  clear(): void {
    for (const map of Object.values(this.store)) map.clear();
    this.serialized.clear();
  }

  private put<K extends ResourceKind>(kind: K, item: ResourceOf[K] & { id: string }): StateChange<K> | undefined {
    const map = this.store[kind] as Map<string, ResourceOf[K]>;
    const previous = map.get(item.id);
    if (previous && isDeepStrictEqual(previous, item)) return undefined;
    map.set(item.id, item);
    this.serialized.delete(kind);
    return { engine: this.engine, kind, id: item.id, action: previous ? 'updated' : 'added', item };
  }
}
