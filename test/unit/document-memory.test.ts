import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintText } from '../../server/src/lint/lint';
import { DEFAULT_LINT_SETTINGS } from '../../server/src/rules/settings';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateCompose } from '../bench/composeProjects';
import { generateDockerfile } from '../bench/generate';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap in use once everything unreachable is collected, in MB. */
function heapMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

// 2,000-line Dockerfiles, each different: kept, forty of their models and findings take well over 40 MB.
const FILES = 40;
const large = generateDockerfile(2000);
const fileText = (index: number) => `${large}# file ${index}\n`;

describe('what is kept about documents', () => {
  it('lets go of a Dockerfile the editor closed: opening and closing many files does not grow the heap', () => {
    const service = getLanguageService();
    const open = (index: number, version: number) => TextDocument.create(`file:///project/${index}/Dockerfile`, 'dockerfile', version, fileText(index));
    // Once before measuring, so that what every lint allocates once (compiled code, tables) is not counted.
    service.validate(open(-1, 1));
    service.validate(open(-1, 2));
    service.forget('file:///project/-1/Dockerfile');
    const before = heapMb();
    for (let index = 0; index < FILES; index++) {
      // Opened, edited once (the linter then keeps what it found), closed.
      assert.ok(service.validate(open(index, 1)).length > 0);
      service.validate(open(index, 2));
      service.forget(`file:///project/${index}/Dockerfile`);
    }
    const grown = heapMb() - before;
    assert.ok(grown < 8, `the heap grew by ${grown.toFixed(1)} MB over ${FILES} closed documents`);
  });

  it('still gives the same findings for a document opened again after it was forgotten', () => {
    const service = getLanguageService();
    const document = TextDocument.create('file:///project/Dockerfile', 'dockerfile', 1, 'FROM debian:12\nRUN apt-get install curl\n');
    const first = service.validate(document);
    service.forget(document.uri);
    assert.deepEqual(service.validate(document), first);
    assert.ok(first.some((diagnostic) => diagnostic.code === 'DL3008'));
  });

  it('keeps one version of a compose file while its port and volume values are typed into', () => {
    const base = generateCompose(1000);
    const service = getLanguageService({ environment: {} });
    // A keystroke in a port, then in a volume of one service: each version's value is new to the caches of read specs.
    const typed = (index: number) =>
      TextDocument.create('file:///project/compose.yaml', 'dockercompose', index + 2, index % 2 ? base.replace('"10000:8080"', `"127.0.0.1:10000:${8000 + index}"`) : base.replace('./data/svc0:/data', `./data/svc0:/data${index}`));
    service.validate(typed(-2));
    const findings = service.validate(typed(-1)).length;
    const before = heapMb();
    const versions = 20;
    for (let index = 0; index < versions; index++) assert.equal(service.validate(typed(index)).length, findings);
    const grown = heapMb() - before;
    // Each version's text is over a megabyte: keeping them would take twenty.
    assert.ok(grown < 8, `the heap grew by ${grown.toFixed(1)} MB over ${versions} versions of a ${(base.length / 2 ** 20).toFixed(1)} MB compose file`);
  });

  it('berth lint keeps nothing of a file once it is linted', () => {
    // ShellCheck off: it keeps nothing either, and would run once per RUN.
    const settings = { ...DEFAULT_LINT_SETTINGS, shellcheck: false };
    lintText(fileText(-1), 'warm/Dockerfile', settings);
    const before = heapMb();
    for (let index = 0; index < FILES; index++) assert.ok(lintText(fileText(index), `files/${index}/Dockerfile`, settings).length > 0);
    const grown = heapMb() - before;
    assert.ok(grown < 8, `the heap grew by ${grown.toFixed(1)} MB over ${FILES} linted files`);
  });
});
