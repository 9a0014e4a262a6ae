// Generates server/src/compose/schema/generated/ from the compose-spec JSON
// schema that the pinned devDependency `dclint` ships
// (node_modules/dclint/schemas/compose.schema.json), so the tree never holds a
// hand-edited copy and the server never compiles a schema at run time:
//
//   validate.cjs    ajv's standalone validator (needs only ajv's small runtime
//                   helpers, e.g. ajv/dist/runtime/equal), plus `schemaFacts`
//                   (the schema without its metadata, for messages, completion
//                   and hover) and `schemaSource` (package, version, checksum).
//   validate.d.cts  its types.
//
// Regenerated only when missing or when its inputs change: the schema's bytes,
// dclint's and ajv's versions, and this script. Run by the build and the tests;
// `node scripts/compose-schema.mjs [--force]` runs it by hand.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'server/src/compose/schema/generated');
const require = createRequire(join(root, 'package.json'));

const SCHEMA_PACKAGE = 'dclint';
const SCHEMA_FILE = 'schemas/compose.schema.json';

/** Keywords kept in the facts: those that describe shape or document a key. */
const FACT_KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'description', 'deprecated', 'default',
  'properties', 'patternProperties', 'additionalProperties', 'required', 'items',
  'oneOf', 'anyOf', 'allOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'pattern', 'format', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties',
]);

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function readInputs() {
  const packageDir = dirname(require.resolve(`${SCHEMA_PACKAGE}/package.json`));
  const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const schemaText = readFileSync(join(packageDir, SCHEMA_FILE), 'utf8');
  const ajvVersion = JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')).version;
  const scriptText = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const stamp = sha256([packageJson.version, sha256(schemaText), ajvVersion, sha256(scriptText)].join('\n')).slice(0, 32);
  return { packageVersion: packageJson.version, schemaText, ajvVersion, stamp };
}

/** The schema as ajv 8 reads it: draft-07's meta-schema URI in its canonical form. */
function normalizeSchema(schema) {
  const copy = structuredClone(schema);
  if (/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/.test(copy.$schema ?? '')) copy.$schema = 'http://json-schema.org/draft-07/schema#';
  return copy;
}

/** Drops metadata, keeps structure (so an ajv schemaPath walks the facts as it walks the schema). */
function toFacts(node) {
  if (Array.isArray(node)) return node.map(toFacts);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!FACT_KEYWORDS.has(key)) continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, toFacts(child)]));
    } else if (key === 'enum' || key === 'const' || key === 'default' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = toFacts(value);
    }
  }
  return out;
}

function generate({ packageVersion, schemaText, ajvVersion, stamp }) {
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const raw = JSON.parse(schemaText);
  const schema = normalizeSchema(raw);
  const ajv = new Ajv({
    allErrors: true,
    messages: false,
    allowUnionTypes: true,
    // Unknown keywords still fail; compose-spec's schema relies on keywords without a local `type`.
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    // Each definition its own function: a third smaller, and about twice as fast on
    // large files as inlining them into one huge function per $ref site.
    inlineRefs: false,
    code: { source: true, esm: false, lines: false, optimize: true },
  });
  ajv.addSchema(schema);
  const code = standaloneCode(ajv, { validate: schema.$id });

  const facts = { root: toFacts({ ...schema, definitions: undefined }), definitions: {} };
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) facts.definitions[name] = toFacts(definition);

  const source = {
    package: SCHEMA_PACKAGE,
    packageVersion,
    file: SCHEMA_FILE,
    sha256: sha256(schemaText),
    id: raw.$id ?? null,
    draft: raw.$schema ?? null,
    title: raw.title ?? null,
    // compose-spec's schema carries no version or date of its own; these tell
    // which generation of the spec it is.
    specVersion: typeof raw.version === 'string' ? raw.version : null,
    topLevelKeys: Object.keys(raw.properties ?? {}),
    generator: `ajv ${ajvVersion} standalone`,
  };

  const { code: sharedCode, shared, dropped } = shareSchemaConstants(code, facts);
  const validatorCode = positionalArguments(sharedCode);

  const banner = [
    `// berth-compose-schema ${stamp}`,
    `// Generated by scripts/compose-schema.mjs from ${SCHEMA_PACKAGE}@${packageVersion}/${SCHEMA_FILE}. Do not edit.`,
  ].join('\n');
  const js = [
    banner,
    `// ${shared} of ajv's schema constants point into schemaFacts instead of repeating it; ${dropped} unused ones are left out.`,
    '"use strict";',
    `exports.schemaFacts = ${JSON.stringify(facts)};`,
    `exports.schemaSource = ${JSON.stringify(source)};`,
    validatorCode,
    '',
  ].join('\n');
  const dts = `${banner}
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}
export interface GeneratedValidate {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
/** A schema node without metadata; the same keys as in the schema. */
export interface SchemaFactNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  deprecated?: boolean;
  default?: unknown;
  properties?: Record<string, SchemaFactNode>;
  patternProperties?: Record<string, SchemaFactNode>;
  additionalProperties?: boolean | SchemaFactNode;
  required?: string[];
  items?: SchemaFactNode | SchemaFactNode[];
  oneOf?: SchemaFactNode[];
  anyOf?: SchemaFactNode[];
  allOf?: SchemaFactNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
}
export interface SchemaFacts {
  root: SchemaFactNode;
  definitions: Record<string, SchemaFactNode>;
}
export interface SchemaSource {
  package: string;
  packageVersion: string;
  file: string;
  sha256: string;
  id: string | null;
  draft: string | null;
  title: string | null;
  specVersion: string | null;
  topLevelKeys: string[];
  generator: string;
}
export declare const validate: GeneratedValidate;
export declare const schemaFacts: SchemaFacts;
export declare const schemaSource: SchemaSource;
`;
  return { js, dts };
}

/** End index (exclusive) of the JSON value that starts at `start` in `text`. */
function jsonEnd(text, start) {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function accessPaths(code, name) {
  const paths = [];
  const usage = new RegExp(`\\b${name}\\b((?:\\.[A-Za-z_$][\\w$]*|\\[\\d+\\]|\\["(?:[^"\\\\]|\\\\.)*"\\])*)`, 'g');
  for (const match of code.matchAll(usage)) {
    if (code.slice(match.index - 6, match.index) === 'const ') continue;
    const segments = [];
    for (const part of match[1].matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
      segments.push(part[1] ?? (part[2] !== undefined ? Number(part[2]) : JSON.parse(part[3])));
    }
    paths.push(segments);
  }
  return paths;
}

function valueAt(value, segments) {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * ajv's standalone code repeats, as constants, the parts of the schema that its
 * error params name (and some it never reads, which are dropped). Each constant whose every use reads the same value from a
 * node of schemaFacts is replaced by a reference to that node (checked here,
 * value by value, so the validator cannot change); the others stay as they are.
 */
function shareSchemaConstants(code, facts) {
  const candidates = [['exports.schemaFacts.root', facts.root], ...Object.entries(facts.definitions).map(([name, node]) => [`exports.schemaFacts.definitions[${JSON.stringify(name)}]`, node])];
  let out = code.replace(/^"use strict";/, '');
  let shared = 0;
  let dropped = 0;
  for (const match of [...out.matchAll(/const (schema\d+) = (?=\{)/g)].reverse()) {
    const start = match.index + match[0].length;
    const end = jsonEnd(out, start);
    if (end === -1) continue;
    let constant;
    try {
      constant = JSON.parse(out.slice(start, end));
    } catch {
      continue;
    }
    const uses = accessPaths(out, match[1]);
    if (uses.length === 0 && out[end] === ';') {
      // Never read (ajv keeps the constants of inlined definitions).
      out = `${out.slice(0, match.index)}${out.slice(end + 1)}`;
      dropped++;
      continue;
    }
    if (uses.some((segments) => segments.length === 0)) continue;
    const target = candidates.find(([, node]) =>
      uses.every((segments) => {
        const expected = valueAt(constant, segments);
        return expected !== undefined && JSON.stringify(valueAt(node, segments)) === JSON.stringify(expected);
      }),
    );
    if (!target) continue;
    out = `${out.slice(0, start)}${target[0]}${out.slice(end)}`;
    shared++;
  }
  return { code: out, shared, dropped };
}

/**
 * ajv's standalone functions take their place in the data as an options
 * object (\`validate7(data, {instancePath, parentData, parentDataProperty,
 * rootData})\`), built and destructured at every nested call, and escape each
 * key of a mapping with two regular-expression replaces: on a large file that
 * is most of what the validator allocates. Here each function takes those as
 * plain arguments instead, in the same order, with the same defaults (so the
 * entry point is called as before, with the data alone), and a key is escaped
 * only when it has a character to escape. The errors are the same values;
 * anything not in the expected shape fails the build rather than pass unchanged.
 */
function positionalArguments(code) {
  const ESCAPE = 'escapePointerKey';
  if (code.includes(ESCAPE)) throw new Error(`compose schema: ${ESCAPE} is already used in ajv's code`);
  let out = code.replace(/\b([A-Za-z_$][\w$]*)\.replace\(\/~\/g, "~0"\)\.replace\(\/\\\/\/g, "~1"\)/g, `${ESCAPE}($1)`);
  let signatures = 0;
  out = out.replace(/function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g, (_, name) => {
    signatures++;
    return `function ${name}(data, instancePath="", parentData, parentDataProperty, rootData=data){`;
  });
  let calls = 0;
  // What must not be left: an options object passed or taken, a key escaped by replaces.
  const LEFT = /\{instancePath(?::[^,{}]+)?,parentData|\{instancePath=""|\.replace\(\/~/;
  out = out.replace(/(\bvalidate\d+\([^,(){}]+(?:\[[^\]]*\])?), \{instancePath(?::([^,{}]+))?,parentData(?::([^,{}]+))?,parentDataProperty(?::([^,{}]+))?,rootData\}\)/g, (_, head, path, parent, property) => {
    calls++;
    return `${head}, ${path ?? 'instancePath'}, ${parent ?? 'parentData'}, ${property ?? 'parentDataProperty'}, rootData)`;
  });
  if (signatures === 0 || calls === 0 || LEFT.test(out.replace(/function validate\d+\(data, instancePath="", /g, ''))) {
    const left = new RegExp(`.{0,80}(?:${LEFT.source}).{0,80}`).exec(out.replace(/function validate\d+\(data, instancePath="", /g, ''));
    throw new Error(`compose schema: ajv's standalone code is not in the shape positionalArguments expects (${signatures} functions, ${calls} calls; left: ${left?.[0]})`);
  }
  return `const ${ESCAPE} = (key) => (key.includes("~") || key.includes("/") ? key.replace(/~/g, "~0").replace(/\\//g, "~1") : key);${out}`;
}

function firstLine(path) {
  try {
    const text = readFileSync(path, 'utf8');
    return text.slice(0, text.indexOf('\n'));
  } catch {
    return '';
  }
}

function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * Writes the generated module when it is missing or stale. Returns true when it
 * wrote. Synchronous, so build and test scripts can call it before anything else.
 */
export function writeComposeSchema({ force = false } = {}) {
  const inputs = readInputs();
  const jsPath = join(outDir, 'validate.cjs');
  const dtsPath = join(outDir, 'validate.d.cts');
  const expected = `// berth-compose-schema ${inputs.stamp}`;
  if (!force && firstLine(jsPath) === expected && firstLine(dtsPath) === expected && existsSync(join(outDir, '.gitignore'))) return false;
  const { js, dts } = generate(inputs);
  mkdirSync(outDir, { recursive: true });
  // The folder keeps itself out of git, whatever the root .gitignore says.
  writeFileSync(join(outDir, '.gitignore'), '# Generated by scripts/compose-schema.mjs\n*\n');
  writeAtomically(dtsPath, dts);
  writeAtomically(jsPath, js);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wrote = writeComposeSchema({ force: process.argv.includes('--force') });
  console.log(wrote ? 'compose schema: generated server/src/compose/schema/generated/' : 'compose schema: up to date');
}
