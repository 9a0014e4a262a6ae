import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { memoryHost } from '../../server/src/compose';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateCompose, generateProject } from '../bench/composeProjects';
import { fuzzIterations, fuzzSeed, pick, prng, type Random } from '../support/fuzz';

const ITERATIONS = fuzzIterations(8);
const SEED = fuzzSeed(0xd1a6);
const URI = 'file:///bench/compose.yaml';

function serviceOver(files: Record<string, string>) {
  const host = memoryHost(files);
  return getLanguageService({ files: { readFile: (path) => host.readFile(path), exists: (path) => host.exists!(path) }, environment: { HOME: '/home/u', LOG_LEVEL: 'debug' } });
}

const LINES = ['    ports: ["80:80", "80:80"]', '    image: ${IMG:?set it}', '    imgae: typo', '    depends_on: [nowhere]', '    volumes: [missing:/x]', '    environment:', '      A: ${B:-x}', '      C: $${D}', '    build: ./nowhere', '    container_name: same', '  extra-${X}:', '    image: x', '    image: "unclosed', '    ports: [1'];

/** An edit as typed: a value changed, a line added or removed inside a service (some break the YAML for a while). */
function edit(random: Random, text: string): string {
  const lines = text.split('\n');
  const at = 1 + Math.floor(random() * (lines.length - 1));
  const choice = random();
  if (choice < 0.4) lines.splice(at, 0, pick(random, LINES));
  else if (choice < 0.6) lines.splice(at, 1);
  else {
    const line = lines[at]!;
    const cut = Math.floor(random() * (line.length + 1));
    lines[at] = line.slice(0, cut) + pick(random, ['x', '1', '$', '${Y}', ' ', '-k']) + line.slice(cut);
  }
  return lines.join('\n');
}

describe('compose diagnostics after an edit', () => {
  it('are those of a fresh language service, keystroke after keystroke (seeded)', () => {
    const random = prng(SEED);
    let findings = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const { files } = generateProject(10);
      if (i % 2 === 1) files['/bench/compose.yaml'] = generateCompose(8, { errors: 2 });
      const service = serviceOver(files);
      let text = files['/bench/compose.yaml']!;
      let readable = text;
      let broken = false;
      for (let version = 1; version <= 15; version++) {
        // A syntax error is fixed by the next edit, as a user does.
        text = edit(random, broken ? readable : text);
        const kept = service.validateProject(TextDocument.create(URI, 'dockercompose', version, text));
        const fresh = serviceOver({ ...files, '/bench/compose.yaml': text }).validateProject(TextDocument.create(URI, 'dockercompose', version, text));
        assert.deepEqual(kept, fresh, `seed ${SEED}, iteration ${i}, version ${version}: ${JSON.stringify(text)}`);
        findings += kept.get(URI)!.length;
        broken = kept.get(URI)!.some((diagnostic) => diagnostic.code === 'yaml-syntax');
        if (!broken) readable = text;
      }
    }
    assert.ok(findings > 0);
  });
});

describe('compose diagnostics kept per service', () => {
  const project = (dockerfile: boolean): Record<string, string> => ({
    '/p/compose.yaml': 'services:\n  web:\n    build: ./web\n    depends_on: [api]\n  api:\n    image: api\n    environment:\n      A: "1"\n  db:\n    image: db\n',
    ...(dockerfile ? { '/p/web/Dockerfile': 'FROM nginx\n' } : { '/p/web/index.html': '<p>hi</p>\n' }),
  });
  const codes = (diagnostics: { code?: number | string }[]) => diagnostics.map((diagnostic) => diagnostic.code);

  it('follow the files the checks looked at, though the service did not change', () => {
    let files = project(false);
    const host = { readFile: (path: string) => memoryHost(files).readFile(path), exists: (path: string) => memoryHost(files).exists!(path) };
    const service = getLanguageService({ files: host, environment: {} });
    const uri = 'file:///p/compose.yaml';
    const text = files['/p/compose.yaml']!;
    assert.deepEqual(codes(service.validate(TextDocument.create(uri, 'dockercompose', 1, text))), ['dockerfile-missing']);
    files = project(true);
    // Another service is edited: web's findings are kept, but only while its Dockerfile is still missing.
    assert.deepEqual(codes(service.validate(TextDocument.create(uri, 'dockercompose', 2, text.replace('A: "1"', 'A: "2"')))), []);
    files = project(false);
    assert.deepEqual(codes(service.validate(TextDocument.create(uri, 'dockercompose', 3, text.replace('A: "1"', 'A: "3"')))), ['dockerfile-missing']);
  });

  it('find a dependency cycle made by a keystroke in one service, and lose it when it is undone', () => {
    const files = project(true);
    const service = serviceOver(files);
    const uri = 'file:///p/compose.yaml';
    const text = files['/p/compose.yaml']!;
    const versions = [text, text.replace('    image: api\n', '    image: api\n    depends_on: [web]\n'), text.replace('    image: api\n', '    image: api\n    depends_on: [wed]\n'), text];
    const seen = versions.map((version, index) => codes(service.validate(TextDocument.create(uri, 'dockercompose', index + 1, version))));
    assert.deepEqual(seen, [[], ['dependency-cycle'], ['undefined-service'], []]);
  });
});
