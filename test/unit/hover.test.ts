import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent, Position } from 'vscode-languageserver-types';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileHover, type ImageInfo } from '../../server/src/service/hover';

function open(text: string, images: ImageInfo[] = []) {
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
  /** The hover's Markdown, or undefined when there is none. */
  const hover = (position: Position): string | undefined => {
    const result = dockerfileHover(document, model, position, images);
    if (!result) return undefined;
    assert.equal((result.contents as MarkupContent).kind, 'markdown');
    return (result.contents as MarkupContent).value;
  };
  /** The text the hover's range covers. */
  const target = (position: Position): string | undefined => {
    const result = dockerfileHover(document, model, position, images);
    return result?.range ? document.getText(result.range) : undefined;
  };
  return { document, model, at, hover, target };
}

const lines = (...text: string[]) => text.join('\n') + '\n';

describe('hover on variables', () => {
  const text = lines(
    'ARG VERSION=1.22', // 1
    'ARG BASE=golang', // 2
    'FROM --platform=$BUILDPLATFORM ${BASE}:${VERSION} AS build', // 3
    'ARG VERSION', // 4
    'ARG TARGETARCH', // 5
    'ARG NAME', // 6
    'ENV GOARCH=$TARGETARCH CGO_ENABLED=0 GOPATH=/go', // 7
    'ENV PATH=$GOPATH/bin:$PATH', // 8
    'RUN echo $VERSION $NAME $HOME $GOARCH', // 9
    'FROM build AS test', // 10
    'RUN echo $CGO_ENABLED $VERSION $TARGETOS', // 11
    'FROM scratch', // 12
    'COPY --from=test /go/bin/app /app$SUFFIX-$VERSION', // 13
  );
  const { at, hover, target } = open(text);

  it('shows a global ARG used in a FROM line with its default and declaration', () => {
    assert.equal(target(at('${VERSION}', 0, 3)), 'VERSION');
    assert.equal(
      hover(at('${VERSION}', 0, 3)),
      '`$VERSION` — **global build argument** (ARG)\n\nValue here: `1.22` (`--build-arg VERSION=…` overrides it)\n\nDeclared on line 1 by `ARG`, before the first FROM.',
    );
  });

  it('shows the global default of a redeclared ARG and both declarations', () => {
    assert.equal(
      hover(at('$VERSION', 0, 1)),
      [
        '`$VERSION` — **build argument** (ARG)',
        '',
        'Value here: `1.22` (`--build-arg VERSION=…` overrides it)',
        '',
        'Declared on line 4 by `ARG`. Redeclares the global `ARG VERSION` on line 1, which supplies its default.',
        '',
        'Expanded by the shell when the command runs.',
      ].join('\n'),
    );
  });

  it('follows an ARG inherited through FROM <stage>, as BuildKit passes it on', () => {
    assert.equal(
      hover(at('$VERSION', 1, 1)),
      [
        '`$VERSION` — **build argument** (ARG)',
        '',
        'Value here: `1.22` (`--build-arg VERSION=…` overrides it)',
        '',
        'Set on line 4 in stage `build` and inherited through `FROM`. Redeclares the global `ARG VERSION` on line 1, which supplies its default.',
        '',
        'Expanded by the shell when the command runs.',
      ].join('\n'),
    );
  });

  it('shows the inherited value of an ARG redeclared without a default in a child stage', () => {
    const doc = open(lines('FROM alpine AS base', 'ARG CONFIG=prod.yaml', 'FROM base', 'ARG CONFIG', 'COPY $CONFIG /etc/'));
    assert.equal(
      doc.hover(doc.at('$CONFIG', 0, 1)),
      '`$CONFIG` — **build argument** (ARG)\n\nValue here: `prod.yaml` (`--build-arg CONFIG=…` overrides it)\n\nDeclared on line 4 by `ARG`.',
    );
  });

  it('explains a global ARG that the stage did not redeclare', () => {
    assert.equal(
      hover(at('$VERSION', 2, 1)),
      '`$VERSION` — **not declared here**\n\nThe global `ARG VERSION` on line 1 is not visible in a stage until the stage redeclares it with `ARG VERSION`.',
    );
  });

  it('describes platform ARGs as set by the builder', () => {
    assert.equal(
      hover(at('$BUILDPLATFORM', 0, 1)),
      [
        '`$BUILDPLATFORM` — **build argument set by the builder**',
        '',
        'Platform of the node performing the build. Set by the builder for each build; known only when building.',
        '',
        'Usable here without an ARG instruction (FROM lines see it directly; a stage needs `ARG BUILDPLATFORM`).',
      ].join('\n'),
    );
    assert.match(hover(at('ARG TARGETARCH', 0, 5)) ?? '', /^`TARGETARCH` — \*\*build argument set by the builder\*\*\n\nArchitecture component of TARGETPLATFORM\. Set by the builder/);
    assert.equal(
      hover(at('$TARGETOS', 0, 1)),
      '`$TARGETOS` — **not declared here**\n\nOS component of TARGETPLATFORM. The builder sets it, but a stage sees it only after `ARG TARGETOS`; here it expands to an empty string.',
    );
  });

  it('says why an ENV value is not known', () => {
    assert.equal(
      hover(at('$GOARCH', 0, 1)),
      [
        '`$GOARCH` — **environment variable** (ENV)',
        '',
        'Value here: not known before the build — it depends on `$TARGETARCH`, whose value is not known here.',
        '',
        'Declared on line 7 by `ENV`.',
        '',
        'Expanded by the shell when the command runs.',
      ].join('\n'),
    );
  });

  it('explains a value taken from before its own instruction', () => {
    assert.equal(
      hover(at(':$PATH', 0, 2)),
      "`$PATH` — **not declared here**\n\nThis ENV sets it, but its values are expanded with what was in effect before it, when no ARG or ENV of this Dockerfile had set it: the base image's environment may provide it; otherwise it is empty.",
    );
    assert.match(hover(at('$GOPATH', 0, 1)) ?? '', /^`\$GOPATH` — \*\*environment variable\*\* \(ENV\)\n\nValue here: `\/go`\n\nDeclared on line 7 by `ENV`\.$/);
  });

  it('shows an ARG without a default', () => {
    assert.equal(
      hover(at('$NAME', 0, 1)),
      '`$NAME` — **build argument** (ARG)\n\nValue here: empty unless given with `--build-arg NAME=…` (no default).\n\nDeclared on line 6 by `ARG`.\n\nExpanded by the shell when the command runs.',
    );
    assert.equal(
      hover(at('ARG NAME', 0, 4)),
      '`NAME` — **build argument** (ARG)\n\nNo default: empty unless given with `--build-arg NAME=…`.\n\nVisible while building to the instructions after it and to stages built from this one; not kept in the image.',
    );
  });

  it('follows ENV inherited through FROM <stage>', () => {
    assert.equal(
      hover(at('$CGO_ENABLED', 0, 1)),
      '`$CGO_ENABLED` — **environment variable** (ENV)\n\nValue here: `0`\n\nSet on line 7 in stage `build` and inherited through `FROM`.\n\nExpanded by the shell when the command runs.',
    );
  });

  it('explains shell variables and names no ARG or ENV declares', () => {
    assert.equal(
      hover(at('$HOME', 0, 1)),
      "`$HOME` — **not declared here**\n\nNo ARG or ENV of this Dockerfile declares it: the shell expands it when the command runs (a variable of the script, or of the base image's environment).",
    );
    assert.equal(hover(at('$SUFFIX', 0, 1)), '`$SUFFIX` — **not declared here**\n\nNo ARG or ENV declares it, so it expands to an empty string.');
  });

  it('shows a global declaration with the stages that redeclare it', () => {
    assert.equal(
      hover(at('ARG VERSION=', 0, 5)),
      '`VERSION` — **global build argument** (ARG)\n\nDefault: `1.22` (`--build-arg VERSION=…` overrides it)\n\nDeclared before the first FROM: usable in FROM lines; a stage sees it only after its own `ARG VERSION`. Redeclared in stage `build`.',
    );
  });

  it('explains a variable declared later in the stage', () => {
    const doc = open(lines('FROM alpine', 'RUN echo $A', 'ENV A=1'));
    assert.equal(doc.hover(doc.at('$A', 0, 1)), '`$A` — **not declared here**\n\nIt is declared later, on line 3, and not visible yet.');
  });

  it('explains a stage ARG used in a FROM line', () => {
    const doc = open(lines('FROM alpine', 'ARG TAG=3', 'FROM alpine:$TAG'));
    assert.equal(doc.hover(doc.at('$TAG', 0, 1)), '`$TAG` — **not declared here**\n\nNo ARG before the first FROM declares it, so it expands to an empty string.');
  });
});

describe('hover on stages', () => {
  const text = lines(
    'ARG GO=1.22',
    'FROM --platform=$BUILDPLATFORM golang:${GO} AS Build',
    'RUN go build -o /out/app .',
    'FROM build AS test',
    'FROM alpine:3.20',
    'COPY --from=build /out/app /app',
    'COPY --from=0 /out/app /app2',
    'RUN --mount=from=test,target=/t true',
  );
  const { at, hover, target } = open(text);
  const buildStage = [
    '**Stage `Build`** (index 0, line 2)',
    '',
    'Base: image `golang:1.22` (written `golang:${GO}`)',
    '',
    'Platform: `$BUILDPLATFORM` (known only when building)',
    '',
    'Used by: stage `test` (`FROM`, line 4), stage 2 (`--from`, line 6), stage 2 (`--from`, line 7)',
  ];

  it('shows the base, platform and users of a stage at its name and at every use', () => {
    assert.equal(hover(at('AS Build', 0, 4)), buildStage.join('\n'));
    assert.equal(hover(at('FROM build', 0, 6)), buildStage.join('\n'));
    assert.equal(target(at('--from=build', 0, 9)), 'build');
    assert.equal(hover(at('--from=build', 0, 9)), buildStage.join('\n'));
  });

  it('mentions a use by index', () => {
    assert.equal(hover(at('--from=0', 0, 7)), [...buildStage.slice(0, 1), '', 'Referred to by its index `0`.', ...buildStage.slice(1)].join('\n'));
  });

  it('shows a stage built from another, and what the last stage uses', () => {
    assert.equal(
      hover(at('from=test', 0, 6)),
      '**Stage `test`** (index 1, line 4)\n\nBase: stage `Build` (line 2)\n\nUsed by: stage 2 (`--mount` from, line 8)',
    );
    const last = open(lines('FROM alpine AS a', 'FROM alpine AS b', 'COPY --from=a /x /x'));
    assert.equal(
      last.hover(last.at('AS b', 0, 3)),
      '**Stage `b`** (index 1, line 2)\n\nBase: image `alpine`\n\nUses: stage `a` (`--from`, line 3)\n\nThe last stage: what the build produces unless `--target` names another.',
    );
  });
});

describe('hover on base images', () => {
  const images: ImageInfo[] = [
    { repository: 'nginx', tags: ['1.25', 'latest'], id: 'sha256:a1b2c3d4e5f6a7b8c9d0', size: 187_654_321, created: '2024-05-01T10:20:30.123456789Z', exposedPorts: ['80/tcp', '443/tcp'] },
    { repository: 'localhost:5000/tools', tags: ['v1'], id: 'sha256:ffffeeeeddddcccc', size: 1234, created: '2024-01-01T00:00:00Z', exposedPorts: [] },
  ];
  const text = lines(
    'ARG TAG=1.25',
    'FROM docker.io/library/nginx:${TAG} AS web',
    'FROM ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'FROM localhost:5000/tools',
    'FROM scratch',
    'FROM python:3.12-slim',
    'FROM node:$UNKNOWN',
  );
  const { at, hover, target } = open(text, images);

  it('shows size, creation date and exposed ports of a local image', () => {
    assert.equal(target(at('docker.io', 0, 2)), 'docker.io/library/nginx:${TAG}');
    assert.equal(
      hover(at('docker.io', 0, 2)),
      [
        '**Image** `docker.io/library/nginx:1.25`',
        '',
        'Written `docker.io/library/nginx:${TAG}`.',
        '',
        '- Registry: `docker.io`',
        '- Repository: `library/nginx`',
        '- Tag: `1.25`',
        '',
        '**Local image** `a1b2c3d4e5f6`',
        '- Size: 188 MB',
        '- Created: 2024-05-01 10:20:30 UTC',
        '- Exposed ports: `80/tcp`, `443/tcp`',
        '- Tags: `1.25`, `latest`',
      ].join('\n'),
    );
  });

  it('shows the parts of a reference with a digest', () => {
    assert.equal(
      hover(at('ghcr.io', 0, 1)),
      [
        '**Image** `ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`',
        '',
        '- Registry: `ghcr.io`',
        '- Repository: `acme/app`',
        '- Digest: `sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`',
      ].join('\n'),
    );
  });

  it('tells when the repository is there locally with other tags', () => {
    assert.equal(
      hover(at('localhost:5000', 0, 1)),
      [
        '**Image** `localhost:5000/tools`',
        '',
        '- Registry: `localhost:5000`',
        '- Repository: `tools`',
        '- Tag: `latest` (the default)',
        '',
        'Not pulled with this tag; local tags of `tools`: `v1`',
      ].join('\n'),
    );
  });

  it('shows the parts of an image not known locally, and scratch', () => {
    assert.equal(
      hover(at('python', 0, 1)),
      '**Image** `python:3.12-slim`\n\n- Registry: Docker Hub (`docker.io`, the default)\n- Repository: `python`\n- Tag: `3.12-slim`',
    );
    assert.equal(hover(at('scratch', 0, 1)), '**Image** `scratch`\n\nThe empty image: the stage starts with no files at all.');
  });

  it('says when the reference depends on values not known before the build', () => {
    const doc = open(lines('ARG NODE_TAG', 'FROM node:$NODE_TAG'));
    assert.equal(
      doc.hover(doc.at('node:', 0, 1)),
      '**Image** `node:$NODE_TAG`\n\nThe reference depends on build arguments whose values are not known before the build.',
    );
  });

  it('says when a variable in the reference is not declared', () => {
    assert.equal(
      hover(at('node:', 0, 1)),
      [
        '**Image** `node:`',
        '',
        'Written `node:$UNKNOWN`.',
        '',
        '`$UNKNOWN` is not declared before the first FROM, so it expands to an empty string.',
        '',
        '- Registry: Docker Hub (`docker.io`, the default)',
        '- Repository: `node`',
        '- Tag: `""`',
      ].join('\n'),
    );
  });

  it('works without any image list', () => {
    const doc = open('FROM nginx\n');
    assert.equal(
      doc.hover(doc.at('nginx', 0, 0)),
      '**Image** `nginx`\n\n- Registry: Docker Hub (`docker.io`, the default)\n- Repository: `nginx`\n- Tag: `latest` (the default)',
    );
  });
});

describe('hover on keywords, flags and directives', () => {
  const text = lines(
    '# syntax=docker/dockerfile:1',
    '# syntax=docker/dockerfile:1.7',
    'from alpine AS base',
    'RUN --mount=type=cache,target=/root/.cache --network=none pip install x',
    'HEALTHCHECK --interval=30s CMD wget -q http://localhost/ || exit 1',
    'ONBUILD COPY . /src',
    'COPY --bogus=1 a b',
    'FROBNICATE now',
  );
  const { at, hover, target } = open(text);

  it('describes an instruction with its forms, whatever the keyword case', () => {
    const markdown = hover(at('from', 0, 1)) ?? '';
    assert.equal(target(at('from', 0, 1)), 'from');
    assert.match(markdown, /^\*\*FROM\*\* — Start a build stage from a base image \(or an earlier stage\)\.\n\n/);
    assert.match(markdown, /\n```dockerfile\nFROM \[--platform=<platform>\] <image>\[:<tag>\] \[AS <name>\]\n/);
  });

  it('describes the instruction of an ONBUILD trigger', () => {
    assert.match(hover(at('COPY . /src', 0, 1)) ?? '', /^\*\*COPY\*\* — /);
    assert.match(hover(at('ONBUILD', 0, 1)) ?? '', /^\*\*ONBUILD\*\* — /);
  });

  it('describes a flag on its name and on its value', () => {
    assert.equal(target(at('--network', 0, 3)), '--network');
    assert.equal(
      hover(at('--network', 0, 3)),
      "**--network** (RUN) — Network the command runs with: `default` (the build's usual network), `none` (no network access) or `host` (the host's network, which the builder must allow).\n\nValues: `default`, `none`, `host`",
    );
    assert.equal(target(at('30s', 0, 1)), '--interval=30s');
    assert.match(hover(at('30s', 0, 1)) ?? '', /^\*\*--interval\*\* \(HEALTHCHECK\) — /);
  });

  it('describes --mount options and types', () => {
    assert.equal(target(at('type=cache', 0, 1)), 'type');
    assert.match(hover(at('type=cache', 0, 1)) ?? '', /^\*\*type\*\* \(`--mount` option\) — Kind of mount/);
    assert.equal(target(at('type=cache', 0, 6)), 'cache');
    assert.match(hover(at('type=cache', 0, 6)) ?? '', /^\*\*type=cache\*\* — A directory kept between builds/);
    assert.match(hover(at('target=/root', 0, 2)) ?? '', /^\*\*target\*\* \(`--mount` option\) — /);
  });

  it('describes the HEALTHCHECK type and the AS keyword', () => {
    assert.equal(hover(at('CMD wget', 0, 1)), '`HEALTHCHECK CMD` — The command that checks the container; exit status 0 means healthy.');
    assert.match(hover(at('AS base', 0, 1)) ?? '', /^`AS` names the stage/);
  });

  it('describes parser directives and says when one is ignored', () => {
    assert.match(hover(at('syntax', 0, 1)) ?? '', /^\*\*# syntax\*\* \(parser directive\) — Choose the Dockerfile frontend/);
    assert.match(hover(at('syntax', 1, 1)) ?? '', /\n\n_Ignored here: only the first `# syntax` counts \(line 1\)\._$/);
  });

  it('has nothing for unknown flags and instructions, plain words and blank space', () => {
    assert.equal(hover(at('--bogus', 0, 3)), undefined);
    assert.equal(hover(at('FROBNICATE', 0, 1)), undefined);
    assert.equal(hover(at('pip', 0, 1)), undefined);
    assert.equal(hover(at(' /src', 0, 0)), undefined);
  });
});

describe('hover on broken and partial Dockerfiles', () => {
  it('never throws, anywhere in text a user has half typed', () => {
    const images: ImageInfo[] = [{ repository: 'a', tags: ['latest'], id: '', size: Number.NaN, created: 'not a date', exposedPorts: [] }];
    const texts = [
      '',
      'FROM',
      'FROM ',
      'FROM a AS',
      'FROM a\nCOPY --from= a b\nARG\nENV\nENV =1\nRUN echo ${V',
      'ARG A=${\nFROM $A',
      'FROM a AS b\nRUN --mount=type=cache,from=',
      'FROM a\nRUN --mount=',
      '\\',
      '# escape=x\n# escape=`\nFROM a',
      'FROM a\nRUN <<EOF\necho $X',
      '# escape=`\nFROM a AS b\nENV X=1 `\n  Y=$X\nCOPY --from=b`\n /a /b',
      'ONBUILD ONBUILD RUN $X\nFROM ${',
      'HEALTHCHECK\nHEALTHCHECK NONE\nFROM a@',
      'FROM a\nENV X="`"\nRUN echo $X',
    ];
    for (const text of texts) {
      const doc = open(text, images);
      for (let offset = 0; offset <= text.length; offset++) dockerfileHover(doc.document, doc.model, doc.document.positionAt(offset), images);
      dockerfileHover(doc.document, doc.model, { line: 99, character: 99 });
      dockerfileHover(doc.document, doc.model, { line: -1, character: -1 });
    }
  });

  it('shows what it can for a local image with odd facts', () => {
    const doc = open('FROM a\n', [{ repository: 'a', tags: ['latest'], id: 'abc', size: Number.NaN, created: 'yesterday', exposedPorts: [] }]);
    assert.match(doc.hover(doc.at('a', 0, 0)) ?? '', /\*\*Local image\*\* `abc`\n- Size: unknown\n- Created: `yesterday`\n- Exposed ports: none$/);
  });

  it('quotes values holding backticks safely', () => {
    const doc = open('FROM a\nENV X="a`b"\nRUN echo $X\n');
    assert.match(doc.hover(doc.at('$X', 0, 1)) ?? '', /Value here: ``a`b``/);
  });

  it('hovers what is already there while a line is being typed', () => {
    const doc = open('FROM node:20 AS deps\nFROM node:20\nCOPY --from=deps /a /a\nCOPY --from=de\nRUN echo ${');
    assert.match(doc.hover(doc.at('--from=deps', 0, 8)) ?? '', /^\*\*Stage `deps`\*\* \(index 0, line 1\)/);
    assert.match(doc.hover(doc.at('--from=de\n', 0, 3)) ?? '', /^\*\*--from\*\* \(COPY\)/);
  });
});
