import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFile, type ComposeNode, type ParsedComposeFile } from '../../server/src/compose';
import { canReparseFrom } from '../../server/src/compose/parse';
import { generateCompose, generateProject } from '../bench/composeProjects';
import { copyUpTo, fuzzIterations, fuzzSeed, insertOneOf, mutator, pick, prng, removeUpTo, type Random } from '../support/fuzz';

const ITERATIONS = fuzzIterations(20);
const SEED = fuzzSeed(0x1c4e);
const FILE = '/w/compose.yaml';

/** A parse as plain data (the lookup index a mapping builds on demand left out). */
function plain(parsed: ParsedComposeFile): string {
  return JSON.stringify({ documents: parsed.documents, problems: parsed.problems, anchors: parsed.anchors, reader: parsed.reader, text: parsed.text, file: parsed.file }, (key, value) => (key === 'index' ? undefined : value));
}

const BASES = [
  generateProject(12).files['/bench/compose.yaml']!,
  generateCompose(8, { errors: 2 }),
  'x-a: &a\n  restart: always\nservices:\n  web: &web\n    <<: *a\n    image: nginx\n    environment:\n      A: "1"\n      B: ${B:-2}\n  db:\n    <<: *web\n    command: |\n      run\n      it\n  cache: *web\n  other:\n    image: redis   # comment\n\n# trailing\nvolumes:\n  data:\n  logs: {}\n',
  '# head\nservices:\n  a:\n    image: x\n    ports:\n      - "80:80"\n      - target: 1\n  b:\n    build: .\n    labels: [x, y]\n  c:\n    image: &img z\n  d:\n    image: *img\nnetworks:\n  n1:\n  n2:\n    driver: bridge\n',
];

const LINES = ['    imgae: nginx', '    restart: sometimes', '  extra:', '    image: y', '  "0":', '    <<: *a', '    image: *a', '  z: &a', '    x: 1', '#', '', '---', 'top: 1', '    command: |', '      run', '    a: [1,', '      2]', '\tx: 1'];

/** One edit as a user makes it: typing, deleting, pasting a line, copying a piece of the file. */
const typing = mutator(1, [
  [0.35, insertOneOf(['a', 'x', '1', ' ', ':', ': ', '-', '#', '"', "'", '\n', '\n  ', '&a ', '*a', '!reset ', '{', '[', '|', '$', '${X}'])],
  [0.6, removeUpTo(3)],
  [0.7, copyUpTo(60)],
  [1, (random: Random, text: string, at: number) => {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    return text.slice(0, lineStart) + pick(random, LINES) + '\n' + text.slice(lineStart);
  }],
]);

/** Read by the fast reader, without problems: what an incremental parse can start from. */
function clean(parsed: ParsedComposeFile): boolean {
  return parsed.reader === 'fast' && parsed.problems.length === 0 && parsed.documents.length === 1;
}

/** Whether some top-level value or service of `after` is the very object `before` had (the tree was reused, not rebuilt). */
function reusedNodes(before: ComposeNode | undefined, after: ComposeNode | undefined): boolean {
  if (before?.kind !== 'map' || after?.kind !== 'map') return false;
  const old = new Set<ComposeNode>();
  for (const pair of before.pairs) {
    old.add(pair.value);
    if (pair.value.kind === 'map') for (const inner of pair.value.pairs) old.add(inner.value);
  }
  return after.pairs.some((pair) => old.has(pair.value) || (pair.value.kind === 'map' && pair.value.pairs.some((inner) => old.has(inner.value))));
}

describe('compose parse after an edit', () => {
  it('gives exactly the tree of a fresh parse, edit after edit (seeded)', () => {
    const random = prng(SEED);
    let versions = 0;
    let reused = 0;
    let candidates = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      let text = BASES[i % BASES.length]!;
      let readable = text;
      let previous = parseComposeFile(text, FILE);
      for (let version = 0; version < 20; version++) {
        // Like a user fixing what they broke: back to the last version without problems.
        text = typing(random, clean(previous) ? text : readable);
        const fresh = parseComposeFile(text, FILE);
        const before = previous.documents[0]?.root;
        const beforeValues = before?.kind === 'map' ? { ...before, pairs: [...before.pairs] } : undefined;
        const next = parseComposeFile(text, FILE, previous);
        assert.equal(plain(next), plain(fresh), `seed ${SEED}, iteration ${i}, version ${version}: ${JSON.stringify(text)}`);
        versions++;
        if (clean(fresh)) readable = text;
        if (clean(fresh) && clean(previous)) candidates++;
        if (next.documents.length === 1 && reusedNodes(beforeValues, next.documents[0]!.root)) reused++;
        previous = next;
      }
    }
    // Most edits keep these files readable by the fast path, and most of those are read again in part.
    assert.ok(candidates > versions / 8 && reused > candidates / 3, `${reused} of ${versions} versions reused the previous tree (${candidates} clean after clean)`);
  });

  it('reads a 1,000-service file again after one value changes, keeping every other service', () => {
    const text = generateProject(1000).files['/bench/compose.yaml']!;
    const first = parseComposeFile(text, FILE);
    const services = (first.documents[0]!.root as Extract<ComposeNode, { kind: 'map' }>).pairs.find((pair) => pair.key === 'services')!.value as Extract<ComposeNode, { kind: 'map' }>;
    const unchanged = services.pairs[700]!.value;
    const edited = text.replace('SERVICE_NAME: svc-500\n', 'SERVICE_NAME: svc-500-b\n');
    const second = parseComposeFile(edited, FILE, first);
    assert.equal(plain(second), plain(parseComposeFile(edited, FILE)));
    const after = (second.documents[0]!.root as Extract<ComposeNode, { kind: 'map' }>).pairs.find((pair) => pair.key === 'services')!.value as Extract<ComposeNode, { kind: 'map' }>;
    assert.equal(after.pairs[700]!.value, unchanged);
    assert.equal(after.pairs[700]!.value.range.start, edited.indexOf('svc-700:\n') + 'svc-700:\n'.length + 4);
  });

  it('builds on the last readable version when the one between had a syntax error', () => {
    const text = generateProject(40).files['/bench/compose.yaml']!;
    const first = parseComposeFile(text, FILE);
    const broken = parseComposeFile(text.replace('SERVICE_NAME: svc-20\n', 'SERVICE_NAME: "svc-20\n'), FILE, first);
    assert.ok(broken.problems.some((problem) => problem.code === 'yaml-syntax'));
    assert.ok(canReparseFrom(first) && !canReparseFrom(broken));
    const fixed = text.replace('SERVICE_NAME: svc-20\n', 'SERVICE_NAME: "svc-20"\n');
    const before = first.documents[0]!.root;
    const beforeValues = before?.kind === 'map' ? { ...before, pairs: [...before.pairs] } : undefined;
    const third = parseComposeFile(fixed, FILE, first);
    assert.equal(plain(third), plain(parseComposeFile(fixed, FILE)));
    assert.ok(reusedNodes(beforeValues, third.documents[0]!.root));
    assert.ok(!canReparseFrom(first) && canReparseFrom(third));
  });

  it('never builds on a parse that was already the base of another version', () => {
    const text = BASES[2]!;
    const first = parseComposeFile(text, FILE);
    const a = text.replace('image: redis', 'image: redis:7');
    const b = text.replace('driver: bridge', 'driver: overlay').replace('image: nginx', 'image: nginx:1');
    assert.equal(plain(parseComposeFile(a, FILE, first)), plain(parseComposeFile(a, FILE)));
    assert.equal(plain(parseComposeFile(b, FILE, first)), plain(parseComposeFile(b, FILE)));
  });
});
