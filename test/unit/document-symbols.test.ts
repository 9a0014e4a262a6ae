import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';

import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileDocumentSymbols } from '../../server/src/service/documentSymbols';

const lines = (...parts: string[]): string => parts.join('\n');

function symbolsOf(text: string): { document: TextDocument; symbols: DocumentSymbol[] } {
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  return { document, symbols: dockerfileDocumentSymbols(document, analyzeDockerfile(text)) };
}

/** The outline as a user reads it: `name — detail`, children indented. */
function outline(symbols: DocumentSymbol[], indent = ''): string[] {
  return symbols.flatMap((symbol) => [
    `${indent}${symbol.name}${symbol.detail ? ` — ${symbol.detail}` : ''}`,
    ...outline(symbol.children ?? [], `${indent}  `),
  ]);
}

/** Checks LSP's nesting rules: selectionRange inside range, children inside their parent. */
function assertWellFormed(symbols: DocumentSymbol[], parent?: DocumentSymbol): void {
  const inside = (inner: Range, outer: Range) =>
    (inner.start.line > outer.start.line || (inner.start.line === outer.start.line && inner.start.character >= outer.start.character)) &&
    (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));
  for (const symbol of symbols) {
    assert.ok(symbol.name.trim() !== '', 'empty symbol name');
    assert.ok(inside(symbol.selectionRange, symbol.range), `${symbol.name}: selectionRange outside range`);
    if (parent) assert.ok(inside(symbol.range, parent.range), `${symbol.name}: outside ${parent.name}`);
    assertWellFormed(symbol.children ?? [], symbol);
  }
}

describe('document symbols', () => {
  it('shows global ARGs, then stages with their instructions', () => {
    const text = lines(
      '# syntax=docker/dockerfile:1',
      'ARG GO_VERSION=1.22',
      'FROM golang:${GO_VERSION} AS build',
      'WORKDIR /src',
      'RUN go build -o /out/app ./cmd/app',
      '',
      'FROM gcr.io/distroless/static',
      'COPY --from=build /out/app /app',
      'ENTRYPOINT ["/app"]',
    );
    const { symbols } = symbolsOf(text);
    assert.deepEqual(outline(symbols), [
      'ARG — GO_VERSION=1.22',
      '  GO_VERSION — 1.22',
      'build — golang:${GO_VERSION}',
      '  WORKDIR — /src',
      '  RUN — go build -o /out/app ./cmd/app',
      'stage 1 — gcr.io/distroless/static',
      '  COPY — --from=build /out/app /app',
      '  ENTRYPOINT — ["/app"]',
    ]);
    assert.deepEqual(
      symbols.map((symbol) => symbol.kind),
      [SymbolKind.Variable, SymbolKind.Class, SymbolKind.Class],
    );
    assertWellFormed(symbols);
  });

  it('ranges a stage from FROM to its last instruction, and selects its name', () => {
    const text = lines('FROM alpine AS base', 'RUN apk add curl', '', '# next', 'FROM base', 'CMD ["sh"]');
    const { document, symbols } = symbolsOf(text);
    const [base, second] = symbols;
    assert.equal(document.getText(base!.range), 'FROM alpine AS base\nRUN apk add curl');
    assert.equal(document.getText(base!.selectionRange), 'base');
    // An unnamed stage selects its base image; the last stage ends at the end of the file.
    assert.equal(document.getText(second!.range), 'FROM base\nCMD ["sh"]');
    assert.equal(document.getText(second!.selectionRange), 'base');
    assert.equal(second!.name, 'stage 1');
  });

  it('ranges an instruction over its continuation lines and heredoc body, selecting the keyword', () => {
    const text = lines('FROM alpine', 'RUN apk add \\', '      curl \\', '      git', 'COPY <<EOF /etc/motd', 'hello', 'EOF');
    const { document, symbols } = symbolsOf(text);
    const [run, copy] = symbols[0]!.children!;
    assert.equal(document.getText(run!.range), 'RUN apk add \\\n      curl \\\n      git');
    assert.equal(document.getText(run!.selectionRange), 'RUN');
    assert.equal(run!.detail, 'apk add curl git');
    assert.equal(document.getText(copy!.range), 'COPY <<EOF /etc/motd\nhello\nEOF');
    assert.equal(document.getText(symbols[0]!.range), text);
  });

  it('gives ENV, ARG and LABEL a child per name', () => {
    const text = lines('FROM alpine', 'ENV PATH=/opt/bin:$PATH LANG=C.UTF-8', 'LABEL org.opencontainers.image.title="My app"', 'ARG TARGETARCH');
    const { document, symbols } = symbolsOf(text);
    const [env, label, arg] = symbols[0]!.children!;
    assert.deepEqual(
      env!.children!.map((child) => [child.name, child.detail, document.getText(child.selectionRange), document.getText(child.range)]),
      [
        ['PATH', '/opt/bin:$PATH', 'PATH', 'PATH=/opt/bin:$PATH'],
        ['LANG', 'C.UTF-8', 'LANG', 'LANG=C.UTF-8'],
      ],
    );
    assert.equal(env!.kind, SymbolKind.Variable);
    assert.deepEqual(
      label!.children!.map((child) => [child.name, child.kind]),
      [['org.opencontainers.image.title', SymbolKind.Property]],
    );
    assert.deepEqual(arg!.children!.map((child) => [child.name, child.detail]), [['TARGETARCH', '']]);
    assertWellFormed(symbols);
  });

  it('shortens long arguments to one line with an ellipsis', () => {
    const command = `echo ${'x'.repeat(200)}`;
    const { symbols } = symbolsOf(lines('FROM alpine', `RUN ${command}`));
    const detail = symbols[0]!.children![0]!.detail!;
    assert.equal(detail.length, 60);
    assert.ok(detail.endsWith('…'));
    assert.ok(command.startsWith(detail.slice(0, -1)));
  });

  it('copes with documents being typed', () => {
    assert.deepEqual(symbolsOf('').symbols, []);
    assert.deepEqual(outline(symbolsOf('FROM').symbols), ['stage 0']);
    assert.deepEqual(outline(symbolsOf('FROM alpine AS').symbols), ['stage 0 — alpine']);
    assert.deepEqual(outline(symbolsOf('FROM alpine\nRU').symbols), ['stage 0 — alpine', '  RU']);
    // A lone escape character continued into nothing is no symbol (editors reject empty names).
    const lone = symbolsOf('FROM alpine\n\\\n');
    assert.deepEqual(outline(lone.symbols), ['stage 0 — alpine']);
    // Instructions before the first FROM other than ARG still show up.
    assert.deepEqual(outline(symbolsOf('RUN echo hi\nFROM alpine').symbols), ['RUN — echo hi', 'stage 0 — alpine']);
    const unterminated = symbolsOf('FROM alpine\nRUN <<EOF\necho hi\n');
    assert.deepEqual(outline(unterminated.symbols), ['stage 0 — alpine', '  RUN — <<EOF']);
    assertWellFormed(unterminated.symbols);
  });

  it('lists ONBUILD with its trigger as detail', () => {
    const { symbols } = symbolsOf(lines('FROM alpine', 'ONBUILD COPY . /src'));
    assert.deepEqual(outline(symbols), ['stage 0 — alpine', '  ONBUILD — COPY . /src']);
    assert.equal(symbols[0]!.children![0]!.kind, SymbolKind.Event);
  });
});
