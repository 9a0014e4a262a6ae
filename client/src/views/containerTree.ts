import type { ContainerSummary } from '../../../runtime/src/protocol/types';

/**
 * How the Containers view arranges what the mirror holds, by the
 * `berth.containers.*` settings and the view's filter: no VS Code here, so
 * the arrangement is tested in plain Node.
 */

export type ContainerNode = { kind: 'project'; project: string; containers: ContainerSummary[] } | { kind: 'container'; container: ContainerSummary };

export interface ContainerArrangement {
  sortBy: 'name' | 'created' | 'status';
  groupBy: 'composeProject' | 'none';
  /** Case-insensitive text matched against name, image, id, compose project and service, status. */
  filter: string;
}

export const DEFAULT_ARRANGEMENT: ContainerArrangement = { sortBy: 'name', groupBy: 'composeProject', filter: '' };

const STATE_ORDER = ['running', 'restarting', 'paused', 'created', 'exited', 'dead'];

function comparator(sortBy: ContainerArrangement['sortBy']): (a: ContainerSummary, b: ContainerSummary) => number {
  const running = (a: ContainerSummary, b: ContainerSummary) => Number(b.state === 'running') - Number(a.state === 'running');
  const byName = (a: ContainerSummary, b: ContainerSummary) => a.name.localeCompare(b.name);
  if (sortBy === 'created') return (a, b) => Date.parse(b.created) - Date.parse(a.created) || byName(a, b);
  if (sortBy === 'status') return (a, b) => rank(a.state) - rank(b.state) || byName(a, b);
  return (a, b) => running(a, b) || byName(a, b);
}

const rank = (state: string) => {
  const index = STATE_ORDER.indexOf(state);
  return index < 0 ? STATE_ORDER.length : index;
};

export function matchesFilter(container: ContainerSummary, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [container.name, container.image, container.id.slice(0, 12), container.composeProject ?? '', container.composeService ?? '', container.status].some((field) => field.toLowerCase().includes(needle));
}

/** The view's top level: compose projects (when grouping) then the other containers, each sorted. */
export function arrangeContainers(containers: ContainerSummary[], arrangement: ContainerArrangement): ContainerNode[] {
  const compare = comparator(arrangement.sortBy);
  const shown = containers.filter((container) => matchesFilter(container, arrangement.filter));
  if (arrangement.groupBy === 'none') return shown.sort(compare).map((container) => ({ kind: 'container', container }));
  const projects = new Map<string, ContainerSummary[]>();
  const loose: ContainerSummary[] = [];
  for (const container of shown) {
    if (container.composeProject) projects.set(container.composeProject, [...(projects.get(container.composeProject) ?? []), container]);
    else loose.push(container);
  }
  return [
    ...[...projects].sort(([a], [b]) => a.localeCompare(b)).map(([project, members]): ContainerNode => ({ kind: 'project', project, containers: members.sort(compare) })),
    ...loose.sort(compare).map((container): ContainerNode => ({ kind: 'container', container })),
  ];
}

/** A container's row label by `berth.containers.label`; inside a compose group, the service name says more than the name. */
export function containerLabel(container: ContainerSummary, label: 'name' | 'image' | 'id', grouped: boolean): string {
  if (label === 'image') return container.image;
  if (label === 'id') return container.id.slice(0, 12);
  return grouped && container.composeService && container.composeProject ? container.composeService : container.name;
}
