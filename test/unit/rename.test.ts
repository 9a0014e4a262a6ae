import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfilePrepareRename, dockerfileRename, isRenameRefusal } from '../../server/src/service/rename';

function open(text: string) {
  const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  const model = analyzeDockerfile(text);
  const at = (needle: string, nth = 0, delta = 0): Position => {
    let index = -1;
    for (let i = 0; i <= nth; i++) {
      index = text.indexOf(needle, index + 1);
      assert.ok(index >= 0, `"${needle}" #${nth} not in the text`);
    }
    return document.positionAt(index + delta);
  };
  /** The text after the rename, or the refusal. */
  const rename = (position: Position, newName: string): string => {
    const outcome = dockerfileRename(document, model, position, newName);
    if (isRenameRefusal(outcome)) return `error: ${outcome.error}`;
    assert.deepEqual(Object.keys(outcome.changes ?? {}), [document.uri]);
    return TextDocument.applyEdits(document, outcome.changes?.[document.uri] ?? []);
  };
  /** What prepareRename offers (the range's text and the placeholder), or the refusal. */
  const prepare = (position: Position): string => {
    const outcome = dockerfilePrepareRename(document, model, position);
    if (isRenameRefusal(outcome)) return `error: ${outcome.error}`;
    return `${document.getText(outcome.range)} (${outcome.placeholder})`;
  };
  return { document, model, at, rename, prepare };
}

const lines = (...text: string[]) => text.join('\n') + '\n';

describe('renaming a stage', () => {
  const text = lines(
    'FROM golang:1.22 AS Build',
    'RUN go build -o /out/app .',
    'FROM build AS test',
    'FROM alpine:3.20',
    'COPY --from=build /out/app /usr/bin/app',
    'COPY --from="BUILD" /out/app /usr/bin/app2',
    'COPY --from=0 /out/app /usr/bin/app3',
    'RUN --mount=type=bind,from=build,source=/out,target=/mnt ls /mnt',
  );
  const { at, rename, prepare } = open(text);

  it('offers the name under the cursor, as written', () => {
    assert.equal(prepare(at('AS Build', 0, 4)), 'Build (Build)');
    assert.equal(prepare(at('FROM build', 0, 6)), 'build (build)');
    assert.equal(prepare(at('"BUILD"', 0, 2)), 'BUILD (BUILD)');
    assert.equal(prepare(at('from=build', 0, 7)), 'build (build)');
  });

  it('rewrites the declaration and every use by name, leaving the index and quotes alone', () => {
    assert.equal(
      rename(at('--from=build', 0, 9), 'compile'),
      lines(
        'FROM golang:1.22 AS compile',
        'RUN go build -o /out/app .',
        'FROM compile AS test',
        'FROM alpine:3.20',
        'COPY --from=compile /out/app /usr/bin/app',
        'COPY --from="compile" /out/app /usr/bin/app2',
        'COPY --from=0 /out/app /usr/bin/app3',
        'RUN --mount=type=bind,from=compile,source=/out,target=/mnt ls /mnt',
      ),
    );
  });

  it('accepts upper-case letters, which Docker lower-cases before checking', () => {
    assert.match(rename(at('AS Build', 0, 4), 'Builder.v2_x-y'), /^FROM golang:1\.22 AS Builder\.v2_x-y$/m);
  });

  it('refuses names Docker would reject', () => {
    assert.equal(
      rename(at('AS Build', 0, 4), '2fast'),
      'error: `2fast` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`.',
    );
    assert.match(rename(at('AS Build', 0, 4), 'my stage'), /^error: `my stage` is not a valid stage name/);
    assert.match(rename(at('AS Build', 0, 4), ''), /^error: `` is not a valid stage name/);
    assert.equal(rename(at('AS Build', 0, 4), 'scratch'), 'error: `scratch` is reserved by Docker and cannot name a stage.');
    assert.equal(rename(at('AS Build', 0, 4), 'Test'), 'error: A stage named `test` already exists (line 3).');
  });

  it('refuses a numeric reference, pointing at the name to rename instead', () => {
    assert.equal(prepare(at('--from=0', 0, 7)), 'error: `0` refers to a stage by its index; rename the stage at its name `Build` instead.');
  });

  it('refuses a name that would capture an image reference', () => {
    const doc = open(lines('FROM alpine AS base', 'FROM base', 'FROM node', 'COPY --from=node /a /a'));
    assert.equal(doc.rename(doc.at('AS base', 0, 4), 'node'), 'error: Renaming to `node` would change what `node` on line 3 refers to.');
  });

  it('refuses when a use names the stage through a variable it cannot rewrite', () => {
    const doc = open(lines('FROM alpine AS deps', 'FROM busybox', 'ARG SOURCE=deps', 'COPY --from=$SOURCE /a /a'));
    assert.equal(
      doc.prepare(doc.at('--from=$', 0, 7)),
      'error: `$SOURCE` names the stage through a variable or escapes; rename the stage at its `AS` name instead.',
    );
    assert.equal(doc.rename(doc.at('AS deps', 0, 4), 'modules'), 'error: Renaming to `modules` would change what `$SOURCE` on line 4 refers to.');
  });
});

describe('renaming a variable', () => {
  const text = lines(
    'ARG VERSION=1.22',
    'FROM golang:${VERSION} AS build',
    'ARG VERSION',
    'ENV GOFLAGS="-trimpath -ldflags=-X=main.version=${VERSION}"',
    'RUN echo "$VERSION" && go build $GOFLAGS ./...',
    'RUN <<EOF',
    'echo "building ${VERSION:-dev}" $GOFLAGS',
    'EOF',
    'FROM build AS test',
    'RUN echo $GOFLAGS $VERSION',
    'FROM alpine AS other',
    'RUN echo $VERSION',
  );
  const { at, rename, prepare } = open(text);

  it('renames a global ARG with its redeclaration and every use, shell-expanded ones included', () => {
    const expected = lines(
      'ARG GO_VERSION=1.22',
      'FROM golang:${GO_VERSION} AS build',
      'ARG GO_VERSION',
      'ENV GOFLAGS="-trimpath -ldflags=-X=main.version=${GO_VERSION}"',
      'RUN echo "$GO_VERSION" && go build $GOFLAGS ./...',
      'RUN <<EOF',
      'echo "building ${GO_VERSION:-dev}" $GOFLAGS',
      'EOF',
      'FROM build AS test',
      // Inherited from the stage it is built FROM: the same variable.
      'RUN echo $GOFLAGS $GO_VERSION',
      'FROM alpine AS other',
      // Not redeclared in this stage: a different (empty) variable, left alone.
      'RUN echo $VERSION',
    );
    assert.equal(rename(at('ARG VERSION=', 0, 4), 'GO_VERSION'), expected);
    assert.equal(rename(at('"$VERSION"', 0, 3), 'GO_VERSION'), expected);
    assert.equal(rename(at('ARG VERSION\n', 0, 4), 'GO_VERSION'), expected);
  });

  it('renames an ENV in the stages built from its stage', () => {
    assert.equal(
      rename(at('$GOFLAGS', 2, 1), 'GO_FLAGS'),
      text.replace(/GOFLAGS/g, 'GO_FLAGS'),
    );
  });

  it('offers the name without `$` or braces', () => {
    assert.equal(prepare(at('${VERSION}', 0, 2)), 'VERSION (VERSION)');
    assert.equal(prepare(at('$GOFLAGS', 0, 8)), 'GOFLAGS (GOFLAGS)');
  });

  it('refuses invalid names and names the builder reserves', () => {
    assert.equal(
      rename(at('ARG VERSION=', 0, 4), '1VERSION'),
      'error: `1VERSION` is not a valid variable name: it must start with a letter or `_` and contain only letters, digits and `_`.',
    );
    assert.match(rename(at('ARG VERSION=', 0, 4), 'GO-VERSION'), /^error: `GO-VERSION` is not a valid variable name/);
    assert.equal(rename(at('ARG VERSION=', 0, 4), 'TARGETARCH'), 'error: `TARGETARCH` is a build argument the builder sets itself; choose another name.');
  });

  it('refuses a name already in use where the variable is used', () => {
    assert.equal(rename(at('ARG VERSION=', 0, 4), 'GOFLAGS'), 'error: Renaming to `GOFLAGS` would change what `VERSION` on line 5 refers to.');
  });

  it('refuses a name that an existing use would be captured by', () => {
    const doc = open(lines('FROM alpine', 'RUN echo $HOME', 'ENV APP_HOME=/app', 'RUN echo $HOME $APP_HOME'));
    assert.equal(doc.rename(doc.at('APP_HOME=', 0, 0), 'HOME'), 'error: Renaming to `HOME` would change what `HOME` on line 4 refers to.');
    assert.equal(doc.rename(doc.at('APP_HOME=', 0, 0), 'APP_DIR'), lines('FROM alpine', 'RUN echo $HOME', 'ENV APP_DIR=/app', 'RUN echo $HOME $APP_DIR'));
  });

  it('renames an ARG and an ENV of the same name separately', () => {
    const doc = open(lines('FROM alpine', 'ARG MODE=dev', 'ENV MODE=$MODE', 'RUN echo $MODE'));
    assert.equal(doc.rename(doc.at('ARG MODE', 0, 4), 'BUILD_MODE'), lines('FROM alpine', 'ARG BUILD_MODE=dev', 'ENV MODE=$BUILD_MODE', 'RUN echo $MODE'));
    assert.equal(doc.rename(doc.at('echo $MODE', 0, 6), 'APP_MODE'), lines('FROM alpine', 'ARG MODE=dev', 'ENV APP_MODE=$MODE', 'RUN echo $APP_MODE'));
  });

  it('renames a declaration continued over lines', () => {
    const doc = open(lines('FROM alpine', 'ENV A=1 \\', '    B=2', 'RUN echo $A \\', '    && echo $B'));
    assert.equal(doc.rename(doc.at('$B', 0, 1), 'BEE'), lines('FROM alpine', 'ENV A=1 \\', '    BEE=2', 'RUN echo $A \\', '    && echo $BEE'));
  });

  it('refuses predefined ARGs and shell variables no ARG or ENV declares', () => {
    const doc = open(lines('FROM --platform=$BUILDPLATFORM alpine', 'ARG TARGETARCH', 'RUN echo $TARGETARCH $HOME $http_proxy'));
    const builder = (name: string) => `error: \`${name}\` is a build argument the builder sets itself; its name cannot be changed.`;
    assert.equal(doc.prepare(doc.at('$BUILDPLATFORM', 0, 1)), builder('BUILDPLATFORM'));
    assert.equal(doc.prepare(doc.at('ARG TARGETARCH', 0, 5)), builder('TARGETARCH'));
    assert.equal(doc.prepare(doc.at('$TARGETARCH', 0, 1)), builder('TARGETARCH'));
    assert.equal(doc.prepare(doc.at('$http_proxy', 0, 1)), builder('http_proxy'));
    assert.equal(
      doc.prepare(doc.at('$HOME', 0, 1)),
      'error: `HOME` is not declared by an ARG or ENV instruction in this Dockerfile, so there is nothing to rename.',
    );
  });
});

describe('what cannot be renamed', () => {
  const { at, prepare, rename } = open(lines('# syntax=docker/dockerfile:1', 'FROM alpine:3.20 AS base', 'RUN --network=none apk add curl', '', 'COPY . /src'));

  it('says why for keywords, flags, images and other text', () => {
    assert.equal(prepare(at('RUN', 0, 1)), 'error: `RUN` is an instruction keyword; only stage names and ARG/ENV variables can be renamed.');
    assert.equal(prepare(at('--network', 0, 3)), 'error: `--network` is an option of RUN; only stage names and ARG/ENV variables can be renamed.');
    assert.equal(prepare(at('alpine', 0, 2)), 'error: `alpine:3.20` is an image, not a stage of this Dockerfile; image names cannot be renamed.');
    assert.equal(prepare(at('curl', 0, 1)), 'error: Only stage names and ARG/ENV variables can be renamed.');
    assert.equal(prepare(at('syntax', 0, 1)), 'error: Only stage names and ARG/ENV variables can be renamed.');
    assert.equal(rename(at('/src', 0, 1), 'x'), 'error: Only stage names and ARG/ENV variables can be renamed.');
  });

  it('never throws on broken and partial Dockerfiles', () => {
    const texts = [
      '',
      'FROM',
      'FROM alpine AS',
      'FROM alpine AS b\nCOPY --from= /a /b\nCOPY --from',
      'FROM x\nARG\nENV\nENV =1\nRUN echo ${V',
      'ARG A=${\nFROM $A',
      'FROM a AS b\nRUN --mount=type=cache,from=',
      '\\',
      'FROM a\nRUN <<EOF\necho $X',
      '# escape=`\nFROM a AS b\nENV X=1 `\n  Y=$X\nCOPY --from=b`\n /a /b',
      'FROM a AS x\nFROM x AS x\nFROM x\nCOPY --from=X /a /a',
      'ONBUILD ONBUILD RUN $X\nFROM ${',
      'FROM a AS "b"\nCOPY --from="b" /a /a',
    ];
    for (const text of texts) {
      const doc = open(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const position = doc.document.positionAt(offset);
        dockerfilePrepareRename(doc.document, doc.model, position);
        for (const name of ['NEW_NAME', 'new-stage', '', '$']) dockerfileRename(doc.document, doc.model, position, name);
      }
    }
  });

  it('renames what is complete while the user is still typing elsewhere', () => {
    const doc = open('FROM node:20 AS deps\nFROM node:20\nCOPY --from=deps /a /a\nCOPY --from=de\nRUN echo ${');
    assert.equal(doc.rename(doc.at('AS deps', 0, 4), 'modules'), 'FROM node:20 AS modules\nFROM node:20\nCOPY --from=modules /a /a\nCOPY --from=de\nRUN echo ${');
  });
});
