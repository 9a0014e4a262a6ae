import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFile } from '../../server/src/compose';
import { ServiceSchemaCache } from '../../server/src/compose/schema/perService';
import { validateComposeTreeOrThrow } from '../../server/src/compose/schema/tree';
import { generateCompose, generateProject } from '../bench/composeProjects';
import { fuzzIterations, fuzzSeed, pick, prng, type Random } from '../support/fuzz';

const ITERATIONS = fuzzIterations(40);
const SEED = fuzzSeed(0x5e541ce);

/** Findings of every document of `text`: whole documents, or service by service with `cache`. */
function findings(text: string, cache?: ServiceSchemaCache) {
  const parsed = parseComposeFile(text, '/w/compose.yaml');
  cache?.nextVersion();
  const perService = cache && parsed.reader === 'fast' ? { cache, anchors: parsed.anchors } : undefined;
  return parsed.documents.flatMap((document) => validateComposeTreeOrThrow(document.root, text, perService));
}

const LINES = ['    imgae: nginx', '    restart: sometimes', '    ports: 80', '    <<: *a', '    image: *a', '    x-note: 1', '  extra:', '  "0":', '  bad name:', '    cpus: [1]', '    healthcheck: {retries: many}', '    command: |+', '      run', '', '#', 'x-a: &a', '  image: 5', '---'];

/** One edit that mostly keeps the YAML readable: a line copied, removed or inserted, or a few characters changed. */
function edit(random: Random, text: string): string {
  const lines = text.split('\n');
  const at = Math.floor(random() * lines.length);
  const choice = random();
  if (choice < 0.25) lines.splice(at, 0, lines[Math.floor(random() * lines.length)]!);
  else if (choice < 0.45) lines.splice(at, 1);
  else if (choice < 0.8) lines.splice(at, 0, pick(random, LINES));
  else {
    const line = lines[at]!;
    const cut = Math.floor(random() * (line.length + 1));
    lines[at] = line.slice(0, cut) + pick(random, ['x', '1', ' ', ': ', '"', '-', '&a ', '*a', '!reset ']) + line.slice(cut + Math.floor(random() * 3));
  }
  return lines.join('\n');
}

describe('compose schema, one service at a time', () => {
  it('finds exactly what validating whole documents finds, version after version (seeded)', () => {
    const random = prng(SEED);
    const bases = [generateCompose(8, { errors: 3 }), generateProject(8).files['/bench/compose.yaml']!, 'x-a: &a\n  restart: always\nservices:\n  web:\n    <<: *a\n    image: nginx\n  db:\n    image: postgres\n'];
    let compared = 0;
    let withFindings = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const cache = new ServiceSchemaCache();
      let text = bases[i % bases.length]!;
      for (let version = 0; version < 8; version++) {
        text = edit(random, text);
        const expected = findings(text);
        assert.deepEqual(findings(text, cache), expected, `seed ${SEED}, iteration ${i}, version ${version}: ${JSON.stringify(text)}`);
        compared++;
        if (expected.length > 0) withFindings++;
      }
    }
    assert.ok(withFindings > compared / 4 && withFindings < compared, `${withFindings} of ${compared} versions had findings`);
  });

  it('keeps each service whose text did not change, and only those', () => {
    const cache = new ServiceSchemaCache();
    const text = generateCompose(20, { errors: 2 });
    const first = findings(text, cache);
    assert.ok(first.length > 0);
    assert.equal(cache.size, 20);
    const edited = text.replace('image: registry.example.com/team/svc1:1.1.0', 'imgae: registry.example.com/team/svc1:1.1.0');
    const second = findings(edited, cache);
    assert.deepEqual(second, findings(edited));
    assert.equal(second.length, first.length + 1);
    assert.ok(second.some((finding) => finding.message === 'services.svc1: unknown key "imgae" — did you mean "image"?'));
  });

  it('validates again a service whose text is the same but whose anchor changed', () => {
    const cache = new ServiceSchemaCache();
    const before = 'x-a: &a\n  image: nginx\nservices:\n  web:\n    <<: *a\n  db:\n    image: postgres\n';
    assert.deepEqual(findings(before, cache), []);
    const after = before.replace('  image: nginx', '  imgae: nginx');
    const found = findings(after, cache).map((finding) => finding.message);
    assert.deepEqual(found, findings(after).map((finding) => finding.message));
    assert.ok(found.some((message) => message.startsWith('services.web: unknown key "imgae"')), found.join('\n'));
  });

  it('reports names the schema rejects and keeps the order of the other sections', () => {
    const text = 'services:\n  "bad name": {image: a}\n  "1": {imgae: a}\n  web: {image: 5}\nnetworks:\n  n: {driver: 1}\nvolumes: 3\nfoo: 1\n';
    const cache = new ServiceSchemaCache();
    assert.deepEqual(findings(text, cache), findings(text));
    assert.deepEqual(findings(text, cache), findings(text));
    assert.equal(findings(text).length, 6);
  });
});
