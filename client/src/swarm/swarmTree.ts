import type { NodeSummary, ServiceSummary, SwarmDataSummary, TaskSummary } from '../../../runtime/src/protocol/types';

/**
 * The Swarm view's tree, from the Swarm kinds of the daemon's live model:
 * groups (services, stacks, nodes, secrets, configs), services with their
 * tasks, stacks with their services. No VS Code here, so it is tested in
 * plain Node; the view turns nodes into rows.
 */

export interface SwarmModel {
  services: readonly ServiceSummary[];
  tasks: readonly TaskSummary[];
  nodes: readonly NodeSummary[];
  secrets: readonly SwarmDataSummary[];
  configs: readonly SwarmDataSummary[];
}

export type SwarmGroup = 'services' | 'stacks' | 'nodes' | 'secrets' | 'configs';

export type SwarmNode =
  | { kind: 'group'; group: SwarmGroup; count: number }
  | { kind: 'stack'; stack: string; services: ServiceSummary[] }
  /** `via`: the stack it is shown under (a service is listed under Services and under its stack), so rows stay distinct. */
  | { kind: 'service'; service: ServiceSummary; via?: string }
  | { kind: 'task'; task: TaskSummary; nodeName?: string; via?: string }
  | { kind: 'node'; node: NodeSummary }
  | { kind: 'secret'; item: SwarmDataSummary }
  | { kind: 'config'; item: SwarmDataSummary };

/** Tasks of a slot that have ended are history: a service shows this many of them, newest first, after its live tasks. */
export const TASK_HISTORY = 3;

/** Whether the model holds anything: the engine is a Swarm manager exactly when it lists at least one node (itself). */
export function isSwarmManager(model: SwarmModel): boolean {
  return model.nodes.length > 0;
}

export function stacksOf(services: readonly ServiceSummary[]): Map<string, ServiceSummary[]> {
  const stacks = new Map<string, ServiceSummary[]>();
  for (const service of services) if (service.stack) stacks.set(service.stack, [...(stacks.get(service.stack) ?? []), service]);
  for (const members of stacks.values()) members.sort(byName);
  return new Map([...stacks].sort(([a], [b]) => a.localeCompare(b)));
}

export function swarmRoots(model: SwarmModel): SwarmNode[] {
  return [
    { kind: 'group', group: 'services', count: model.services.length },
    { kind: 'group', group: 'stacks', count: stacksOf(model.services).size },
    { kind: 'group', group: 'nodes', count: model.nodes.length },
    { kind: 'group', group: 'secrets', count: model.secrets.length },
    { kind: 'group', group: 'configs', count: model.configs.length },
  ];
}

export function swarmChildren(node: SwarmNode | undefined, model: SwarmModel): SwarmNode[] {
  if (!node) return swarmRoots(model);
  switch (node.kind) {
    case 'group':
      return groupChildren(node.group, model);
    case 'stack':
      return node.services.map((service) => ({ kind: 'service', service, via: node.stack }));
    case 'service':
      return tasksOf(node.service, model).map((task) => (node.via ? { ...task, via: node.via } : task));
    default:
      return [];
  }
}

function groupChildren(group: SwarmGroup, model: SwarmModel): SwarmNode[] {
  switch (group) {
    case 'services':
      return [...model.services].sort(byName).map((service) => ({ kind: 'service', service }));
    case 'stacks':
      return [...stacksOf(model.services)].map(([stack, services]) => ({ kind: 'stack', stack, services }));
    case 'nodes':
      return [...model.nodes].sort((a, b) => Number(b.role === 'manager') - Number(a.role === 'manager') || a.hostname.localeCompare(b.hostname)).map((node) => ({ kind: 'node', node }));
    case 'secrets':
      return [...model.secrets].sort(byName).map((item) => ({ kind: 'secret', item }));
    case 'configs':
      return [...model.configs].sort(byName).map((item) => ({ kind: 'config', item }));
  }
}

/** A service's tasks as `docker service ps` orders them: live ones by slot, then the newest ended ones. */
export function tasksOf(service: ServiceSummary, model: SwarmModel): SwarmNode[] {
  const nodeNames = new Map(model.nodes.map((node) => [node.id, node.hostname]));
  const own = model.tasks.filter((task) => task.serviceId === service.id);
  const live = own.filter(isLive).sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || a.name.localeCompare(b.name));
  const ended = own.filter((task) => !isLive(task)).sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)).slice(0, TASK_HISTORY);
  return [...live, ...ended].map((task) => ({ kind: 'task', task, ...(task.nodeId && nodeNames.has(task.nodeId) ? { nodeName: nodeNames.get(task.nodeId) } : {}) }));
}

/** A task the orchestrator still wants (or is still winding down): not history. */
function isLive(task: TaskSummary): boolean {
  return task.desiredState === 'running' || task.desiredState === 'ready' || task.desiredState === 'accepted';
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** `image:tag` without the digest the engine pins. */
export function shortImage(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/, '');
}

export function serviceDescription(service: ServiceSummary): string {
  const replicas = service.replicas !== undefined ? `${service.runningTasks}/${service.replicas}` : `${service.runningTasks} running`;
  const ports = service.ports.filter((port) => port.published).map((port) => `${port.published}→${port.target}/${port.protocol}`);
  return [service.mode, replicas, shortImage(service.image), ...ports, ...(service.updateState && service.updateState !== 'completed' ? [`update ${service.updateState.replace(/_/g, ' ')}`] : [])].join(' · ');
}

/** Every desired replica runs: the row is shown healthy. */
export function serviceConverged(service: ServiceSummary): boolean {
  return service.replicas === undefined ? service.runningTasks > 0 : service.runningTasks >= service.replicas;
}

export function taskDescription(task: TaskSummary, nodeName?: string): string {
  const state = task.state === task.desiredState ? task.state : `${task.state} → ${task.desiredState}`;
  return [state, ...(nodeName ? [`on ${nodeName}`] : []), ...(task.error ? [task.error] : task.message && task.state !== 'running' ? [task.message] : [])].join(' · ');
}

export function nodeDescription(node: NodeSummary): string {
  return [node.leader ? 'leader' : node.role, node.state, node.availability, ...(node.engineVersion ? [`Docker ${node.engineVersion}`] : [])].join(' · ');
}

/** The confirmation before `docker stack rm`: names the services that go. */
export function stackRemovalQuestion(stack: string, services: readonly ServiceSummary[]): { message: string; detail: string } {
  const names = services.map((service) => service.name).sort();
  return {
    message: `Remove stack "${stack}"?`,
    detail: names.length
      ? `Its ${names.length} service${names.length === 1 ? '' : 's'} and their tasks stop and go: ${names.join(', ')}. Its networks, secrets and configs go too; volumes stay.`
      : 'It has no services now; its networks, secrets and configs go.',
  };
}

/** What a user typed as a replica count, or what is wrong with it. */
export function checkReplicas(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `"${trimmed}" is not a whole number of replicas (0 or more).`;
  if (Number(trimmed) > 100_000) return 'At most 100000 replicas.';
  return undefined;
}

/** An image reference as `service update --image` takes it, or what is wrong with it. */
export function checkImageReference(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return 'Type an image, e.g. nginx:1.27 or registry.example.com/team/app:2.';
  if (/\s/.test(trimmed)) return 'An image reference has no spaces.';
  const [, named = '', digest] = /^(.*?)(@sha256:[0-9a-f]{64})?$/.exec(trimmed)!;
  if (!digest && trimmed.includes('@')) return 'A digest is written @sha256: and 64 hex digits.';
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const [name, tag] = colon > slash ? [named.slice(0, colon), named.slice(colon + 1)] : [named, undefined];
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) return `"${tag}" is not a tag: letters, digits, "_", "." and "-", at most 128.`;
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  if (!new RegExp(`^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${component}(?:/${component})*$`).test(name)) return `"${name}" is not an image name: lowercase letters, digits and separators, with an optional registry host first.`;
  return undefined;
}

/** A secret's or config's name, or what is wrong with it (the engine's rule). */
export function checkSwarmObjectName(text: string, kind: 'secret' | 'config', existing: readonly SwarmDataSummary[]): string | undefined {
  const trimmed = text.trim();
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/.test(trimmed)) return `A ${kind} name is letters, digits, "_", "." and "-" (at most 64), starting with a letter or digit.`;
  if (existing.some((item) => item.name === trimmed)) return `A ${kind} named "${trimmed}" exists already; ${kind}s cannot be changed, only removed and made again.`;
  return undefined;
}

/** A stack name for a compose file: its folder's name, made into what `docker stack deploy` accepts. */
export function stackNameFor(composeFile: string): string {
  const parts = composeFile.split(/[\\/]/).filter(Boolean);
  const folder = parts.length > 1 ? parts[parts.length - 2]! : 'stack';
  return folder.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '') || 'stack';
}

export function checkStackName(text: string): string | undefined {
  return /^[a-z0-9][a-z0-9_-]*$/.test(text.trim()) ? undefined : 'A stack name is lowercase letters, digits, "_" and "-", starting with a letter or digit.';
}
