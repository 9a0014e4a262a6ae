// Swarm Engine API payloads → the protocol's summaries, and the calls that list them.
import type { NodeSummary, ServiceSummary, SwarmDataSummary, TaskSummary } from '../protocol/types';
import type { EngineHttpClient } from './httpClient';

const STACK_LABEL = 'com.docker.stack.namespace';

interface ApiService {
  ID: string;
  UpdatedAt: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string> | null;
    TaskTemplate?: { ContainerSpec?: { Image?: string } };
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: object; GlobalJob?: object };
  };
  Endpoint?: { Ports?: { PublishedPort?: number; TargetPort: number; Protocol: string }[] | null };
  UpdateStatus?: { State?: string } | null;
}

interface ApiTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  UpdatedAt: string;
  DesiredState: string;
  Labels?: Record<string, string> | null;
  Spec?: { ContainerSpec?: { Image?: string; Labels?: Record<string, string> | null } };
  Status: { State: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}

interface ApiNode {
  ID: string;
  Spec: { Role: string; Availability: string; Labels?: Record<string, string> | null };
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Status: { State: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string } | null;
}

interface ApiSwarmData {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Name: string; Labels?: Record<string, string> | null };
}

/** Image references carry the digest swarm pinned (`image:tag@sha256:…`); the tag is what people recognise. */
const shortImage = (image = '') => image.replace(/@sha256:[0-9a-f]{64}$/, '');

function serviceMode(mode: ApiService['Spec']['Mode']): string {
  if (mode?.Global) return 'global';
  if (mode?.ReplicatedJob) return 'replicated-job';
  if (mode?.GlobalJob) return 'global-job';
  return 'replicated';
}

export function toServiceSummary(service: ApiService, tasks: readonly TaskSummary[]): ServiceSummary {
  const labels = service.Spec.Labels ?? {};
  const mode = serviceMode(service.Spec.Mode);
  return {
    id: service.ID,
    name: service.Spec.Name,
    image: shortImage(service.Spec.TaskTemplate?.ContainerSpec?.Image),
    mode,
    ...(mode === 'replicated' ? { replicas: service.Spec.Mode?.Replicated?.Replicas ?? 1 } : {}),
    runningTasks: tasks.filter((task) => task.serviceId === service.ID && task.state === 'running').length,
    ...(labels[STACK_LABEL] ? { stack: labels[STACK_LABEL] } : {}),
    labels,
    ports: (service.Endpoint?.Ports ?? []).map((port) => ({ ...(port.PublishedPort ? { published: port.PublishedPort } : {}), target: port.TargetPort, protocol: port.Protocol })),
    updatedAt: service.UpdatedAt,
    ...(service.UpdateStatus?.State ? { updateState: service.UpdateStatus.State } : {}),
  };
}

export function toTaskSummary(task: ApiTask, serviceNames: ReadonlyMap<string, string>): TaskSummary {
  const serviceName = serviceNames.get(task.ServiceID);
  const labels = task.Spec?.ContainerSpec?.Labels ?? {};
  const ordinal = task.Slot ? String(task.Slot) : (task.NodeID ?? task.ID);
  return {
    id: task.ID,
    name: `${serviceName ?? task.ServiceID.slice(0, 12)}.${ordinal}`,
    serviceId: task.ServiceID,
    ...(serviceName ? { serviceName } : {}),
    ...(task.Slot ? { slot: task.Slot } : {}),
    ...(task.NodeID ? { nodeId: task.NodeID } : {}),
    state: task.Status.State,
    desiredState: task.DesiredState,
    message: task.Status.Message ?? '',
    ...(task.Status.Err ? { error: task.Status.Err } : {}),
    ...(task.Status.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
    image: shortImage(task.Spec?.ContainerSpec?.Image),
    ...(labels[STACK_LABEL] ? { stack: labels[STACK_LABEL] } : {}),
    updatedAt: task.UpdatedAt,
  };
}

export function toNodeSummary(node: ApiNode): NodeSummary {
  const address = node.ManagerStatus?.Addr ?? node.Status.Addr;
  return {
    id: node.ID,
    hostname: node.Description?.Hostname ?? node.ID.slice(0, 12),
    role: node.Spec.Role,
    availability: node.Spec.Availability,
    state: node.Status.State,
    leader: node.ManagerStatus?.Leader === true,
    ...(address ? { address } : {}),
    ...(node.Description?.Engine?.EngineVersion ? { engineVersion: node.Description.Engine.EngineVersion } : {}),
    labels: node.Spec.Labels ?? {},
  };
}

export function toSwarmDataSummary(item: ApiSwarmData): SwarmDataSummary {
  const labels = item.Spec.Labels ?? {};
  return { id: item.ID, name: item.Spec.Name, labels, ...(labels[STACK_LABEL] ? { stack: labels[STACK_LABEL] } : {}), created: item.CreatedAt, updated: item.UpdatedAt };
}

/** Whether the engine is an active Swarm manager, from `/info`. */
export async function isSwarmManager(client: EngineHttpClient): Promise<boolean> {
  const info = await client.json<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }>('GET', '/info');
  return info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable === true;
}

/** Services and their tasks together: a service shows how many of its tasks run, a task its service's name. */
export async function listServicesAndTasks(client: EngineHttpClient): Promise<{ services: ServiceSummary[]; tasks: TaskSummary[] }> {
  const [services, tasks] = await Promise.all([client.json<ApiService[]>('GET', '/services?status=false'), client.json<ApiTask[]>('GET', '/tasks')]);
  const names = new Map(services.map((service) => [service.ID, service.Spec.Name]));
  const taskSummaries = tasks.map((task) => toTaskSummary(task, names));
  return { services: services.map((service) => toServiceSummary(service, taskSummaries)), tasks: taskSummaries };
}

export async function listNodes(client: EngineHttpClient): Promise<NodeSummary[]> {
  return (await client.json<ApiNode[]>('GET', '/nodes')).map(toNodeSummary);
}

export async function listSwarmData(client: EngineHttpClient, kind: 'secrets' | 'configs'): Promise<SwarmDataSummary[]> {
  return (await client.json<ApiSwarmData[]>('GET', `/${kind}`)).map(toSwarmDataSummary);
}
