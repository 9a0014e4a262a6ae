import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { describeComposeSchemaSource } from '../../server/src/compose/schema';
import { getLanguageService } from '../../server/src/service/languageService';
import type { KnownImage } from '../../server/src/service/completion';

const lines = (...text: string[]) => text.join('\n') + '\n';

/** Hover over a compose file at /p/compose.yaml with other files of the project in memory. */
function hoverIn(text: string, options: { files?: Record<string, string>; environment?: Record<string, string>; images?: KnownImage[] } = {}) {
  const files = options.files ?? {};
  const service = getLanguageService({ files: { readFile: (path) => files[path], exists: (path) => path in files }, environment: options.environment ?? {} });
  if (options.images) service.setKnownImages(options.images);
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  /** The hover's Markdown at the n-th occurrence of `needle`, `delta` characters in; and the text its range covers. */
  return (needle: string, delta = 1, nth = 0): { markdown: string; covers: string } | undefined => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} not in the text`);
    const hover = service.hover(document, document.positionAt(index + delta));
    if (!hover) return undefined;
    return { markdown: (hover.contents as MarkupContent).value, covers: hover.range ? document.getText(hover.range) : '' };
  };
}

describe('compose hover: keys', () => {
  const hover = hoverIn(lines('services:', '  web:', '    image: nginx', '    restart: unless-stopped', '    depends_on:', '      db:', '        condition: service_healthy', '  db:', '    image: postgres', 'x-common: &common', '  a: 1'));

  it('shows the schema’s description and type of a key, and the schema it comes from', () => {
    const found = hover('restart');
    assert.ok(found);
    assert.equal(found.covers, 'restart');
    assert.match(found.markdown, /Restart policy/);
    assert.match(found.markdown, /`services\.web\.restart`/);
    assert.match(found.markdown, /Type: `string`/);
    assert.ok(found.markdown.includes(describeComposeSchemaSource()));
  });

  it('lists the values of an enumerated key', () => {
    assert.match(hover('condition')!.markdown, /Values: `service_started`, `service_healthy`, `service_completed_successfully`/);
  });

  it('explains extension fields', () => {
    assert.match(hover('x-common')!.markdown, /Compose ignores keys starting with `x-`/);
  });

  it('places a key by indentation where a syntax error above keeps the parse from seeing it', () => {
    const broken = hoverIn(lines('services:', '  web:', '    image: [nginx', '    restart: always', '  db:', '    pull_policy: always'));
    const found = broken('pull_policy');
    assert.equal(found!.covers, 'pull_policy');
    assert.match(found!.markdown, /`services\.db\.pull_policy`/);
  });

  it('documents a key in an x-* fragment as a key of the service that merges it', () => {
    const merged = hoverIn(lines('x-common: &common', '  restart: unless-stopped', '  logging:', '    driver: json-file', 'services:', '  web:', '    <<: *common', '    image: nginx'));
    const restart = merged('restart');
    assert.equal(restart!.covers, 'restart');
    assert.match(restart!.markdown, /Restart policy/);
    assert.match(restart!.markdown, /`services\.web\.restart`/);
    assert.match(merged('driver')!.markdown, /`services\.web\.logging\.driver`/);
    assert.match(merged('json-file')!.markdown, /`services\.web\.logging\.driver`/);
  });

  it('documents a fragment named by an alias as the value of the key that names it', () => {
    const aliased = hoverIn(lines('x-health: &health', '  test: [CMD, true]', '  interval: 10s', 'services:', '  web:', '    image: nginx', '    healthcheck: *health'));
    assert.match(aliased('interval')!.markdown, /`services\.web\.healthcheck\.interval`/);
  });

  it('shows the key’s documentation over a plain value', () => {
    const found = hover('unless-stopped');
    assert.equal(found!.covers, 'unless-stopped');
    assert.match(found!.markdown, /Restart policy/);
  });
});

describe('compose hover: interpolation', () => {
  const text = lines(
    'services:',
    '  web:',
    '    image: "registry.local/web:${TAG:-latest}"',
    '    environment:',
    '      MODE: ${MODE:-development}',
    '      HOME_DIR: $HOME',
    '      EMPTY: ${EMPTY-unset}',
    '      TOKEN: ${TOKEN:?set TOKEN first}',
    '      NESTED: ${OUTER:-${INNER:-deep}}',
  );
  const hover = hoverIn(text, { files: { '/p/.env': lines('# versions', 'TAG=1.4.2', 'EMPTY=') }, environment: { HOME: '/home/dev' } });

  it('resolves a variable set in .env, naming the file and line', () => {
    const found = hover('${TAG', 3);
    assert.equal(found!.covers, '${TAG:-latest}');
    assert.match(found!.markdown, /→ `1\.4\.2`/);
    assert.match(found!.markdown, /set in `\.env` \(line 2\)/);
  });

  it('says when the default is used because the variable is not set', () => {
    const found = hover('${MODE', 3);
    assert.match(found!.markdown, /→ `development`/);
    assert.match(found!.markdown, /`MODE` is not set/);
    assert.match(found!.markdown, /default `development` is used/);
  });

  it('resolves from the environment', () => {
    const found = hover('$HOME', 2);
    assert.equal(found!.covers, '$HOME');
    assert.match(found!.markdown, /→ `\/home\/dev`/);
    assert.match(found!.markdown, /from the environment/);
  });

  it('keeps an empty value for `-` (only unset takes the default)', () => {
    const found = hover('${EMPTY', 3);
    assert.match(found!.markdown, /→ empty string/);
    assert.match(found!.markdown, /set but empty/);
  });

  it('says compose stops when a required variable is missing', () => {
    assert.match(hover('${TOKEN', 3)!.markdown, /Compose stops here: .*set TOKEN first/);
  });

  it('resolves nested defaults', () => {
    assert.match(hover('${OUTER', 3)!.markdown, /→ `deep`/);
  });
});

describe('compose hover: services and resources', () => {
  const text = lines(
    'services:',
    '  web:',
    '    image: nginx:1.27',
    '    depends_on: [api]',
    '    network_mode: service:api',
    '  api:',
    '    build:',
    '      context: ./api',
    '      target: runtime',
    '    networks: [back]',
    '    volumes:',
    '      - pgdata:/var/lib/data',
    'networks:',
    '  back:',
    '    driver: bridge',
    'volumes:',
    '  pgdata:',
  );
  const images: KnownImage[] = [{ repository: 'nginx', tags: ['1.27', 'latest'], id: 'sha256:feedfacecafe0000', size: 1, created: '2026-02-01T00:00:00Z', exposedPorts: ['80/tcp'] }];
  const hover = hoverIn(text, { images });

  it('describes a service where depends_on names it: its build and where it is defined', () => {
    const found = hover('api]');
    assert.equal(found!.covers, 'api');
    assert.match(found!.markdown, /\*\*service\*\* `api`/);
    assert.match(found!.markdown, /build: context `\.\/api`, target `runtime`/);
    assert.match(found!.markdown, /defined in compose\.yaml, line 6/);
  });

  it('describes a service named by a key of depends_on in mapping form', () => {
    const mapping = hoverIn(lines('services:', '  web:', '    depends_on:', '      db:', '        condition: service_started', '  db:', '    image: postgres:16'));
    assert.match(mapping('db:')!.markdown, /\*\*service\*\* `db`[\s\S]*image: `postgres:16`/);
  });

  it('describes the service after network_mode: service:', () => {
    assert.match(hover('service:api', 9)!.markdown, /\*\*service\*\* `api`/);
  });

  it('describes a service at its definition, with its image', () => {
    assert.match(hover('web:')!.markdown, /image: `nginx:1\.27`/);
  });

  it('describes networks and named volumes a service uses', () => {
    assert.match(hover('back]')!.markdown, /\*\*network\*\* `back`[\s\S]*driver: `bridge`[\s\S]*line 14/);
    assert.match(hover('pgdata:/')!.markdown, /\*\*volume\*\* `pgdata`/);
  });

  it('shows the local image an image: names', () => {
    const found = hover('nginx:1.27');
    assert.match(found!.markdown, /\*\*nginx:1\.27\*\* \(local image\)/);
    assert.match(found!.markdown, /id: `feedfacecafe`/);
  });

  it('describes the stage build.target names, or lists the stages when there is none of that name', () => {
    const files = { '/p/api/Dockerfile': lines('FROM node:22 AS deps', 'RUN npm ci', 'FROM node:22-slim AS runtime', 'COPY --from=deps /app /app') };
    const stage = hoverIn(text, { files })('runtime');
    assert.match(stage!.markdown, /\*\*stage\*\* `runtime` of `api\/Dockerfile`, line 3/);
    assert.match(stage!.markdown, /FROM `node:22-slim`/);
    const missing = hoverIn(text.replace('target: runtime', 'target: release'), { files })('release');
    assert.match(missing!.markdown, /No stage `release` in `api\/Dockerfile`; its stages: `deps`, `runtime`/);
  });

  it('says when a referenced service does not exist', () => {
    const broken = hoverIn(lines('services:', '  web:', '    depends_on: [ghost]'));
    assert.match(broken('ghost')!.markdown, /No service of this name/);
  });
});
