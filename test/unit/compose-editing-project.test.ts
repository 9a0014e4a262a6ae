import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem } from 'vscode-languageserver-types';
import { declaredNames, get, toJS } from '../../server/src/compose';
import { getLanguageService } from '../../server/src/service/languageService';
import { ComposeDocuments } from '../../server/src/service/compose/composeDocuments';

const lines = (...text: string[]) => text.join('\n') + '\n';

/** A language service over mutable in-memory files, and a document under /p whose versions the test types. */
function editor(files: Record<string, string>) {
  const service = getLanguageService({ files: { readFile: (path) => files[path], exists: (path) => path in files }, environment: { FROM_PROCESS: 'yes' } });
  let version = 0;
  /** Completion at the last `|` of a new version of /p/compose.yaml. */
  const complete = (textWithCursor: string): CompletionItem[] => {
    const offset = textWithCursor.lastIndexOf('|');
    const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
    const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', ++version, text);
    return service.complete(document, document.positionAt(offset), { snippetSupport: true }).items;
  };
  const hover = (textWithCursor: string): string => {
    const offset = textWithCursor.lastIndexOf('|');
    const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
    const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', ++version, text);
    const contents = service.hover(document, document.positionAt(offset))?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
  };
  return { complete, hover };
}

const labels = (items: CompletionItem[]) => items.map((item) => item.label).sort();

describe('compose editing after a keystroke', () => {
  it('offers the names added in the edit itself and those of the override file, version after version', () => {
    const files: Record<string, string> = { '/p/compose.override.yaml': lines('services:', '  extra:', '    image: redis') };
    const { complete } = editor(files);
    const first = complete(lines('services:', '  web:', '    image: nginx', '    depends_on: [|]', '  db:', '    image: postgres'));
    assert.deepEqual(labels(first), ['db', 'extra']);
    const second = complete(lines('services:', '  web:', '    image: nginx', '    depends_on: [|]', '  db:', '    image: postgres', '  cache:', '    image: valkey'));
    assert.deepEqual(labels(second), ['cache', 'db', 'extra']);
    assert.equal(second.find((item) => item.label === 'cache')?.detail, 'service (image valkey)');
    files['/p/compose.override.yaml'] = lines('services:', '  worker:', '    build: .');
    const third = complete(lines('services:', '  web:', '    image: nginx', '    depends_on: [|]', '  db:', '    image: postgres'));
    assert.deepEqual(labels(third), ['db', 'worker']);
    assert.equal(third.find((item) => item.label === 'worker')?.detail, 'service (built)');
  });

  it('offers the variables of the .env file as it is now', () => {
    const files: Record<string, string> = { '/p/.env': 'TAG=1\n' };
    const { complete } = editor(files);
    const text = lines('services:', '  web:', '    image: nginx:${|}');
    assert.deepEqual(labels(complete(text)).filter((label) => label !== 'COMPOSE_PROJECT_NAME'), ['FROM_PROCESS', 'TAG']);
    files['/p/.env'] = 'TAG=1\nREGISTRY=local\n';
    assert.deepEqual(labels(complete(text)).filter((label) => label !== 'COMPOSE_PROJECT_NAME'), ['FROM_PROCESS', 'REGISTRY', 'TAG']);
  });

  it('shows a service merged with the override file and interpolated in hovers', () => {
    const files: Record<string, string> = { '/p/compose.override.yaml': lines('services:', '  db:', '    image: postgres:${PG}'), '/p/.env': 'PG=17\n' };
    const { hover } = editor(files);
    const shown = hover(lines('services:', '  web:', '    image: nginx', '    depends_on: [d|b]', '  db:', '    image: postgres:16', '    environment: {A: 1}'));
    assert.match(shown, /image: `postgres:17`/);
  });

  it('sees in the outline exactly the names, images, builds, profiles and environment of the full project', () => {
    const files: Record<string, string> = {
      '/p/compose.yaml': lines(
        'name: ${PROJECT:-shop}',
        'include:',
        '  - lib/compose.yaml',
        'x-common: &common',
        '  image: base:${TAG}',
        '  profiles: [dev]',
        'services:',
        '  web:',
        '    <<: *common',
        '    build: {context: ./web, target: runtime}',
        '    ports: ["80:80"]',
        '  api:',
        '    extends: {file: base.yaml, service: app}',
        '  admin:',
        '    extends: web',
        '    image: admin:${TAG:-x}',
        '  gone:',
        '    image: soon',
        'networks: {front: {driver: bridge}}',
        'volumes: {data: {}}',
        'secrets: {key: {file: ./key}}',
        'configs: {site: {content: hi}}',
      ),
      '/p/compose.override.yaml': lines('services:', '  gone: !reset {}', '  web:', '    image: web:${TAG}', '    profiles: !override [prod]', 'networks:', '  back: {}'),
      '/p/base.yaml': lines('services:', '  app:', '    image: app:${TAG}', '    build: ./app'),
      '/p/lib/compose.yaml': lines('services:', '  lib:', '    image: lib:${LIB}', 'volumes: {libdata: {}}'),
      '/p/lib/.env': 'LIB=2\n',
      '/p/.env': 'TAG=3\n',
    };
    const documents = new ComposeDocuments({ readFile: (path) => files[path], exists: (path) => path in files }, { PROJECT: 'Shop' });
    const context = documents.get(TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, files['/p/compose.yaml']!));
    const outline = context.outline();
    const full = documents.get(TextDocument.create('file:///p/compose.yaml', 'dockercompose', 2, files['/p/compose.yaml']!)).project();
    assert.notEqual(outline, full);
    for (const kind of ['services', 'networks', 'volumes', 'secrets', 'configs'] as const) assert.deepEqual([...declaredNames(outline.model, kind)], [...declaredNames(full.model, kind)], kind);
    assert.deepEqual([...declaredNames(full.model, 'services')].sort(), ['admin', 'api', 'lib', 'web']);
    for (const service of declaredNames(full.model, 'services')) {
      for (const key of ['image', 'build', 'profiles']) {
        const node = (model: typeof full.model) => get(get(get(model, 'services'), service), key);
        assert.deepEqual(toJS(node(outline.model)), toJS(node(full.model)), `${service}.${key}`);
      }
    }
    assert.equal(toJS(get(get(get(full.model, 'services'), 'lib'), 'image')), 'lib:2');
    assert.deepEqual([...outline.environment], [...full.environment]);
    assert.equal(outline.name, full.name);
    assert.deepEqual(toJS(get(outline.model, 'networks')), toJS(get(full.model, 'networks')));
  });
});
