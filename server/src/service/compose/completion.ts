/**
 * Completion in compose files:
 * - keys the compose-spec schema allows in the mapping at the cursor, with
 *   their descriptions, leaving out keys the mapping already has; a chosen key
 *   brings its `: `, or a new indented line (`- ` for lists) when its value
 *   cannot be a scalar;
 * - values: the schema's enumerations, booleans, and the usual values of keys
 *   whose schema only says "string" (`restart`, `pull_policy`, drivers …);
 * - snippets: a new service, and a service's `build`, `ports`, `volumes` and
 *   `healthcheck`;
 * - names where the file refers to something declared elsewhere in the
 *   project (included and override files too): services in `depends_on`
 *   (list and mapping forms), `links`, `extends`, `volumes_from`,
 *   `network_mode: service:`; networks, named volumes, secrets and configs of
 *   a service; stages of the service's Dockerfile for `build.target`; local
 *   images and their tags (sent by the editor) for `image`;
 * - after `$` or `${` in a value: the variables of the project's environment,
 *   its `.env` first.
 *
 * Where the cursor is comes from the lines' indentation (cursor.ts), so a file
 * being typed, which often does not parse as intended, still completes.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { declaredNames, get, getPath, itemsOf, parseComposeFile, stringValue, type ComposeNode } from '../../compose';
import { schemaInfoAt, schemaKeysAt, type PathSegment, type SchemaKeyInfo } from '../../compose/schema';
import type { KnownImage } from '../completion';
import type { ComposeDocumentContext } from './composeDocuments';
import { completionSpot, type CompletionSpot } from './cursor';
import { pathAsUsed } from './extensionUse';
import { rootAt } from './nodeAt';
import { serviceDockerfile } from './serviceDockerfile';
import { keyReference, valueReference, type ReferencePlace, type ReferenceTarget } from './referencePaths';

export interface ComposeCompletionOptions {
  /** The client accepts snippets. Default true. */
  snippetSupport?: boolean;
  /** The character whose typing asked for completion, if any. */
  triggerCharacter?: string;
}

const RETRIGGER: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * Values compose accepts for keys whose schema gives no enumeration, from the
 * compose file reference. `*` stands for any name, `#` for a list index.
 */
const KNOWN_VALUES: Record<string, string[]> = {
  'services.*.restart': ['no', 'always', 'on-failure', 'unless-stopped'],
  'services.*.pull_policy': ['always', 'never', 'missing', 'build', 'if_not_present', 'daily', 'weekly'],
  'services.*.network_mode': ['bridge', 'host', 'none', 'service:', 'container:'],
  'services.*.ipc': ['host', 'private', 'shareable', 'service:', 'container:'],
  'services.*.pid': ['host', 'service:', 'container:'],
  'services.*.isolation': ['default', 'process', 'hyperv'],
  'services.*.ports.#.protocol': ['tcp', 'udp'],
  'services.*.ports.#.mode': ['host', 'ingress'],
  'services.*.volumes.#.consistency': ['consistent', 'cached', 'delegated'],
  'services.*.volumes.#.bind.propagation': ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'],
  'services.*.logging.driver': ['json-file', 'local', 'journald', 'syslog', 'gelf', 'fluentd', 'awslogs', 'splunk', 'gcplogs', 'etwlogs', 'none'],
  'services.*.deploy.mode': ['replicated', 'global', 'replicated-job', 'global-job'],
  'services.*.deploy.endpoint_mode': ['vip', 'dnsrr'],
  'services.*.deploy.restart_policy.condition': ['none', 'on-failure', 'any'],
  'services.*.deploy.update_config.order': ['stop-first', 'start-first'],
  'services.*.deploy.update_config.failure_action': ['continue', 'rollback', 'pause'],
  'services.*.deploy.rollback_config.order': ['stop-first', 'start-first'],
  'services.*.deploy.rollback_config.failure_action': ['continue', 'pause'],
  'services.*.develop.watch.#.action': ['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec'],
  'networks.*.driver': ['bridge', 'overlay', 'host', 'none', 'macvlan', 'ipvlan'],
  'volumes.*.driver': ['local'],
};

/** `services.web.ports.0.protocol` → `services.*.ports.#.protocol` (names after the first segment and indexes generalised). */
function knownValuesAt(path: readonly PathSegment[]): string[] | undefined {
  if (path.length < 2) return undefined;
  const direct = KNOWN_VALUES[path.map((segment, i) => (typeof segment === 'number' ? '#' : i === 1 ? '*' : segment)).join('.')];
  return direct;
}

interface Request {
  context: ComposeDocumentContext;
  document: TextDocument;
  spot: CompletionSpot;
  images: readonly KnownImage[];
  snippets: boolean;
  items: CompletionItem[];
  labels: Set<string>;
  /** One indentation step in this file. */
  unit: string;
  /** The parsed document at the cursor (parsing only when a feature needs what is written). */
  root(): ComposeNode | undefined;
}

export function composeCompletion(
  document: TextDocument,
  context: ComposeDocumentContext,
  position: Position,
  images: readonly KnownImage[] = [],
  options: ComposeCompletionOptions = {},
): CompletionList {
  const offset = document.offsetAt(position);
  const spot = completionSpot(context.text, offset);
  if (!spot) return { isIncomplete: false, items: [] };
  // Spaces typed to indent a new line are not a request for keys (asking explicitly still is).
  if (options.triggerCharacter === ' ' && spot.kind === 'key' && spot.prefix === '' && /^[ \t]*$/.test(context.text.slice(context.text.lastIndexOf('\n', offset - 1) + 1, offset))) {
    return { isIncomplete: false, items: [] };
  }
  const request: Request = {
    context,
    document,
    spot,
    images,
    snippets: options.snippetSupport !== false,
    items: [],
    labels: new Set(),
    unit: ' '.repeat(indentStep(context.text)),
    root: () => rootAt(context.parsed, offset),
  };
  if (spot.kind !== 'key' && completeVariables(request)) return { isIncomplete: false, items: request.items };
  // In an `x-*` field, what fits where the file uses the fragment.
  const path = pathAsUsed(request.root, spot.path);
  if (spot.kind === 'key') completeKeys(request, path);
  else if (spot.kind === 'value') completeValues(request, path);
  else {
    completeValues(request, path);
    completeKeys(request, path);
  }
  return { isIncomplete: false, items: request.items };
}

// ---- shared helpers ------------------------------------------------------------

/** The file's indentation step: that of the first line under a top-level key (2 when there is none). */
function indentStep(text: string): number {
  const match = /^[^\s#-][^\n]*:[ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( +)\S/m.exec(text);
  const step = match ? match[1]!.length : 2;
  return step >= 1 && step <= 8 ? step : 2;
}

function rangeOf(request: Request, start = request.spot.range.start, end = request.spot.range.end): Range {
  return { start: request.document.positionAt(start), end: request.document.positionAt(end) };
}

function add(request: Request, item: CompletionItem): void {
  const key = `${item.kind}:${item.label}`;
  if (request.labels.has(key)) return;
  request.labels.add(key);
  request.items.push(item);
}

function markdown(value: string) {
  return { kind: MarkupKind.Markdown, value };
}

/** A snippet's text without placeholders, for clients without snippet support. */
function withoutPlaceholders(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/** The `- ` a new item needs when the cursor is at the markers' column without one. */
function dash(request: Request): string {
  return request.spot.needsDash ? '- ' : '';
}

// ---- keys -----------------------------------------------------------------------

const SCALAR_TYPES = ['string', 'number', 'integer', 'boolean', 'null'];

function completeKeys(request: Request, path: PathSegment[]): void {
  const spot = request.spot;
  const reference = keyReference(path);
  if (reference) completeNamedKeys(request, reference);
  // Items of `depends_on` and `networks` lists are names: the keys of their mapping form do not apply.
  if (spot.kind === 'item' && keyReference(path.slice(0, -1))) return;
  const schema = schemaKeysAt(path);
  schema.keys.forEach((key, index) => {
    if (spot.present.has(key.name)) return;
    add(request, keyItem(request, path, key, index));
  });
  if (path.length === 0 && !spot.present.has('services')) return;
  if (path.length === 1 && path[0] === 'services' && spot.kind === 'key') serviceSnippets(request);
  if (path.length === 2 && path[0] === 'services' && spot.kind === 'key') serviceKeySnippets(request);
}

/** Whether values at `path` have something to complete, so choosing the key should ask for them. */
function valuesKnown(path: PathSegment[], key: SchemaKeyInfo): boolean {
  return !!key.enum || key.types.includes('boolean') || !!knownValuesAt(path) || !!valueReference(path) || path[path.length - 1] === 'image' || (path[2] === 'build' && path[3] === 'target');
}

function keyItem(request: Request, path: PathSegment[], key: SchemaKeyInfo, index: number): CompletionItem {
  const spot = request.spot;
  const keyPath = [...path, key.name];
  const scalar = key.types.length === 0 || key.types.some((type) => SCALAR_TYPES.includes(type));
  let newText: string;
  let retrigger = false;
  if (spot.hasColon) newText = key.name;
  else if (scalar) {
    newText = `${key.name}: `;
    retrigger = valuesKnown(keyPath, key);
  } else if (key.types.length === 1 && key.types[0] === 'array') {
    newText = `${key.name}:\n${request.unit}- `;
    retrigger = !!valueReference([...keyPath, 0]);
  } else {
    newText = `${key.name}:\n${request.unit}`;
    retrigger = !!keyReference(keyPath);
  }
  const item: CompletionItem = {
    label: key.name,
    kind: CompletionItemKind.Property,
    detail: key.types.length > 0 ? key.types.join(' | ') : undefined,
    sortText: `2${String(index).padStart(3, '0')}`,
    filterText: key.name,
    textEdit: { range: rangeOf(request), newText: dash(request) + newText },
    insertTextFormat: InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.adjustIndentation,
  };
  const docs: string[] = [];
  if (key.description) docs.push(key.description);
  if (key.enum) docs.push(`Values: ${key.enum.map((value) => `\`${String(value)}\``).join(', ')}`);
  if (key.default !== undefined) docs.push(`Default: \`${JSON.stringify(key.default)}\``);
  if (key.required) docs.push('Required.');
  if (docs.length > 0) item.documentation = markdown(docs.join('\n\n'));
  // `version` is obsolete: compose ignores it and warns.
  if (key.deprecated || (path.length === 0 && key.name === 'version')) {
    item.tags = [CompletionItemTag.Deprecated];
    item.sortText = `9${key.name}`;
  }
  if (retrigger) item.command = RETRIGGER;
  return item;
}

/** `depends_on:` and `networks:` of a service in mapping form: the names, as keys. */
function completeNamedKeys(request: Request, reference: ReferencePlace): void {
  const spot = request.spot;
  for (const name of referenceNames(request, reference)) {
    if (spot.present.has(name.name) || (reference.target === 'services' && name.name === reference.service)) continue;
    let text = `${name.name}:`;
    let format: InsertTextFormat = InsertTextFormat.PlainText;
    if (!spot.hasColon && reference.target === 'services') {
      const snippet = `${escapeSnippet(name.name)}:\n${request.unit}condition: \${1|service_started,service_healthy,service_completed_successfully|}`;
      if (request.snippets) {
        text = snippet;
        format = InsertTextFormat.Snippet;
      } else text = withoutPlaceholders(snippet);
    }
    if (spot.hasColon) text = name.name;
    add(request, {
      label: name.name,
      kind: CompletionItemKind.Reference,
      detail: name.detail,
      sortText: `0${name.name}`,
      filterText: name.name,
      textEdit: { range: rangeOf(request), newText: text },
      insertTextFormat: format,
      insertTextMode: InsertTextMode.adjustIndentation,
    });
  }
}

function snippetItem(request: Request, label: string, detail: string, snippet: string, sortText: string, documentation?: string): void {
  const item: CompletionItem = {
    label,
    kind: CompletionItemKind.Snippet,
    detail,
    sortText,
    filterText: label,
    textEdit: { range: rangeOf(request), newText: request.snippets ? snippet : withoutPlaceholders(snippet) },
    insertTextFormat: request.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.adjustIndentation,
  };
  if (documentation) item.documentation = markdown(documentation);
  add(request, item);
}

function serviceSnippets(request: Request): void {
  const u = request.unit;
  snippetItem(
    request,
    'new service (image)',
    'a service running an image',
    `\${1:name}:\n${u}image: \${2:nginx:latest}\n${u}restart: \${3|unless-stopped,always,on-failure,no|}\n${u}ports:\n${u}${u}- "\${4:8080}:\${5:80}"`,
    '1a',
    'A service started from an image, restarted unless stopped, with one published port.',
  );
  snippetItem(
    request,
    'new service (build)',
    'a service built from a Dockerfile',
    `\${1:name}:\n${u}build:\n${u}${u}context: \${2:.}\n${u}${u}dockerfile: \${3:Dockerfile}\n${u}restart: \${4|unless-stopped,always,on-failure,no|}`,
    '1b',
    'A service whose image is built from a Dockerfile in a build context.',
  );
}

function serviceKeySnippets(request: Request): void {
  const present = request.spot.present;
  const u = request.unit;
  if (!present.has('build')) snippetItem(request, 'build (context, dockerfile, target)', 'snippet', `build:\n${u}context: \${1:.}\n${u}dockerfile: \${2:Dockerfile}\n${u}target: \${3}`, '1build', 'Build the image from a Dockerfile: the build context folder, the Dockerfile in it, and the stage to build.');
  if (!present.has('ports')) snippetItem(request, 'ports (host:container)', 'snippet', `ports:\n${u}- "\${1:8080}:\${2:80}"`, '1ports', 'Publish a container port on a host port (`HOST:CONTAINER`).');
  if (!present.has('volumes')) snippetItem(request, 'volumes (bind mount or named volume)', 'snippet', `volumes:\n${u}- \${1:./data}:\${2:/data}`, '1volumes', 'Mount a host path (starting with `.` or `/`) or a named volume into the container (`SOURCE:TARGET`).');
  if (!present.has('healthcheck'))
    snippetItem(
      request,
      'healthcheck (test, interval, timeout, retries)',
      'snippet',
      `healthcheck:\n${u}test: ["CMD", "\${1:curl}", "-f", "\${2:http://localhost/}"]\n${u}interval: \${3:30s}\n${u}timeout: \${4:10s}\n${u}retries: \${5:3}\n${u}start_period: \${6:10s}`,
      '1healthcheck',
      'How compose tells whether the container is healthy; `depends_on` with `condition: service_healthy` waits for it.',
    );
}

// ---- values ---------------------------------------------------------------------

function valueItem(request: Request, label: string, kind: CompletionItemKind, sortText: string, detail?: string, documentation?: string, start?: number): void {
  const item: CompletionItem = {
    label,
    kind,
    sortText,
    filterText: label,
    textEdit: { range: rangeOf(request, start), newText: dash(request) + label },
  };
  if (detail) item.detail = detail;
  if (documentation) item.documentation = markdown(documentation);
  if (label.endsWith(':')) item.command = RETRIGGER;
  add(request, item);
}

function completeValues(request: Request, path: PathSegment[]): void {
  const spot = request.spot;
  const reference = valueReference(path);
  if (reference) completeReferences(request, path, reference);
  const last = path[path.length - 1];
  if (last === 'image' && path.length === 3 && path[0] === 'services') completeImages(request);
  if (last === 'target' && path.length === 4 && path[0] === 'services' && path[2] === 'build') completeStages(request, String(path[1]));
  // Inside `service:…` only the service names make sense.
  if (reference?.prefix && spot.prefix.startsWith(reference.prefix)) return;
  const info = schemaInfoAt(path);
  if (info?.enum) {
    for (const value of info.enum) if (value !== null && typeof value !== 'object') valueItem(request, String(value), CompletionItemKind.EnumMember, `1${String(value)}`, undefined, info.description);
  }
  if (info?.types.includes('boolean') && !spot.quote) {
    for (const value of ['true', 'false']) valueItem(request, value, CompletionItemKind.Value, `1${value}`, undefined, info.description);
  }
  for (const value of knownValuesAt(path) ?? []) valueItem(request, value, CompletionItemKind.EnumMember, `1${value}`, undefined, info?.description);
}

interface NamedThing {
  name: string;
  detail: string;
}

const TARGET_WORD: Record<ReferenceTarget, string> = { services: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

/** Names declared for a reference: the project's (override and included files too), or `extends.file`'s services. */
function referenceNames(request: Request, reference: ReferencePlace): NamedThing[] {
  const { context } = request;
  const extendsFile = reference.target === 'services' ? stringValue(getPath(request.root(), 'services', reference.service, 'extends', 'file')) : undefined;
  const spotPath = request.spot.path;
  if (extendsFile && spotPath[2] === 'extends') {
    const path = context.outline().resolvePath(context.path, extendsFile);
    const text = context.host.readFile(path);
    if (text === undefined) return [];
    const services = new Set<string>();
    for (const document of parseComposeFile(text, path).documents) for (const name of declaredNames(document.root, 'services')) services.add(name);
    return [...services].map((name) => ({ name, detail: `service in ${extendsFile}` }));
  }
  const model = context.outline().model;
  const names = declaredNames(model, reference.target);
  const out: NamedThing[] = [];
  for (const name of names) {
    let detail = TARGET_WORD[reference.target];
    if (reference.target === 'services') {
      const service = get(get(model, 'services'), name);
      const image = stringValue(get(service, 'image'));
      detail = image ? `service (image ${image})` : get(service, 'build') ? 'service (built)' : 'service';
    }
    out.push({ name, detail });
  }
  if (reference.target === 'networks' && !names.has('default')) out.push({ name: 'default', detail: "the project's default network" });
  return out;
}

/** Names already written in the same list (the item being edited aside), which should not be offered again. */
function alreadyListed(request: Request, path: PathSegment[]): Set<string> {
  const container = getPath(request.root(), ...path.slice(0, -1).map(String));
  const names = new Set<string>();
  const editing = path[path.length - 1];
  if (container?.kind === 'map') for (const pair of container.pairs) names.add(pair.key);
  else for (const [index, item] of itemsOf(container).entries()) {
    if (index === editing) continue;
    const text = stringValue(item.kind === 'map' ? get(item, 'source') : item);
    if (text) names.add(text.split(':')[0]!);
  }
  return names;
}

function completeReferences(request: Request, path: PathSegment[], reference: ReferencePlace): void {
  const spot = request.spot;
  let start = spot.range.start;
  if (reference.prefix) {
    if (!spot.prefix.startsWith(reference.prefix)) return;
    start += reference.prefix.length;
  }
  // Named volumes only where no host path is being written, and only the source part.
  if (reference.target === 'volumes' && typeof path[path.length - 1] === 'number' && (/^[./~$]/.test(spot.prefix) || spot.prefix.includes(':'))) return;
  const listed = typeof path[path.length - 1] === 'number' ? alreadyListed(request, path) : new Set<string>();
  const self = reference.target === 'services' && ['depends_on', 'links', 'volumes_from', 'network_mode', 'ipc', 'pid', 'extends'].includes(String(path[2]));
  for (const name of referenceNames(request, reference)) {
    if (self && name.name === reference.service && !(path[2] === 'extends' && getPath(request.root(), 'services', reference.service, 'extends', 'file'))) continue;
    if (listed.has(name.name)) continue;
    const item: CompletionItem = {
      label: name.name,
      kind: CompletionItemKind.Reference,
      detail: name.detail,
      sortText: `0${name.name}`,
      filterText: name.name,
      textEdit: { range: rangeOf(request, start), newText: (start === spot.range.start ? dash(request) : '') + name.name },
    };
    // A named volume goes before `:/path/in/container`.
    if (reference.target === 'volumes' && typeof path[path.length - 1] === 'number') {
      item.textEdit = { range: rangeOf(request, start), newText: dash(request) + `${name.name}:` };
    }
    add(request, item);
  }
}

// ---- interpolation -------------------------------------------------------------

/**
 * `$NAME` or `${NAME` being typed in a value: the variables of the project's
 * environment (its `.env` first). Returns whether the cursor was in one.
 */
function completeVariables(request: Request): boolean {
  const { spot } = request;
  const match = /(\$+)(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(spot.prefix);
  // `$$` is a literal dollar sign.
  if (!match || match[1]!.length % 2 === 0) return false;
  const nameStart = spot.range.start + spot.prefix.length - (match[3]?.length ?? 0);
  const offset = spot.range.start + spot.prefix.length;
  const text = request.context.text;
  let nameEnd = offset;
  while (nameEnd < text.length && /[A-Za-z0-9_]/.test(text[nameEnd]!)) nameEnd++;
  const braced = match[2] === '{';
  const closed = text[nameEnd] === '}';
  const project = request.context.outline();
  const fromFiles = new Map<string, string>();
  for (const file of project.envFiles) for (const name of file.values.keys()) fromFiles.set(name, file.path.slice(file.path.lastIndexOf('/') + 1));
  for (const [name, value] of project.environment) {
    const file = fromFiles.get(name);
    const shown = value.length > 40 ? `${value.slice(0, 37)}…` : value;
    add(request, {
      label: name,
      kind: CompletionItemKind.Variable,
      detail: `${shown} (${file ?? (name === 'COMPOSE_PROJECT_NAME' && value === project.name ? "the project's name" : 'environment')})`,
      sortText: `${file ? '0' : '1'}${name}`,
      filterText: name,
      textEdit: { range: rangeOf(request, nameStart, nameEnd), newText: braced && !closed ? `${name}}` : name },
    });
  }
  return true;
}

// ---- images and stages ------------------------------------------------------------

function normalizeRepository(repository: string): string {
  return repository.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

function imageDocs(image: KnownImage, tag?: string): string {
  const lines = [`**${image.repository}${tag ? `:${tag}` : ''}** (local image)`];
  if (image.id) lines.push(`- id: \`${image.id.replace(/^sha256:/, '').slice(0, 12)}\``);
  if (image.created) lines.push(`- created: ${image.created}`);
  if (!tag && image.tags.length > 0) lines.push(`- tags: ${image.tags.join(', ')}`);
  if (image.exposedPorts.length > 0) lines.push(`- exposes: ${image.exposedPorts.join(', ')}`);
  return lines.join('\n');
}

function completeImages(request: Request): void {
  const spot = request.spot;
  const images = request.images.filter((image) => image && typeof image.repository === 'string' && image.repository !== '' && image.repository !== '<none>');
  const prefix = spot.prefix;
  const colon = prefix.lastIndexOf(':');
  if (colon > prefix.lastIndexOf('/') && colon >= 0) {
    const wanted = normalizeRepository(prefix.slice(0, colon));
    for (const image of images) {
      if (normalizeRepository(image.repository) !== wanted) continue;
      for (const tag of Array.isArray(image.tags) ? image.tags : []) {
        if (typeof tag !== 'string') continue;
        valueItem(request, tag, CompletionItemKind.Constant, tag === 'latest' ? `1${tag}` : `0${tag}`, `${image.repository}:${tag}`, imageDocs(image, tag), spot.range.start + colon + 1);
      }
    }
    return;
  }
  const byRepository = new Map<string, KnownImage[]>();
  for (const image of images) byRepository.set(image.repository, [...(byRepository.get(image.repository) ?? []), image]);
  for (const [repository, list] of byRepository) {
    const tags = [...new Set(list.flatMap((image) => (Array.isArray(image.tags) ? image.tags : [])))];
    valueItem(request, repository, CompletionItemKind.Module, `0${repository}`, tags.length > 0 ? `local image: ${tags.join(', ')}` : 'local image', list.map((image) => imageDocs(image)).join('\n\n'));
  }
}

function completeStages(request: Request, service: string): void {
  const dockerfile = serviceDockerfile(request.context, service);
  if (!dockerfile) return;
  for (const stage of dockerfile.model.stages) {
    const name = stage.nameToken?.value;
    if (!name) continue;
    valueItem(request, name, CompletionItemKind.Reference, `0${String(stage.index).padStart(4, '0')}`, `stage ${stage.index}${stage.base.raw ? ` (FROM ${stage.base.raw})` : ''}`, `Build stage \`${name}\` of ${dockerfile.shownAs}.`);
  }
}
