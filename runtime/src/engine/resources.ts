// Engine API payloads → the protocol's summaries, and the calls that fetch them.
import type { ContainerSummary, ImageSummary, MountSummary, NetworkSummary, VolumeSummary } from '../protocol/types';
import type { EngineHttpClient } from './httpClient';
import { EngineRequestError } from './httpClient';

interface ApiContainer {
  Id: string;
  Names?: string[] | null;
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] | null;
  Labels?: Record<string, string> | null;
  Mounts?: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[] | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
}

interface ApiImage {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  Created: number;
}

interface ApiImageDetails {
  Config?: { ExposedPorts?: Record<string, unknown> | null } | null;
}

interface ApiVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  Labels?: Record<string, string> | null;
  CreatedAt?: string;
}

interface ApiNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  Labels?: Record<string, string> | null;
  Containers?: Record<string, unknown> | null;
}

/** What `/version` says about the product answering. */
export interface ApiVersion {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
  Platform?: { Name?: string } | null;
  Components?: { Name?: string }[] | null;
}

/**
 * `Podman` when the engine names itself so (Podman lists a component "Podman
 * Engine"), else `Docker`: dockerd's engine component is plain "Engine" and
 * its platform name is empty on Debian's build.
 */
export function engineProduct(version: ApiVersion): string {
  const names = [version.Platform?.Name, ...(version.Components ?? []).map((component) => component.Name)];
  return names.some((name) => name !== undefined && /\bpodman\b/i.test(name)) ? 'Podman' : 'Docker';
}

const HEALTH = /\((healthy|unhealthy|health: starting)\)/;

export function toContainerSummary(container: ApiContainer): ContainerSummary {
  const labels = container.Labels ?? {};
  const health = HEALTH.exec(container.Status)?.[1];
  const mounts: MountSummary[] = (container.Mounts ?? []).map((mount) => ({
    type: mount.Type,
    ...(mount.Name ? { name: mount.Name } : {}),
    source: mount.Source,
    destination: mount.Destination,
    readOnly: !mount.RW,
  }));
  return {
    id: container.Id,
    name: (container.Names?.[0] ?? container.Id.slice(0, 12)).replace(/^\//, ''),
    image: container.Image,
    imageId: container.ImageID,
    command: container.Command,
    state: container.State,
    status: container.Status,
    ...(health ? { health: health === 'health: starting' ? 'starting' : (health as 'healthy' | 'unhealthy') } : {}),
    created: new Date(container.Created * 1000).toISOString(),
    ports: (container.Ports ?? []).map((port) => ({
      ...(port.IP ? { ip: port.IP } : {}),
      privatePort: port.PrivatePort,
      ...(port.PublicPort ? { publicPort: port.PublicPort } : {}),
      type: port.Type,
    })),
    labels,
    ...(labels['com.docker.compose.project'] ? { composeProject: labels['com.docker.compose.project'] } : {}),
    ...(labels['com.docker.compose.service'] ? { composeService: labels['com.docker.compose.service'] } : {}),
    mounts,
    networks: Object.keys(container.NetworkSettings?.Networks ?? {}).sort(),
  };
}

export async function listContainers(client: EngineHttpClient): Promise<ContainerSummary[]> {
  return (await client.json<ApiContainer[]>('GET', '/containers/json?all=1')).map(toContainerSummary);
}

/** One container by id, or undefined once it is gone. */
export async function fetchContainer(client: EngineHttpClient, id: string): Promise<ContainerSummary | undefined> {
  const filters = encodeURIComponent(JSON.stringify({ id: [id] }));
  const found = await client.json<ApiContainer[]>('GET', `/containers/json?all=1&filters=${filters}`);
  const container = found.find((candidate) => candidate.Id === id);
  return container ? toContainerSummary(container) : undefined;
}

/**
 * Images with their exposed ports. An image's config never changes under its
 * id, so `exposedPortsById` is read once per image and kept.
 */
export async function listImages(client: EngineHttpClient, exposedPortsById: Map<string, string[]>, containers: Iterable<ContainerSummary>): Promise<ImageSummary[]> {
  const images = await client.json<ApiImage[]>('GET', '/images/json');
  const unknown = images.filter((image) => !exposedPortsById.has(image.Id));
  const INSPECT_CONCURRENCY = 4;
  for (let i = 0; i < unknown.length; i += INSPECT_CONCURRENCY) {
    await Promise.all(
      unknown.slice(i, i + INSPECT_CONCURRENCY).map(async (image) => {
        const details = await client.json<ApiImageDetails>('GET', `/images/${encodeURIComponent(image.Id)}/json`).catch(() => undefined);
        exposedPortsById.set(image.Id, Object.keys(details?.Config?.ExposedPorts ?? {}).sort());
      }),
    );
  }
  const usedBy = new Map<string, string[]>();
  for (const container of containers) usedBy.set(container.imageId, [...(usedBy.get(container.imageId) ?? []), container.id]);
  return images.map((image) => {
    const repoTags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
    return {
      id: image.Id,
      repoTags,
      size: image.Size,
      created: new Date(image.Created * 1000).toISOString(),
      exposedPorts: exposedPortsById.get(image.Id) ?? [],
      dangling: repoTags.length === 0,
      usedBy: usedBy.get(image.Id) ?? [],
    };
  });
}

function toVolumeSummary(volume: ApiVolume, containers: Iterable<ContainerSummary>): VolumeSummary {
  const usedBy: string[] = [];
  for (const container of containers) if (container.mounts.some((mount) => mount.type === 'volume' && mount.name === volume.Name)) usedBy.push(container.id);
  return {
    id: volume.Name,
    name: volume.Name,
    driver: volume.Driver,
    mountpoint: volume.Mountpoint,
    labels: volume.Labels ?? {},
    ...(volume.CreatedAt ? { created: volume.CreatedAt } : {}),
    usedBy,
  };
}

export async function listVolumes(client: EngineHttpClient, containers: Iterable<ContainerSummary>): Promise<VolumeSummary[]> {
  const { Volumes } = await client.json<{ Volumes?: ApiVolume[] | null }>('GET', '/volumes');
  const list = [...containers];
  return (Volumes ?? []).map((volume) => toVolumeSummary(volume, list));
}

function toNetworkSummary(network: ApiNetwork): NetworkSummary {
  return {
    id: network.Id,
    name: network.Name,
    driver: network.Driver,
    scope: network.Scope,
    internal: network.Internal,
    labels: network.Labels ?? {},
    containers: Object.keys(network.Containers ?? {}).sort(),
  };
}

export async function listNetworks(client: EngineHttpClient): Promise<NetworkSummary[]> {
  // The list call leaves Containers empty; only inspecting a network fills it.
  const networks = await client.json<ApiNetwork[]>('GET', '/networks');
  return Promise.all(networks.map(async (network) => (await fetchNetwork(client, network.Id)) ?? toNetworkSummary(network)));
}

export async function fetchNetwork(client: EngineHttpClient, id: string): Promise<NetworkSummary | undefined> {
  try {
    return toNetworkSummary(await client.json<ApiNetwork>('GET', `/networks/${encodeURIComponent(id)}`));
  } catch (error) {
    if (error instanceof EngineRequestError && error.status === 404) return undefined;
    throw error;
  }
}
