/**
 * Schema validation one service at a time, with each service's result kept
 * across versions of a file: after a keystroke the editor re-validates the
 * service that changed, not the thousand around it.
 *
 * The validator's errors on a service depend only on the service's data, and
 * a service's data (values as written, before interpolation) only on its text
 * and on the anchors it uses (through aliases and merge keys), and on its
 * column (for block scalars). So a result is reused when the service's text,
 * its key's column and its name are the same and every anchor it uses is
 * written either in that text or before `services:` (as `x-` defaults
 * usually are), that part of the file being the same too; every other
 * service is validated afresh. The text of a service runs from
 * its key to the next service's key (or the end of the file), so trailing
 * lines that could belong to a value are part of it.
 *
 * The services validated afresh are validated in one call together with the
 * rest of the document (services kept from before left out; names the schema
 * rejects kept, for their errors), and the errors are shared out by path. The
 * rest is validated again only when its text changed (and no alias after the
 * services reaches into them). The errors are joined in the order the
 * whole-document validator lists them (services come between `include` and
 * `models` in the schema; within them, in the data's key order), so findings
 * are exactly those of validating the whole document.
 */
import { getPair } from '../tree';
import { firstMarkAt, NODE_SHARED, type AnchorMark, type ComposeNode, type ComposePair } from '../types';
import type { SchemaError } from './generated/validate.cjs';
import { schemaFacts } from './generated/validate.cjs';
import { treeToData } from './treeData';
import { schemaErrors } from './validate';
import { MemoSlot } from '../memo';

/** What per-service validation needs: the results kept so far and where anchors and aliases are written. */
export interface PerServiceValidation {
  cache: ServiceSchemaCache;
  /** The file's anchors and aliases as written, in text order (`ParsedComposeFile.anchors`). */
  anchors: readonly AnchorMark[];
}

interface KeptResult {
  name: string;
  column: number;
  /** The text before `services:` when the service uses anchors written there. */
  head: string | undefined;
  errors: readonly SchemaError[] | null;
}

/**
 * Results per service text for one file. `nextVersion()` starts a version:
 * results not used in the previous one are dropped, so the cache holds about
 * one version's services and no older text.
 */
export class ServiceSchemaCache {
  private previous = new Map<string, KeptResult>();
  private current = new Map<string, KeptResult>();
  /** The services' names as last validated, in order. */
  order: ServiceOrder | undefined;
  /** The errors outside the services, with the text they were found in (before `services:`, and after its value). */
  rest: { head: string; tail: string; errors: readonly SchemaError[] } | undefined;

  nextVersion(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get(text: string): KeptResult | undefined {
    const kept = this.current.get(text);
    if (kept) return kept;
    const earlier = this.previous.get(text);
    // Kept under this version's text, so older texts are not held.
    if (earlier) this.current.set(text, earlier);
    return earlier;
  }

  set(text: string, result: KeptResult): void {
    this.current.set(text, result);
  }

  /** How many results the current version holds (for tests). */
  get size(): number {
    return this.current.size;
  }
}

/**
 * Results per service node: a parse after an edit keeps the very nodes of the
 * services the edit did not touch (compose/parse.ts), and a node's data never
 * changes, nor do the anchors its aliases stand for (the parse reads the file
 * afresh when an edit touches an anchor used after it). So a kept node's
 * result is reused without looking at its text at all.
 */
const resultsByNode = new MemoSlot<{ name: string; errors: readonly SchemaError[] | null }>();

const servicesSchema = schemaFacts.root.properties?.services;
const SERVICE_NAME = new RegExp(Object.keys(servicesSchema?.patternProperties ?? {})[0] ?? '^$', 'u');
/** Top-level keys the validator checks after `services` (it follows the schema's order of properties). */
const AFTER_SERVICES = new Set(Object.keys(schemaFacts.root.properties ?? {}).slice(Object.keys(schemaFacts.root.properties ?? {}).indexOf('services') + 1));
const NOTHING: readonly SchemaError[] = [];

function defineKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** The first segment of a JSON pointer (`/networks/x` → `networks`). */
function topKey(pointer: string): string {
  const end = pointer.indexOf('/', 1);
  return pointer.slice(1, end === -1 ? pointer.length : end);
}

/** Where the anchors of a document are written: before its `services` key (the head) or after it. */
interface AnchorPlaces {
  marks: readonly AnchorMark[];
  inHead: Set<string>;
  afterHead: Set<string>;
}

function anchorPlaces(marks: readonly AnchorMark[], headEnd: number): AnchorPlaces {
  const inHead = new Set<string>();
  const afterHead = new Set<string>();
  for (const mark of marks) if (mark.kind === 'anchor') (mark.range.start < headEnd ? inHead : afterHead).add(mark.name);
  return { marks, inHead, afterHead };
}

/**
 * What the data of the text [start, end) depends on besides that text:
 * nothing ('own': every alias in it refers to an anchor written in it), the
 * head ('head': some refer to anchors written before `services:`, and no
 * anchor of that name is written after it), or more (undefined).
 */
function dependsOn({ marks, inHead, afterHead }: AnchorPlaces, start: number, end: number): 'own' | 'head' | undefined {
  const first = firstMarkAt(marks, start);
  let result: 'own' | 'head' = 'own';
  for (let i = first; i < marks.length && marks[i]!.range.start < end; i++) {
    const mark = marks[i]!;
    if (mark.kind !== 'alias') continue;
    let own = false;
    for (let j = i - 1; j >= first; j--) {
      if (marks[j]!.kind === 'anchor' && marks[j]!.name === mark.name) {
        own = true;
        break;
      }
    }
    if (own) continue;
    if (afterHead.has(mark.name) || !inHead.has(mark.name)) return undefined;
    result = 'head';
  }
  return result;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** A JSON pointer's escaping of one key. */
function pointerKey(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** A service to validate in this version, and where its result is kept. */
interface Pending {
  name: string;
  value: ComposeNode;
  /** The service's text and what its result is kept under (undefined when it cannot be kept by text). */
  written: string | undefined;
  column: number;
  head: string | undefined;
  errors: SchemaError[] | null;
}

export interface ServiceValidation {
  errors: readonly SchemaError[];
  /** The document's data for messages: the services with errors (or names the schema rejects) and everything else. */
  data(): unknown;
}

/**
 * The validator's errors on a document, service by service, in the order the
 * whole-document validator lists them; undefined when the document is not in
 * a shape this applies to (then the caller validates it whole).
 */
export function validateByService(root: ComposeNode, text: string, { cache, anchors }: PerServiceValidation): ServiceValidation | undefined {
  if (root.kind !== 'map') return undefined;
  const servicesPair = getPair(root, 'services');
  const services = servicesPair?.value;
  if (!servicesPair || services?.kind !== 'map' || services.tag !== undefined || ((services.flags ?? 0) & NODE_SHARED) !== 0 || services.range.start < servicesPair.keyRange.end) return undefined;
  const pairs = services.pairs;
  const order = serviceOrder(cache, pairs);
  if (!order) return undefined;
  const { indexOf, valid } = order;

  // Names the schema rejects stay in the services, for their own errors.
  const servicesData: Record<string, unknown> = {};
  for (const name of order.rejected) defineKey(servicesData, name, null);

  // Each service's result: kept for its node, or for its text, or validated now. Everything validated now is
  // validated in one call with the rest of the document (one pass of the validator over data built once), and
  // the errors are then shared out: those under a service's path are its own, the others the document's.
  const results: (readonly SchemaError[] | null | Pending)[] = new Array(valid.length);
  let pendingByKey: Map<string, Pending> | undefined;
  const headEnd = servicesPair.keyRange.start;
  let places: AnchorPlaces | undefined;
  let headText: string | undefined;
  for (let v = 0; v < valid.length; v++) {
    const name = valid[v]!;
    const index = indexOf[name]!;
    const pair = pairs[index]!;
    const value = pair.value;
    const known = resultsByNode.get(value);
    if (known && known.name === name) {
      results[v] = known.errors;
      continue;
    }
    const start = pair.keyRange.start;
    const end = index + 1 < pairs.length ? pairs[index + 1]!.keyRange.start : text.length;
    const dependency = end > start && value.range.start >= pair.keyRange.end && value.range.end <= end ? dependsOn((places ??= anchorPlaces(anchors, headEnd)), start, end) : undefined;
    let pending: Pending;
    if (dependency) {
      const written = text.slice(start, end);
      const column = columnOf(text, start);
      const head = dependency === 'head' ? (headText ??= text.slice(0, headEnd)) : undefined;
      const kept = cache.get(written);
      if (kept && kept.name === name && kept.column === column && kept.head === head) {
        // Holds this version's text only.
        kept.head = head;
        resultsByNode.set(value, { name, errors: kept.errors });
        results[v] = kept.errors;
        continue;
      }
      pending = { name, value, written, column, head, errors: null };
    } else pending = { name, value, written: undefined, column: 0, head: undefined, errors: null };
    defineKey(servicesData, name, treeToData(value, 2));
    (pendingByKey ??= new Map()).set(pointerKey(name), pending);
    results[v] = pending;
  }

  // The rest of the document is validated again only when its text changed: its data depends on nothing else when
  // every service name is one the schema accepts and no alias after the services refers to an anchor in them.
  const restText = valid.length === pairs.length && !aliasAfter(anchors, services.range.end) ? { head: (headText ??= text.slice(0, headEnd)), tail: text.slice(services.range.end) } : undefined;
  const keptRest = restText && cache.rest && cache.rest.head === restText.head && cache.rest.tail === restText.tail ? cache.rest.errors : undefined;
  let rest: readonly SchemaError[] | undefined;
  if (keptRest) {
    // The services alone (the validator checks each top-level key on its own): every error is a service's.
    const errors = pendingByKey ? schemaErrors({ services: servicesData }) : null;
    if (!errors || errors.every((error) => ownerOf(error.instancePath, pendingByKey!))) {
      for (const error of errors ?? NOTHING) (ownerOf(error.instancePath, pendingByKey!)!.errors ??= []).push(error);
      rest = keptRest;
    }
  }
  if (!rest) {
    const errors = schemaErrors(treeToData(root, 0, { node: services, data: servicesData })) ?? NOTHING;
    const own: SchemaError[] = [];
    for (const error of errors) {
      const pending = pendingByKey && ownerOf(error.instancePath, pendingByKey);
      if (pending) (pending.errors ??= []).push(error);
      else own.push(error);
    }
    rest = own.length === errors.length ? errors : own;
    cache.rest = restText ? { ...restText, errors: rest } : undefined;
  }
  if (pendingByKey) {
    for (const pending of pendingByKey.values()) {
      if (pending.written !== undefined) cache.set(pending.written, { name: pending.name, column: pending.column, head: pending.head, errors: pending.errors });
      resultsByNode.set(pending.value, { name: pending.name, errors: pending.errors });
    }
  }

  let joined: SchemaError[] | undefined;
  let failing: Set<string> | undefined;
  for (let v = 0; v < valid.length; v++) {
    const result = results[v]!;
    const errors = result !== null && 'value' in result ? result.errors : result;
    if (!errors) continue;
    for (const error of errors) (joined ??= []).push(error);
    (failing ??= new Set()).add(valid[v]!);
  }
  // Messages read the values at the errors' paths only: the other services are left out.
  const data = () => {
    const withErrors: Record<string, unknown> = {};
    for (const name in indexOf) if (failing?.has(name) || !SERVICE_NAME.test(name)) defineKey(withErrors, name, treeToData(pairs[indexOf[name]!]!.value, 2));
    return treeToData(root, 0, { node: services, data: withErrors });
  };
  if (!joined) return { errors: rest, data };
  let at = rest.findIndex((error) => AFTER_SERVICES.has(topKey(error.instancePath)));
  if (at === -1) at = rest.length;
  return { errors: [...rest.slice(0, at), ...joined, ...rest.slice(at)], data };
}

/** The services' names in the order the validator visits them, and where each is among the pairs. */
export interface ServiceOrder {
  /** The pairs' keys as last read (a `!reset` value's key as null). */
  keys: (string | null)[];
  /** Pair index per name (the last pair of a name is the only one: a name written twice is not handled here). */
  indexOf: Record<string, number>;
  /** Names the schema accepts, in the data's key order (integer-like names first), which the validator follows. */
  valid: string[];
  /** Names it rejects, in that order. */
  rejected: string[];
}

/** The order of the services, reused from the last version when its names are the same (after a keystroke they are). */
function serviceOrder(cache: ServiceSchemaCache, pairs: readonly ComposePair[]): ServiceOrder | undefined {
  const last = cache.order;
  if (last && last.keys.length === pairs.length) {
    let same = true;
    for (let i = 0; i < pairs.length && same; i++) same = last.keys[i] === (pairs[i]!.value.tag === '!reset' ? null : pairs[i]!.key);
    if (same) return last;
  }
  const keys: (string | null)[] = new Array(pairs.length);
  const indexOf: Record<string, number> = Object.create(null);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    keys[i] = pair.value.tag === '!reset' ? null : pair.key;
    if (pair.value.tag === '!reset') continue;
    if (indexOf[pair.key] !== undefined) return undefined;
    indexOf[pair.key] = i;
  }
  const valid: string[] = [];
  const rejected: string[] = [];
  for (const name in indexOf) (SERVICE_NAME.test(name) ? valid : rejected).push(name);
  return (cache.order = { keys, indexOf, valid, rejected });
}

/** Whether an alias is written at or after `offset`. */
function aliasAfter(marks: readonly AnchorMark[], offset: number): boolean {
  for (let i = firstMarkAt(marks, offset); i < marks.length; i++) if (marks[i]!.kind === 'alias') return true;
  return false;
}

/** The service validated in this call that an error is on (its path is under `/services/<name>`), if any. */
function ownerOf(instancePath: string, pendingByKey: ReadonlyMap<string, Pending>): Pending | undefined {
  if (!instancePath.startsWith('/services/')) return undefined;
  const end = instancePath.indexOf('/', 10);
  return pendingByKey.get(instancePath.slice(10, end === -1 ? instancePath.length : end));
}
