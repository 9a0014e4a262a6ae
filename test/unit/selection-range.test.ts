import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, SelectionRange } from 'vscode-languageserver-types';

import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileSelectionRanges } from '../../server/src/service/selectionRange';

const lines = (...parts: string[]): string => parts.join('\n');

/**
 * What "expand selection" selects, step by step, with the cursor where `|`
 * is written in `marked` (the `|` itself is not part of the document).
 */
function expansions(marked: string): string[] {
  const cursor = marked.indexOf('|');
  assert.ok(cursor >= 0, 'no | in the text');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  const [selection] = dockerfileSelectionRanges(document, analyzeDockerfile(text), [document.positionAt(cursor)]);
  assertNested(document, selection!, cursor);
  const steps: string[] = [];
  for (let step: SelectionRange | undefined = selection; step; step = step.parent) steps.push(document.getText(step.range));
  return steps;
}

/** Each range strictly contains the previous one, and the first contains the cursor. */
function assertNested(document: TextDocument, selection: SelectionRange, cursor: number): void {
  let inner = { start: cursor, end: cursor };
  let first = true;
  for (let step: SelectionRange | undefined = selection; step; step = step.parent) {
    const range = { start: document.offsetAt(step.range.start), end: document.offsetAt(step.range.end) };
    assert.ok(range.start <= inner.start && range.end >= inner.end, 'a range does not contain the previous one');
    if (!first) assert.ok(range.start < inner.start || range.end > inner.end, 'a range repeats the previous one');
    inner = range;
    first = false;
  }
}

describe('selection ranges', () => {
  it('expands from a shell word to its command, the && list, the instruction, the stage and the document', () => {
    const text = lines('FROM alpine', 'RUN apt-get update && apt-get install -y cu|rl="$V" && rm -rf /x', '');
    assert.deepEqual(expansions(text), [
      'curl',
      'curl="$V"',
      'apt-get install -y curl="$V"',
      'apt-get update && apt-get install -y curl="$V" && rm -rf /x',
      'RUN apt-get update && apt-get install -y curl="$V" && rm -rf /x',
      'FROM alpine\nRUN apt-get update && apt-get install -y curl="$V" && rm -rf /x',
      'FROM alpine\nRUN apt-get update && apt-get install -y curl="$V" && rm -rf /x\n',
    ]);
  });

  it('goes through a variable reference and its flag', () => {
    assert.deepEqual(expansions('FROM --platform=$BUILD|PLATFORM golang:1.22 AS build'), [
      'BUILDPLATFORM',
      '$BUILDPLATFORM',
      '--platform=$BUILDPLATFORM',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
    ]);
  });

  it('splits an image into name and tag', () => {
    assert.deepEqual(expansions('FROM golang:1.|22 AS build\nRUN go version'), [
      '1.22',
      'golang:1.22',
      'golang:1.22 AS build',
      'FROM golang:1.22 AS build',
      'FROM golang:1.22 AS build\nRUN go version',
    ]);
    assert.deepEqual(expansions('FROM gol|ang:1.22 AS build').slice(0, 2), ['golang', 'golang:1.22']);
    assert.deepEqual(expansions('FROM golang AS bu|ild').slice(0, 2), ['build', 'golang AS build']);
  });

  it('goes through the fields of --mount', () => {
    assert.deepEqual(expansions('FROM alpine\nRUN --mount=type=cache,target=/root/.ca|che pip install .'), [
      '/root/.cache',
      'target=/root/.cache',
      'type=cache,target=/root/.cache',
      '--mount=type=cache,target=/root/.cache',
      'RUN --mount=type=cache,target=/root/.cache pip install .',
      'FROM alpine\nRUN --mount=type=cache,target=/root/.cache pip install .',
    ]);
  });

  it('goes through a quoted value, its pair and the pairs of ENV', () => {
    assert.deepEqual(expansions('FROM alpine\nENV A="hello wo|rld" B=2'), [
      'world',
      'hello world',
      '"hello world"',
      'A="hello world"',
      'A="hello world" B=2',
      'ENV A="hello world" B=2',
      'FROM alpine\nENV A="hello world" B=2',
    ]);
    assert.deepEqual(expansions('ARG VER|SION=1\nFROM alpine:$VERSION'), [
      'VERSION',
      'VERSION=1',
      'ARG VERSION=1',
      'ARG VERSION=1\nFROM alpine:$VERSION',
    ]);
  });

  it('goes through a JSON string and the array', () => {
    assert.deepEqual(expansions('FROM alpine\nCMD ["echo", "hel|lo"]'), [
      'hello',
      '"hello"',
      '["echo", "hello"]',
      'CMD ["echo", "hello"]',
      'FROM alpine\nCMD ["echo", "hello"]',
    ]);
  });

  it('reads a RUN heredoc body as a script', () => {
    assert.deepEqual(expansions('FROM alpine\nRUN <<EOF\napt-get inst|all -y curl\necho done\nEOF\n'), [
      'install',
      'apt-get install -y curl',
      'apt-get install -y curl\necho done',
      'RUN <<EOF\napt-get install -y curl\necho done\nEOF',
      'FROM alpine\nRUN <<EOF\napt-get install -y curl\necho done\nEOF',
      'FROM alpine\nRUN <<EOF\napt-get install -y curl\necho done\nEOF\n',
    ]);
    // A COPY heredoc body is data: its line, then the body.
    assert.deepEqual(expansions('FROM alpine\nCOPY <<EOF /etc/motd\nWel|come here\nEOF').slice(0, 4), [
      'Welcome',
      'Welcome here',
      'COPY <<EOF /etc/motd\nWelcome here\nEOF',
      'FROM alpine\nCOPY <<EOF /etc/motd\nWelcome here\nEOF',
    ]);
  });

  it('follows a word over continuation lines', () => {
    assert.deepEqual(expansions('FROM a\nRUN echo \\\n  he|llo \\\n  world'), [
      'hello',
      'echo \\\n  hello \\\n  world',
      'RUN echo \\\n  hello \\\n  world',
      'FROM a\nRUN echo \\\n  hello \\\n  world',
    ]);
  });

  it('goes from an ONBUILD trigger to the ONBUILD instruction', () => {
    assert.deepEqual(expansions('FROM a\nONBUILD RUN ech|o hi'), ['echo', 'echo hi', 'RUN echo hi', 'ONBUILD RUN echo hi', 'FROM a\nONBUILD RUN echo hi']);
  });

  it('selects comments and their block', () => {
    assert.deepEqual(expansions('# first\n# sec|ond line\n# third\nFROM x\n'), [
      'second',
      'second line',
      '# second line',
      '# first\n# second line\n# third',
      '# first\n# second line\n# third\nFROM x\n',
    ]);
    assert.deepEqual(expansions('# syntax=docker/dock|erfile:1\nFROM x'), [
      'docker/dockerfile',
      'docker/dockerfile:1',
      'syntax=docker/dockerfile:1',
      '# syntax=docker/dockerfile:1',
      '# syntax=docker/dockerfile:1\nFROM x',
    ]);
  });

  it('handles several positions, blank lines, the ends of the document and empty documents', () => {
    const text = 'FROM a\n\n\nRUN x';
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const model = analyzeDockerfile(text);
    const positions: Position[] = [
      { line: 1, character: 0 },
      { line: 0, character: 0 },
      { line: 3, character: 5 },
      { line: 99, character: 99 },
    ];
    const selections = dockerfileSelectionRanges(document, model, positions);
    assert.equal(selections.length, 4);
    assert.equal(document.getText(selections[0]!.range), text);
    assert.equal(document.getText(selections[1]!.range), 'FROM');
    assert.equal(document.getText(selections[2]!.range), 'x');
    assert.equal(document.getText(selections[3]!.range), 'x');

    const empty = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, '');
    assert.deepEqual(dockerfileSelectionRanges(empty, analyzeDockerfile(''), [{ line: 0, character: 0 }]), [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    ]);
  });

  it('copes with Dockerfiles being typed', () => {
    assert.deepEqual(expansions('FROM alpine\nRUN echo "untermin|ated'), [
      'unterminated',
      '"unterminated',
      'echo "unterminated',
      'RUN echo "unterminated',
      'FROM alpine\nRUN echo "unterminated',
    ]);
    // White space after the last word belongs to the instruction only.
    assert.deepEqual(expansions('FROM alpine\nRUN echo $(date |'), ['RUN echo $(date ', 'FROM alpine\nRUN echo $(date ']);
    assert.deepEqual(expansions('FROM alpine\nCOPY --from=| /a /b'), ['--from=', 'COPY --from= /a /b', 'FROM alpine\nCOPY --from= /a /b']);
    assert.deepEqual(expansions('FROM alpine\nRUN <<EOF\necho |'), ['echo ', 'RUN <<EOF\necho ', 'FROM alpine\nRUN <<EOF\necho ']);
    assert.deepEqual(expansions('FR|'), ['FR']);
  });
});
