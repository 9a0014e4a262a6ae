import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemTag, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';
import type { KnownImage } from '../../server/src/service/completion';

const lines = (...text: string[]) => text.join('\n') + '\n';

/** A language service over an in-memory project under /p; the last `|` in the text marks the cursor. */
function complete(textWithCursor: string, options: { files?: Record<string, string>; images?: KnownImage[]; snippetSupport?: boolean; environment?: Record<string, string>; triggerCharacter?: string } = {}) {
  const files = options.files ?? {};
  const service = getLanguageService({ files: { readFile: (path) => files[path], exists: (path) => path in files }, environment: options.environment ?? {} });
  if (options.images) service.setKnownImages(options.images);
  const offset = textWithCursor.lastIndexOf('|');
  assert.ok(offset >= 0, 'no cursor in the text');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  const items = service.complete(document, document.positionAt(offset), { snippetSupport: options.snippetSupport ?? true, ...(options.triggerCharacter ? { triggerCharacter: options.triggerCharacter } : {}) }).items;
  const labels = items.map((item) => item.label);
  const item = (label: string): CompletionItem => {
    const found = items.find((candidate) => candidate.label === label);
    assert.ok(found, `${label} not offered; offered: ${labels.join(', ')}`);
    return found;
  };
  /** The document after accepting `label`. */
  const accept = (label: string): string => {
    const edit = item(label).textEdit as TextEdit;
    return TextDocument.applyEdits(document, [edit]);
  };
  return { labels, item, accept };
}

const image = (repository: string, tags: string[]): KnownImage => ({ repository, tags, id: 'sha256:0123456789abcdef', size: 1000, created: '2026-01-01T00:00:00Z', exposedPorts: [] });

describe('compose completion: keys from the schema', () => {
  it('offers service keys inside an x-* fragment that a service merges, and the values of such a key', () => {
    const { labels } = complete(lines('x-common: &common', '  restart: always', '  |', 'services:', '  web:', '    <<: *common', '    image: nginx'));
    for (const key of ['ports', 'environment', 'healthcheck', 'logging']) assert.ok(labels.includes(key), key);
    assert.ok(!labels.includes('restart'), 'restart is already in the fragment');
    assert.deepEqual(complete(lines('x-common: &common', '  restart: |', 'services:', '  web:', '    <<: *common', '    image: nginx')).labels.sort(), ['always', 'no', 'on-failure', 'unless-stopped']);
  });

  it('offers nothing from the schema in an x-* fragment nothing uses', () => {
    assert.deepEqual(complete(lines('x-common: &common', '  restart: always', '  |', 'services:', '  web:', '    image: nginx')).labels, []);
  });

  it('offers the keys of a service with their descriptions, leaving out keys already there', () => {
    const { labels, item } = complete(lines('services:', '  web:', '    image: nginx', '    |', '    restart: always', '  db:', '    image: postgres'));
    for (const key of ['ports', 'environment', 'depends_on', 'healthcheck', 'build']) assert.ok(labels.includes(key), key);
    assert.ok(!labels.includes('image'), 'image is already there');
    assert.ok(!labels.includes('restart'), 'restart is written below the cursor');
    assert.match(JSON.stringify(item('ports').documentation), /port/i);
  });

  it('offers top-level sections in an empty file, with the obsolete version last and marked', () => {
    const { labels, item } = complete('|');
    for (const key of ['services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'name']) assert.ok(labels.includes(key), key);
    assert.deepEqual(item('version').tags, [CompletionItemTag.Deprecated]);
  });

  it('offers nested keys: build options, and the keys of a list item in long syntax', () => {
    assert.ok(complete(lines('services:', '  web:', '    build:', '      context: .', '      |')).labels.includes('target'));
    const ports = complete(lines('services:', '  web:', '    ports:', '      - target: 80', '        |'));
    assert.ok(ports.labels.includes('published'));
    assert.ok(!ports.labels.includes('target'));
  });

  it('completes a half-typed key in a file that does not parse as intended yet', () => {
    const { labels, accept } = complete(lines('services:', '  web:', '    imag|', '    ports:', '      - "80:80"'));
    assert.ok(labels.includes('image'));
    assert.equal(accept('image'), lines('services:', '  web:', '    image: ', '    ports:', '      - "80:80"'));
  });

  it('puts a mapping or list value on an indented new line, with the file’s indentation', () => {
    const text = lines('services:', '    web:', '        image: nginx', '        |');
    assert.equal(complete(text).accept('environment'), lines('services:', '    web:', '        image: nginx', '        environment:', '    '));
    assert.equal(complete(text).accept('cap_add'), lines('services:', '    web:', '        image: nginx', '        cap_add:', '    - '));
  });

  it('does not pop up while a new line is indented with spaces, but answers when asked', () => {
    const text = lines('services:', '  web:', '    image: nginx', '    |');
    assert.deepEqual(complete(text, { triggerCharacter: ' ' }).labels, []);
    assert.ok(complete(text).labels.includes('ports'));
  });

  it('offers nothing in a comment', () => {
    assert.deepEqual(complete(lines('services:', '  web:', '    # ima|')).labels, []);
  });
});

describe('compose completion: values', () => {
  it('offers the schema’s enumerations', () => {
    assert.deepEqual(complete(lines('services:', '  web:', '    depends_on:', '      db:', '        condition: |', '  db:', '    image: x')).labels.sort(), ['service_completed_successfully', 'service_healthy', 'service_started']);
    assert.ok(complete(lines('services:', '  web:', '    volumes:', '      - type: |')).labels.includes('bind'));
  });

  it('offers the usual values of keys whose schema only says string, and booleans', () => {
    assert.deepEqual(complete(lines('services:', '  web:', '    restart: |')).labels.sort(), ['always', 'no', 'on-failure', 'unless-stopped']);
    assert.ok(complete(lines('services:', '  web:', '    privileged: |')).labels.includes('true'));
    assert.ok(complete(lines('networks:', '  front:', '    driver: |')).labels.includes('overlay'));
  });
});

describe('compose completion: interpolation variables', () => {
  const files = { '/p/.env': lines('TAG=1.4.2', 'DB_PASSWORD=secret') };
  const environment = { HOME: '/home/dev' };

  it('offers the .env variables first, then the environment, after `${`, closing the brace', () => {
    const { labels, item, accept } = complete(lines('services:', '  web:', '    image: "app:${|"'), { files, environment });
    assert.deepEqual(labels.sort(), ['COMPOSE_PROJECT_NAME', 'DB_PASSWORD', 'HOME', 'TAG']);
    assert.match(item('COMPOSE_PROJECT_NAME').detail ?? '', /^p \(the project's name\)$/);
    // The editor orders by sortText.
    assert.ok(item('TAG').sortText! < item('HOME').sortText! && item('DB_PASSWORD').sortText! < item('HOME').sortText!);
    assert.match(item('TAG').detail ?? '', /1\.4\.2 \(\.env\)/);
    assert.equal(accept('TAG'), lines('services:', '  web:', '    image: "app:${TAG}"'));
  });

  it('completes a bare `$NAME`, and replaces the name being typed', () => {
    const { accept } = complete(lines('services:', '  web:', '    environment:', '      DB: postgres://app:$DB_|PASS@db'), { files, environment });
    assert.equal(accept('DB_PASSWORD'), lines('services:', '  web:', '    environment:', '      DB: postgres://app:$DB_PASSWORD@db'));
  });

  it('offers no variables after an escaped `$$`', () => {
    assert.ok(!complete(lines('services:', '  web:', '    command: echo $$|'), { files, environment }).labels.includes('TAG'));
  });
});

describe('compose completion: snippets', () => {
  it('offers a new service under services, with placeholders', () => {
    const { item } = complete(lines('services:', '  |'));
    const edit = item('new service (image)').textEdit as TextEdit;
    assert.match(edit.newText, /^\$\{1:name\}:\n {2}image: /);
  });

  it('offers build, ports, volumes and healthcheck snippets for a service, not for keys it has', () => {
    const { labels } = complete(lines('services:', '  web:', '    healthcheck:', '      test: ["CMD", "true"]', '    |'));
    for (const label of ['build (context, dockerfile, target)', 'ports (host:container)', 'volumes (bind mount or named volume)']) assert.ok(labels.includes(label), label);
    assert.ok(!labels.some((label) => label.startsWith('healthcheck (')));
  });

  it('gives plain text without placeholders to clients without snippet support', () => {
    const { item } = complete(lines('services:', '  web:', '    |'), { snippetSupport: false });
    assert.equal((item('ports (host:container)').textEdit as TextEdit).newText, 'ports:\n  - "8080:80"');
  });
});

describe('compose completion: names of services, networks, volumes, secrets and configs', () => {
  const project = (...serviceLines: string[]) =>
    lines(
      'services:',
      '  web:',
      ...serviceLines,
      '  db:',
      '    image: postgres:16',
      '  cache:',
      '    build: ./cache',
      'networks:',
      '  front:',
      '  back:',
      'volumes:',
      '  pgdata:',
      'secrets:',
      '  token:',
      '    file: ./token.txt',
      'configs:',
      '  app_conf:',
      '    file: ./app.conf',
    );

  it('depends_on as a list: the other services, not the service itself nor those listed', () => {
    const { labels, item } = complete(project('    depends_on:', '      - cache', '      - |'));
    assert.deepEqual(labels, ['db']);
    assert.match(item('db').detail ?? '', /postgres:16/);
  });

  it('on an item already written, offers its alternatives, itself included', () => {
    assert.deepEqual(complete(project('    depends_on:', '      - d|b', '      - cache')).labels, ['db']);
    assert.deepEqual(complete(project('    depends_on: [cache, d|b]')).labels, ['db']);
  });

  it('a new item typed at the column of the items above gets its `- `', () => {
    assert.equal(complete(project('    depends_on:', '    - db', '    |')).accept('cache'), project('    depends_on:', '    - db', '    - cache'));
  });

  it('depends_on as a mapping: service names as keys, with a condition to choose', () => {
    const { labels, item } = complete(project('    depends_on:', '      |'));
    assert.deepEqual(labels.sort(), ['cache', 'db']);
    assert.match((item('db').textEdit as TextEdit).newText, /^db:\n {2}condition: \$\{1\|service_started,service_healthy,service_completed_successfully\|\}$/);
  });

  it('links, volumes_from, extends and network_mode: service:', () => {
    assert.ok(complete(project('    links:', '      - |')).labels.includes('db'));
    assert.ok(complete(project('    volumes_from:', '      - |')).labels.includes('cache'));
    assert.ok(complete(project('    extends:', '      service: |')).labels.includes('db'));
    const networkMode = complete(project('    network_mode: service:|'));
    assert.deepEqual(networkMode.labels.sort(), ['cache', 'db']);
    assert.equal(networkMode.accept('db'), project('    network_mode: service:db'));
    assert.ok(complete(project('    network_mode: |')).labels.includes('host'));
  });

  it('extends with file: the services of that file', () => {
    const files = { '/p/base.yaml': lines('services:', '  base-web:', '    image: nginx') };
    assert.deepEqual(complete(project('    extends:', '      file: base.yaml', '      service: |'), { files }).labels, ['base-web']);
  });

  it('networks of a service, in a list, a flow list and a mapping', () => {
    assert.deepEqual(complete(project('    networks:', '      - |')).labels.sort(), ['back', 'default', 'front']);
    assert.deepEqual(complete(project('    networks: [front, |]')).labels.sort(), ['back', 'default']);
    assert.ok(complete(project('    networks:', '      back:', '      |')).labels.includes('front'));
  });

  it('named volumes in service volumes, but not where a host path is written', () => {
    const { labels, accept } = complete(project('    volumes:', '      - |'));
    assert.ok(labels.includes('pgdata'));
    assert.equal(accept('pgdata'), project('    volumes:', '      - pgdata:'));
    assert.ok(!complete(project('    volumes:', '      - ./|')).labels.includes('pgdata'));
    assert.ok(complete(project('    volumes:', '      - type: volume', '        source: |')).labels.includes('pgdata'));
  });

  it('secrets and configs of a service', () => {
    // A new item may be a name or the long syntax: the names come first.
    const secrets = complete(project('    secrets:', '      - |')).labels;
    assert.equal(secrets[0], 'token');
    assert.ok(secrets.includes('source') && !secrets.includes('app_conf') && !secrets.includes('pgdata'));
    assert.deepEqual(complete(project('    configs:', '      - source: |')).labels, ['app_conf']);
  });

  it('names declared in an included file', () => {
    const files = { '/p/infra.yaml': lines('services:', '  queue:', '    image: rabbitmq:3') };
    const text = lines('include:', '  - infra.yaml', 'services:', '  web:', '    depends_on:', '      - |');
    assert.deepEqual(complete(text, { files }).labels, ['queue']);
  });
});

describe('compose completion: build targets and images', () => {
  const dockerfile = lines('FROM node:22 AS deps', 'RUN npm ci', 'FROM deps AS build', 'FROM nginx:1.27 AS runtime');

  it('offers the stages of the Dockerfile the build uses', () => {
    const files = { '/p/web/Dockerfile.prod': dockerfile };
    const { labels, item } = complete(lines('services:', '  web:', '    build:', '      context: ./web', '      dockerfile: Dockerfile.prod', '      target: |'), { files });
    assert.deepEqual(labels, ['deps', 'build', 'runtime']);
    assert.match(item('runtime').detail ?? '', /FROM nginx:1\.27/);
  });

  it('reads an inline Dockerfile too, and offers nothing when the Dockerfile is missing', () => {
    assert.deepEqual(complete(lines('services:', '  web:', '    build:', '      dockerfile_inline: |', '        FROM alpine AS base', '        FROM base AS final', '      target: |')).labels, ['base', 'final']);
    assert.deepEqual(complete(lines('services:', '  web:', '    build: ./nowhere', '    x: 1', '  api:', '    build:', '      context: ./nowhere', '      target: |')).labels, []);
  });

  it('offers local images, then their tags after the colon', () => {
    const images = [image('nginx', ['1.27', 'latest']), image('ghcr.io/org/api', ['2.0'])];
    const names = complete(lines('services:', '  web:', '    image: |'), { images });
    assert.deepEqual(names.labels.sort(), ['ghcr.io/org/api', 'nginx']);
    const tags = complete(lines('services:', '  web:', '    image: nginx:|'), { images });
    assert.deepEqual(tags.labels.sort(), ['1.27', 'latest']);
    assert.equal(tags.accept('1.27'), lines('services:', '  web:', '    image: nginx:1.27'));
  });
});

describe('compose completion and hover never fail', () => {
  it('answers at every offset of a file, and of every prefix of it (a file being typed)', () => {
    const text = lines(
      'x-base: &base',
      '  restart: "always"',
      'services:',
      '  web:',
      '    <<: *base',
      "    image: 'nginx:${TAG:-1}'",
      '    ports: ["80:80", {target: 443}]',
      '    depends_on:',
      '      - db',
      '    command: |',
      '      echo ${A} $$B',
      '  db:',
      '    build: {context: ., target: x}',
      '---',
      '- just: a list',
    );
    const service = getLanguageService({ files: { readFile: () => undefined, exists: () => false }, environment: {} });
    for (let end = 0; end <= text.length; end += 7) {
      const prefix = text.slice(0, end);
      const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', end, prefix);
      for (let offset = 0; offset <= prefix.length; offset++) {
        const position = document.positionAt(offset);
        assert.doesNotThrow(() => service.complete(document, position), `completion at ${offset} of ${JSON.stringify(prefix)}`);
        assert.doesNotThrow(() => service.hover(document, position), `hover at ${offset} of ${JSON.stringify(prefix)}`);
      }
    }
  });
});
