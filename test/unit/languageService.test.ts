import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service/languageService';

const service = getLanguageService();
const dockerfile = (text: string) => TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);

describe('language service', () => {
  it('reports an instruction before the first FROM, on its keyword', () => {
    const [diagnostic, ...rest] = service.validate(dockerfile('# syntax=docker/dockerfile:1\n\n  run echo hi\nFROM alpine:3.20\n'));
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.code, 'DL3061');
    assert.deepEqual(diagnostic!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
    assert.match(diagnostic!.message, /^RUN comes before any FROM/);
  });

  it('accepts ARG before FROM and any case of FROM', () => {
    assert.deepEqual(service.validate(dockerfile('ARG V=1\nfrom alpine:${V}\n')), []);
  });

  it('checks compose files with the compose checks, not the Dockerfile rules', () => {
    const diagnostics = service.validate(TextDocument.create('file:///w/compose.yaml', 'dockercompose', 1, 'RUN: x\n'));
    assert.deepEqual(diagnostics.map((d) => d.code), ['schema']);
    assert.match(diagnostics[0]!.message, /unknown key "RUN"/);
  });
});
