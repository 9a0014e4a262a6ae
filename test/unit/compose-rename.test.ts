import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';
import { isRenameRefusal } from '../../server/src/service/rename';

function workspace(files: Record<string, string>) {
  const all = new Map(Object.entries(files).map(([name, text]) => [`/p/${name}`, text]));
  const service = getLanguageService({
    files: {
      readFile: (path) => all.get(path),
      exists: (path) => all.has(path) || [...all.keys()].some((file) => file.startsWith(path.replace(/\/?$/, '/'))),
    },
  });
  const at = (name: string, needle: string, offset = 1, nth = 0): { document: TextDocument; position: Position } => {
    const document = TextDocument.create(`file:///p/${name}`, 'dockercompose', 1, all.get(`/p/${name}`)!);
    let index = -1;
    for (let i = 0; i <= nth; i++) index = document.getText().indexOf(needle, index + 1);
    assert.ok(index >= 0, needle);
    return { document, position: document.positionAt(index + offset) };
  };
  /** Every file's text after the edit (only the files it changes). */
  const apply = (edit: WorkspaceEdit): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const name = uri.replace('file:///p/', '');
      out[name] = TextDocument.applyEdits(TextDocument.create(uri, 'dockercompose', 1, all.get(`/p/${name}`)!), edits as TextEdit[]);
    }
    return out;
  };
  const rename = (name: string, needle: string, newName: string, offset = 1, nth = 0) => {
    const { document, position } = at(name, needle, offset, nth);
    const outcome = service.rename(document, position, newName)!;
    if (isRenameRefusal(outcome)) return outcome;
    return apply(outcome);
  };
  const prepare = (name: string, needle: string, offset = 1, nth = 0) => {
    const { document, position } = at(name, needle, offset, nth);
    const outcome = service.prepareRename(document, position)!;
    return isRenameRefusal(outcome) ? outcome : { text: document.getText(outcome.range), placeholder: outcome.placeholder };
  };
  return { rename, prepare };
}

describe('compose rename', () => {
  it('renames a service at its declaration and every reference', () => {
    const text = 'services:\n  db:\n    image: postgres\n  web:\n    depends_on: [db]\n    links: ["db:database"]\n    network_mode: service:db\n    volumes_from: [db:ro]\n  worker:\n    depends_on:\n      db:\n        condition: service_started\n    build:\n      context: .\n      additional_contexts:\n        - base=service:db\n';
    const { rename, prepare } = workspace({ 'compose.yaml': text });
    assert.deepEqual(prepare('compose.yaml', '[db]'), { text: 'db', placeholder: 'db' });
    assert.deepEqual(rename('compose.yaml', '[db]', 'database'), {
      'compose.yaml': text.replace(/\bdb\b(?!:database)|db(?=:database)/g, 'database').replace('database:database', 'database:database'),
    });
    const renamed = rename('compose.yaml', '  db:', 'store', 3) as Record<string, string>;
    assert.equal(renamed['compose.yaml']!.match(/\bstore\b/g)!.length, 7);
    assert.ok(!/\bdb\b/.test(renamed['compose.yaml']!.replace('"store:database"', '')));
  });

  it('renames across the override file, included files and extends files', () => {
    const files = {
      'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    extends:\n      file: base.yaml\n      service: common\n    depends_on: [db]\n    networks: [back]\n',
      'compose.override.yaml': 'services:\n  web:\n    environment: [A=1]\n',
      'sub/compose.yaml': 'services:\n  db:\n    image: postgres\n    networks: [back]\nnetworks:\n  back: {}\n',
      'base.yaml': 'services:\n  common:\n    image: nginx\n  web:\n    extends: common\n',
    };
    const { rename } = workspace(files);
    assert.deepEqual(rename('compose.yaml', 'web', 'site', 0), {
      'compose.yaml': files['compose.yaml'].replace('web', 'site'),
      'compose.override.yaml': files['compose.override.yaml'].replace('web', 'site'),
    });
    assert.deepEqual(rename('compose.yaml', 'service: common', 'shared', 9), {
      'compose.yaml': files['compose.yaml'].replace('service: common', 'service: shared'),
      'base.yaml': files['base.yaml'].replace(/common/g, 'shared'),
    });
    assert.deepEqual(rename('compose.yaml', '[back]', 'internal'), {
      'compose.yaml': files['compose.yaml'].replace('[back]', '[internal]'),
      'sub/compose.yaml': files['sub/compose.yaml'].replace(/back/g, 'internal'),
    });
  });

  it('renames volumes in short and long syntax, secrets and configs, keeping quotes', () => {
    const text = 'services:\n  web:\n    volumes:\n      - "data:/data"\n      - type: volume\n        source: data\n        target: /more\n    secrets: [token, {source: token, target: t}]\n    configs: [\'conf\']\nvolumes:\n  data: {}\nsecrets:\n  token: {file: ./t}\nconfigs:\n  conf: {file: ./c}\n';
    const { rename } = workspace({ 'compose.yaml': text });
    assert.deepEqual(rename('compose.yaml', 'data: {}', 'store', 0), { 'compose.yaml': text.replace('"data:', '"store:').replace('source: data', 'source: store').replace('data: {}', 'store: {}') });
    assert.deepEqual(rename('compose.yaml', '[token', 'key'), { 'compose.yaml': text.replace(/token/g, 'key') });
    assert.deepEqual(rename('compose.yaml', "'conf'", 'settings'), { 'compose.yaml': text.replace(/conf(?=')|conf(?=: )/g, 'settings') });
  });

  it('renames an anchor and its aliases, merge keys included', () => {
    const text = 'x-common: &common\n  restart: always\nservices:\n  web:\n    <<: *common\n  api:\n    <<: [*common]\n    labels: &common {a: b}\n    x: *common\n';
    const { rename, prepare } = workspace({ 'compose.yaml': text });
    assert.deepEqual(prepare('compose.yaml', '*common', 3), { text: '*common', placeholder: 'common' });
    assert.deepEqual(rename('compose.yaml', '*common', 'defaults', 3), {
      'compose.yaml': text.replace('&common\n', '&defaults\n').replace('<<: *common', '<<: *defaults').replace('[*common]', '[*defaults]'),
    });
    // The second `&common` starts a new anchor: renaming it leaves the first one's aliases alone.
    assert.deepEqual(rename('compose.yaml', '&common {', 'labels', 2), { 'compose.yaml': text.replace('&common {', '&labels {').replace('x: *common', 'x: *labels') });
    assert.ok(!('error' in rename('compose.yaml', '*common', 'x-y', 3)), 'a valid name is accepted');
    const clash = workspace({ 'compose.yaml': 'a: &one 1\nb: &two 2\nc: *one\n---\nd: &three 3\n' });
    assert.match((clash.rename('compose.yaml', '*one', 'two', 2) as { error: string }).error, /`&two` already exists in this YAML document \(compose\.yaml, line 2\)/);
    assert.deepEqual(clash.rename('compose.yaml', '*one', 'three', 2), { 'compose.yaml': 'a: &three 1\nb: &two 2\nc: *three\n---\nd: &three 3\n' }, 'another document is another scope');
    assert.match((rename('compose.yaml', '&common', 'a b', 2) as { error: string }).error, /not a plain anchor name/);
  });

  it('refuses invalid and clashing names, saying why', () => {
    const text = 'services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n';
    const { rename } = workspace({ 'compose.yaml': text });
    assert.match((rename('compose.yaml', 'web', '-web', 0) as { error: string }).error, /not a valid service name/);
    assert.match((rename('compose.yaml', 'web', 'my web', 0) as { error: string }).error, /not a valid service name/);
    assert.match((rename('compose.yaml', 'web', 'db', 0) as { error: string }).error, /already declared \(compose\.yaml, line 4\)/);
    assert.deepEqual(rename('compose.yaml', 'web', 'Web_2.x-y', 0), { 'compose.yaml': text.replace('web', 'Web_2.x-y') });
  });

  it('refuses to rename the default network', () => {
    const text = 'services:\n  web:\n    image: nginx\n    networks: [default]\nnetworks:\n  default:\n    driver: bridge\n';
    const { prepare } = workspace({ 'compose.yaml': text });
    assert.match((prepare('compose.yaml', '[default]') as { error: string }).error, /its name is fixed/);
  });

  it('refuses what is not a name', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [ghost]\n    volumes: [./src:/src]\nnetworks:\n  outside:\n    external: true\n  named:\n    external: true\n    name: real-net\n';
    const { prepare, rename } = workspace({ 'compose.yaml': text });
    assert.match((prepare('compose.yaml', 'image') as { error: string }).error, /`image` is a compose key/);
    assert.match((prepare('compose.yaml', 'nginx') as { error: string }).error, /Nothing to rename here/);
    assert.match((prepare('compose.yaml', './src') as { error: string }).error, /Nothing to rename here/);
    assert.match((prepare('compose.yaml', 'ghost') as { error: string }).error, /No service `ghost` is declared/);
    assert.match((prepare('compose.yaml', 'outside') as { error: string }).error, /external: its key is the name of an existing network/);
    assert.match((prepare('compose.yaml', 'real-net') as { error: string }).error, /name the network `named` has in the engine/);
    assert.match((rename('compose.yaml', 'named', 'default') as { error: string }).error, /network named `default` would replace/);
    // With `name:`, the key is the file's own name for the network and can change.
    assert.deepEqual(rename('compose.yaml', 'named', 'mine'), { 'compose.yaml': text.replace('named:', 'mine:') });
  });
});
