import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { schemaKeysAt } from '../../server/src/compose/schema';
import type { PathSegment, SchemaFinding } from '../../server/src/compose/schema';
import { validateComposeSchemaOrThrow } from '../../server/src/compose/schema/validate';
import { copyUpTo, fuzzIterations, fuzzSeed, insertCodeUnitBelow, insertOneOf, mutator, pick as choose, prng, randomText, removeUpTo, type Random } from '../support/fuzz';

// Seeded, so a failure names an input that reproduces. BERTH_FUZZ_ITERATIONS
// runs longer; npm test runs 6,000 (2,000 of each kind).
const ITERATIONS = fuzzIterations(6_000);
const SEED = fuzzSeed(0xc0e05e);

const BASES = [
  `x-base: &base
  restart: always
  logging: {driver: json-file}
services:
  web:
    <<: *base
    image: nginx:\${TAG:-1}
    build:
      context: .
      args: [A=1]
    ports: ["80:80", {target: 443, published: 8443}]
    depends_on:
      db: {condition: service_healthy}
    environment:
      A: 1
    healthcheck:
      test: [CMD, true]
  db:
    image: postgres
    volumes: [data:/var/lib/postgresql/data]
volumes:
  data: {}
`,
  `services:
  a:
    extends: {service: b, file: b.yaml}
    deploy:
      resources: {limits: {cpus: "1", memory: 1g}}
    networks: {front: {aliases: [x]}}
    secrets: [{source: s, target: t}]
networks: {front: null}
secrets: {s: {file: ./s}}
include: [a.yaml, {path: [b.yaml]}]
`,
  `name: x
services: !reset {}
x-a: &a [1, 2]
x-b: &b {c: *a}
models: {m: {model: a}}
`,
];

const FRAGMENTS = ['\n', '  ', ' ', ': ', '- ', '-', '"', "'", '[', ']', '{', '}', ',', '#', '&a ', '*a', '*base', '<<: *base\n', '<<: ', '!reset ', '!override ', '!!str ', '!!binary ', '? ', '|\n', '>-\n', '${X}', '$$', '---\n', '...\n', '%YAML 1.1\n', '\t', '\r\n', '\u0000', '\ufeff', '\u00e9', '\ud83d\ude00', '~', 'null', 'true', '0x1F', '1e309', '-.inf', '2001-12-14'];

const mutate = mutator(8, [
  [0.4, insertOneOf(FRAGMENTS)],
  [0.65, removeUpTo(12)],
  [0.85, copyUpTo(40)],
  [1, insertCodeUnitBelow(0x3000)],
]);

/** A random document shaped by the schema: keys the schema names (or misspells), values of any type. */
function schemaShaped(random: Random): string {
  const pick = <T>(items: readonly T[]): T => choose(random, items);
  const scalar = () => pick(['a', '"${X}"', '1', '-1', '1.5', 'true', 'null', '', '"80:80"', 'service_healthy', 'all', 'host', '[]', '{}', '*a', 'x y']);
  const lines: string[] = [];
  const emit = (path: PathSegment[], indent: string, depth: number) => {
    const shape = schemaKeysAt(path);
    const names = shape.keys.map((key) => key.name);
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      let name = names.length > 0 && random() < 0.8 ? pick(names) : pick(['web', 'db', 'x-ext', 'bogus', 'my app', '<<']);
      if (random() < 0.1) name = name.slice(1) + name[0];
      const choice = random();
      if (depth > 5 || choice < 0.45) lines.push(`${indent}${name}: ${scalar()}`);
      else if (choice < 0.75) {
        lines.push(`${indent}${name}:${random() < 0.1 ? ' &a' : ''}`);
        emit([...path, name], `${indent}  `, depth + 1);
      } else {
        lines.push(`${indent}${name}:`);
        const items = 1 + Math.floor(random() * 3);
        for (let item = 0; item < items; item++) {
          if (random() < 0.5) lines.push(`${indent}  - ${scalar()}`);
          else {
            const keys = schemaKeysAt([...path, name, item]).keys.map((key) => key.name);
            lines.push(`${indent}  - ${keys.length > 0 ? pick(keys) : 'k'}: ${scalar()}`);
          }
        }
      }
    }
  };
  emit([], '', 0);
  return lines.join('\n') + '\n';
}

/** Mostly printable ASCII, with any UTF-16 code unit mixed in. */
function garbage(random: Random): string {
  return randomText(random, 400, (next) => (next() < 0.7 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 0xffff)));
}

function checkAll(text: string, label: string): SchemaFinding[] {
  let documents: Document[];
  try {
    documents = parseAllDocuments(text, { lineCounter: new LineCounter() }) as unknown as Document[];
    if (!Array.isArray(documents)) documents = [];
  } catch {
    return []; // the parser's problem, not the validator's
  }
  const all: SchemaFinding[] = [];
  for (const document of documents) {
    let result: SchemaFinding[];
    try {
      result = validateComposeSchemaOrThrow(document, text);
    } catch (error) {
      assert.fail(`threw on ${label} ${JSON.stringify(text)}: ${(error as Error)?.stack ?? error}`);
    }
    for (const finding of result) {
      assert.equal(finding.code, 'schema');
      assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= text.length, `range ${JSON.stringify(finding.range)} outside the text on ${label} ${JSON.stringify(text)}`);
      assert.ok(finding.message.length > 0 && !finding.message.includes('undefined'), `message "${finding.message}" on ${label}`);
      if (finding.suggestion) assert.ok(finding.suggestion.range.end <= text.length);
    }
    all.push(...result);
  }
  return all;
}

describe('compose schema under random input', () => {
  const third = Math.ceil(ITERATIONS / 3);

  it(`never throws on ${third.toLocaleString('en')} mutated compose files (seed ${SEED})`, () => {
    const random = prng(SEED);
    let withFindings = 0;
    for (let i = 0; i < third; i++) {
      const text = mutate(random, choose(random, BASES));
      if (checkAll(text, `mutated input #${i}`).length > 0) withFindings++;
    }
    assert.ok(withFindings > third / 20, `only ${withFindings} inputs had findings: the mutations should break the schema often`);
  });

  it(`never throws on ${third.toLocaleString('en')} schema-shaped random documents (seed ${SEED + 1})`, () => {
    const random = prng(SEED + 1);
    let withFindings = 0;
    for (let i = 0; i < third; i++) if (checkAll(schemaShaped(random), `schema-shaped input #${i}`).length > 0) withFindings++;
    assert.ok(withFindings > third / 2);
  });

  it(`never throws on ${third.toLocaleString('en')} arbitrary strings (seed ${SEED + 2})`, () => {
    const random = prng(SEED + 2);
    for (let i = 0; i < third; i++) checkAll(garbage(random), `arbitrary input #${i}`);
  });

  it('deep nesting and a long file do not throw', () => {
    checkAll(`services:\n  web:\n    x-deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, 'deep flow');
    checkAll(`x-deep:\n${Array.from({ length: 1500 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')}\n`, 'deep block');
    const long = `services:\n${Array.from({ length: 3000 }, (_, i) => `  s${i}:\n    imgae: x\n`).join('')}`;
    assert.equal(checkAll(long, 'long').length, 3000);
  });
});
