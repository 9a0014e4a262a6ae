/**
 * Document links in compose files:
 * - `build` (or `build.context`): the Dockerfile the build uses (editors open
 *   folders poorly, so a context folder links to its Dockerfile, and a context
 *   that is a file links to itself); `build.dockerfile`: the same Dockerfile;
 * - `env_file` of a service and of an `include` entry, `include` paths,
 *   `extends.file`, the `file:` of top-level secrets and configs;
 * - the host side of bind mounts (`./conf/nginx.conf:/etc/nginx/nginx.conf`,
 *   or `type: bind` with `source:`), when it is a file;
 * - `image:` to its registry page (the image name without tag or digest; the
 *   same pages as a Dockerfile's FROM).
 *
 * A file link is made only when the file exists; paths are resolved as compose
 * does (relative to the compose file's folder, a Dockerfile relative to its
 * context) after interpolation. Remote contexts and includes get no link.
 */

import { pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink } from 'vscode-languageserver-types';
import { get, getPair, isHostPath, itemsOf, parseVolumeSpec, stringValue, type ComposeNode, type ComposeProject } from '../../compose';
import { splitImageReference } from '../../dockerfile';
import { imageLink } from '../documentLinks';
import type { ComposeDocumentContext } from './composeDocuments';

export interface ComposeDocumentLinkOptions {
  /** Whether an absolute path is a regular file. Defaults to the context's host being able to read it. */
  fileExists?: (path: string) => boolean;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;

export function composeDocumentLinks(document: TextDocument, context: ComposeDocumentContext, options: ComposeDocumentLinkOptions = {}): DocumentLink[] {
  const links: DocumentLink[] = [];
  const file = context.parsed.file;
  const onDisk = document.uri.startsWith('file:');
  const isFile = options.fileExists ?? ((path: string) => context.host.readFile(path) !== undefined);
  let project: ComposeProject | undefined;
  const projectOf = () => (project ??= context.project());
  const link = (node: ComposeNode, target: string, tooltip: string) => {
    // Only text written in this document, as written (an alias points elsewhere).
    if (node.file !== file || node.range.end <= node.range.start) return;
    links.push({ range: { start: document.positionAt(node.range.start), end: document.positionAt(node.range.end) }, target, tooltip });
  };
  /** A path written in the document, resolved and linked when it is a file. */
  const linkPath = (node: ComposeNode | undefined, resolve: (written: string) => string | undefined, tooltip: (path: string) => string) => {
    if (!onDisk || node?.kind !== 'scalar' || node.unresolved) return;
    const written = stringValue(node);
    if (!written || REMOTE.test(written)) return;
    const path = resolve(written);
    if (path && isFile(path)) link(node, pathToFileURL(path).href, tooltip(path));
  };
  const relativePath = (written: string) => projectOf().resolvePath(file, written);
  const open = (path: string) => `Open ${shortName(context.path, path)}`;

  // Interpolated documents when the project has them (paths with variables resolve), else the parse.
  const interpolated = onDisk ? projectOf().files.get(file)?.interpolated : undefined;
  const roots = interpolated && interpolated.length === context.parsed.documents.length ? interpolated : context.parsed.documents.map((document) => document.root);

  for (const root of roots) {
    if (root?.kind !== 'map') continue;
    for (const entry of itemsOf(get(root, 'include'))) {
      if (entry.kind === 'scalar') linkPath(entry, relativePath, open);
      else if (entry.kind === 'map') {
        for (const path of itemsOf(get(entry, 'path'))) linkPath(path, relativePath, open);
        for (const envFile of itemsOf(get(entry, 'env_file'))) linkPath(envFile, relativePath, open);
      }
    }
    for (const section of ['secrets', 'configs']) {
      const declared = get(root, section);
      if (declared?.kind !== 'map') continue;
      for (const pair of declared.pairs) linkPath(get(pair.value, 'file'), relativePath, open);
    }
    const services = get(root, 'services');
    if (services?.kind !== 'map') continue;
    for (const pair of services.pairs) {
      const service = pair.value;
      if (service.kind !== 'map') continue;
      const image = get(service, 'image');
      if (image?.kind === 'scalar' && typeof image.raw === 'string' && !image.raw.includes('$') && image.file === file) {
        const parts = splitImageReference(image.raw);
        const name = image.raw.slice(parts.name[0], parts.name[1]);
        const registry = imageLink(name);
        const start = image.range.start + (image.style === 'plain' ? 0 : 1);
        if (registry && context.text.startsWith(image.raw, start)) {
          links.push({ range: { start: document.positionAt(start + parts.name[0]), end: document.positionAt(start + parts.name[1]) }, target: registry.url, tooltip: registry.tooltip });
        }
      }
      linkBuild(get(service, 'build'));
      for (const envFile of itemsOf(get(service, 'env_file'))) linkPath(envFile.kind === 'map' ? get(envFile, 'path') : envFile, relativePath, open);
      linkPath(get(get(service, 'extends'), 'file'), relativePath, open);
      for (const volume of itemsOf(get(service, 'volumes'))) linkBindMount(volume);
    }
  }

  function linkBuild(build: ComposeNode | undefined): void {
    if (!build || !onDisk) return;
    const contextNode = build.kind === 'scalar' ? build : get(build, 'context');
    const contextWritten = stringValue(contextNode) ?? '.';
    if (REMOTE.test(contextWritten) || (contextNode?.kind === 'scalar' && contextNode.unresolved)) return;
    const contextPath = relativePath(contextWritten);
    const dockerfileNode = build.kind === 'map' ? get(build, 'dockerfile') : undefined;
    if (dockerfileNode?.kind === 'scalar' && dockerfileNode.unresolved) return;
    const dockerfile = projectOf().joinPath(contextPath, stringValue(dockerfileNode) ?? 'Dockerfile');
    const hasInline = build.kind === 'map' && !!getPair(build, 'dockerfile_inline');
    if (contextNode) {
      if (isFile(contextPath)) link(contextNode, pathToFileURL(contextPath).href, open(contextPath));
      else if (!hasInline && isFile(dockerfile)) link(contextNode, pathToFileURL(dockerfile).href, `Open the Dockerfile of this build: ${shortName(context.path, dockerfile)}`);
    }
    if (dockerfileNode && isFile(dockerfile)) link(dockerfileNode, pathToFileURL(dockerfile).href, open(dockerfile));
  }

  function linkBindMount(volume: ComposeNode): void {
    if (volume.kind === 'map') {
      const type = stringValue(get(volume, 'type'));
      if (type === 'bind') linkPath(get(volume, 'source'), relativePath, open);
      return;
    }
    if (!onDisk || volume.kind !== 'scalar' || volume.unresolved) return;
    const text = stringValue(volume);
    if (!text) return;
    const spec = parseVolumeSpec(text);
    if ('error' in spec || spec.type !== 'bind' || !isHostPath(spec.source) || spec.source.startsWith('~')) return;
    const path = relativePath(spec.source);
    if (!isFile(path)) return;
    // Link the source part alone when it is written as is; the whole item otherwise.
    const raw = typeof volume.raw === 'string' ? volume.raw : '';
    const start = volume.range.start + (volume.style === 'plain' ? 0 : 1);
    if (volume.file === file && raw.startsWith(spec.source) && context.text.startsWith(spec.source, start)) {
      links.push({ range: { start: document.positionAt(start), end: document.positionAt(start + spec.source.length) }, target: pathToFileURL(path).href, tooltip: open(path) });
    } else link(volume, pathToFileURL(path).href, open(path));
  }

  links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return links;
}

/** `path` relative to the compose file's folder when inside it. */
function shortName(composePath: string, path: string): string {
  const folder = composePath.slice(0, composePath.lastIndexOf('/') + 1);
  return path.startsWith(folder) ? path.slice(folder.length) : path;
}
