/**
 * Which places of a compose file name another element (a service, network,
 * volume, secret or config), by path. Completion offers the names declared
 * there; hover describes the element named.
 */

import type { PathSegment } from '../../compose/schema';

export type ReferenceTarget = 'services' | 'networks' | 'volumes' | 'secrets' | 'configs';

export interface ReferencePlace {
  target: ReferenceTarget;
  /** Text written before the name in the same scalar (`service:` in `network_mode: service:db`). */
  prefix?: string;
  /** The place is a mapping key (`depends_on: {db: …}`, `networks: {front: …}`). */
  key?: boolean;
  /** The referring service. */
  service: string;
}

const isIndex = (segment: PathSegment | undefined): boolean => typeof segment === 'number';

/**
 * The reference a scalar value at `path` makes, if any. `path` is the value's
 * path: `['services', 'web', 'depends_on', 0]`, `['services', 'web', 'network_mode']`.
 */
export function valueReference(path: readonly PathSegment[]): ReferencePlace | undefined {
  if (path[0] !== 'services' || typeof path[1] !== 'string' || path.length < 3) return undefined;
  const service = path[1];
  const key = path[2];
  const rest = path.slice(3);
  const one = rest.length === 1 && isIndex(rest[0]);
  switch (key) {
    case 'depends_on':
    case 'links':
    case 'volumes_from':
      return one ? { target: 'services', service } : undefined;
    case 'extends':
      return rest.length === 0 || (rest.length === 1 && rest[0] === 'service') ? { target: 'services', service } : undefined;
    case 'network_mode':
    case 'ipc':
    case 'pid':
      return rest.length === 0 ? { target: 'services', prefix: 'service:', service } : undefined;
    case 'networks':
      return one ? { target: 'networks', service } : undefined;
    case 'volumes':
      return one || (rest.length === 2 && isIndex(rest[0]) && rest[1] === 'source') ? { target: 'volumes', service } : undefined;
    case 'secrets':
    case 'configs':
      return one || (rest.length === 2 && isIndex(rest[0]) && rest[1] === 'source') ? { target: key, service } : undefined;
    case 'build':
      if (rest[0] === 'secrets' && (rest.length === 2 ? isIndex(rest[1]) : rest.length === 3 && isIndex(rest[1]) && rest[2] === 'source')) return { target: 'secrets', service };
      if (rest[0] === 'additional_contexts' && rest.length === 2) return { target: 'services', prefix: 'service:', service };
      return undefined;
    default:
      return undefined;
  }
}

/** The reference the keys of the mapping at `path` make (`depends_on` and `networks` of a service, in mapping form). */
export function keyReference(path: readonly PathSegment[]): ReferencePlace | undefined {
  if (path.length !== 3 || path[0] !== 'services' || typeof path[1] !== 'string') return undefined;
  if (path[2] === 'depends_on') return { target: 'services', key: true, service: path[1] };
  if (path[2] === 'networks') return { target: 'networks', key: true, service: path[1] };
  return undefined;
}
