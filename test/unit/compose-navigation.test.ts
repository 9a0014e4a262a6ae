import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Position } from 'vscode-languageserver-types';
import { parseComposeFile } from '../../server/src/compose';
import { fastReadYaml } from '../../server/src/compose/yaml/fastReader';
import { libraryReadYaml } from '../../server/src/compose/yaml/libraryReader';
import { getLanguageService } from '../../server/src/service/languageService';

/** A project in memory: paths under /p, the first one opened in the editor. */
function workspace(files: Record<string, string>) {
  const all = new Map(Object.entries(files).map(([name, text]) => [`/p/${name}`, text]));
  const service = getLanguageService({
    files: {
      readFile: (path) => all.get(path),
      exists: (path) => all.has(path) || [...all.keys()].some((file) => file.startsWith(path.replace(/\/?$/, '/'))),
    },
  });
  const open = (name: string) => TextDocument.create(`file:///p/${name}`, 'dockercompose', 1, all.get(`/p/${name}`)!);
  /** The position of the `nth` occurrence of `needle` in a file, `offset` characters in. */
  const at = (name: string, needle: string, nth = 0, offset = 1): { document: TextDocument; position: Position } => {
    const document = open(name);
    const text = document.getText();
    let index = -1;
    for (let i = 0; i <= nth; i++) {
      index = text.indexOf(needle, index + 1);
      assert.ok(index >= 0, `"${needle}" #${nth} in ${name}`);
    }
    return { document, position: document.positionAt(index + offset) };
  };
  /** `file:line:text` for each location, as a person would read them. */
  const show = (locations: Location[]) =>
    locations.map((location) => {
      const name = location.uri.replace('file:///p/', '');
      const document = TextDocument.create(location.uri, 'dockercompose', 1, all.get(`/p/${name}`)!);
      return `${name}:${location.range.start.line + 1}:${document.getText(location.range)}`;
    });
  return { service, at, show, open };
}

const MAIN = `services:
  web:
    image: nginx
    depends_on:
      - db
      - "cache"
    links:
      - db:database
    networks:
      - front
    volumes:
      - data:/var/lib/data
      - ./html:/usr/share/nginx/html
      - type: volume
        source: logs
        target: /logs
    secrets:
      - token
      - source: cert
        target: /run/cert
    configs: [site]
  db:
    image: postgres
    network_mode: service:cache
    volumes_from:
      - cache:ro
    depends_on:
      cache:
        condition: service_healthy
    build:
      context: .
      additional_contexts:
        base: service:cache
  cache:
    image: redis
networks:
  front: {}
volumes:
  data:
  logs:
secrets:
  token:
    file: ./token.txt
  cert:
    file: ./cert.pem
configs:
  site:
    file: ./site.conf
`;

describe('compose go to definition', () => {
  it('goes from every kind of service reference to the service', () => {
    const { service, at, show } = workspace({ 'compose.yaml': MAIN });
    for (const [needle, nth] of [['- db', 0], ['"cache"', 0], ['db:database', 0], ['service:cache', 0], ['cache:ro', 0], ['cache:\n        condition', 0], ['service:cache', 1]] as const) {
      const offset = needle.startsWith('- ') ? 2 : needle.startsWith('"') ? 1 : needle.startsWith('service:') ? 8 : 0;
      const { document, position } = at('compose.yaml', needle, nth, offset);
      const expected = needle.includes('db') ? 'compose.yaml:22:db' : 'compose.yaml:34:cache';
      assert.deepEqual(show(service.definition(document, position)), [expected], needle);
    }
  });

  it('goes to networks, named volumes (short and long syntax), secrets and configs', () => {
    const { service, at, show } = workspace({ 'compose.yaml': MAIN });
    const cases: [string, number, string][] = [
      ['- front', 2, 'compose.yaml:37:front'],
      ['data:/var', 0, 'compose.yaml:39:data'],
      ['source: logs', 8, 'compose.yaml:40:logs'],
      ['- token', 2, 'compose.yaml:42:token'],
      ['source: cert', 8, 'compose.yaml:44:cert'],
      ['[site]', 1, 'compose.yaml:47:site'],
    ];
    for (const [needle, offset, expected] of cases) {
      const { document, position } = at('compose.yaml', needle, 0, offset);
      assert.deepEqual(show(service.definition(document, position)), [expected], needle);
    }
  });

  it('finds nothing on a bind mount, an image or a key', () => {
    const { service, at } = workspace({ 'compose.yaml': MAIN });
    for (const needle of ['./html', 'nginx', 'image', 'condition']) {
      const { document, position } = at('compose.yaml', needle);
      assert.deepEqual(service.definition(document, position), [], needle);
    }
  });

  it('follows extends into another file, and finds the declarations in the override file', () => {
    const { service, at, show } = workspace({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: common.yaml\n      service: base\n    depends_on: [db]\n  db:\n    image: postgres\n',
      'compose.override.yaml': 'services:\n  db:\n    ports: ["5432:5432"]\n  web:\n    depends_on: [db]\n',
      'common.yaml': 'services:\n  base:\n    image: nginx\n  web:\n    image: other\n',
    });
    let { document, position } = at('compose.yaml', 'service: base', 0, 10);
    assert.deepEqual(show(service.definition(document, position)), ['common.yaml:2:base']);
    ({ document, position } = at('compose.yaml', '[db]', 0, 1));
    assert.deepEqual(show(service.definition(document, position)), ['compose.yaml:7:db', 'compose.override.yaml:2:db']);
    // The `web` of common.yaml is another service: common.yaml is read only through extends.
    ({ document, position } = at('compose.yaml', 'web'));
    assert.deepEqual(show(service.references(document, position, true)), ['compose.yaml:2:web', 'compose.override.yaml:4:web']);
  });

  it('finds names declared in included files', () => {
    const { service, at, show } = workspace({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n    networks: [back]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    networks: [back]\nnetworks:\n  back: {}\n',
    });
    let { document, position } = at('compose.yaml', '[db]', 0, 1);
    assert.deepEqual(show(service.definition(document, position)), ['db/compose.yaml:2:db']);
    ({ document, position } = at('compose.yaml', '[back]', 0, 1));
    assert.deepEqual(show(service.references(document, position, false)), ['compose.yaml:7:back', 'db/compose.yaml:4:back']);
  });
});

describe('compose references and highlights', () => {
  it('lists the declaration and every reference of a service', () => {
    const { service, at, show } = workspace({ 'compose.yaml': MAIN });
    const { document, position } = at('compose.yaml', '  cache:\n    image', 0, 3);
    assert.deepEqual(show(service.references(document, position, true)), [
      'compose.yaml:34:cache',
      'compose.yaml:6:cache',
      'compose.yaml:24:cache',
      'compose.yaml:26:cache',
      'compose.yaml:28:cache',
      'compose.yaml:33:cache',
    ]);
    assert.equal(service.references(document, position, false).length, 5);
  });

  it('highlights in the document only, the declaration as a write', () => {
    const { service, at } = workspace({ 'compose.yaml': MAIN });
    const { document, position } = at('compose.yaml', '- db', 0, 3);
    const highlights = service.highlights(document, position);
    assert.deepEqual(
      highlights.map((highlight) => [highlight.range.start.line + 1, highlight.kind]),
      [
        [22, 3],
        [5, 2],
        [8, 2],
      ],
    );
  });

  it('links anchors and aliases, merge keys included, per YAML document', () => {
    const text = 'x-base: &base\n  image: nginx\nx-env: &env\n  A: 1\nservices:\n  web:\n    <<: *base\n    environment: *env\n  api:\n    <<: *base\n---\nservices:\n  other:\n    <<: &base {image: a}\n    x: *base\n';
    const { service, at, show } = workspace({ 'compose.yaml': text });
    let { document, position } = at('compose.yaml', '*base', 1, 2);
    assert.deepEqual(show(service.definition(document, position)), ['compose.yaml:1:&base']);
    assert.deepEqual(show(service.references(document, position, true)), ['compose.yaml:1:&base', 'compose.yaml:7:*base', 'compose.yaml:10:*base']);
    ({ document, position } = at('compose.yaml', '*base', 2, 2));
    assert.deepEqual(show(service.definition(document, position)), ['compose.yaml:14:&base'], 'the second document has its own anchor');
    ({ document, position } = at('compose.yaml', '&env', 0, 2));
    assert.deepEqual(show(service.references(document, position, false)), ['compose.yaml:8:*env']);
  });
});

describe('anchors in the parse', () => {
  const text = 'x-a: &base\n  image: a\nservices:\n  web:\n    <<: *base\n    env: &e [1]\n    again: *e\n';
  const expected = [
    { kind: 'anchor', name: 'base', text: '&base', document: 0 },
    { kind: 'alias', name: 'base', text: '*base', document: 0 },
    { kind: 'anchor', name: 'e', text: '&e', document: 0 },
    { kind: 'alias', name: 'e', text: '*e', document: 0 },
  ];
  const shown = (marks: { kind: string; name: string; range: { start: number; end: number }; document: number }[], source: string) =>
    marks.map((mark) => ({ kind: mark.kind, name: mark.name, text: source.slice(mark.range.start, mark.range.end), document: mark.document }));

  it('are kept with their places by both readers', () => {
    assert.deepEqual(shown(fastReadYaml(text)!.anchors, text), expected);
    assert.deepEqual(shown(libraryReadYaml(text).anchors, text), expected);
    assert.equal(parseComposeFile(text).reader, 'fast');
    assert.deepEqual(shown(parseComposeFile(text).anchors, text), expected);
    // The fast reader leaves comments after properties to the package; an `&` in the comment is no anchor.
    const commented = text.replace('&base\n', '&base # not &base\n');
    assert.equal(parseComposeFile(commented).reader, 'yaml');
    assert.deepEqual(shown(parseComposeFile(commented).anchors, commented), expected);
  });

  it('carry the index of their YAML document', () => {
    const multi = 'a: &x 1\n---\nb: &x 2\nc: *x\n';
    assert.deepEqual(
      shown(parseComposeFile(multi).anchors, multi).map((mark) => [mark.text, mark.document]),
      [
        ['&x', 0],
        ['&x', 1],
        ['*x', 1],
      ],
    );
    assert.deepEqual(shown(libraryReadYaml(multi).anchors, multi), shown(fastReadYaml(multi)!.anchors, multi));
  });

  it('are the same from both readers on random files with anchors (seeded)', () => {
    let state = 0x5eed;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const names = ['a', 'b', 'long-name'];
      let text = '';
      for (let j = 0; j < 6; j++) {
        const key = `k${j}`;
        text += pick([
          `${key}: &${pick(names)} value\n`,
          `${key}: *${pick(names)}\n`,
          `${key}: &${pick(names)}\n  x: 1\n  <<: *${pick(names)}\n`,
          `${key}:\n  - &${pick(names)} item\n  - *${pick(names)}\n`,
          `${key}: [&${pick(names)} 1, *${pick(names)}]\n`,
          `${key}: !reset &${pick(names)} {}\n`,
          '---\n',
        ]);
      }
      const fast = fastReadYaml(text);
      if (!fast) continue;
      compared++;
      assert.deepEqual(fast.anchors, libraryReadYaml(text).anchors, JSON.stringify(text));
      for (const mark of fast.anchors) assert.equal(text.slice(mark.range.start, mark.range.end), (mark.kind === 'anchor' ? '&' : '*') + mark.name);
    }
    assert.ok(compared > 50, `${compared} files read by both`);
  });
});
