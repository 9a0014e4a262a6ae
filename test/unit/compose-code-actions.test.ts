import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';

/** The quick fixes offered for the diagnostics of one code, each as its title and the text after applying it. */
function fixes(text: string, code: string): { title: string; result: string }[] {
  const service = getLanguageService();
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  const diagnostics = service.validate(document).filter((diagnostic) => diagnostic.code === code);
  assert.ok(diagnostics.length > 0, `a ${code} diagnostic for ${JSON.stringify(text)}`);
  return service.codeActions(document, diagnostics).map((action: CodeAction) => ({
    title: action.title,
    result: TextDocument.applyEdits(document, (action.edit?.changes?.[document.uri] ?? []) as TextEdit[]),
  }));
}

function diagnosticCodes(text: string): string[] {
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  return getLanguageService().validate(document).map((diagnostic) => String(diagnostic.code));
}

describe('compose quick fixes', () => {
  it('renames a misspelled key to the schema\'s suggestion', () => {
    const text = 'services:\n  web:\n    image: nginx\n    restrat: always\n';
    const offered = fixes(text, 'schema');
    assert.deepEqual(offered, [{ title: 'Change to "restart"', result: text.replace('restrat', 'restart') }]);
    assert.ok(!diagnosticCodes(offered[0]!.result).includes('schema'));
  });

  it('removes the obsolete version with its line and comment', () => {
    const text = '# shop\nversion: "3.8"   # old\nservices:\n  web:\n    image: nginx\n';
    assert.deepEqual(fixes(text, 'obsolete-version'), [{ title: 'Remove the obsolete `version`', result: '# shop\nservices:\n  web:\n    image: nginx\n' }]);
  });

  it('declares a missing network under the existing top-level key', () => {
    const text = 'services:\n  web:\n    image: nginx\n    networks: [front, back]\nnetworks:\n    front: {}\n';
    const [fix] = fixes(text, 'undefined-network');
    assert.deepEqual(fix, { title: 'Declare network "back" under the top-level networks', result: text + '    back: {}\n' });
    assert.ok(!diagnosticCodes(fix!.result).includes('undefined-network'));
  });

  it('creates the top-level key at the end when there is none', () => {
    const volume = 'services:\n  db:\n    image: postgres\n    volumes:\n      - pgdata:/var/lib/postgresql/data';
    const [fix] = fixes(volume, 'undefined-volume');
    assert.deepEqual(fix, { title: 'Declare volume "pgdata" under the top-level volumes', result: volume + '\nvolumes:\n  pgdata: {}\n' });
    assert.deepEqual(diagnosticCodes(fix!.result), []);

    const secret = 'services:\n  web:\n    image: nginx\n    secrets: [api_key]\n';
    const [secretFix] = fixes(secret, 'undefined-secret');
    assert.equal(secretFix!.result, secret + 'secrets:\n  api_key:\n    file: ./api_key\n');
    assert.ok(!diagnosticCodes(secretFix!.result).includes('undefined-secret'));
  });

  it('declares under an empty or flow top-level key', () => {
    const empty = 'services:\n  web:\n    image: nginx\n    configs: [site]\nconfigs:\n';
    assert.equal(fixes(empty, 'undefined-config')[0]!.result, 'services:\n  web:\n    image: nginx\n    configs: [site]\nconfigs:\n  site:\n    file: ./site\n');
    const flow = 'services:\n  web:\n    image: nginx\n    networks: [a, b]\nnetworks: {a: {}}\n';
    const result = fixes(flow, 'undefined-network')[0]!.result;
    assert.equal(result, 'services:\n  web:\n    image: nginx\n    networks: [a, b]\nnetworks: {a: {}, b: {}}\n');
    assert.ok(!diagnosticCodes(result).includes('undefined-network'));
    const emptyFlow = 'services:\n  web:\n    image: nginx\n    networks: [a]\nnetworks: {}\n';
    assert.equal(fixes(emptyFlow, 'undefined-network')[0]!.result, 'services:\n  web:\n    image: nginx\n    networks: [a]\nnetworks: { a: {} }\n');
  });

  it('removes either entry of a duplicate key, whole', () => {
    const text = 'services:\n  web:\n    image: nginx\n    environment:\n      A: 1\n    ports: ["80:80"]\n    environment:\n      B: 2\n      C: 3\n';
    assert.deepEqual(fixes(text, 'duplicate-key'), [
      { title: 'Remove this "environment" entry (line 7)', result: 'services:\n  web:\n    image: nginx\n    environment:\n      A: 1\n    ports: ["80:80"]\n' },
      { title: 'Remove the earlier "environment" entry (line 4)', result: 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    environment:\n      B: 2\n      C: 3\n' },
    ]);
    const flow = 'services:\n  web: {image: a, image: b}\n';
    assert.deepEqual(
      fixes(flow, 'duplicate-key').map((fix) => fix.result),
      ['services:\n  web: {image: a}\n', 'services:\n  web: {image: b}\n'],
    );
  });

  it('offers nothing for diagnostics it cannot fix', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [ghost]\n';
    const service = getLanguageService();
    const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
    const diagnostics = service.validate(document);
    assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 'undefined-service'));
    assert.deepEqual(
      service.codeActions(document, diagnostics.filter((diagnostic) => diagnostic.code === 'undefined-service')).filter((action) => action.edit),
      [],
    );
  });
});
