import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';

/** Every quick fix offered for the diagnostics of one code, each as its title and the text after applying it. */
function allFixes(text: string, code: string): { title: string; result: string }[] {
  const service = getLanguageService();
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  const diagnostics = service.validate(document).filter((diagnostic) => diagnostic.code === code);
  assert.ok(diagnostics.length > 0, `a ${code} diagnostic for ${JSON.stringify(text)}`);
  return service.codeActions(document, diagnostics).map((action: CodeAction) => ({
    title: action.title,
    result: TextDocument.applyEdits(document, (action.edit?.changes?.[document.uri] ?? []) as TextEdit[]),
  }));
}

/** The quick fixes that repair (the "Ignore …" ones left out). */
function fixes(text: string, code: string): { title: string; result: string }[] {
  return allFixes(text, code).filter((fix) => !fix.title.startsWith('Ignore '));
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
      service
        .codeActions(document, diagnostics.filter((diagnostic) => diagnostic.code === 'undefined-service'))
        .filter((action) => action.edit && !action.title.startsWith('Ignore ')),
      [],
    );
  });

  it('ignores a code on its line, and the diagnostic is gone', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [ghost]\n    networks: [nowhere]\n';
    const here = allFixes(text, 'undefined-service').find((fix) => fix.title === 'Ignore undefined-service here');
    assert.equal(here?.result, 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-service\n    depends_on: [ghost]\n    networks: [nowhere]\n');
    assert.deepEqual(diagnosticCodes(here!.result), ['undefined-network']);
  });

  it('adds the code to a pragma already above the line', () => {
    const text = 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-network\n    depends_on: [ghost]\n';
    const here = allFixes(text, 'undefined-service').find((fix) => fix.title === 'Ignore undefined-service here');
    assert.equal(here?.result, text.replace('ignore=undefined-network', 'ignore=undefined-network,undefined-service'));
    assert.deepEqual(diagnosticCodes(here!.result), []);
  });

  it('ignores a code in the whole file', () => {
    const text = 'version: "3"\nservices:\n  web:\n    image: nginx\n    depends_on: [ghost, phantom]\n';
    const offered = allFixes(text, 'undefined-service');
    assert.equal(offered.filter((fix) => fix.title === 'Ignore undefined-service in this file').length, 1);
    const file = offered.find((fix) => fix.title === 'Ignore undefined-service in this file')!;
    assert.equal(file.result, '# berth global ignore=undefined-service\n' + text);
    assert.deepEqual(diagnosticCodes(file.result), ['obsolete-version']);
    const both = allFixes(file.result, 'obsolete-version').find((fix) => fix.title === 'Ignore obsolete-version in this file')!;
    assert.equal(both.result, '# berth global ignore=undefined-service,obsolete-version\n' + text);
    assert.deepEqual(diagnosticCodes(both.result), []);
  });

  it('offers an ignore for every compose code, schema errors included', () => {
    const text = 'services:\n  web:\n    image: nginx\n    restrat: always\n';
    const here = allFixes(text, 'schema').find((fix) => fix.title === 'Ignore schema here');
    assert.ok(here, 'an ignore fix for schema');
    assert.deepEqual(diagnosticCodes(here.result), []);
  });
});
