// container.create, .ports, .diff and .commit: one Engine API call each
// (create may also start what it made).
import { readParams } from '../server/params';
import type { RpcServer } from '../server/rpcServer';
import { call, invalid, type EngineLookup } from './engineCall';

const id = (value: string) => encodeURIComponent(value);

interface PortRequest {
  container: string;
  hostPort?: number;
  hostIp?: string;
}

/** `ports` as given: each `{container: "80/tcp", hostPort?, hostIp?}`, checked field by field. */
function readPorts(method: string, value: unknown): PortRequest[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${method}: param "ports" must be an array of {container, hostPort?, hostIp?}`);
  return value.map((entry: unknown, index) => {
    const where = `${method}: param "ports[${index}]"`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`${where} must be an object {container, hostPort?, hostIp?}`);
    const { container, hostPort, hostIp, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw invalid(`${where}: unknown field "${unknown}" (expected container, hostPort, hostIp)`);
    if (typeof container !== 'string' || !/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(container) || Number(container.split('/')[0]) > 65535) {
      throw invalid(`${where}.container must be a port such as "80" or "80/tcp", got ${JSON.stringify(container)}`);
    }
    if (hostPort !== undefined && (typeof hostPort !== 'number' || !Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535)) throw invalid(`${where}.hostPort must be a whole number from 0 to 65535 (0: any free port)`);
    if (hostIp !== undefined && typeof hostIp !== 'string') throw invalid(`${where}.hostIp must be a string`);
    return { container: container.includes('/') ? container : `${container}/tcp`, ...(hostPort !== undefined ? { hostPort } : {}), ...(hostIp ? { hostIp } : {}) };
  });
}

/** `src:dst[:ro|rw]`: a named volume or an absolute host path, mounted at an absolute path. */
function checkVolume(method: string, spec: string, index: number): void {
  const parts = spec.split(':');
  const [source, target, mode] = parts;
  const ok = parts.length >= 2 && parts.length <= 3 && !!source && !!target?.startsWith('/') && (mode === undefined || /^(ro|rw)(,[a-z]+)*$|^[a-z,]+$/.test(mode));
  if (!ok) throw invalid(`${method}: param "volumes[${index}]" must be "source:/container/path[:ro]", got "${spec}"`);
}

export function registerContainerOperations(rpc: RpcServer, engineFor: EngineLookup): void {
  rpc.handle('container.create', async (params) => {
    const method = 'container.create';
    const p = readParams(method, params, {
      engine: 'string?',
      image: 'string',
      name: 'string?',
      cmd: 'string[]?',
      entrypoint: 'string[]?',
      env: 'string[]?',
      ports: 'unknown?',
      volumes: 'string[]?',
      labels: 'record?',
      tty: 'boolean?',
      openStdin: 'boolean?',
      workdir: 'string?',
      user: 'string?',
      network: 'string?',
      autoRemove: 'boolean?',
      start: 'boolean?',
    });
    if (!p.image.trim()) throw invalid(`${method}: param "image" must name an image`);
    if (p.name !== undefined && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(p.name)) throw invalid(`${method}: param "name" "${p.name}" is not a valid container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)`);
    const badEnv = p.env?.find((entry) => !/^[^=]+=/.test(entry));
    if (badEnv !== undefined) throw invalid(`${method}: param "env" entries must be NAME=value, got "${badEnv}"`);
    if (p.workdir !== undefined && !p.workdir.startsWith('/')) throw invalid(`${method}: param "workdir" must be an absolute path`);
    p.volumes?.forEach((spec, index) => checkVolume(method, spec, index));
    const ports = readPorts(method, p.ports);

    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const port of ports) {
      exposed[port.container] = {};
      if (port.hostPort !== undefined || port.hostIp !== undefined) {
        (bindings[port.container] ??= []).push({ HostIp: port.hostIp ?? '', HostPort: port.hostPort ? String(port.hostPort) : '' });
      }
    }
    const body = {
      Image: p.image,
      ...(p.cmd ? { Cmd: p.cmd } : {}),
      ...(p.entrypoint ? { Entrypoint: p.entrypoint } : {}),
      ...(p.env ? { Env: p.env } : {}),
      ...(ports.length ? { ExposedPorts: exposed } : {}),
      Labels: p.labels ?? {},
      Tty: p.tty === true,
      OpenStdin: p.openStdin === true,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      ...(p.workdir ? { WorkingDir: p.workdir } : {}),
      ...(p.user ? { User: p.user } : {}),
      HostConfig: {
        ...(p.volumes?.length ? { Binds: p.volumes } : {}),
        ...(Object.keys(bindings).length ? { PortBindings: bindings } : {}),
        ...(p.network ? { NetworkMode: p.network } : {}),
        AutoRemove: p.autoRemove === true,
      },
    };
    const engine = engineFor(method, p.engine);
    const created = await call(method, () => engine.client.json<{ Id: string; Warnings?: string[] | null }>('POST', `/containers/create${p.name ? `?name=${id(p.name)}` : ''}`, body));
    if (p.start) await call(method, () => engine.client.json('POST', `/containers/${id(created.Id)}/start`));
    return { id: created.Id, warnings: created.Warnings ?? [] };
  });

  rpc.handle('container.ports', async (params) => {
    const method = 'container.ports';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    const inspected = await call(method, () =>
      engineFor(method, p.engine).client.json<{ NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null } }>('GET', `/containers/${id(p.id)}/json`),
    );
    // As `docker port`: every published binding, one entry per host address.
    return Object.entries(inspected.NetworkSettings?.Ports ?? {}).flatMap(([container, bound]) => (bound ?? []).map((binding) => ({ container, hostIp: binding.HostIp, hostPort: Number(binding.HostPort) })));
  });

  rpc.handle('container.diff', async (params) => {
    const method = 'container.diff';
    const p = readParams(method, params, { engine: 'string?', id: 'string' });
    const changes = await call(method, () => engineFor(method, p.engine).client.json<{ Path: string; Kind: number }[] | null>('GET', `/containers/${id(p.id)}/changes`));
    const KIND = ['changed', 'added', 'deleted'] as const;
    return (changes ?? []).map((change) => ({ path: change.Path, kind: KIND[change.Kind] ?? 'changed' }));
  });

  rpc.handle('container.commit', async (params) => {
    const method = 'container.commit';
    const p = readParams(method, params, { engine: 'string?', id: 'string', repo: 'string', tag: 'string?', message: 'string?', labels: 'record?' });
    if (!/^[a-z0-9][a-z0-9._\-/:]*$/.test(p.repo)) throw invalid(`${method}: param "repo" "${p.repo}" is not a valid repository name (lowercase letters, digits, . _ - / and a registry host:port)`);
    if (p.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(p.tag)) throw invalid(`${method}: param "tag" "${p.tag}" is not a valid tag`);
    const query = new URLSearchParams({ container: p.id, repo: p.repo });
    if (p.tag) query.set('tag', p.tag);
    if (p.message) query.set('comment', p.message);
    const committed = await call(method, () => engineFor(method, p.engine).client.json<{ Id: string }>('POST', `/commit?${query}`, p.labels ? { Labels: p.labels } : {}, 120_000));
    return { imageId: committed.Id };
  });
}
