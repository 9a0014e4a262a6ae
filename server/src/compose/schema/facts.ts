/**
 * What the compose-spec schema says at a path, for completion, hover and the
 * validator's messages. The generated standalone validator cannot answer this,
 * so the build also writes `schemaFacts`: the schema without its metadata (same
 * structure, descriptions kept), per definition. Nothing here compiles a schema.
 */
import { schemaFacts, schemaSource } from './generated/validate.cjs';
import type { SchemaFactNode, SchemaSource } from './generated/validate.cjs';
import type { PathSegment, SchemaKeyInfo, SchemaKeys, SchemaValueInfo } from './types';

export type { SchemaFactNode, SchemaSource };

/** Where the schema came from: the registry package, its version, the file and its checksum. */
export const composeSchemaSource: SchemaSource = schemaSource;

/** One line for hover: which schema Berth validates against. */
export function describeComposeSchemaSource(): string {
  const spec = schemaSource.specVersion ? `spec version ${schemaSource.specVersion}` : 'compose-spec schema (unversioned)';
  return `${schemaSource.title ?? 'Compose Specification'}: ${spec}, from ${schemaSource.package}@${schemaSource.packageVersion} (${schemaSource.file}, sha256 ${schemaSource.sha256.slice(0, 12)})`;
}

const EMPTY: SchemaFactNode = {};

/** Follows `$ref` (local `#/definitions/NAME` or `#`) until a node without one. */
export function resolveRef(node: SchemaFactNode | undefined): SchemaFactNode {
  let current = node ?? EMPTY;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 32) return EMPTY;
    const ref = current.$ref;
    if (ref === '#') current = schemaFacts.root;
    else {
      const match = /^#\/definitions\/(.+)$/.exec(ref);
      const target = match ? schemaFacts.definitions[decodeURIComponent(match[1]!.replace(/~1/g, '/').replace(/~0/g, '~'))] : undefined;
      if (!target) return EMPTY;
      current = target;
    }
  }
  return current;
}

/**
 * The shapes a node allows: `$ref`s resolved and `oneOf`/`anyOf` expanded
 * (recursively) into their branches. A node whose own keywords sit beside a
 * `oneOf` is kept as well.
 */
export function alternatives(node: SchemaFactNode | undefined): SchemaFactNode[] {
  const out: SchemaFactNode[] = [];
  const walk = (current: SchemaFactNode | undefined, depth: number) => {
    const resolved = resolveRef(current);
    if (depth > 16) return;
    const branches = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])];
    if (branches.length === 0) {
      out.push(resolved);
      return;
    }
    if (resolved.type !== undefined || resolved.properties || resolved.items || resolved.enum) out.push(resolved);
    for (const branch of branches) walk(branch, depth + 1);
    for (const member of resolved.allOf ?? []) walk(member, depth + 1);
  };
  walk(node, 0);
  return out;
}

/** The JSON types a node (one alternative) declares; [] when it does not constrain the type. */
export function declaredTypes(node: SchemaFactNode): string[] {
  if (Array.isArray(node.type)) return node.type;
  if (typeof node.type === 'string') return [node.type];
  if (node.enum) return [...new Set(node.enum.map(jsonType))];
  if (node.const !== undefined) return [jsonType(node.const)];
  if (node.properties || node.patternProperties) return ['object'];
  if (node.items) return ['array'];
  return [];
}

/** JSON type of a value as the schema names it ('integer' for whole numbers). */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** Whether an alternative accepts data of JSON type `type` (by its `type` keyword only). */
export function acceptsType(node: SchemaFactNode, type: string): boolean {
  const types = declaredTypes(node);
  if (types.length === 0) return true;
  if (types.includes(type)) return true;
  return type === 'integer' && types.includes('number');
}

const patternCache = new Map<string, RegExp | null>();
export function patternRegExp(pattern: string): RegExp | null {
  let regexp = patternCache.get(pattern);
  if (regexp === undefined) {
    try {
      regexp = new RegExp(pattern, 'u');
    } catch {
      regexp = null;
    }
    patternCache.set(pattern, regexp);
  }
  return regexp;
}

function isIndex(segment: PathSegment): boolean {
  return typeof segment === 'number' || /^(0|[1-9]\d*)$/.test(segment);
}

/** The schema nodes (unresolved, so their own descriptions survive) that apply to `segment` inside `parent`. */
function childNodes(parent: SchemaFactNode, segment: PathSegment): SchemaFactNode[] {
  const out: SchemaFactNode[] = [];
  if (isIndex(segment) && parent.items) {
    const items = parent.items;
    if (Array.isArray(items)) {
      const item = items[Number(segment)];
      if (item) out.push(item);
    } else out.push(items);
  }
  if (typeof segment === 'string' || !parent.items) {
    const key = String(segment);
    let named = false;
    if (parent.properties && Object.prototype.hasOwnProperty.call(parent.properties, key)) {
      out.push(parent.properties[key]!);
      named = true;
    }
    let patterned = false;
    for (const [pattern, child] of Object.entries(parent.patternProperties ?? {})) {
      if (patternRegExp(pattern)?.test(key)) {
        out.push(child);
        patterned = true;
      }
    }
    if (!named && !patterned && parent.additionalProperties && typeof parent.additionalProperties === 'object') out.push(parent.additionalProperties);
  }
  return out;
}

/**
 * The schema nodes that describe the value at `path` (mapping keys and sequence
 * indexes; numbers or numeric strings both step into sequences). Unresolved:
 * pass them through `alternatives` for their shapes. [] when the schema says
 * nothing there (an unknown key, or inside an `x-` extension).
 */
export function schemaNodesAt(path: readonly PathSegment[]): SchemaFactNode[] {
  let nodes: SchemaFactNode[] = [schemaFacts.root];
  for (const segment of path) {
    const next: SchemaFactNode[] = [];
    for (const node of nodes) for (const alternative of alternatives(node)) next.push(...childNodes(alternative, segment));
    nodes = [...new Set(next)];
    if (nodes.length === 0) break;
  }
  return nodes;
}

function firstDescription(nodes: SchemaFactNode[]): string | undefined {
  for (const node of nodes) if (node.description) return node.description;
  for (const node of nodes) for (const alternative of alternatives(node)) if (alternative.description) return alternative.description;
  return undefined;
}

function unionTypes(alternativeNodes: SchemaFactNode[]): string[] {
  const types = new Set<string>();
  for (const node of alternativeNodes) {
    const declared = declaredTypes(node);
    if (declared.length === 0) return [];
    for (const type of declared) types.add(type);
  }
  return [...types];
}

function unionEnum(alternativeNodes: SchemaFactNode[]): unknown[] | undefined {
  const values: unknown[] = [];
  for (const node of alternativeNodes) {
    if (node.enum) values.push(...node.enum);
    else if (node.const !== undefined) values.push(node.const);
  }
  return values.length > 0 ? [...new Set(values)] : undefined;
}

/** What the schema says about the value at `path`, or undefined when it says nothing. */
export function schemaInfoAt(path: readonly PathSegment[]): SchemaValueInfo | undefined {
  const nodes = schemaNodesAt(path);
  if (nodes.length === 0) return undefined;
  return infoOf(nodes);
}

function infoOf(nodes: SchemaFactNode[]): SchemaValueInfo {
  const shapes = nodes.flatMap((node) => alternatives(node));
  const info: SchemaValueInfo = { types: unionTypes(shapes) };
  const description = firstDescription(nodes);
  if (description) info.description = description;
  // Only when every shape is an enumeration do the values bound the value.
  const enumValues = shapes.every((shape) => shape.enum || shape.const !== undefined) ? unionEnum(shapes) : undefined;
  if (enumValues) info.enum = enumValues;
  const withDefault = [...nodes, ...shapes].find((node) => node.default !== undefined);
  if (withDefault) info.default = withDefault.default;
  if ([...nodes, ...shapes].some((node) => node.deprecated)) info.deprecated = true;
  const patterns = [...new Set(shapes.map((shape) => shape.pattern).filter((pattern): pattern is string => !!pattern))];
  if (patterns.length > 0) info.patterns = patterns;
  const minimum = shapes.find((shape) => shape.minimum !== undefined)?.minimum;
  if (minimum !== undefined) info.minimum = minimum;
  const maximum = shapes.find((shape) => shape.maximum !== undefined)?.maximum;
  if (maximum !== undefined) info.maximum = maximum;
  return info;
}

/**
 * The keys a mapping at `path` may have, with their descriptions, types and
 * enums: `$ref`s resolved, the object shapes of `oneOf`/`anyOf` merged,
 * `patternProperties` (such as `^x-`) listed as patterns.
 * `schemaKeysAt(['services', 'web', 'build'])` lists `context`, `dockerfile`, ….
 */
export function schemaKeysAt(path: readonly PathSegment[]): SchemaKeys {
  const nodes = schemaNodesAt(path);
  // Paths that differ only in names (services.a, services.b) reach the same node.
  const cacheKey = nodes.length === 1 ? nodes[0]! : undefined;
  let keys = cacheKey ? keysCache.get(cacheKey) : undefined;
  if (!keys) {
    keys = keysOf(nodes);
    if (cacheKey) keysCache.set(cacheKey, keys);
  }
  return { keys: keys.keys.slice(), patterns: keys.patterns.slice(), open: keys.open };
}

const keysCache = new WeakMap<SchemaFactNode, SchemaKeys>();

function keysOf(nodes: SchemaFactNode[]): SchemaKeys {
  const shapes = nodes
    .flatMap((node) => alternatives(node))
    .filter((shape) => acceptsType(shape, 'object') && (declaredTypes(shape).length > 0 || shape.properties || shape.patternProperties));
  const result: SchemaKeys = { keys: [], patterns: [], open: false };
  const byName = new Map<string, { nodes: SchemaFactNode[]; required: boolean }>();
  const byPattern = new Map<string, SchemaFactNode[]>();
  for (const shape of shapes) {
    for (const [name, child] of Object.entries(shape.properties ?? {})) {
      const entry = byName.get(name) ?? { nodes: [], required: false };
      entry.nodes.push(child);
      if (shape.required?.includes(name)) entry.required = true;
      byName.set(name, entry);
    }
    for (const [pattern, child] of Object.entries(shape.patternProperties ?? {})) byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), child]);
    if (shape.additionalProperties !== false) result.open = true;
  }
  for (const [name, entry] of byName) {
    const info = infoOf(entry.nodes);
    const key: SchemaKeyInfo = { name, types: info.types, required: entry.required };
    if (info.description) key.description = info.description;
    if (info.enum) key.enum = info.enum;
    if (info.default !== undefined) key.default = info.default;
    if (info.deprecated) key.deprecated = true;
    result.keys.push(key);
  }
  for (const [pattern, nodes] of byPattern) {
    const info = infoOf(nodes);
    const entry: SchemaKeys['patterns'][number] = { pattern, types: info.types };
    if (info.description) entry.description = info.description;
    result.patterns.push(entry);
  }
  return result;
}

/** Names of the keys allowed at `path` (for did-you-mean). */
export function propertyNamesAt(path: readonly PathSegment[]): string[] {
  return schemaKeysAt(path).keys.map((key) => key.name);
}
