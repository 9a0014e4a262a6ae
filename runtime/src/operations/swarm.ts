// Swarm: the lists of the live model's Swarm kinds, and the operations on
// services, nodes, secrets and configs. Updates read the object's current
// spec and version and send it back changed, as the docker CLI does, so an
// update made meanwhile by someone else is refused rather than overwritten.
import type { Engine } from '../engine/engine';
import type { StackSummary } from '../protocol/types';
import { readParams } from '../server/params';
import type { RpcServer } from '../server/rpcServer';
import type { ProgressStreams } from '../streams/streams';
import { accepted, call, invalid, type EngineLookup } from './engineCall';

const id = (value: string) => encodeURIComponent(value);

interface Versioned<Spec> {
  ID: string;
  Version: { Index: number };
  Spec: Spec;
}

interface ServiceSpec {
  Name: string;
  Mode?: { Replicated?: { Replicas?: number }; Global?: object };
  TaskTemplate: { ContainerSpec?: { Image?: string; TTY?: boolean }; ForceUpdate?: number };
  [key: string]: unknown;
}

async function updateService(method: string, engine: Engine, serviceId: string, change: (spec: ServiceSpec) => void, query = ''): Promise<{ warnings: string[] }> {
  const service = await call(method, () => engine.client.json<Versioned<ServiceSpec>>('GET', `/services/${id(serviceId)}`));
  change(service.Spec);
  const answer = await call(method, () => engine.client.json<{ Warnings?: string[] | null }>('POST', `/services/${id(service.ID)}/update?version=${service.Version.Index}${query}`, service.Spec, 60_000));
  return { warnings: answer?.Warnings ?? [] };
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

export function registerSwarm(rpc: RpcServer, engineFor: EngineLookup, progress: ProgressStreams): void {
  for (const [method, kind] of [
    ['services.list', 'service'],
    ['tasks.list', 'task'],
    ['nodes.list', 'node'],
    ['secrets.list', 'secret'],
    ['configs.list', 'config'],
  ] as const) {
    rpc.handle(method, (params) => engineFor(method, readParams(method, params, { engine: 'string?' }).engine).model.list(kind));
  }
  rpc.handle('stacks.list', (params) => {
    const method = 'stacks.list';
    const model = engineFor(method, readParams(method, params, { engine: 'string?' }).engine).model;
    const stacks = new Map<string, StackSummary>();
    for (const service of model.list('service')) {
      if (!service.stack) continue;
      const stack = stacks.get(service.stack) ?? { name: service.stack, services: 0 };
      stack.services++;
      stacks.set(service.stack, stack);
    }
    return [...stacks.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  });

  rpc.handle('service.scale', async (params) => {
    const method = 'service.scale';
    const p = readParams(method, params, { engine: 'string?', id: 'string', replicas: 'number' });
    if (!Number.isInteger(p.replicas) || p.replicas < 0 || p.replicas > 100_000) throw invalid(`${method}: param "replicas" must be a whole number from 0 to 100000`);
    return updateService(method, engineFor(method, p.engine), p.id, (spec) => {
      if (!spec.Mode?.Replicated) throw invalid(`${method}: service "${spec.Name}" is not a replicated service, so it cannot be scaled`);
      spec.Mode.Replicated.Replicas = p.replicas;
    });
  });

  rpc.handle('service.update', async (params) => {
    const method = 'service.update';
    const p = readParams(method, params, { engine: 'string?', id: 'string', image: 'string' });
    if (!p.image.trim() || /\s/.test(p.image)) throw invalid(`${method}: param "image" must be an image reference, got "${p.image}"`);
    return updateService(method, engineFor(method, p.engine), p.id, (spec) => {
      spec.TaskTemplate.ContainerSpec = { ...spec.TaskTemplate.ContainerSpec, Image: p.image };
    });
  });

  rpc.handle('service.rollback', async (params) => {
    const method = 'service.rollback';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    // The engine restores its previous spec itself; the body must still be a spec.
    return updateService(method, engineFor(method, p.engine), p.id, () => undefined, '&rollback=previous');
  });

  rpc.handle('service.remove', async (params) => {
    const method = 'service.remove';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    await call(method, () => engineFor(method, p.engine).client.json('DELETE', `/services/${id(p.id)}`));
    return {};
  });

  rpc.handle('service.logs', async (params, client) => {
    const method = 'service.logs';
    const p = readParams(method, params, { engine: 'string?', id: 'string', follow: 'boolean?', tail: 'number?', timestamps: 'boolean?' });
    if (p.tail !== undefined && (!Number.isInteger(p.tail) || p.tail < 0)) throw invalid(`${method}: param "tail" must be a whole number (0 or more)`);
    const engine = engineFor(method, p.engine);
    const service = await call(method, () => engine.client.json<Versioned<ServiceSpec>>('GET', `/services/${id(p.id)}`));
    const query = new URLSearchParams({ stdout: '1', stderr: '1', follow: p.follow ? '1' : '0', tail: p.tail === undefined ? 'all' : String(p.tail), timestamps: p.timestamps ? '1' : '0' });
    const response = await call(method, async () => accepted(method, await engine.client.send('GET', `/services/${id(service.ID)}/logs?${query}`)));
    return progress.openLogs(client, engine, response, service.Spec.TaskTemplate.ContainerSpec?.TTY === true);
  });

  rpc.handle('node.update', async (params) => {
    const method = 'node.update';
    const p = readParams(method, params, { engine: 'string?', id: 'string', availability: 'string' });
    if (!['active', 'pause', 'drain'].includes(p.availability)) throw invalid(`${method}: param "availability" must be "active", "pause" or "drain", got "${p.availability}"`);
    const engine = engineFor(method, p.engine);
    const node = await call(method, () => engine.client.json<Versioned<{ Availability: string }>>('GET', `/nodes/${id(p.id)}`));
    node.Spec.Availability = p.availability;
    await call(method, () => engine.client.json('POST', `/nodes/${id(node.ID)}/update?version=${node.Version.Index}`, node.Spec));
    return {};
  });

  for (const kind of ['secret', 'config'] as const) {
    const create = `${kind}.create`;
    rpc.handle(create, async (params) => {
      const p = readParams(create, params, { engine: 'string?', name: 'string', data: 'string', labels: 'record?' });
      if (!NAME.test(p.name)) throw invalid(`${create}: param "name" "${p.name}" must be letters, digits, _ . and -, at most 64`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(p.data)) throw invalid(`${create}: param "data" must be base64`);
      const created = await call(create, () => engineFor(create, p.engine).client.json<{ ID: string }>('POST', `/${kind}s/create`, { Name: p.name, Data: p.data, Labels: p.labels ?? {} }));
      return { id: created.ID };
    });
    const remove = `${kind}.remove`;
    rpc.handle(remove, async (params) => {
      const p = readParams(remove, params, { engine: 'string?', id: 'string' });
      await call(remove, () => engineFor(remove, p.engine).client.json('DELETE', `/${kind}s/${id(p.id)}`));
      return {};
    });
  }
}
