// Requests that change or inspect one engine object, each a single Engine API
// call. The live model learns of the result from the engine's event stream,
// like any other change, so nothing here updates it by hand.
import { RuntimeErrorCode } from '../protocol/types';
import { readParams } from '../server/params';
import { RpcError, type RpcServer } from '../server/rpcServer';
import type { ProgressStreams } from '../streams/streams';
import { registerBuild } from './build';
import { registerCompose } from './compose';
import { registerContainerOperations } from './containers';
import { call, type EngineLookup } from './engineCall';
import { registerFileOperations } from './files';
import { registerImageTransfers } from './images';
import { registerSwarm } from './swarm';

export type { EngineLookup } from './engineCall';

const id = (value: string) => encodeURIComponent(value);

interface TopResult {
  Titles: string[];
  Processes: string[][];
}

/** What each prune call names its list of removed objects. */
const PRUNED_LIST: Record<string, 'ContainersDeleted' | 'VolumesDeleted' | 'NetworksDeleted' | 'CachesDeleted'> = {
  containers: 'ContainersDeleted',
  volumes: 'VolumesDeleted',
  networks: 'NetworksDeleted',
  buildcache: 'CachesDeleted',
};

interface PruneAnswer {
  ContainersDeleted?: string[] | null;
  VolumesDeleted?: string[] | null;
  NetworksDeleted?: string[] | null;
  CachesDeleted?: string[] | null;
  ImagesDeleted?: { Deleted?: string; Untagged?: string }[] | null;
  SpaceReclaimed?: number;
}

/** Every operation: these single calls, and the areas with modules of their own. */
export function registerOperations(rpc: RpcServer, engineFor: EngineLookup, progress: ProgressStreams): void {
  registerContainerOperations(rpc, engineFor);
  registerFileOperations(rpc, engineFor);
  registerBuild(rpc, engineFor, progress);
  registerImageTransfers(rpc, engineFor, progress);
  registerCompose(rpc, engineFor, progress);
  registerSwarm(rpc, engineFor, progress);

  const simple = (method: string, path: (params: { id: string }) => string, verb = 'POST') =>
    rpc.handle(method, async (params) => {
      const parsed = readParams(method, params, { engine: 'string?', id: 'string' });
      const engine = engineFor(method, parsed.engine);
      await call(method, () => engine.client.json(verb, path(parsed)));
      return {};
    });

  simple('container.start', ({ id: c }) => `/containers/${id(c)}/start`);
  simple('container.restart', ({ id: c }) => `/containers/${id(c)}/restart`);
  simple('container.pause', ({ id: c }) => `/containers/${id(c)}/pause`);
  simple('container.unpause', ({ id: c }) => `/containers/${id(c)}/unpause`);

  rpc.handle('container.stop', async (params) => {
    const { engine, id: c, timeout } = readParams('container.stop', params, { engine: 'string?', id: 'string', timeout: 'number?' });
    await call('container.stop', () => engineFor('container.stop', engine).client.json('POST', `/containers/${id(c)}/stop${timeout === undefined ? '' : `?t=${Math.max(0, Math.floor(timeout))}`}`, undefined, 120_000));
    return {};
  });
  rpc.handle('container.kill', async (params) => {
    const { engine, id: c, signal } = readParams('container.kill', params, { engine: 'string?', id: 'string', signal: 'string?' });
    if (signal !== undefined && !/^(SIG)?[A-Z0-9]+$|^\d+$/.test(signal)) throw new RpcError(RuntimeErrorCode.InvalidParams, `container.kill: param "signal" must be a signal name or number, got "${signal}"`);
    await call('container.kill', () => engineFor('container.kill', engine).client.json('POST', `/containers/${id(c)}/kill${signal ? `?signal=${encodeURIComponent(signal)}` : ''}`));
    return {};
  });
  rpc.handle('container.remove', async (params) => {
    const { engine, id: c, force, volumes } = readParams('container.remove', params, { engine: 'string?', id: 'string', force: 'boolean?', volumes: 'boolean?' });
    await call('container.remove', () => engineFor('container.remove', engine).client.json('DELETE', `/containers/${id(c)}?force=${force === true}&v=${volumes === true}`));
    return {};
  });
  rpc.handle('container.rename', async (params) => {
    const { engine, id: c, name } = readParams('container.rename', params, { engine: 'string?', id: 'string', name: 'string' });
    if (!/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) throw new RpcError(RuntimeErrorCode.InvalidParams, `container.rename: param "name" "${name}" is not a valid container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)`);
    await call('container.rename', () => engineFor('container.rename', engine).client.json('POST', `/containers/${id(c)}/rename?name=${encodeURIComponent(name)}`));
    return {};
  });
  rpc.handle('container.inspect', async (params) => {
    const { engine, id: c } = readParams('container.inspect', params, { engine: 'string?', id: 'string' });
    return call('container.inspect', () => engineFor('container.inspect', engine).client.json('GET', `/containers/${id(c)}/json`));
  });
  rpc.handle('container.top', async (params) => {
    const { engine, id: c } = readParams('container.top', params, { engine: 'string?', id: 'string' });
    const top = await call('container.top', () => engineFor('container.top', engine).client.json<TopResult>('GET', `/containers/${id(c)}/top`));
    return { titles: top.Titles, processes: top.Processes };
  });

  rpc.handle('image.inspect', async (params) => {
    const { engine, id: i } = readParams('image.inspect', params, { engine: 'string?', id: 'string' });
    return call('image.inspect', () => engineFor('image.inspect', engine).client.json('GET', `/images/${id(i)}/json`));
  });
  rpc.handle('image.history', async (params) => {
    const { engine, id: i } = readParams('image.history', params, { engine: 'string?', id: 'string' });
    const layers = await call('image.history', () =>
      engineFor('image.history', engine).client.json<{ Id: string; Created: number; CreatedBy: string; Size: number; Tags: string[] | null; Comment: string }[]>('GET', `/images/${id(i)}/history`),
    );
    return layers.map((layer) => ({ id: layer.Id, created: new Date(layer.Created * 1000).toISOString(), createdBy: layer.CreatedBy, size: layer.Size, tags: layer.Tags ?? [], comment: layer.Comment }));
  });
  rpc.handle('image.tag', async (params) => {
    const { engine, id: i, repository, tag } = readParams('image.tag', params, { engine: 'string?', id: 'string', repository: 'string', tag: 'string?' });
    await call('image.tag', () => engineFor('image.tag', engine).client.json('POST', `/images/${id(i)}/tag?repo=${encodeURIComponent(repository)}${tag ? `&tag=${encodeURIComponent(tag)}` : ''}`));
    return {};
  });
  rpc.handle('image.remove', async (params) => {
    const { engine, id: i, force } = readParams('image.remove', params, { engine: 'string?', id: 'string', force: 'boolean?' });
    const removed = await call('image.remove', () => engineFor('image.remove', engine).client.json<{ Untagged?: string; Deleted?: string }[]>('DELETE', `/images/${id(i)}?force=${force === true}`));
    return { untagged: removed.flatMap((entry) => (entry.Untagged ? [entry.Untagged] : [])), deleted: removed.flatMap((entry) => (entry.Deleted ? [entry.Deleted] : [])) };
  });

  rpc.handle('volume.create', async (params) => {
    const { engine, name, driver } = readParams('volume.create', params, { engine: 'string?', name: 'string?', driver: 'string?' });
    const created = await call('volume.create', () => engineFor('volume.create', engine).client.json<{ Name: string }>('POST', '/volumes/create', { ...(name ? { Name: name } : {}), ...(driver ? { Driver: driver } : {}) }));
    return { name: created.Name };
  });
  rpc.handle('volume.inspect', async (params) => {
    const { engine, id: v } = readParams('volume.inspect', params, { engine: 'string?', id: 'string' });
    return call('volume.inspect', () => engineFor('volume.inspect', engine).client.json('GET', `/volumes/${id(v)}`));
  });
  rpc.handle('volume.remove', async (params) => {
    const { engine, id: v, force } = readParams('volume.remove', params, { engine: 'string?', id: 'string', force: 'boolean?' });
    await call('volume.remove', () => engineFor('volume.remove', engine).client.json('DELETE', `/volumes/${id(v)}?force=${force === true}`));
    return {};
  });

  rpc.handle('network.create', async (params) => {
    const { engine, name, driver, internal } = readParams('network.create', params, { engine: 'string?', name: 'string', driver: 'string?', internal: 'boolean?' });
    const created = await call('network.create', () => engineFor('network.create', engine).client.json<{ Id: string }>('POST', '/networks/create', { Name: name, CheckDuplicate: true, ...(driver ? { Driver: driver } : {}), Internal: internal === true }));
    return { id: created.Id };
  });
  rpc.handle('network.inspect', async (params) => {
    const { engine, id: n } = readParams('network.inspect', params, { engine: 'string?', id: 'string' });
    return call('network.inspect', () => engineFor('network.inspect', engine).client.json('GET', `/networks/${id(n)}`));
  });
  simple('network.remove', ({ id: n }) => `/networks/${id(n)}`, 'DELETE');
  for (const action of ['connect', 'disconnect'] as const) {
    const method = `network.${action}`;
    rpc.handle(method, async (params) => {
      // The network is `network` (or `id`, as in the first version of this method).
      const p = readParams(method, params, { engine: 'string?', network: 'string?', id: 'string?', container: 'string', ...(action === 'disconnect' ? { force: 'boolean?' as const } : {}) });
      const network = p.network ?? p.id;
      if (network === undefined) throw new RpcError(RuntimeErrorCode.InvalidParams, `${method}: param "network" is required`);
      if (p.network !== undefined && p.id !== undefined) throw new RpcError(RuntimeErrorCode.InvalidParams, `${method}: give param "network" or "id", not both`);
      const force = (p as { force?: boolean }).force === true;
      await call(method, () => engineFor(method, p.engine).client.json('POST', `/networks/${id(network)}/${action}`, { Container: p.container, ...(action === 'disconnect' ? { Force: force } : {}) }));
      return {};
    });
  }

  rpc.handle('system.prune', async (params) => {
    const { engine, kinds, label } = readParams('system.prune', params, { engine: 'string?', kinds: 'string[]', label: 'string?' });
    // Only objects carrying this label (`key` or `key=value`), as `docker … prune --filter label=…`.
    const filters = label ? `?filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}` : '';
    const known = ['containers', 'images', 'volumes', 'networks', 'buildcache'];
    const unknown = kinds.find((kind) => !known.includes(kind));
    if (unknown) throw new RpcError(RuntimeErrorCode.InvalidParams, `system.prune: unknown kind "${unknown}" (expected ${known.join(', ')})`);
    const client = engineFor('system.prune', engine).client;
    const reclaimed: Record<string, { removed: string[]; spaceReclaimed: number }> = {};
    for (const kind of kinds) {
      const path = (kind === 'buildcache' ? '/build/prune' : `/${kind}/prune`) + filters;
      const answer = await call('system.prune', () => client.json<PruneAnswer>('POST', path, undefined, 300_000));
      const removed =
        kind === 'images' ? (answer.ImagesDeleted ?? []).map((entry) => entry.Deleted ?? entry.Untagged ?? '') : (answer[PRUNED_LIST[kind]!] as string[] | null | undefined) ?? [];
      reclaimed[kind] = { removed: removed.filter(Boolean), spaceReclaimed: answer.SpaceReclaimed ?? 0 };
    }
    return reclaimed;
  });
}
