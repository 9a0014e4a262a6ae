import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';

import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileFoldingRanges, type FoldingOptions } from '../../server/src/service/folding';

const lines = (...parts: string[]): string => parts.join('\n');

function foldsOf(text: string, options?: FoldingOptions): FoldingRange[] {
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  return dockerfileFoldingRanges(document, analyzeDockerfile(text), options);
}

/** Each fold as the user sees it: the line left visible, and the last line hidden. */
function shown(text: string, options?: FoldingOptions): string[] {
  const all = text.split(/\r\n|\r|\n/);
  return foldsOf(text, options).map(
    (fold) => `${fold.startLine}-${fold.endLine}${fold.kind ? ` (${fold.kind})` : ''}: ${all[fold.startLine]} … ${all[fold.endLine]}`,
  );
}

describe('folding ranges', () => {
  it('folds stages, multi-line instructions and comment blocks', () => {
    const text = lines(
      '# syntax=docker/dockerfile:1', // 0
      '# Builds the app.', // 1
      'FROM golang:1.22 AS build', // 2
      'WORKDIR /src', // 3
      'RUN go mod download && \\', // 4
      '    go build ./...', // 5
      '', // 6
      '# runtime', // 7
      'FROM alpine', // 8
      'COPY --from=build /out /app', // 9
    );
    assert.deepEqual(shown(text), [
      '0-1 (comment): # syntax=docker/dockerfile:1 … # Builds the app.',
      '2-5: FROM golang:1.22 AS build …     go build ./...',
      '4-5: RUN go mod download && \\ …     go build ./...',
      '8-9: FROM alpine … COPY --from=build /out /app',
    ]);
  });

  it('folds the last stage and an instruction that end at the end of the file', () => {
    const text = lines('FROM alpine', 'RUN apk add \\', '      curl');
    assert.deepEqual(shown(text), ['0-2: FROM alpine …       curl', '1-2: RUN apk add \\ …       curl']);
    // Same with a trailing line break, with CRLF, and with trailing blank lines.
    assert.deepEqual(foldsOf(`${text}\n`), foldsOf(text));
    assert.deepEqual(foldsOf(text.replace(/\n/g, '\r\n') + '\r\n'), foldsOf(text));
    assert.deepEqual(foldsOf(`${text}\n\n\n`), foldsOf(text));
  });

  it('folds heredoc bodies, keeping the terminator visible', () => {
    const text = lines(
      'FROM alpine', // 0
      'RUN <<EOF', // 1
      'apk add curl', // 2
      'apk add git', // 3
      'EOF', // 4
      'COPY <<A <<B /dst/', // 5
      'first', // 6
      'A', // 7
      'second', // 8
      'more', // 9
      'B', // 10
    );
    assert.deepEqual(shown(text), [
      '0-10: FROM alpine … B',
      // The instruction fold (to the terminator) wins over the body fold starting on the same line.
      '1-4: RUN <<EOF … EOF',
      '5-10: COPY <<A <<B /dst/ … B',
      '7-9: A … more',
    ]);
  });

  it('folds a heredoc body separately when the instruction starts on an earlier line', () => {
    const text = lines('FROM alpine', 'RUN --mount=type=cache,target=/var/cache/apk \\', '    <<EOF', 'apk add curl', 'apk add git', 'EOF');
    assert.deepEqual(shown(text), ['0-5: FROM alpine … EOF', '1-5: RUN --mount=type=cache,target=/var/cache/apk \\ … EOF', '2-4:     <<EOF … apk add git']);
  });

  it('folds an unterminated heredoc to the end of the file', () => {
    const text = lines('FROM alpine', 'RUN <<EOF', 'echo one', 'echo two', '');
    assert.deepEqual(shown(text), ['0-3: FROM alpine … echo two', '1-3: RUN <<EOF … echo two']);
  });

  it('folds comment blocks of two lines or more, including comments between continuation lines', () => {
    const text = lines(
      '# one line', // 0
      'FROM alpine', // 1
      '# a', // 2
      '# b', // 3
      '', // 4
      '# c', // 5
      'RUN apk add \\', // 6
      '  # curl is needed for the health check', // 7
      '  # and so is jq', // 8
      '  curl jq', // 9
    );
    assert.deepEqual(shown(text), [
      '1-9: FROM alpine …   curl jq',
      '2-3 (comment): # a … # b',
      '6-9: RUN apk add \\ …   curl jq',
      '7-8 (comment):   # curl is needed for the health check …   # and so is jq',
    ]);
    assert.ok(foldsOf(text).filter((fold) => fold.kind === FoldingRangeKind.Comment).every((fold) => fold.endLine > fold.startLine));
  });

  it('folds nothing in one-line instructions and one-line stages', () => {
    assert.deepEqual(foldsOf('FROM alpine\nFROM busybox\n'), []);
    assert.deepEqual(foldsOf(''), []);
  });

  it('copes with partial Dockerfiles', () => {
    assert.deepEqual(shown('RUN echo \\'), []);
    assert.deepEqual(shown('ARG A=1 \\\n  B=2'), ['0-1: ARG A=1 \\ …   B=2']);
    assert.deepEqual(shown('FROM alpine \\\n AS base\nRUN x'), ['0-2: FROM alpine \\ … RUN x']);
    assert.deepEqual(shown('FROM alpine\nONBUILD RUN <<EOF\necho\nEOF'), ['0-3: FROM alpine … EOF', '1-3: ONBUILD RUN <<EOF … EOF']);
  });

  it('keeps the outermost folds when the client sets a limit', () => {
    const text = lines('FROM alpine', 'RUN a \\', '  b', 'RUN c \\', '  d', 'FROM busybox', 'RUN e \\', '  f');
    assert.equal(foldsOf(text).length, 5);
    assert.deepEqual(shown(text, { rangeLimit: 2 }), ['0-4: FROM alpine …   d', '5-7: FROM busybox …   f']);
    assert.deepEqual(foldsOf(text, { rangeLimit: 0 }), []);
  });
});
