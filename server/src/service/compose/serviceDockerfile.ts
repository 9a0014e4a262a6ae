/**
 * The Dockerfile a compose service builds from, read through the context's
 * host: `build.dockerfile_inline`, or `build.dockerfile` (default
 * `Dockerfile`) in the build context, resolved as compose does. Used for the
 * stage names of `build.target` (completion and hover).
 */

import { dirname, relative } from 'node:path';
import { get, stringValue } from '../../compose';
import { buildModel, parseDockerfile, type DockerfileModel } from '../../dockerfile';
import type { ComposeDocumentContext } from './composeDocuments';

export interface ServiceDockerfile {
  /** The file, or undefined for `dockerfile_inline`. */
  path?: string;
  /** How to name it to the user: relative to the compose file's folder, or `dockerfile_inline`. */
  shownAs: string;
  model: DockerfileModel;
}

export function serviceDockerfile(context: ComposeDocumentContext, service: string): ServiceDockerfile | undefined {
  // The outline has every service's `build`, merged and interpolated.
  const project = context.outline();
  const build = get(get(get(project.model, 'services'), service), 'build');
  if (!build) return undefined;
  const inline = stringValue(get(build, 'dockerfile_inline'));
  if (inline !== undefined) return { shownAs: 'dockerfile_inline', model: buildModel(parseDockerfile(inline)) };
  const contextNode = build.kind === 'scalar' ? build : get(build, 'context');
  const written = stringValue(contextNode) ?? '.';
  // A remote context (git, URL) cannot be read.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written) || written.startsWith('git@')) return undefined;
  const contextDir = contextNode ? project.resolvePath(contextNode.file, written) : dirname(context.path);
  const path = project.joinPath(contextDir, stringValue(get(build, 'dockerfile')) ?? 'Dockerfile');
  const text = context.host.readFile(path);
  if (text === undefined) return undefined;
  return { path, shownAs: relative(dirname(context.path), path), model: buildModel(parseDockerfile(text)) };
}
