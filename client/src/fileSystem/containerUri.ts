import { posix } from 'node:path';

/** The scheme of files inside containers: `berth-container://<engine>/<containerId>/<path>`. */
export const CONTAINER_SCHEME = 'berth-container';

export interface ContainerPath {
  engine: string;
  id: string;
  /** Absolute, normalised, no trailing slash except for the root. */
  path: string;
}

/** Splits a URI's authority and path; throws naming what is wrong when it is not a container file address. */
export function parseContainerPath(authority: string, uriPath: string): ContainerPath {
  const match = /^\/([^/]+)(\/.*)?$/.exec(uriPath);
  if (!authority || !match) throw new Error(`not a container file address: ${CONTAINER_SCHEME}://${authority}${uriPath} (expected ${CONTAINER_SCHEME}://<engine>/<container>/<path>)`);
  const path = posix.normalize(match[2] || '/');
  return { engine: decodeURIComponent(authority), id: match[1]!, path: path.length > 1 ? path.replace(/\/$/, '') : '/' };
}

