import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { analyzeCompose, COMPOSE_CHECKS, memoryHost, parseComposeFile, type ComposeNode } from '../../server/src/compose';
import { fastReadYaml } from '../../server/src/compose/yaml/fastReader';
import { libraryReadYaml } from '../../server/src/compose/yaml/libraryReader';
import { copyUpTo, fuzzIterations, fuzzSeed, insertCodeUnitBelow, insertOneOf, mutator, pick as choose, prng, randomText, removeUpTo, type Random } from '../support/fuzz';

// Seeded, so a failure names an input that reproduces. BERTH_FUZZ_ITERATIONS
// runs longer; npm test runs 6,000 mutated compose files plus 1,500 arbitrary
// YAML texts.
const ITERATIONS = fuzzIterations(6_000);
const SEED = fuzzSeed(0xc0de5);

const FRAGMENTS = [
  '\n', '  ', ' ', '\t', ':', ': ', '- ', '-', '#', ' # c', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '&b ', '*b', '<<: ', '<<: *a', '!reset ', '!override ', '!!str ',
  '|', '>', '|-', '>+', '---\n', '...\n', '? ', '%YAML 1.2\n', '$', '${', '}', '${VAR', '${VAR:-x}', '${VAR:?needed}', '$$', '\r\n', '\\', '\u00e9', '\ud83d\ude00', '\u0000', '\ufeff',
  'services:\n', '  web:\n', '    image: nginx\n', '    ports: ["8080:80"]\n', '    depends_on: [db]\n', '    build: .\n', '    extends: base\n', 'volumes:\n  data:\n', 'networks: {front: {}}\n',
  'include:\n  - other.yaml\n', '    env_file: .env\n', 'version: "3"\n',
];

const CORPUS = [
  ...COMPOSE_CHECKS.flatMap((check) => [...check.examples.fire, ...check.examples.pass]).flatMap((example) => (typeof example === 'string' ? [example] : Object.values(example.files))),
  `x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: json-file
    options: { max-size: "10m" }
services:
  web:
    <<: *defaults
    image: "nginx:\${TAG:-1.27}"
    ports:
      - "8080:80"
      - target: 443
        published: 8443
    command: >
      nginx -g 'daemon off;'
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
  db:
    <<: [*defaults]
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD=secret
    volumes: [pgdata:/var/lib/postgresql/data]
volumes:
  pgdata: {}
---
services:
  web:
    ports: !override ["9090:80"]
    labels: !reset []
`,
];

const mutate = mutator(5, [
  [0.45, insertOneOf(FRAGMENTS)],
  [0.7, removeUpTo(6)],
  [0.9, copyUpTo(40)],
  [1, insertCodeUnitBelow(0x3000)],
]);

/** YAML built from random structure: nesting, flow, scalars of every style. */
function arbitraryYaml(random: Random): string {
  const pick = <T>(list: readonly T[]): T => choose(random, list);
  const scalar = () => pick(['a', 'b c', '"q"', "'s'", '1', '-2.5', 'true', 'null', '~', '', '"${X:-y}"', 'http://x', '0x1F', '.inf', 'a: b', '- x', '"\\t\\u0041"', '|\n  lit', '>-\n  fold\n  ed', '[]', '{}', '*z', '&z v']);
  const block = (depth: number, indent: string): string => {
    if (depth > 3 || random() < 0.3) return ' ' + scalar() + '\n';
    if (random() < 0.5) {
      let out = '\n';
      const n = 1 + Math.floor(random() * 3);
      for (let i = 0; i < n; i++) out += `${indent}${pick(['k', 'key', '"q k"', '<<', 'k'])}:${block(depth + 1, indent + pick(['  ', '   ', ' ']))}`;
      return out;
    }
    if (random() < 0.5) {
      let out = '\n';
      const n = 1 + Math.floor(random() * 3);
      for (let i = 0; i < n; i++) out += `${indent}-${block(depth + 1, indent + '  ')}`;
      return out;
    }
    return ` [${scalar()}, {${pick(['a', 'b'])}: ${scalar()}}]\n`;
  };
  return `root:${block(0, pick(['  ', ' ', '    ']))}${random() < 0.2 ? '---\nsecond: 1\n' : ''}`;
}

function checkRanges(node: ComposeNode | undefined, length: number, seen = new Set<ComposeNode>()): string | undefined {
  if (!node || seen.has(node)) return undefined;
  seen.add(node);
  const { start, end } = node.range;
  if (!(start >= 0 && start <= end && end <= length)) return `node range ${start}-${end} outside 0-${length}`;
  if (node.kind === 'map') {
    for (const pair of node.pairs) {
      if (!(pair.keyRange.start >= 0 && pair.keyRange.start <= pair.keyRange.end && pair.keyRange.end <= length)) return `key range ${pair.keyRange.start}-${pair.keyRange.end} outside 0-${length}`;
      const inner = checkRanges(pair.value, length, seen);
      if (inner) return inner;
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      const inner = checkRanges(item, length, seen);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** What both readers must agree on: the trees (ranges included) and the problems found while building them. */
function comparable(roots: (ComposeNode | undefined)[]): unknown {
  return JSON.parse(JSON.stringify(roots, (key, value) => (key === 'index' ? undefined : typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)));
}

function assertInput(text: string, label: string): void {
  let fast;
  try {
    fast = fastReadYaml(text, 'f.yaml');
  } catch (error) {
    assert.fail(`the fast reader threw on ${label} ${JSON.stringify(text)}: ${(error as Error).stack}`);
  }
  if (fast) {
    const library = libraryReadYaml(text, 'f.yaml');
    if (library.syntax.length > 0) assert.fail(`the fast reader accepted ${label} but the yaml package reports ${JSON.stringify(library.syntax)}: ${JSON.stringify(text)}`);
    if (!isDeepStrictEqual(comparable(fast.roots), comparable(library.roots))) {
      assert.fail(`the readers disagree on ${label} ${JSON.stringify(text)}:\nfast ${JSON.stringify(comparable(fast.roots))}\nyaml ${JSON.stringify(comparable(library.roots))}`);
    }
    if (!isDeepStrictEqual(fast.problems.map((p) => [p.code, p.range, p.message]).sort(), library.problems.map((p) => [p.code, p.range, p.message]).sort())) {
      assert.fail(`the readers report different problems on ${label} ${JSON.stringify(text)}: ${JSON.stringify(fast.problems)} vs ${JSON.stringify(library.problems)}`);
    }
  }
  const parsed = parseComposeFile(text, 'f.yaml');
  for (const document of parsed.documents) {
    const bad = checkRanges(document.root, text.length);
    if (bad) assert.fail(`${bad} in ${label} ${JSON.stringify(text)}`);
  }
  for (const problem of parsed.problems) {
    if (!(problem.range.start >= 0 && problem.range.start <= problem.range.end && problem.range.end <= text.length)) assert.fail(`problem ${problem.message} at ${problem.range.start}-${problem.range.end} outside ${label}`);
  }
}

describe('compose parsing and checks under random input', () => {
  it(`never throw, keep ranges in bounds, and the fast reader agrees with the yaml package on ${ITERATIONS.toLocaleString('en')} mutated compose files (seed ${SEED})`, () => {
    const random = prng(SEED);
    let fastAccepted = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      let text = choose(random, CORPUS);
      if (random() < 0.3) text += choose(random, CORPUS);
      text = mutate(random, text);
      assertInput(text, `input #${i}`);
      if (fastReadYaml(text)) fastAccepted++;
      // The whole pipeline, with a second file and an .env that may be broken too.
      const files: Record<string, string> = { '/p/compose.yaml': text, '/p/base.yaml': CORPUS[i % CORPUS.length]!, '/p/.env': random() < 0.5 ? 'TAG=1\nX="unterminated\n' : 'A=${B:-c}\n' };
      if (random() < 0.3) files['/p/compose.override.yaml'] = mutate(random, choose(random, CORPUS));
      const result = analyzeCompose({ files: Object.keys(files).filter((path) => path.includes('compose')), host: memoryHost(files), environment: { VAR: 'v' } });
      if (result.failures.length > 0) assert.fail(`${result.failures[0]!.code} threw on input #${i} ${JSON.stringify(text)}: ${(result.failures[0]!.error as Error)?.stack}`);
      for (const finding of result.findings) {
        const length = files[finding.file]?.length;
        assert.ok(length !== undefined, `${finding.code} reported in unknown file ${finding.file}`);
        if (!(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= length)) assert.fail(`${finding.code} reported ${finding.range.start}-${finding.range.end} outside ${finding.file} for input #${i}: ${JSON.stringify(text)}`);
      }
    }
    // The comparison means something only if the fast reader takes a good share of the inputs.
    assert.ok(fastAccepted > ITERATIONS / 10, `the fast reader accepted only ${fastAccepted} inputs`);
  });

  it('read arbitrary YAML structures the same way with both readers', () => {
    const random = prng(SEED ^ 0x5a5a);
    for (let i = 0; i < Math.max(1_500, ITERATIONS / 4); i++) assertInput(arbitraryYaml(random), `structure #${i}`);
  });

  it('survive binary garbage and huge inputs', () => {
    const random = prng(SEED + 1);
    for (let i = 0; i < 200; i++) assertInput(randomText(random, 400, (next) => Math.floor(next() * 0x10000)), `garbage #${i}`);
    assertInput('a: ' + 'x'.repeat(2_000_000) + '\n', 'a 2 MB scalar');
    assertInput('- '.repeat(5_000) + 'x\n', '5,000 nested sequences');
    assertInput('['.repeat(3_000) + ']'.repeat(3_000), '3,000 nested flow sequences');
    // Billion laughs: expansion is capped and reported.
    const laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + Array.from({ length: 9 }, (_, k) => `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(9).fill(`*${String.fromCharCode(97 + k)}`).join(',')}]`).join('\n') + '\n';
    const parsed = parseComposeFile(laughs);
    assert.ok(parsed.problems.some((problem) => problem.message.startsWith('Too many aliases')));
  });
});
