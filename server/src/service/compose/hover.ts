/**
 * Hover in compose files:
 * - a key: what the compose-spec schema says about it (description, type,
 *   values, default), and which schema that is;
 * - an interpolation in a value (`$VAR`, `${VAR:-default}` …): what it becomes
 *   with the project's environment, and where the variable's value comes from
 *   (the `.env` file and its line, the environment, or the default);
 * - the name of a service where it is defined or referred to (`depends_on`,
 *   `links`, `extends`, `network_mode: service:` …): its image or build and
 *   where it is defined; likewise for networks, volumes, secrets and configs;
 * - `build.target`: that stage of the service's Dockerfile (its line and base),
 *   or the stages there are when none has that name;
 * - an `image:` the local engine has: its id, creation date and tags;
 * - another value: the schema's words for its key;
 * - inside an `x-*` field: as where the file uses that fragment (a service
 *   merging it with `<<: *anchor`, a key naming it with an alias).
 *
 * Keys and values are found in the parsed tree; when the file has a syntax
 * error, a key at the start of a line is placed by the lines' indentation
 * instead (cursor.ts), as the tree around an error may not match the lines.
 */

import { relative, dirname } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { get, getPair, parseEnvFile, stringValue, substitute, type ComposeNode, type ComposeProject } from '../../compose';
import { describeComposeSchemaSource, formatPath, schemaInfoAt, type PathSegment } from '../../compose/schema';
import { splitImageReference } from '../../dockerfile';
import type { KnownImage } from '../completion';
import type { ComposeDocumentContext } from './composeDocuments';
import { completionSpot, lineAt, lineShape } from './cursor';
import { inExtensionField, pathOfUse } from './extensionUse';
import { nodeAtOffset, rootAt } from './nodeAt';
import { serviceDockerfile } from './serviceDockerfile';
import { keyReference, valueReference, type ReferenceTarget } from './referencePaths';

export function composeHover(document: TextDocument, context: ComposeDocumentContext, position: Position, images: readonly KnownImage[] = []): Hover | null {
  const offset = document.offsetAt(position);
  const hover = (value: string, start: number, end: number): Hover => ({
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: document.positionAt(start), end: document.positionAt(end) },
  });
  const root = rootAt(context.parsed, offset);
  const found = nodeAtOffset(root, offset, context.parsed.file);
  // A file being edited may not parse as its lines read: then a key at the start of a line is placed by the lines' indentation.
  const written = keyOnLine(context.text, offset);
  const broken = context.parsed.problems.some((problem) => problem.code === 'yaml-syntax');
  if (written && (broken || found?.keyOf?.keyRange.start !== written.start || found.keyOf.key !== written.key)) {
    const placed = written.path();
    if (!placed) return null;
    const docs = placed.length === 2 && placed[0] === 'services' ? serviceSummary(context, written.key) : schemaDocs(placed);
    return docs ? hover(docs, written.start, written.end) : null;
  }
  if (!found) return null;
  // A fragment in an `x-*` field means what it means where the file uses it.
  const target = found.keyOf ?? found.node;
  const path = root && target && inExtensionField(found.path) ? (pathOfUse(root, target) ?? found.path) : found.path;

  if (found.keyOf) {
    const pair = found.keyOf;
    const range = pair.keyRange;
    if (path.length === 2 && path[0] === 'services') return hover(serviceSummary(context, pair.key), range.start, range.end);
    if (path.length === 2 && isResourceSection(path[0])) return hover(resourceSummary(context, path[0] as ReferenceTarget, pair.key), range.start, range.end);
    // `depends_on: {db: …}`, `networks: {front: …}`: the key names a service or network.
    const named = keyReference(path.slice(0, -1));
    if (named) return hover(named.target === 'services' ? serviceSummary(context, pair.key) : resourceSummary(context, named.target, pair.key), range.start, range.end);
    const docs = schemaDocs(path);
    return docs ? hover(docs, range.start, range.end) : null;
  }

  const node = found.node;
  if (node?.kind !== 'scalar') return null;
  // An interpolation under the cursor wins over what the value as a whole is.
  const expression = interpolationAt(context.text, node, offset);
  if (expression) return hover(interpolationDocs(context.outline(), expression.text), expression.start, expression.end);

  const value = stringValue(node);
  const reference = valueReference(path);
  if (reference && value !== undefined) {
    let name = value;
    if (reference.prefix) {
      if (!value.startsWith(reference.prefix)) name = '';
      else name = value.slice(reference.prefix.length);
    } else if (reference.target === 'services' || reference.target === 'volumes') name = value.split(':')[0]!;
    if (name !== '') {
      const text = reference.target === 'services' ? serviceSummary(context, name) : resourceSummary(context, reference.target, name);
      return hover(text, node.range.start, node.range.end);
    }
  }
  if (path.length === 4 && path[0] === 'services' && path[2] === 'build' && path[3] === 'target' && value) {
    const stage = stageSummary(context, String(path[1]), value);
    return hover([stage, schemaDocs(path)].filter(Boolean).join('\n\n---\n\n'), node.range.start, node.range.end);
  }
  if (path.length === 3 && path[0] === 'services' && path[2] === 'image' && value) {
    const local = localImage(images, value);
    const docs = schemaDocs(path);
    return hover([local, docs].filter(Boolean).join('\n\n---\n\n'), node.range.start, node.range.end);
  }
  const docs = schemaDocs(path);
  return docs ? hover(docs, node.range.start, node.range.end) : null;
}

/** The key written at `offset` on its line, with its path from the lines' indentation. */
function keyOnLine(text: string, offset: number): { key: string; path: () => PathSegment[] | undefined; start: number; end: number } | undefined {
  const line = lineAt(text, offset);
  const shape = lineShape(text, line.start, line.end);
  if (shape.key === undefined || shape.colon === undefined) return undefined;
  let start = line.start + shape.content;
  const quoted = text[start] === '"' || text[start] === "'";
  if (quoted) start++;
  const end = start + shape.key.length;
  if (offset < start || offset > end || text.slice(start, end) !== shape.key) return undefined;
  const key = shape.key;
  const path = () => {
    const spot = completionSpot(text, start);
    return spot && (spot.kind === 'key' || spot.kind === 'item') ? [...spot.path, key] : undefined;
  };
  return { key, path, start, end };
}

function isResourceSection(segment: PathSegment | undefined): boolean {
  return segment === 'networks' || segment === 'volumes' || segment === 'secrets' || segment === 'configs';
}

const code = (text: string): string => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

// ---- schema --------------------------------------------------------------------

function schemaDocs(path: PathSegment[]): string | undefined {
  const last = path[path.length - 1];
  if (typeof last === 'string' && last.startsWith('x-')) return `**${last}** — extension field\n\nCompose ignores keys starting with \`x-\`; they hold shared fragments for YAML anchors, or settings for other tools.`;
  const info = schemaInfoAt(path);
  if (!info) return undefined;
  const title = typeof last === 'number' ? `item of **${String(path[path.length - 2])}**` : `**${String(last ?? 'compose file')}**`;
  const parts = [`${title} — ${code(formatPath(path))}`];
  if (info.description) parts.push(info.description);
  const facts: string[] = [];
  if (info.types.length > 0) facts.push(`Type: ${info.types.map(code).join(' or ')}.`);
  if (info.enum) facts.push(`Values: ${info.enum.map((value) => code(String(value))).join(', ')}.`);
  if (info.default !== undefined) facts.push(`Default: ${code(JSON.stringify(info.default))}.`);
  if (info.minimum !== undefined) facts.push(`Minimum: ${info.minimum}.`);
  if (info.maximum !== undefined) facts.push(`Maximum: ${info.maximum}.`);
  if (info.deprecated) facts.push('Deprecated.');
  if (facts.length > 0) parts.push(facts.join(' '));
  parts.push(`_${describeComposeSchemaSource()}_`);
  return parts.join('\n\n');
}

// ---- services and resources ---------------------------------------------------

/** `file`, relative to the document's folder when inside it, and the 1-based line of `offset` in it. */
function whereWritten(context: ComposeDocumentContext, project: ComposeProject, file: string, offset: number): string {
  const text = file === context.path ? context.text : project.files.get(file)?.parsed.text;
  let line = 1;
  if (text !== undefined) for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  const base = dirname(context.path);
  const shown = file.startsWith(base + '/') ? relative(base, file) : file;
  return `${shown}, line ${line}`;
}

function serviceSummary(context: ComposeDocumentContext, name: string): string {
  const project = context.outline();
  const services = get(project.model, 'services');
  const pair = services?.kind === 'map' ? getPair(services, name) : undefined;
  if (!pair) return `**service** ${code(name)}\n\nNo service of this name in the project.`;
  const service = pair.value;
  const lines = [`**service** ${code(name)}`, ''];
  const image = stringValue(get(service, 'image'));
  if (image) lines.push(`- image: ${code(image)}`);
  const build = get(service, 'build');
  if (build) {
    const parts: string[] = [];
    const contextValue = build.kind === 'scalar' ? stringValue(build) : stringValue(get(build, 'context'));
    parts.push(`context ${code(contextValue ?? '.')}`);
    const dockerfile = stringValue(get(build, 'dockerfile'));
    if (dockerfile) parts.push(`Dockerfile ${code(dockerfile)}`);
    if (get(build, 'dockerfile_inline')) parts.push('inline Dockerfile');
    const target = stringValue(get(build, 'target'));
    if (target) parts.push(`target ${code(target)}`);
    lines.push(`- build: ${parts.join(', ')}`);
  }
  if (!image && !build) lines.push('- neither image nor build');
  const profiles = get(service, 'profiles');
  if (profiles?.kind === 'seq' && profiles.items.length > 0) lines.push(`- profiles: ${profiles.items.map((item) => code(stringValue(item) ?? '')).join(', ')}`);
  lines.push(`- defined in ${whereWritten(context, project, pair.file, pair.keyRange.start)}`);
  return lines.join('\n');
}

const RESOURCE_WORD: Record<ReferenceTarget, string> = { services: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

function resourceSummary(context: ComposeDocumentContext, kind: ReferenceTarget, name: string): string {
  const project = context.outline();
  const section = get(project.model, kind);
  const pair = section?.kind === 'map' ? getPair(section, name) : undefined;
  const title = `**${RESOURCE_WORD[kind]}** ${code(name)}`;
  if (!pair) {
    if (kind === 'networks' && name === 'default') return `${title}\n\nThe network compose creates for the project when no other is given.`;
    return `${title}\n\nNot declared under top-level ${code(kind)}.`;
  }
  const lines = [title, ''];
  const node: ComposeNode = pair.value;
  for (const key of ['name', 'driver', 'external', 'file', 'environment', 'content']) {
    const value = get(node, key);
    if (value?.kind === 'scalar' && value.value !== null) lines.push(`- ${key}: ${code(String(value.value))}`);
  }
  lines.push(`- declared in ${whereWritten(context, project, pair.file, pair.keyRange.start)}`);
  return lines.join('\n');
}

// ---- build stages ---------------------------------------------------------------

/** The stage `build.target` names in the service's Dockerfile: where it starts and what it is built from. */
function stageSummary(context: ComposeDocumentContext, service: string, target: string): string | undefined {
  const dockerfile = serviceDockerfile(context, service);
  if (!dockerfile) return undefined;
  const { model } = dockerfile;
  const stage = model.findStage(target);
  const named = model.stages.map((candidate) => candidate.nameToken?.value).filter((name): name is string => !!name);
  if (!stage) return `No stage ${code(target)} in ${code(dockerfile.shownAs)}${named.length > 0 ? `; its stages: ${named.map(code).join(', ')}` : ''}.`;
  const line = model.ast.text.slice(0, stage.from.range.start).split('\n').length;
  const parts = [`**stage** ${code(target)} of ${code(dockerfile.shownAs)}, line ${line}`, '', `- stage ${stage.index + 1} of ${model.stages.length}`];
  if (stage.base.raw) parts.push(`- FROM ${code(stage.base.raw)}`);
  return parts.join('\n');
}

// ---- images ---------------------------------------------------------------------

function localImage(images: readonly KnownImage[], reference: string): string | undefined {
  const parts = splitImageReference(reference);
  const normalize = (repository: string) => repository.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  const repository = normalize(reference.slice(parts.name[0], parts.name[1]));
  const tag = parts.tag ? reference.slice(parts.tag[0], parts.tag[1]) : 'latest';
  const image = images.find((candidate) => candidate && normalize(candidate.repository) === repository && Array.isArray(candidate.tags) && candidate.tags.includes(tag));
  if (!image) return undefined;
  const lines = [`**${image.repository}:${tag}** (local image)`];
  if (image.id) lines.push(`- id: ${code(image.id.replace(/^sha256:/, '').slice(0, 12))}`);
  if (image.created) lines.push(`- created: ${image.created}`);
  if (image.tags.length > 1) lines.push(`- tags: ${image.tags.join(', ')}`);
  if (image.exposedPorts.length > 0) lines.push(`- exposes: ${image.exposedPorts.join(', ')}`);
  return lines.join('\n');
}

// ---- interpolation ----------------------------------------------------------------

interface Expression {
  text: string;
  start: number;
  end: number;
}

/** The `$NAME` or `${…}` (nested ones included) under `offset` in the scalar's text on the cursor's line. */
export function interpolationAt(text: string, node: ComposeNode, offset: number): Expression | undefined {
  if (node.kind !== 'scalar' || typeof node.raw !== 'string' || !node.raw.includes('$')) return undefined;
  const line = lineAt(text, offset);
  const from = Math.max(node.range.start, line.start);
  const to = Math.min(node.range.end, line.end);
  let i = from;
  while (i < to) {
    const j = text.indexOf('$', i);
    if (j < 0 || j >= to) break;
    const next = text[j + 1];
    if (next === '$') {
      i = j + 2;
      continue;
    }
    let end = j + 1;
    if (next === '{') {
      let depth = 1;
      for (let k = j + 2; k < to; k++) {
        if (text[k] === '$' && text[k + 1] === '{') {
          depth++;
          k++;
        } else if (text[k] === '}') {
          depth--;
          if (depth === 0) {
            end = k + 1;
            break;
          }
        }
      }
      if (end === j + 1) end = to;
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      end = j + 2;
      while (end < to && /[A-Za-z0-9_]/.test(text[end]!)) end++;
    } else {
      i = j + 1;
      continue;
    }
    if (offset >= j && offset <= end) return { text: text.slice(j, end), start: j, end };
    i = end;
  }
  return undefined;
}

/** Where a variable's value comes from, as words. */
function variableSource(project: ComposeProject, name: string): string {
  const value = project.environment.get(name);
  if (value === undefined) return `${code(name)} is not set (not in the environment, nor in ${envFileNames(project)}).`;
  for (const file of project.envFiles) {
    if (file.values.get(name) !== value || file.text === undefined) continue;
    const entry = parseEnvFile(file.text).entries.filter((candidate) => candidate.name === name).pop();
    let line = 1;
    if (entry) for (let i = file.text.indexOf('\n'); i >= 0 && i < entry.nameRange.start; i = file.text.indexOf('\n', i + 1)) line++;
    return `${code(name)} is ${shownValue(value)}, set in ${code(relativeTo(project.projectDirectory, file.path))}${entry ? ` (line ${line})` : ''}.`;
  }
  if (name === 'COMPOSE_PROJECT_NAME' && value === project.name) return `${code(name)} is ${shownValue(value)}: the project's name.`;
  return `${code(name)} is ${shownValue(value)}, from the environment.`;
}

function shownValue(value: string): string {
  return value === '' ? 'set but empty' : code(value);
}

function relativeTo(base: string, path: string): string {
  return path.startsWith(base + '/') ? relative(base, path) : path;
}

function envFileNames(project: ComposeProject): string {
  if (project.envFiles.length === 0) return `${code('.env')} (there is none)`;
  return project.envFiles.map((file) => code(relativeTo(project.projectDirectory, file.path))).join(', ');
}

const OPERATORS = [':-', ':?', ':+', '-', '?', '+'];

function interpolationDocs(project: ComposeProject, expression: string): string {
  const lookup = (name: string) => project.environment.get(name);
  const result = substitute(expression, lookup);
  const lines: string[] = [];
  const parsed = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(expression);
  const name = parsed?.[1];
  if (result.errors.length > 0) {
    lines.push(`**${code(expression)}**`, '', `Compose stops here: ${result.errors.map((error) => error.message).join('; ')}`);
  } else {
    lines.push(`**${code(expression)}** → ${result.value === '' ? 'empty string' : code(result.value)}`);
  }
  if (name) {
    lines.push('', variableSource(project, name));
    const rest = expression.startsWith('${') ? expression.slice(2 + name.length, -1) : '';
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    const value = project.environment.get(name);
    const argument = operator ? rest.slice(operator.length) : '';
    if (operator === ':-' && (value === undefined || value === '')) lines.push('', `So the default ${code(argument)} is used (\`:-\`: when unset or empty).`);
    else if (operator === '-' && value === undefined) lines.push('', `So the default ${code(argument)} is used (\`-\`: when unset).`);
    else if ((operator === ':+' && value) || (operator === '+' && value !== undefined)) lines.push('', `So the alternative ${code(argument)} is used.`);
    else if (operator === ':+' || operator === '+') lines.push('', 'So the value is empty (the alternative applies only when the variable is set).');
    else if (!operator && value === undefined) lines.push('', 'Compose substitutes an empty string and warns.');
  }
  return lines.join('\n');
}
