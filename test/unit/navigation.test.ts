import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentHighlightKind, type Position, type Range } from 'vscode-languageserver-types';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import {
  dockerfileDefinition,
  dockerfileDocumentHighlights,
  dockerfileReferences,
} from '../../server/src/service/navigation';

function open(text: string) {
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  const model = analyzeDockerfile(text);
  /** Position `delta` characters into the `nth` occurrence of `needle`. */
  const at = (needle: string, nth = 0, delta = 0): Position => {
    let index = -1;
    for (let i = 0; i <= nth; i++) {
      index = text.indexOf(needle, index + 1);
      assert.ok(index >= 0, `"${needle}" #${nth} not in the text`);
    }
    return document.positionAt(index + delta);
  };
  /** What a range covers, with its line (1-based) to tell occurrences apart. */
  const show = (range: Range) => `${range.start.line + 1}:${document.getText(range)}`;
  const definition = (position: Position) => dockerfileDefinition(document, model, position).map((location) => show(location.range));
  const references = (position: Position, includeDeclaration = true) =>
    dockerfileReferences(document, model, position, { includeDeclaration }).map((location) => show(location.range));
  const highlights = (position: Position) =>
    dockerfileDocumentHighlights(document, model, position).map(
      (highlight) => `${show(highlight.range)}:${highlight.kind === DocumentHighlightKind.Write ? 'write' : 'read'}`,
    );
  return { document, model, at, definition, references, highlights };
}

describe('stages: definition, references, highlight', () => {
  const text = [
    'FROM golang:1.22 AS Build', // 1
    'RUN go build -o /out/app .', // 2
    'FROM build AS test', // 3
    'RUN go test ./...', // 4
    'FROM alpine:3.20', // 5
    'COPY --from=build /out/app /usr/bin/app', // 6
    'COPY --from=BUILD /out/app /usr/bin/app2', // 7
    'COPY --from=0 /out/app /usr/bin/app3', // 8
    'RUN --mount=type=bind,from=build,source=/out,target=/mnt ls /mnt', // 9
    'COPY --from="build" /out/app /usr/bin/app4', // 10
    '',
  ].join('\n');
  const { at, definition, references, highlights } = open(text);

  it('goes from every kind of use to the AS name, whatever the case', () => {
    assert.deepEqual(definition(at('FROM build', 0, 6)), ['1:Build']);
    assert.deepEqual(definition(at('--from=build', 0, 8)), ['1:Build']);
    assert.deepEqual(definition(at('--from=BUILD', 0, 8)), ['1:Build']);
    assert.deepEqual(definition(at('from=build,', 0, 6)), ['1:Build']);
    assert.deepEqual(definition(at('"build"', 0, 2)), ['1:Build']);
  });

  it('goes from a numeric --from to the stage with that index', () => {
    assert.deepEqual(definition(at('--from=0', 0, 7)), ['1:Build']);
  });

  it('goes from the AS name to itself', () => {
    assert.deepEqual(definition(at('AS Build', 0, 4)), ['1:Build']);
  });

  it('works with the cursor just after the name', () => {
    assert.deepEqual(definition(at('FROM build', 0, 10)), ['1:Build']);
  });

  it('lists every use, numeric and quoted ones included, and the declaration on request', () => {
    const all = ['1:Build', '3:build', '6:build', '7:BUILD', '8:0', '9:build', '10:build'];
    assert.deepEqual(references(at('AS Build', 0, 4)), all);
    assert.deepEqual(references(at('--from=0', 0, 7)), all);
    assert.deepEqual(references(at('FROM build', 0, 6), false), all.slice(1));
  });

  it('highlights the AS name as written and the uses as read', () => {
    assert.deepEqual(highlights(at('--from=BUILD', 0, 9)), [
      '1:Build:write',
      '3:build:read',
      '6:build:read',
      '7:BUILD:read',
      '8:0:read',
      '9:build:read',
      '10:build:read',
    ]);
  });

  it('has nothing for images, keywords and paths', () => {
    assert.deepEqual(definition(at('golang', 0, 1)), []);
    assert.deepEqual(definition(at('alpine', 0, 1)), []);
    assert.deepEqual(references(at('COPY', 0, 1)), []);
    assert.deepEqual(highlights(at('/out/app', 0, 2)), []);
  });

  it('goes to the FROM line of an unnamed stage used by index', () => {
    const doc = open('FROM alpine:3.20\nRUN touch /a\nFROM busybox\nCOPY --from=0 /a /a\n');
    assert.deepEqual(doc.definition(doc.at('--from=0', 0, 7)), ['1:FROM alpine:3.20']);
    assert.deepEqual(doc.references(doc.at('--from=0', 0, 7)), ['4:0']);
  });

  it('follows a stage named through a build argument', () => {
    const doc = open('ARG FROM_STAGE=deps\nFROM node:20 AS deps\nFROM node:20\nARG FROM_STAGE\nCOPY --from=$FROM_STAGE /a /a\n');
    assert.deepEqual(doc.definition(doc.at('--from=$', 0, 7)), ['2:deps']);
    assert.deepEqual(doc.references(doc.at('AS deps', 0, 4)), ['2:deps', '5:$FROM_STAGE']);
    // On the name after `$` it is the variable that counts.
    assert.deepEqual(doc.definition(doc.at('--from=$', 0, 9)), ['4:FROM_STAGE', '1:FROM_STAGE']);
  });

  it('links a stage used before its declaration by COPY --from (BuildKit builds a graph)', () => {
    const doc = open('FROM alpine\nCOPY --from=later /x /x\nFROM busybox AS later\n');
    assert.deepEqual(doc.definition(doc.at('=later', 0, 2)), ['3:later']);
  });
});

describe('variables: definition, references, highlight', () => {
  const text = [
    'ARG VERSION=1.22', // 1
    'ARG BASE=golang', // 2
    'FROM ${BASE}:${VERSION} AS build', // 3
    'ARG VERSION', // 4
    'ENV GOFLAGS=-trimpath CGO_ENABLED=0', // 5
    'RUN echo "$VERSION" && go build $GOFLAGS ./...', // 6
    'RUN <<EOF', // 7
    'echo ${CGO_ENABLED:-1} $HOME', // 8
    'EOF', // 9
    'FROM build AS test', // 10
    'RUN echo $CGO_ENABLED $VERSION', // 11
    'ENV CGO_ENABLED=1', // 12
    'RUN echo $CGO_ENABLED', // 13
    '',
  ].join('\n');
  const { at, definition, references, highlights } = open(text);

  it('goes from a FROM line to the global ARG', () => {
    assert.deepEqual(definition(at('${VERSION}', 0, 3)), ['1:VERSION']);
    assert.deepEqual(definition(at('${BASE}', 0, 2)), ['2:BASE']);
  });

  it('goes from a use after a redeclaration to the stage ARG, then the global one', () => {
    assert.deepEqual(definition(at('"$VERSION"', 0, 3)), ['4:VERSION', '1:VERSION']);
    assert.deepEqual(definition(at('ARG VERSION\n', 0, 5)), ['4:VERSION', '1:VERSION']);
  });

  it('groups a global ARG with its redeclarations and every use of both', () => {
    const all = ['1:VERSION', '3:VERSION', '4:VERSION', '6:VERSION', '11:VERSION'];
    assert.deepEqual(references(at('ARG VERSION=', 0, 5)), all);
    assert.deepEqual(references(at('"$VERSION"', 0, 3)), all);
    assert.deepEqual(references(at('ARG VERSION\n', 0, 5), false), ['3:VERSION', '6:VERSION', '11:VERSION']);
  });

  it('follows an ARG into stages built FROM the stage that declares it (BuildKit passes it on)', () => {
    assert.deepEqual(definition(at('$VERSION', 1, 2)), ['4:VERSION', '1:VERSION']);
    const doc = open('FROM alpine AS base\nARG CONFIG=prod.yaml\nFROM base AS app\nARG CONFIG\nCOPY $CONFIG /etc/\nFROM app\nRUN echo $CONFIG\n');
    assert.deepEqual(doc.definition(doc.at('echo $CONFIG', 0, 7)), ['4:CONFIG']);
    assert.deepEqual(doc.definition(doc.at('COPY $CONFIG', 0, 7)), ['4:CONFIG']);
    assert.deepEqual(doc.references(doc.at('CONFIG=', 0, 1)), ['2:CONFIG', '4:CONFIG', '5:CONFIG', '7:CONFIG']);
  });

  it('leaves out a use in a stage that did not redeclare the global ARG', () => {
    const doc = open('ARG VERSION=1\nFROM alpine:$VERSION AS base\nRUN echo $VERSION\nFROM base\nRUN echo $VERSION\n');
    assert.deepEqual(doc.definition(doc.at('echo $VERSION', 0, 7)), []);
    assert.deepEqual(doc.definition(doc.at('echo $VERSION', 1, 7)), []);
    assert.deepEqual(doc.references(doc.at('echo $VERSION', 1, 7)), []);
    assert.deepEqual(doc.references(doc.at('ARG VERSION', 0, 5)), ['1:VERSION', '2:VERSION']);
  });

  it('includes shell-expanded uses in RUN and here-documents', () => {
    assert.deepEqual(definition(at('$GOFLAGS', 0, 1)), ['5:GOFLAGS']);
    assert.deepEqual(definition(at('${CGO_ENABLED', 0, 3)), ['5:CGO_ENABLED']);
  });

  it('follows ENV into stages built FROM the stage, and a re-assignment there is the same variable', () => {
    assert.deepEqual(definition(at('$CGO_ENABLED $VERSION', 0, 2)), ['5:CGO_ENABLED']);
    assert.deepEqual(definition(at('$CGO_ENABLED', 1, 2)), ['12:CGO_ENABLED']);
    assert.deepEqual(references(at('CGO_ENABLED=0', 0, 1)), [
      '5:CGO_ENABLED',
      '8:CGO_ENABLED',
      '11:CGO_ENABLED',
      '12:CGO_ENABLED',
      '13:CGO_ENABLED',
    ]);
  });

  it('marks declarations as written and uses as read', () => {
    assert.deepEqual(highlights(at('$GOFLAGS', 0, 3)), ['5:GOFLAGS:write', '6:GOFLAGS:read']);
  });

  it('has nothing for a shell variable no ARG or ENV declares', () => {
    assert.deepEqual(definition(at('$HOME', 0, 2)), []);
    assert.deepEqual(references(at('$HOME', 0, 2)), []);
    assert.deepEqual(highlights(at('$HOME', 0, 2)), []);
  });

  it('keeps an ARG and an ENV of the same name apart', () => {
    const doc = open('FROM alpine\nARG MODE=dev\nENV MODE=$MODE\nRUN echo $MODE\n');
    assert.deepEqual(doc.definition(doc.at('=$MODE', 0, 3)), ['2:MODE']);
    assert.deepEqual(doc.definition(doc.at('echo $MODE', 0, 7)), ['3:MODE']);
    assert.deepEqual(doc.references(doc.at('ARG MODE', 0, 5)), ['2:MODE', '3:MODE']);
    assert.deepEqual(doc.references(doc.at('ENV MODE', 0, 5)), ['3:MODE', '4:MODE']);
  });

  it('keeps a stage ARG with its own default apart from the global ARG', () => {
    const doc = open('ARG V=1\nFROM alpine:$V\nARG V=2\nRUN echo $V\n');
    assert.deepEqual(doc.definition(doc.at('echo $V', 0, 6)), ['3:V']);
    assert.deepEqual(doc.references(doc.at('ARG V=1', 0, 4)), ['1:V', '2:V']);
  });

  it('links a value to the variables in effect before its instruction', () => {
    const doc = open('FROM alpine\nENV A=1\nENV A=2 B=$A\n');
    assert.deepEqual(doc.definition(doc.at('$A', 0, 1)), ['2:A']);
  });

  it('groups a predefined ARG across stages and has no definition where the builder provides it', () => {
    const doc = open('FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETARCH\nRUN echo $TARGETARCH\nFROM alpine\nARG TARGETARCH\nRUN echo $TARGETARCH $BUILDPLATFORM\n');
    assert.deepEqual(doc.definition(doc.at('$TARGETARCH', 1, 1)), ['5:TARGETARCH']);
    assert.deepEqual(doc.references(doc.at('$TARGETARCH', 0, 1)), ['2:TARGETARCH', '3:TARGETARCH', '5:TARGETARCH', '6:TARGETARCH']);
    assert.deepEqual(doc.definition(doc.at('$BUILDPLATFORM', 0, 1)), []);
    assert.deepEqual(doc.references(doc.at('$BUILDPLATFORM', 0, 1)), ['1:BUILDPLATFORM']);
    // Not visible in a stage without `ARG BUILDPLATFORM`.
    assert.deepEqual(doc.references(doc.at('$BUILDPLATFORM', 1, 1)), []);
  });

  it('gives ranges on the right line when an instruction continues over several lines', () => {
    const doc = open('FROM alpine\nENV A=1 \\\n    B=2\nRUN echo $A \\\n    && echo $B\n');
    assert.deepEqual(doc.references(doc.at('B=2', 0, 0)), ['3:B', '5:B']);
    assert.deepEqual(doc.document.getText({ start: doc.at('$B', 0, 1), end: doc.at('$B', 0, 2) }), 'B');
  });

  it('links nothing in ONBUILD triggers, which run in a later build', () => {
    const doc = open('FROM alpine\nENV X=1\nONBUILD RUN echo $X\n');
    assert.deepEqual(doc.definition(doc.at('$X', 0, 1)), []);
    assert.deepEqual(doc.references(doc.at('X=1', 0, 0)), ['2:X']);
  });
});

describe('navigation on broken and partial Dockerfiles', () => {
  it('never throws, anywhere in text a user has half typed', () => {
    const texts = [
      '',
      'FROM',
      'FROM ',
      'FROM alpine AS',
      'FROM alpine AS b\nCOPY --from= /a /b\nCOPY --from',
      'FROM x\nARG\nENV\nENV =1\nRUN echo ${V',
      'ARG A=${\nFROM $A',
      'FROM a AS b\nRUN --mount=from=b',
      'FROM a AS b\nRUN --mount=type=cache,from=',
      '\\',
      'FROM a\nRUN <<EOF\necho $X',
      '# escape=`\nFROM a AS b\nENV X=1 `\n  Y=$X\nCOPY --from=b`\n /a /b',
      'FROM a AS x\nFROM x AS x\nFROM x\nCOPY --from=X /a /a',
      'ONBUILD ONBUILD RUN $X\nFROM ${',
    ];
    for (const text of texts) {
      const { document, model } = open(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const position = document.positionAt(offset);
        dockerfileDefinition(document, model, position);
        dockerfileReferences(document, model, position, { includeDeclaration: true });
        dockerfileDocumentHighlights(document, model, position);
      }
      dockerfileDefinition(document, model, { line: 40, character: 3 });
      dockerfileDocumentHighlights(document, model, { line: -1, character: -1 });
    }
    const empty = open('');
    assert.deepEqual(empty.definition({ line: 0, character: 0 }), []);
    assert.deepEqual(empty.references({ line: 3, character: 9 }), []);
  });

  it('navigates what is already there while a line is being typed', () => {
    const doc = open('FROM node:20 AS deps\nRUN npm ci\nFROM node:20\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY --from=de\nRUN echo ${');
    assert.deepEqual(doc.references(doc.at('AS deps', 0, 4)), ['1:deps', '4:deps']);
    assert.deepEqual(doc.definition(doc.at('--from=de\n', 0, 8)), []);
  });
});
