/**
 * Document links:
 * - base images (FROM, and `COPY --from=<image>`) to their registry page:
 *   Docker Hub (`alpine` → hub.docker.com/_/alpine, `user/app` →
 *   hub.docker.com/r/user/app), ghcr.io, mcr.microsoft.com, quay.io, gcr.io
 *   and public.ecr.aws. The link covers the image name without tag or digest.
 *   Stage names, `scratch`, names holding a variable and other registries get
 *   no link;
 * - COPY/ADD sources to the files of the build context, when they exist.
 *   Checking that needs the file system, which this module never touches: the
 *   caller passes `fileExists`. Globs, URLs, `--from` copies, heredocs and
 *   sources holding a variable get no link.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import { splitImageReference, type DockerfileModel, type Instruction, type TextRange } from '../dockerfile';

export interface DocumentLinkOptions {
  /**
   * URI of the build context folder (no trailing slash needed). Defaults to
   * the folder holding the Dockerfile.
   */
  baseUri?: string;
  /**
   * Whether a file exists, given its path relative to the build context,
   * with `/` separators and no `.` or `..` segments (e.g. `src/main.go`).
   * Without it, COPY/ADD sources get no links.
   */
  fileExists?: (path: string) => boolean;
}

export function dockerfileDocumentLinks(document: TextDocument, model: DockerfileModel, options: DocumentLinkOptions = {}): DocumentLink[] {
  const toRange = (range: TextRange): Range => ({ start: document.positionAt(range.start), end: document.positionAt(range.end) });
  const links: DocumentLink[] = [];
  const baseUri = (options.baseUri ?? parentUri(document.uri)).replace(/\/+$/, '');

  for (const stage of model.stages) {
    const name = stage.from.from?.imageName;
    if (!name || stage.base.stage || stage.base.scratch) continue;
    const link = imageLink(name.value);
    if (link) links.push({ range: toRange(name.range), target: link.url, tooltip: link.tooltip });
  }

  for (const instruction of model.ast.instructions) {
    if (instruction.name !== 'COPY' && instruction.name !== 'ADD') continue;
    const from = instruction.flags.find((flag) => flag.name.toLowerCase() === 'from');
    if (from) {
      const link = copyFromImageLink(model, instruction, from.valueRange, from.value, from.rawValue);
      if (link) links.push({ range: toRange(link.range), target: link.url, tooltip: link.tooltip });
      continue;
    }
    if (!options.fileExists) continue;
    for (const source of copySources(instruction, model.ast.text)) {
      const path = contextPath(source.value);
      if (path === undefined || !options.fileExists(path)) continue;
      links.push({ range: toRange(source.range), target: `${baseUri}/${encodePath(path)}`, tooltip: `Open ${path}` });
    }
  }
  links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return links;
}

// ---- images -----------------------------------------------------------

export interface ImageLink {
  url: string;
  tooltip: string;
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * The registry page of an image name (without tag or digest), or undefined
 * for registries without a known public page, and for names that are not
 * plain image names (variables, spaces, empty components).
 */
export function imageLink(name: string): ImageLink | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/.test(name) || name.split('/').some((part) => part === '')) return undefined;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  const path = hasRegistry ? name.slice(slash + 1) : name;
  if (path.includes(':')) return undefined;

  if (DOCKER_HUB_HOSTS.has(registry)) {
    const official = path.startsWith('library/') ? path.slice('library/'.length) : path;
    if (!official.includes('/')) return { url: `https://hub.docker.com/_/${official}`, tooltip: `Open ${official} on Docker Hub` };
    return { url: `https://hub.docker.com/r/${path}`, tooltip: `Open ${path} on Docker Hub` };
  }
  // Browsers opening an image address on ghcr.io are sent to its GitHub package page.
  if (registry === 'ghcr.io' && path.includes('/')) return { url: `https://ghcr.io/${path}`, tooltip: `Open ${path} on GitHub Packages` };
  if (registry === 'mcr.microsoft.com') return { url: `https://mcr.microsoft.com/artifact/mar/${path}`, tooltip: `Open ${path} on Microsoft Artifact Registry` };
  if (registry === 'quay.io') return { url: `https://quay.io/repository/${path}`, tooltip: `Open ${path} on Quay` };
  if (registry === 'gcr.io' || registry.endsWith('.gcr.io')) return { url: `https://${registry}/${path}`, tooltip: `Open ${path} on Google Container Registry` };
  if (registry === 'public.ecr.aws') return { url: `https://gallery.ecr.aws/${path}`, tooltip: `Open ${path} on Amazon ECR Public Gallery` };
  return undefined;
}

/** `COPY --from=golang:1.22 ...` copies from an image when no stage has that name. */
function copyFromImageLink(
  model: DockerfileModel,
  instruction: Instruction,
  valueRange: TextRange | undefined,
  value: string | undefined,
  rawValue: string | undefined,
): (ImageLink & { range: TextRange }) | undefined {
  if (!valueRange || value === undefined || value !== rawValue || value.includes('$') || /^[0-9]+$/.test(value)) return undefined;
  const stage = model.stageOf(instruction);
  if (stage?.uses.some((use) => use.instruction === instruction && use.range.start === valueRange.start)) return undefined;
  if (model.findStage(value)) return undefined;
  const parts = splitImageReference(value);
  const name = value.slice(parts.name[0], parts.name[1]);
  const link = imageLink(name);
  if (!link) return undefined;
  return { ...link, range: { start: valueRange.start + parts.name[0], end: valueRange.start + parts.name[1] } };
}

// ---- COPY / ADD sources -----------------------------------------------

/** Source words of a COPY/ADD (all arguments but the destination), heredoc markers excluded. */
function copySources(instruction: Instruction, text: string): Array<{ value: string; range: TextRange }> {
  const args = instruction.args;
  if (args.length < 2) return [];
  const sources: Array<{ value: string; range: TextRange }> = [];
  const markers = new Set(instruction.heredocs.map((heredoc) => heredoc.marker.range.start));
  for (const arg of args.slice(0, -1)) {
    if (markers.has(arg.range.start) || /^[0-9]*<</.test(arg.value)) continue;
    if (instruction.form === 'exec') {
      // A JSON string: link the text between the quotes when it has no escapes.
      if (arg.range.end - arg.range.start !== arg.value.length + 2) continue;
      sources.push({ value: arg.value, range: { start: arg.range.start + 1, end: arg.range.end - 1 } });
      continue;
    }
    // Shell form: a word written on one line; quotes around the whole word are removed by Docker.
    const raw = text.slice(arg.range.start, arg.range.end);
    if (raw !== arg.value) continue;
    const quote = raw[0];
    if ((quote === '"' || quote === "'") && raw.length >= 2 && raw[raw.length - 1] === quote) {
      sources.push({ value: raw.slice(1, -1), range: { start: arg.range.start + 1, end: arg.range.end - 1 } });
    } else {
      sources.push({ value: raw, range: arg.range });
    }
  }
  return sources;
}

/** Half of a UTF-16 surrogate pair on its own (text being typed): no file name, and no URI either. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The source as a path inside the build context, or undefined when it cannot
 * be linked: URLs, globs, variables, escapes, the context root itself, or a
 * path leaving the context.
 */
function contextPath(source: string): string | undefined {
  if (source === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^git@/.test(source)) return undefined;
  if (/[*?[\]$\\"']/.test(source) || LONE_SURROGATE.test(source)) return undefined;
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

function encodePath(path: string): string {
  return path.split('/').map((part) => encodeURIComponent(part)).join('/');
}

/** The URI of the folder holding `uri`. */
function parentUri(uri: string): string {
  const end = uri.replace(/[?#].*$/, '');
  const slash = end.lastIndexOf('/');
  return slash > 0 ? end.slice(0, slash) : end;
}
