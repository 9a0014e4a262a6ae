/**
 * `schema` findings: a compose document checked against the compose-spec JSON
 * schema by the validator that the build generated (ajv standalone code; no
 * schema is compiled at run time), each ajv error mapped back to the YAML node
 * that caused it and worded for people.
 *
 * What is validated: the document as compose's loader sees it (see data.ts:
 * merge keys applied, `!reset` keys removed, aliases resolved), with values as
 * written, before interpolation. Compose interpolates before it validates, so
 * a string that compose will interpolate (`${VAR}`, `$VAR`; not `$${…}`) is not
 * reported where the schema wants a number or boolean (`replicas: ${N}`), nor
 * for enum, const, pattern or length rules: its value is unknown until then.
 * Keys are never interpolated, so unknown keys and missing required keys are
 * always reported.
 *
 * Ranges: the key for an unknown key; otherwise the value as written — for a
 * block mapping or sequence, the key that holds it (so a 40-line value is not
 * underlined whole), or its first line when it has no key. A value reached
 * through an alias or merge key is reported where it is written (inside the
 * anchor), once, with the other paths that share it named.
 *
 * Noise: ajv reports every branch of a failing `oneOf`/`anyOf`; the branches
 * whose type does not fit the value are dropped and the errors of the branch
 * that fits are kept (`build: {dockerfle: x}` gives one unknown-key finding),
 * and when no branch fits, one finding lists every allowed shape
 * (`expected a string or mapping, got a number`). One finding per node.
 */
import type { Document } from 'yaml';
import * as YAML from 'yaml';
import { validate as generatedValidate } from './generated/validate.cjs';
import type { SchemaError } from './generated/validate.cjs';
import { dataAt, documentToData, indexDocument, locate, MAX_EXPANDED_VALUES, nodeRange, pointerSegments } from './data';
import type { DocumentIndex, NodeLocation } from './data';
import { acceptsType, alternatives, declaredTypes, jsonType, resolveRef, schemaKeysAt, schemaNodesAt } from './facts';
import type { SchemaFactNode } from './facts';
import { andList, describeKeyPattern, describeTypes, describeValue, didYouMean, formatPath, formatValue, hasInterpolation, keyKind } from './messages';
import type { PathSegment, SchemaFinding, TextRange } from './types';

// Read once: bundled, `import { isMap } from 'yaml'` becomes a getter call on every use.
const { isMap, isScalar, isSeq } = YAML;

interface Issue {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  /** For a oneOf/anyOf that no branch fits: the shapes, in words, and the types they accept. */
  expected?: { text: string; types: string[] };
}

/** A finding being built: `detail` is the message without its path, `target` the range as a key, `missing` the keys a `required` finding names. */
type Draft = SchemaFinding & { detail: string; target: string; missing?: string[] };
const CASTABLE_TYPES = new Set(['number', 'integer', 'boolean']);

/**
 * Checks one YAML document of a compose file against the compose-spec schema.
 * `document` is from `yaml`'s parseDocument/parseAllDocuments (any options; a
 * LineCounter is not needed: ranges are offsets); `text` is the text it was
 * parsed from. An empty document gives no findings. Never throws.
 */
export function validateComposeSchema(document: Document, text: string): SchemaFinding[] {
  try {
    return check(document, text);
  } catch {
    return [];
  }
}

/** As validateComposeSchema, but an internal error propagates: for tests and fuzzing only. */
export function validateComposeSchemaOrThrow(document: Document, text: string): SchemaFinding[] {
  return check(document, text);
}

/** Raw generated-validator run on plain data: true when valid. For callers that hold data, not YAML. */
export function isValidComposeData(data: unknown): boolean {
  try {
    return generatedValidate(data) === true;
  } catch {
    return false;
  }
}

function check(document: Document, text: string): SchemaFinding[] {
  const index = indexDocument(document);
  const data = documentToData(index);
  if (data.overflow) {
    const range = nodeRange(document.contents as never) ?? { start: 0, end: 0 };
    return [
      {
        code: 'schema',
        severity: 'warning',
        range: firstLine(range, text),
        message: `top level: not checked against the compose schema: its aliases expand to more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values`,
        path: [],
        keyword: 'aliases',
      },
    ];
  }
  if (data.value === undefined) return [];
  return checkValue(data.value, yamlLocator(index, text));
}

/**
 * Where findings go, for a tree other than a yaml Document (the validator only
 * needs plain data and this). Paths are as in the data: keys and sequence indexes.
 */
export interface SchemaLocator {
  /**
   * Where to report a problem with the value at `path`: a scalar or flow
   * collection as written; for a block collection its key (or its first line);
   * for an empty value its key, or the nearest enclosing node with text.
   */
  valueRange(path: readonly PathSegment[]): TextRange;
  /** The key at the end of `path` as written (for unknown keys), if there is one. */
  keyRange(path: readonly PathSegment[]): TextRange | undefined;
  /** Whether the key (or value) at `path` is a scalar a quick fix may replace with a suggestion. */
  isScalar(path: readonly PathSegment[], part: 'key' | 'value'): boolean;
}

/**
 * Checks compose data that is already in compose's shape (merge keys applied,
 * `!reset` keys removed, values not interpolated) against the schema, placing
 * findings with `locator`. For callers with their own YAML tree. Never throws.
 */
export function validateComposeValue(data: unknown, locator: SchemaLocator): SchemaFinding[] {
  try {
    return checkValue(data, locator);
  } catch {
    return [];
  }
}

/** As validateComposeValue, but an internal error propagates: for tests and fuzzing only. */
export function validateComposeValueOrThrow(data: unknown, locator: SchemaLocator): SchemaFinding[] {
  return checkValue(data, locator);
}

function checkValue(data: unknown, locator: SchemaLocator): SchemaFinding[] {
  const errors = schemaErrors(data);
  return errors ? findingsFromErrors(errors, data, locator) : [];
}

/** The generated validator's errors on compose data in compose's shape, in its order; null when the data is valid. Throws only on internal errors. */
export function schemaErrors(data: unknown): SchemaError[] | null {
  if (generatedValidate(data)) return null;
  return generatedValidate.errors ?? [];
}

/**
 * Findings for the errors `schemaErrors` gave on `data` (or on parts of it,
 * joined in the order it would have listed them), placed with `locator`.
 */
export function findingsFromErrors(errors: readonly SchemaError[], data: unknown, locator: SchemaLocator): SchemaFinding[] {
  const issues = reduceBranches(errors, data);
  const findings: Draft[] = [];
  for (const issue of issues) {
    const finding = toFinding(issue, data, locator);
    if (finding) findings.push(finding);
  }
  return tidy(findings);
}

/** The locator of a yaml Document: merge keys and aliases followed as the data was built. */
function yamlLocator(index: DocumentIndex, text: string): SchemaLocator {
  return {
    valueRange: (path) => valueRange(index, path, text),
    keyRange: (path) => rangeOf(locate(index, path).key, text),
    isScalar: (path, part) => {
      const location = locate(index, path);
      return location.found && isScalar(part === 'key' ? location.key : location.value);
    },
  };
}

function isAtOrUnder(path: string, parent: string): boolean {
  return path === parent || (path.startsWith(parent) && path.charCodeAt(parent.length) === 47 /* / */);
}

/** The branches of the oneOf/anyOf that an error at `segments` reports. */
function branchingNode(segments: string[], data: unknown, keyword: string): SchemaFactNode[] | undefined {
  const { path } = dataAt(data, segments);
  for (const node of schemaNodesAt(path)) {
    const resolved = resolveRef(node);
    const branches = keyword === 'anyOf' ? resolved.anyOf : resolved.oneOf;
    if (branches) return branches;
  }
  return undefined;
}

/**
 * Replays ajv's error list, folding each failing oneOf/anyOf with the errors of
 * its branches (which ajv lists just before it) into the errors of the branch
 * that fits the value's type, or into one "expected …" issue.
 */
function reduceBranches(errors: readonly SchemaError[], data: unknown): Issue[] {
  const out: Issue[] = [];
  for (const error of errors) {
    const issue: Issue = { instancePath: error.instancePath, schemaPath: error.schemaPath, keyword: error.keyword, params: error.params ?? {} };
    if (issue.keyword !== 'oneOf' && issue.keyword !== 'anyOf') {
      out.push(issue);
      continue;
    }
    const at = issue.instancePath;
    let start = out.length;
    while (start > 0 && isAtOrUnder(out[start - 1]!.instancePath, at)) start--;
    const group = out.splice(start);
    const segments = pointerSegments(at);
    const value = dataAt(data, segments).value;
    const type = jsonType(value);
    const branches = branchingNode(segments, data, issue.keyword);
    if (!branches) {
      // Not expected with compose-spec's schema; keep what does not contradict the value's type.
      const kept = group.filter((item) => !(item.instancePath === at && item.keyword === 'type'));
      out.push(...(kept.length > 0 ? kept : [issue]));
      continue;
    }
    const fits = branches.map((branch) => alternatives(branch).some((shape) => acceptsType(shape, type)));
    const passing = issue.params.passingSchemas;
    if (Array.isArray(passing) && passing.length > 1) {
      // Valid for several branches: what the other branches reported is noise.
      out.push(issue);
      continue;
    }
    if (!fits.some(Boolean)) {
      out.push({ ...issue, keyword: 'type', expected: describeBranches(branches) });
      continue;
    }
    const prefix = `${issue.schemaPath}/`;
    const refBranches = branches.map((branch) => branch.$ref !== undefined);
    const kept = group.filter((item) => {
      if (item.instancePath !== at) return true;
      if (item.schemaPath.startsWith(prefix)) {
        const branch = Number(item.schemaPath.slice(prefix.length).split('/', 1)[0]);
        return fits[branch] === true;
      }
      // Through a $ref branch (ajv names the referenced schema's path instead).
      return refBranches.some((isRef, branch) => isRef && fits[branch]);
    });
    if (kept.length > 0) out.push(...kept);
    else out.push({ ...issue, keyword: 'type', expected: describeBranches(branches) });
  }
  return out;
}

/** The shapes of oneOf branches in words (`"all" or a sequence`) and every type they accept. */
function describeBranches(branches: SchemaFactNode[]): { text: string; types: string[] } {
  const words = new Set<string>();
  const values = new Set<unknown>();
  const types = new Set<string>();
  for (const shape of branches.flatMap((branch) => alternatives(branch))) {
    const declared = declaredTypes(shape);
    for (const type of declared) types.add(type);
    // A short enumeration reads better as its values; a long one as its type.
    if (shape.enum && shape.enum.length <= 8) for (const value of shape.enum) values.add(value);
    else if (shape.const !== undefined) values.add(shape.const);
    else for (const type of declared) words.add(type);
  }
  return { text: describeTypes([...words], [...values]), types: [...types] };
}

function expectedTypes(params: Record<string, unknown>): string[] {
  const type = params.type;
  if (Array.isArray(type)) return type.map(String);
  if (typeof type === 'string') return type.split(',');
  return [];
}

function toFinding(issue: Issue, data: unknown, locator: SchemaLocator): Draft | undefined {
  const segments = pointerSegments(issue.instancePath);
  const { value, path } = dataAt(data, segments);
  const interpolated = typeof value === 'string' && hasInterpolation(value);
  /** `messagePath` is named in the message; `findingPath` (default: the same) is the finding's path. */
  const make = (detail: string, messagePath: PathSegment[], range: TextRange, extra: Partial<Draft> = {}, findingPath = messagePath): Draft => ({
    code: 'schema',
    severity: 'error',
    range,
    message: `${formatPath(messagePath)}: ${detail}`,
    path: findingPath,
    keyword: issue.keyword,
    ...extra,
    detail,
    target: `${range.start}:${range.end}`,
  });

  switch (issue.keyword) {
    case 'type': {
      const types = issue.expected?.types ?? expectedTypes(issue.params);
      if (interpolated && types.some((type) => CASTABLE_TYPES.has(type))) return undefined;
      const expected = issue.expected?.text ?? describeTypes(types);
      return make(`expected ${expected}, got ${describeValue(value)}`, path, locator.valueRange(path));
    }
    case 'additionalProperties': {
      const key = String(issue.params.additionalProperty ?? '');
      const keyPath = [...path, key];
      const keyRange = locator.keyRange(keyPath);
      const range = keyRange ?? locator.valueRange(path);
      const shape = schemaKeysAt(path);
      const names = shape.keys.map((entry) => entry.name);
      const namePatterns = shape.patterns.filter((entry) => entry.pattern !== '^x-');
      if (names.length === 0 && namePatterns.length > 0) {
        const rule = describeKeyPattern(namePatterns[0]!.pattern);
        return make(`${formatValue(key)} is not a valid ${keyKind(path)}: ${rule}`, path, range, {}, keyPath);
      }
      const suggestion = didYouMean(key, names);
      const extension = shape.patterns.some((entry) => entry.pattern === '^x-');
      const detail = suggestion
        ? `unknown key ${formatValue(key)} — did you mean ${formatValue(suggestion)}?`
        : `unknown key ${formatValue(key)}${extension ? ' (custom keys must start with "x-")' : ''}`;
      const extra: Partial<Draft> = suggestion && keyRange && locator.isScalar(keyPath, 'key') ? { suggestion: { text: suggestion, range } } : {};
      return make(detail, path, range, extra, keyPath);
    }
    case 'required': {
      const missing = String(issue.params.missingProperty ?? '');
      return make(`missing required key ${formatValue(missing)}`, path, locator.valueRange(path), { missing: [missing] });
    }
    case 'enum':
    case 'const': {
      if (interpolated) return undefined;
      const allowed = issue.keyword === 'const' ? [issue.params.allowedValue] : ((issue.params.allowedValues as unknown[]) ?? []);
      const shown = allowed.slice(0, 12).map(formatValue);
      if (allowed.length > shown.length) shown.push('…');
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed.filter((item): item is string => typeof item === 'string')) : undefined;
      const range = locator.valueRange(path);
      const detail = `${allowed.length === 1 ? `expected ${shown[0]}` : `expected one of ${shown.join(', ')}`}, got ${isScalarValue(value) ? formatValue(value) : describeValue(value)}${suggestion ? ` — did you mean ${formatValue(suggestion)}?` : ''}`;
      const extra: Partial<Draft> = suggestion && locator.isScalar(path, 'value') ? { suggestion: { text: suggestion, range } } : {};
      return make(detail, path, range, extra);
    }
    case 'pattern':
    case 'format':
    case 'minLength':
    case 'maxLength': {
      if (interpolated) return undefined;
      const rule =
        issue.keyword === 'pattern'
          ? `does not match the pattern ${String(issue.params.pattern)}`
          : issue.keyword === 'format'
            ? `is not a valid ${String(issue.params.format)}`
            : `must have ${issue.keyword === 'minLength' ? 'at least' : 'at most'} ${String(issue.params.limit)} characters`;
      return make(`${formatValue(value)} ${rule}`, path, locator.valueRange(path));
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const comparison = String(issue.params.comparison ?? (issue.keyword === 'minimum' ? '>=' : '<='));
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };
      return make(`expected a number ${words[comparison] ?? comparison} ${String(issue.params.limit)}, got ${formatValue(value)}`, path, locator.valueRange(path));
    }
    case 'uniqueItems': {
      const i = Number(issue.params.i);
      const j = Number(issue.params.j);
      const later = Math.max(i, j);
      const earlier = Math.min(i, j);
      const itemPath = [...path, later];
      const item = Array.isArray(value) ? value[later] : undefined;
      return make(`${isScalarValue(item) ? formatValue(item) : 'this item'} is listed twice (also at ${formatPath([...path, earlier])}); items must be unique`, itemPath, locator.valueRange(itemPath));
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const noun = issue.keyword.endsWith('Items') ? 'items' : 'keys';
      const bound = issue.keyword.startsWith('min') ? 'at least' : 'at most';
      return make(`must have ${bound} ${String(issue.params.limit)} ${noun}`, path, locator.valueRange(path));
    }
    case 'oneOf':
    case 'anyOf':
      return make(
        Array.isArray(issue.params.passingSchemas) ? 'matches more than one of the allowed forms; make it match exactly one' : 'does not match any of the allowed forms',
        path,
        locator.valueRange(path),
      );
    default:
      return make(`does not satisfy the schema's "${issue.keyword}" rule`, path, locator.valueRange(path));
  }
}

function isScalarValue(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && value !== undefined);
}

/** Range of a node as written; undefined for a missing node or an empty (implicit null) one. */
function rangeOf(node: NodeLocation['value'], text: string): TextRange | undefined {
  const range = nodeRange(node);
  if (!range || range.end <= range.start) return undefined;
  if ((isMap(node) || isSeq(node)) && !(node as { flow?: boolean }).flow) return firstLine(range, text);
  return range;
}

/**
 * Where to report a problem with the value at `path` (see the module comment).
 * An empty value (`image:`, a bare `-`) is reported on its key, or else on the
 * nearest enclosing node that has text.
 */
function valueRange(index: DocumentIndex, path: readonly PathSegment[], text: string): TextRange {
  for (let length = path.length; length >= 0; length--) {
    const location = locate(index, path.slice(0, length));
    if (!location.found) continue;
    const value = location.value;
    const blockCollection = (isMap(value) || isSeq(value)) && !(value as { flow?: boolean }).flow;
    if (blockCollection && location.key) {
      const keyRange = rangeOf(location.key, text);
      if (keyRange) return keyRange;
    }
    const range = rangeOf(value, text) ?? rangeOf(location.key, text);
    if (range) return range;
  }
  return firstLine(nodeRange(index.document.contents as never) ?? { start: 0, end: 0 }, text);
}

/** `range` cut at the end of its first line (and never empty when there is text to cover). */
function firstLine(range: TextRange, text: string): TextRange {
  const newline = text.indexOf('\n', range.start);
  let end = newline === -1 ? range.end : Math.min(range.end, newline);
  if (end > range.start && text.charCodeAt(end - 1) === 13) end--;
  return { start: range.start, end: Math.max(end, range.start) };
}

/**
 * One finding per node: `required` findings on the same mapping joined, a
 * missing key dropped when an unknown key there is its misspelling, a type
 * finding dropped beside an enum finding for the same value, and findings of
 * one node reached through several aliases reported once.
 */
function tidy(findings: Draft[]): SchemaFinding[] {
  const suggestedAt = new Map<string, Set<string>>();
  for (const finding of findings) {
    if (finding.keyword !== 'additionalProperties' || !finding.suggestion) continue;
    const parent = formatPath(finding.path.slice(0, -1));
    suggestedAt.set(parent, (suggestedAt.get(parent) ?? new Set()).add(finding.suggestion.text));
  }
  const enumAt = new Set(findings.filter((finding) => finding.keyword === 'enum' || finding.keyword === 'const').map((finding) => formatPath(finding.path)));
  const requiredAt = new Map<string, Draft>();
  const kept: Draft[] = [];
  for (const finding of findings) {
    const at = formatPath(finding.path);
    if (finding.keyword === 'type' && enumAt.has(at)) continue;
    if (finding.keyword === 'required') {
      const missing = (finding.missing ?? []).filter((name) => !suggestedAt.get(at)?.has(name));
      if (missing.length === 0) continue;
      const existing = requiredAt.get(at);
      if (existing) {
        existing.missing!.push(...missing);
        continue;
      }
      const entry = { ...finding, missing: [...missing] };
      requiredAt.set(at, entry);
      kept.push(entry);
      continue;
    }
    kept.push(finding);
  }
  for (const entry of requiredAt.values()) {
    const names = [...new Set(entry.missing)].map(formatValue);
    entry.detail = names.length === 1 ? `missing required key ${names[0]}` : `missing required keys ${andList(names)}`;
    entry.message = `${formatPath(entry.path)}: ${entry.detail}`;
  }
  // The same written node reached through aliases: one finding, naming the other paths.
  const byNode = new Map<string, { finding: SchemaFinding & { detail: string }; others: string[] }>();
  const out: SchemaFinding[] = [];
  for (const finding of kept) {
    const key = `${finding.target}|${finding.keyword}|${finding.detail}`;
    const seen = byNode.get(key);
    if (seen) {
      const other = formatPath(finding.path);
      if (other !== formatPath(seen.finding.path) && !seen.others.includes(other)) seen.others.push(other);
      continue;
    }
    const clean: SchemaFinding & { detail: string } = { code: finding.code, severity: finding.severity, range: finding.range, message: finding.message, path: finding.path, keyword: finding.keyword, detail: finding.detail };
    if (finding.suggestion) clean.suggestion = finding.suggestion;
    byNode.set(key, { finding: clean, others: [] });
    out.push(clean);
  }
  for (const { finding, others } of byNode.values()) {
    if (others.length === 1) finding.message += ` (also at ${others[0]}, through an alias)`;
    else if (others.length > 1) finding.message += ` (also at ${others.length} other paths, through aliases)`;
    delete (finding as { detail?: string }).detail;
  }
  out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.message.localeCompare(b.message));
  return out;
}
