import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SemanticTokenModifiers, SemanticTokenTypes, type Range } from 'vscode-languageserver-types';

import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileDocumentLinks } from '../../server/src/service/documentLinks';
import { dockerfileDocumentSymbols } from '../../server/src/service/documentSymbols';
import { dockerfileFoldingRanges } from '../../server/src/service/folding';
import { dockerfileSelectionRanges } from '../../server/src/service/selectionRange';
import { copyUpTo, fuzzIterations, fuzzSeed, insertOneOf, mutator, prng, removeUpTo } from '../support/fuzz';
import {
  DOCKERFILE_SEMANTIC_TOKENS_LEGEND as LEGEND,
  dockerfileSemanticTokens,
  dockerfileSemanticTokensRange,
} from '../../server/src/service/semanticTokens';

const lines = (...parts: string[]): string => parts.join('\n');

interface Decoded {
  line: number;
  character: number;
  length: number;
  /** The document text the token covers. */
  text: string;
  type: string;
  modifiers: string[];
}

/** Decodes LSP's relative five-integer groups back into tokens with their text. */
function decode(document: TextDocument, data: number[]): Decoded[] {
  assert.equal(data.length % 5, 0);
  const tokens: Decoded[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    tokens.push({
      line,
      character,
      length,
      text: document.getText({ start: { line, character }, end: { line, character: character + length } }),
      type: LEGEND.tokenTypes[type]!,
      modifiers: LEGEND.tokenModifiers.filter((_, bit) => (modifiers & (1 << bit)) !== 0),
    });
  }
  return tokens;
}

function tokensOf(text: string, range?: Range): { document: TextDocument; tokens: Decoded[]; data: number[] } {
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  const model = analyzeDockerfile(text);
  const { data } = range ? dockerfileSemanticTokensRange(document, model, range) : dockerfileSemanticTokens(document, model);
  const tokens = decode(document, data);
  assertWellFormed(document, tokens);
  return { document, tokens, data };
}

/** `text type[.modifier...]` per token, as compact expectations. */
function pairs(text: string): string[] {
  return tokensOf(text).tokens.map((token) => `${token.text} ${[token.type, ...token.modifiers].join('.')}`);
}

/** Sorted, not overlapping, non-empty, each on one line and inside it. */
function assertWellFormed(document: TextDocument, tokens: Decoded[]): void {
  const allLines = document.getText().split(/\r\n|\r|\n/);
  let previous: Decoded | undefined;
  for (const token of tokens) {
    assert.ok(token.length > 0, 'empty token');
    assert.ok(token.character + token.length <= allLines[token.line]!.length, `token past the end of line ${token.line}`);
    assert.ok(!/[\r\n]/.test(token.text), 'token spans a line break');
    if (previous && previous.line === token.line) assert.ok(previous.character + previous.length <= token.character, 'overlapping tokens');
    if (previous) assert.ok(previous.line <= token.line, 'tokens out of order');
    previous = token;
  }
}

describe('semantic tokens', () => {
  it('exports a legend of standard token types and modifiers', () => {
    const standardTypes = new Set<string>(Object.values(SemanticTokenTypes));
    const standardModifiers = new Set<string>(Object.values(SemanticTokenModifiers));
    assert.ok(LEGEND.tokenTypes.every((type) => standardTypes.has(type)));
    assert.ok(LEGEND.tokenModifiers.every((modifier) => standardModifiers.has(modifier)));
    assert.deepEqual(LEGEND.tokenModifiers, ['declaration', 'readonly', 'defaultLibrary']);
  });

  it('encodes positions relative to the previous token', () => {
    const { data } = tokensOf('FROM alpine\n  RUN make');
    const keyword = LEGEND.tokenTypes.indexOf('keyword');
    const namespace = LEGEND.tokenTypes.indexOf('namespace');
    assert.deepEqual(data, [0, 0, 4, keyword, 0, 0, 5, 6, namespace, 0, 1, 2, 3, keyword, 0]);
  });

  it('colours a multi-stage Dockerfile', () => {
    const text = lines(
      '# syntax=docker/dockerfile:1',
      'ARG GO_VERSION=1.22',
      '# build stage',
      'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build',
      'ARG TARGETARCH',
      'ENV CGO_ENABLED=0 GOARCH="$TARGETARCH"',
      'RUN --mount=type=cache,target=/root/.cache go build -o /out/app .',
      'FROM scratch',
      'COPY --from=build --chmod=755 /out/app /app',
      'LABEL org.opencontainers.image.title="app"',
      'ENTRYPOINT ["/app", "--serve"]',
    );
    assert.deepEqual(pairs(text), [
      '# syntax macro',
      '= operator',
      'docker/dockerfile:1 string',
      'ARG keyword',
      'GO_VERSION variable.declaration',
      '= operator',
      '# build stage comment',
      'FROM keyword',
      '--platform parameter',
      '= operator',
      '$BUILDPLATFORM variable.readonly.defaultLibrary',
      'golang namespace',
      '${GO_VERSION} variable',
      'AS keyword',
      'build class.declaration',
      'ARG keyword',
      'TARGETARCH variable.declaration.readonly.defaultLibrary',
      'ENV keyword',
      'CGO_ENABLED variable.declaration',
      '= operator',
      'GOARCH variable.declaration',
      '= operator',
      '" string',
      '$TARGETARCH variable.readonly.defaultLibrary',
      '" string',
      'RUN keyword',
      '--mount parameter',
      '= operator',
      'type property',
      '= operator',
      'cache string',
      ', operator',
      'target property',
      '= operator',
      '/root/.cache string',
      'FROM keyword',
      'scratch namespace.defaultLibrary',
      'COPY keyword',
      '--from parameter',
      '= operator',
      'build class',
      '--chmod parameter',
      '= operator',
      '755 string',
      'LABEL keyword',
      'org.opencontainers.image.title property.declaration',
      '= operator',
      '"app" string',
      'ENTRYPOINT keyword',
      '"/app" string',
      '"--serve" string',
    ]);
  });

  it('marks stage names wherever a stage is used', () => {
    const text = lines('FROM alpine AS base', 'FROM base AS test', 'RUN --mount=from=base,target=/b ls', 'COPY --from=nginx:1.27 /etc/nginx /etc/nginx');
    const tokens = tokensOf(text).tokens.filter((token) => ['class', 'namespace'].includes(token.type));
    assert.deepEqual(
      tokens.map((token) => `${token.line}:${token.text} ${[token.type, ...token.modifiers].join('.')}`),
      ['0:alpine namespace', '0:base class.declaration', '1:base class', '1:test class.declaration', '2:base class', '3:nginx:1.27 namespace'],
    );
  });

  it('cuts a value around the variables and modifiers inside it', () => {
    assert.deepEqual(pairs('FROM alpine\nENV MSG="hi ${USER:-nobody} there"').slice(2), [
      'ENV keyword',
      'MSG variable.declaration',
      '= operator',
      '"hi  string',
      '${USER variable',
      ':- operator',
      'nobody string',
      '} variable',
      ' there" string',
    ]);
  });

  it('splits tokens continued over lines, leaving out escape characters and comment lines', () => {
    const text = lines('FROM alpine', 'ENV GREETING="hello \\', '  # not part of the value', '', '  world" \\', '    OTHER=1');
    const { tokens } = tokensOf(text);
    assert.deepEqual(
      tokens.slice(2).map((token) => `${token.line}:${token.character} ${token.text} ${token.type}`),
      [
        '1:0 ENV keyword',
        '1:4 GREETING variable',
        '1:12 = operator',
        '1:13 "hello string',
        '2:2 # not part of the value comment',
        '4:2 world" string',
        '5:4 OTHER variable',
        '5:9 = operator',
      ],
    );
  });

  it('follows the escape directive', () => {
    const text = lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'LABEL description="a `', '  b"');
    assert.deepEqual(pairs(text), [
      '# escape macro',
      '= operator',
      '` string',
      'FROM keyword',
      'mcr.microsoft.com/windows/servercore namespace',
      'LABEL keyword',
      'description property.declaration',
      '= operator',
      '"a string',
      'b" string',
    ]);
  });

  it('marks heredoc markers and terminators, and variables in unquoted bodies', () => {
    const text = lines('FROM alpine', 'ARG NAME=x', 'RUN <<-EOF bash', '\techo "$NAME"', '\tEOF', 'COPY <<"END" /etc/motd', 'Hello $NAME', 'END');
    assert.deepEqual(pairs(text).slice(5), [
      'RUN keyword',
      '<<- operator',
      'EOF string',
      '$NAME variable',
      'EOF string',
      'COPY keyword',
      '<< operator',
      '"END" string',
      'END string',
    ]);
  });

  it('colours ONBUILD triggers, HEALTHCHECK types and inactive directives', () => {
    const text = lines('# syntax=a', '# syntax=b', 'FROM alpine', 'ONBUILD RUN echo $HOME', 'HEALTHCHECK --interval=5s CMD curl -f localhost');
    assert.deepEqual(pairs(text), [
      '# syntax macro',
      '= operator',
      'a string',
      '# syntax=b comment',
      'FROM keyword',
      'alpine namespace',
      'ONBUILD keyword',
      'RUN keyword',
      '$HOME variable',
      'HEALTHCHECK keyword',
      '--interval parameter',
      '= operator',
      '5s string',
      'CMD keyword',
    ]);
  });

  it('keeps a #! line before the directives in order', () => {
    assert.deepEqual(pairs('#!/usr/bin/env -S docker build -f\n# syntax=docker/dockerfile:1\nFROM alpine'), [
      '#!/usr/bin/env -S docker build -f comment',
      '# syntax macro',
      '= operator',
      'docker/dockerfile:1 string',
      'FROM keyword',
      'alpine namespace',
    ]);
  });

  it('returns the tokens of the requested lines only', () => {
    const text = lines('FROM alpine AS a', 'ENV A=1 \\', '    B=2', 'RUN echo $A', 'FROM a', 'CMD ["sh"]');
    const full = tokensOf(text).tokens;
    const ranged = tokensOf(text, { start: { line: 2, character: 0 }, end: { line: 3, character: 4 } }).tokens;
    assert.deepEqual(
      ranged,
      full.filter((token) => token.line >= 2 && token.line <= 3),
    );
    assert.deepEqual(
      ranged.map((token) => token.text),
      ['B', '=', 'RUN', '$A'],
    );
    assert.deepEqual(tokensOf(text, { start: { line: 40, character: 0 }, end: { line: 50, character: 0 } }).tokens, []);
  });

  it('copes with Dockerfiles being typed', () => {
    assert.deepEqual(pairs(''), []);
    assert.deepEqual(pairs('FROM'), ['FROM keyword']);
    assert.deepEqual(pairs('FROM alpine AS'), ['FROM keyword', 'alpine namespace', 'AS keyword']);
    assert.deepEqual(pairs('FROM alpine\nENV A="unterminated'), ['FROM keyword', 'alpine namespace', 'ENV keyword', 'A variable.declaration', '= operator', '"unterminated string']);
    assert.deepEqual(pairs('FROM alpine\nRUN --mount= ls'), ['FROM keyword', 'alpine namespace', 'RUN keyword', '--mount parameter', '= operator']);
    assert.deepEqual(pairs('FROM alpine\nCOPY --from='), ['FROM keyword', 'alpine namespace', 'COPY keyword', '--from parameter', '= operator']);
    assert.deepEqual(pairs('FROM alpine\nCMD ["sh", "-c'), ['FROM keyword', 'alpine namespace', 'CMD keyword', '"sh" string']);
    assert.deepEqual(pairs('FROM alpine\nRUN echo ${'), ['FROM keyword', 'alpine namespace', 'RUN keyword', '${ variable']);
    // Unknown instructions are not keywords; a lone continuation is nothing.
    assert.deepEqual(pairs('FROM alpine\nRUNN x\n\\\n'), ['FROM keyword', 'alpine namespace']);
    assert.deepEqual(pairs('FROM alpine\nRUN <<EOF\necho'), ['FROM keyword', 'alpine namespace', 'RUN keyword', '<< operator', 'EOF string']);
  });

  it('handles a 2,000-line Dockerfile in a few milliseconds', () => {
    const parts: string[] = ['# syntax=docker/dockerfile:1', 'ARG BASE=alpine:3.20'];
    for (let i = 0; parts.length < 2000; i++) {
      parts.push(
        `FROM \${BASE} AS s${i}`,
        `ARG V${i}=1`,
        `ENV P${i}="/opt/$V${i}" Q=x`,
        `# step ${i}`,
        'RUN --mount=type=cache,target=/root/.cache apt-get update && \\',
        `    apt-get install -y curl=$V${i} && \\`,
        '    rm -rf /var/lib/apt/lists/*',
        'COPY --from=s0 --chown=app:app ["a", "b"]',
        `LABEL org.example.v${i}="v"`,
        '',
      );
    }
    const text = parts.join('\n');
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const model = analyzeDockerfile(text);
    const count = dockerfileSemanticTokens(document, model).data.length / 5;
    assert.ok(count > 7000);
  });
});

// Seeded, so a failure names an input that reproduces.
const FUZZ_ITERATIONS = fuzzIterations(500);
const FUZZ_SEED = fuzzSeed(0xed17);

const CORPUS = [
  lines('# syntax=docker/dockerfile:1', 'ARG GO=1.22', 'FROM --platform=$BUILDPLATFORM golang:${GO} AS build', 'RUN --mount=type=cache,target=/root/.cache \\', '    go build -o /out/app .', 'FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'),
  lines('FROM alpine', 'ENV A="x $B" C=${D:-e}', 'LABEL "k"=v', 'RUN <<EOF', 'echo "$A"', 'EOF', 'COPY <<-"END" ./a ./b /dst/', '\tbody', '\tEND'),
  lines('#!/usr/bin/env docker', '# check=skip=all', '# escape=`', 'FROM mcr.microsoft.com/windows/servercore', 'RUN dir `', '  # comment', '  c:\\', 'ONBUILD COPY . /src', 'HEALTHCHECK --interval=5s CMD ["curl", "-f", "x"]'),
];
const FRAGMENTS = ['\\\n', '\n', ' ', '"', "'", '`', '$', '${', '}', '[', ']', ',', '=', '--', '<<EOF\n', '\nEOF\n', '#', '# escape=`\n', 'FROM ', 'RUN ', 'COPY --from=', 'AS ', 'ONBUILD ', '--mount=from=build,target=/x ', 'ARG X=1\n', '\t', '\r\n', '\r', '\u00e9', '\ud83d\ude00', '\ud83d'];

const mutate = mutator(6, [
  [0.5, insertOneOf(FRAGMENTS)],
  [0.8, removeUpTo(8)],
  [1, copyUpTo(30)],
]);

describe('editing features under random input', () => {
  it(`never throw and keep LSP's shape rules on ${FUZZ_ITERATIONS.toLocaleString('en')} mutated Dockerfiles (seed ${FUZZ_SEED})`, () => {
    const random = prng(FUZZ_SEED);
    const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    for (let i = 0; i < FUZZ_ITERATIONS; i++) {
      const text = mutate(random, CORPUS[Math.floor(random() * CORPUS.length)]!);
      const where = `input #${i} ${JSON.stringify(text)}`;
      const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
      const model = analyzeDockerfile(text);
      try {
        assertWellFormed(document, decode(document, dockerfileSemanticTokens(document, model).data));
        const line = Math.floor(random() * document.lineCount);
        dockerfileSemanticTokensRange(document, model, { start: { line, character: 0 }, end: { line: line + 2, character: 0 } });
        for (const fold of dockerfileFoldingRanges(document, model)) assert.ok(fold.startLine < fold.endLine && fold.endLine < document.lineCount);
        const offset = Math.floor(random() * (text.length + 1));
        const [selection] = dockerfileSelectionRanges(document, model, [document.positionAt(offset)]);
        assert.ok(before(selection!.range.start, document.positionAt(offset)) && before(document.positionAt(offset), selection!.range.end));
        for (let step = selection; step?.parent; step = step.parent) {
          assert.ok(before(step.parent.range.start, step.range.start) && before(step.range.end, step.parent.range.end));
        }
        for (const symbol of dockerfileDocumentSymbols(document, model)) {
          assert.ok(symbol.name.trim() !== '');
          for (const child of symbol.children ?? []) assert.ok(before(symbol.range.start, child.range.start) && before(child.range.end, symbol.range.end));
        }
        dockerfileDocumentLinks(document, model, { fileExists: () => true });
      } catch (error) {
        assert.fail(`${where}: ${(error as Error).stack ?? error}`);
      }
    }
  });
});
