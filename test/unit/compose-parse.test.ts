import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, getPath, parseComposeFile, toJS, type ComposeNode, type TextRange } from '../../server/src/compose';
import { fastReadYaml } from '../../server/src/compose/yaml/fastReader';
import { libraryReadYaml } from '../../server/src/compose/yaml/libraryReader';

const slice = (text: string, range: TextRange) => text.slice(range.start, range.end);

function root(text: string): ComposeNode {
  const parsed = parseComposeFile(text, 'compose.yaml');
  assert.equal(parsed.documents.length, 1);
  return parsed.documents[0]!.root!;
}

describe('parseComposeFile', () => {
  it('reads an ordinary compose file with the fast reader, keeping ranges for every node and key', () => {
    const text = 'services:\n  web:\n    image: "nginx:1.27"   # pinned\n    ports:\n      - 8080:80\n      - 443\n    command: [nginx, "-g", \'daemon off;\']\n    healthcheck:\n      test: |\n        curl -f http://localhost\n        exit 0\n    environment:\n      EMPTY:\n      DEBUG: true\n';
    const parsed = parseComposeFile(text, '/w/compose.yaml');
    assert.equal(parsed.reader, 'fast');
    assert.deepEqual(parsed.problems, []);
    const web = getPath(parsed.documents[0]!.root, 'services', 'web')!;
    assert.equal(web.file, '/w/compose.yaml');
    const image = get(web, 'image')!;
    assert.equal(slice(text, image.range), '"nginx:1.27"');
    assert.deepEqual(image.kind === 'scalar' && [image.raw, image.style], ['nginx:1.27', 'double']);
    const ports = get(web, 'ports')!;
    assert.equal(slice(text, ports.range), '- 8080:80\n      - 443');
    assert.deepEqual(toJS(ports), ['8080:80', 443]);
    assert.deepEqual(toJS(get(web, 'command')), ['nginx', '-g', 'daemon off;']);
    const test = getPath(web, 'healthcheck', 'test')!;
    assert.equal(slice(text, test.range), '|\n        curl -f http://localhost\n        exit 0');
    assert.equal(toJS(test), 'curl -f http://localhost\nexit 0\n');
    const empty = getPath(web, 'environment', 'EMPTY')!;
    assert.deepEqual(empty.range, { start: text.indexOf('EMPTY:') + 6, end: text.indexOf('EMPTY:') + 6 });
    assert.equal(empty.kind === 'scalar' && empty.empty, true);
    assert.equal(toJS(getPath(web, 'environment', 'DEBUG')), true);
    const webPair = get(parsed.documents[0]!.root, 'services')!;
    assert.equal(webPair.kind, 'map');
    if (webPair.kind === 'map') assert.equal(slice(text, webPair.pairs[0]!.keyRange), 'web');
  });

  it('reads every YAML document of a file', () => {
    const parsed = parseComposeFile('services:\n  a:\n    image: x\n---\nservices:\n  b:\n    image: y\n---\n', 'f');
    assert.equal(parsed.documents.length, 3);
    assert.deepEqual(toJS(parsed.documents[0]!.root), { services: { a: { image: 'x' } } });
    assert.deepEqual(toJS(parsed.documents[1]!.root), { services: { b: { image: 'y' } } });
    assert.equal(parsed.documents[2]!.root, undefined);
    assert.deepEqual(parseComposeFile('', 'f').documents, []);
    assert.deepEqual(parseComposeFile('# only a comment\n', 'f').documents, []);
  });

  it('resolves aliases to the anchored node, which keeps the anchor\'s range', () => {
    const text = 'x-image: &img nginx:1.27\nservices:\n  a:\n    image: *img\n  b:\n    image: *img\n';
    const doc = root(text);
    const a = getPath(doc, 'services', 'a', 'image')!;
    const b = getPath(doc, 'services', 'b', 'image')!;
    assert.equal(a, b);
    assert.equal(slice(text, a.range), 'nginx:1.27');
    assert.deepEqual(toJS(get(doc, 'x-image')), 'nginx:1.27');
  });

  it('applies merge keys: explicit keys win, the first merged mapping wins over later ones', () => {
    const text = 'x-base: &base\n  restart: always\n  image: base\n  labels: {tier: base}\nx-logging: &logging\n  logging: {driver: local}\n  restart: "no"\nservices:\n  web:\n    <<: [*base, *logging]\n    image: nginx\n  api:\n    <<: *base\n';
    const doc = root(text);
    assert.deepEqual(toJS(getPath(doc, 'services', 'web')), { image: 'nginx', restart: 'always', labels: { tier: 'base' }, logging: { driver: 'local' } });
    assert.deepEqual(toJS(getPath(doc, 'services', 'api')), { restart: 'always', image: 'base', labels: { tier: 'base' } });
    // Merged values point at the anchor's text.
    assert.equal(slice(text, getPath(doc, 'services', 'web', 'restart')!.range), 'always');
  });

  it('keeps extension fields and the !reset / !override tags', () => {
    const text = 'x-common:\n  retries: 3\nservices:\n  web:\n    x-team: frontend\n    ports: !reset []\n    environment: !override\n      A: "1"\n    labels: !reset\n';
    const web = getPath(root(text), 'services', 'web')!;
    assert.equal(toJS(get(web, 'x-team')), 'frontend');
    assert.equal(get(web, 'ports')!.tag, '!reset');
    assert.equal(get(web, 'environment')!.tag, '!override');
    assert.deepEqual(toJS(get(web, 'environment')), { A: '1' });
    const labels = get(web, 'labels')!;
    assert.equal(labels.tag, '!reset');
    assert.deepEqual(labels.range, { start: text.length - 1, end: text.length - 1 });
  });

  it('types plain scalars as YAML 1.2 does and leaves quoted ones strings', () => {
    const doc = root('a: 8080\nb: "8080"\nc: 0o17\nd: 0x1f\ne: 1.5e3\nf: ~\ng: True\nh: yes\ni: 80:80\nj: .inf\nk: -.5\n');
    assert.deepEqual(toJS(doc), { a: 8080, b: '8080', c: 15, d: 31, e: 1500, f: null, g: true, h: 'yes', i: '80:80', j: Infinity, k: -0.5 });
  });

  it('reports YAML syntax errors with a range and still returns the rest of the tree', () => {
    const text = 'services:\n  web:\n    image: "nginx\n  db:\n    image: postgres\n';
    const parsed = parseComposeFile(text, 'f');
    assert.equal(parsed.reader, 'yaml');
    assert.ok(parsed.problems.length > 0);
    assert.ok(parsed.problems.every((problem) => problem.code === 'yaml-syntax' && problem.severity === 'error' && problem.file === 'f'));
    assert.ok(parsed.problems.every((problem) => problem.range.start >= 0 && problem.range.end <= text.length));
    const tabbed = parseComposeFile('services:\n\tweb:\n    image: nginx\n', 'f');
    assert.ok(tabbed.problems.some((problem) => problem.code === 'yaml-syntax'));
  });

  it('reports duplicate keys on the later key, naming the path and the first line', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    image: httpd\n';
    const parsed = parseComposeFile(text, 'f');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.code, slice(text, problem.range), problem.message]),
      [['duplicate-key', 'image', 'services.web.image: duplicate key "image" (already defined on line 3); compose rejects the file']],
    );
    assert.equal(toJS(getPath(parsed.documents[0]!.root, 'services', 'web', 'image')), 'httpd');
    // The same through the fallback reader (a multi-line plain scalar sends the file there).
    const fallback = 'services:\n  web:\n    command: echo\n      hello\n    image: nginx\n    image: httpd\n';
    const viaYaml = parseComposeFile(fallback, 'f');
    assert.equal(viaYaml.reader, 'yaml');
    assert.deepEqual(viaYaml.problems.map((problem) => [problem.code, slice(fallback, problem.range)]), [['duplicate-key', 'image']]);
  });

  it('reports an alias to an unknown anchor and a merge key given a scalar', () => {
    const text = 'services:\n  web:\n    <<: *missing\n  api:\n    <<: nginx\n';
    const parsed = parseComposeFile(text, 'f');
    assert.deepEqual(
      parsed.problems.map((problem) => [slice(text, problem.range), problem.message]),
      [
        ['*missing', 'Unknown anchor "missing": an alias must come after the anchor it refers to'],
        ['nginx', 'services.api.<<: a merge key needs a mapping or a list of mappings (usually aliases such as *defaults)'],
      ],
    );
  });

  it('builds the same tree with both readers on handwritten samples', () => {
    const samples = [
      'a: 1\nb:\n  c: [1, "x", {d: e}]\n  e: |\n    line1\n    line2\n\n  f: >-\n    folded\n    text\n\n    para\n  g:\n  - x\n  - y: 1\n    z: 2\n  h: &anc\n    k: v\n  i: *anc\n  j: !reset\n  "q": \'it\'\'s\'\n',
      'k: >\n  a\n  b\n\n  c\n   d\n  e\n',
      '- \n- x\n-\n  - y\n',
      'a:\n  - 1\n  - 2\nb: [\n  1,\n  2, # c\n  ]\n',
      'base: &b {a: 1, b: 2}\nother: &o\n  c: 3\nx:\n  <<: [*b, *o]\n  a: 9\n',
      'x: &a !reset\n  y: 1\n',
      'a: 1\na: 2\nb: {x: 1, x: 2}\n',
      'list:\n- &i item\n- *i\n',
      'services:\n  web:\n    command: [\n      "npm", "start"\n    ]\n    healthcheck: {\n      test: [CMD, true]\n    }\n',
      'a:\r\n  b: 1 # crlf\r\n  c: |\r\n    x\r\n    y\r\n',
      'key : value\n"quoted key" : 1\nurl: http://example.com/#anchor\nhash: a#b\n',
    ];
    for (const text of samples) {
      const fast = fastReadYaml(text, 'f');
      assert.ok(fast, `the fast reader takes ${JSON.stringify(text)}`);
      const library = libraryReadYaml(text, 'f');
      assert.deepEqual(library.syntax, []);
      assert.deepEqual(JSON.parse(JSON.stringify(fast.roots)), JSON.parse(JSON.stringify(library.roots)), text);
      assert.deepEqual(fast.problems, library.problems, text);
    }
  });

  it('takes a realistic compose file on the fast path', () => {
    const text = `# The shop
name: shop
x-defaults: &defaults
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
    depends_on:
      api:
        condition: service_healthy
    command: >-
      nginx -g
      'daemon off;'
  api:
    <<: *defaults
    build:
      context: ./api
      args:
        - NODE_ENV=production
    environment:
      DATABASE_URL: postgres://app:\${DB_PASSWORD:?}@db/app
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS localhost:3000/health || exit 1"]
      interval: 10s
    volumes: [./api:/srv/api:ro, cache:/cache]
volumes:
  cache: {}
`;
    assert.ok(fastReadYaml(text));
    assert.equal(parseComposeFile(text).reader, 'fast');
  });

  it('leaves what it does not handle to the yaml package', () => {
    for (const text of ['key: value\n  continued\n', '? complex\n: key\n', '%YAML 1.2\n---\na: 1\n', 'a: !!str 1\n', 'a: |+\n  keep\n\n', 'a: "multi\n  line"\n', '\ufeffa: 1\n']) {
      assert.equal(fastReadYaml(text), undefined, JSON.stringify(text));
      const parsed = parseComposeFile(text, 'f');
      assert.equal(parsed.reader, 'yaml');
    }
    assert.deepEqual(toJS(root('key: value\n  continued\n')), { key: 'value continued' });
    assert.deepEqual(toJS(root('a: !!str 1\n')), { a: '1' });
  });

  it('places anchors written in the text on the fallback reader, comments and quoted `#` around them included', () => {
    // The unclosed flow sequence sends every text here to the `yaml` package.
    // Each text with where its anchors really are: after `key: ` (the `&a` in a comment or a block scalar is text).
    const texts: [string, number[]][] = [
      ['x: &a # see &a\n  k: 1\ny: *a\nbad: [\n', [3]],
      ['"h#": &a 1\nb: *a\nbad: [\n', [6]],
      ['a: !reset &a {}\nb: &a !override [1]\nc: *a\nbad: [\n', [10, 19]],
      ['s: |\n  &a\nk: &a v\nl: *a\nbad: [\n', [13]],
    ];
    for (const [text, expected] of texts) {
      const parsed = parseComposeFile(text);
      assert.equal(parsed.reader, 'yaml');
      const anchors = parsed.anchors.filter((mark) => mark.kind === 'anchor');
      assert.deepEqual(anchors.map((mark) => mark.range.start), expected, text);
      for (const mark of anchors) assert.equal(text.slice(mark.range.start, mark.range.end), '&a', text);
    }
  });
});
