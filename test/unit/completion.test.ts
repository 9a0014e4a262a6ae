import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import {
  COMPLETION_TRIGGER_CHARACTERS,
  dockerfileCompletion,
  parseKnownImages,
  type DockerfileCompletionOptions,
  type KnownImage,
} from '../../server/src/service/completion';
import { INSTRUCTIONS, PARSER_DIRECTIVES } from '../../server/src/service/instructionDocs';

/** `|` marks the cursor. */
function complete(source: string, images: KnownImage[] = [], options: DockerfileCompletionOptions = {}) {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'test source needs a | cursor');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const document = TextDocument.create('file:///work/Dockerfile', 'dockerfile', 1, text);
  const list = dockerfileCompletion(document, analyzeDockerfile(text), document.positionAt(offset), images, options);
  return { text, document, offset, items: list.items, list };
}

const labels = (items: CompletionItem[]) => items.map((item) => item.label);

function item(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((candidate) => candidate.label === label);
  assert.ok(found, `no item ${JSON.stringify(label)} among ${JSON.stringify(labels(items))}`);
  return found;
}

function edit(entry: CompletionItem): TextEdit {
  assert.ok(entry.textEdit && 'range' in entry.textEdit, `item ${entry.label} has a textEdit`);
  return entry.textEdit;
}

/** The text the item replaces. */
function replaced(result: ReturnType<typeof complete>, entry: CompletionItem): string {
  const { range } = edit(entry);
  return result.text.slice(result.document.offsetAt(range.start), result.document.offsetAt(range.end));
}

/** The document after accepting the item (snippet text inserted as is). */
function accept(result: ReturnType<typeof complete>, label: string): string {
  return TextDocument.applyEdits(result.document, [edit(item(result.items, label))]);
}

const IMAGES: KnownImage[] = [
  { repository: 'alpine', tags: ['3.20', 'latest'], id: 'sha256:0123456789abcdef0123', size: 7_800_000, created: '2024-06-01T00:00:00Z', exposedPorts: [] },
  { repository: 'nginx', tags: ['1.27-alpine'], id: 'sha256:fedcba9876543210', size: 43_000_000, created: '2024-07-01T00:00:00Z', exposedPorts: ['80/tcp'] },
  { repository: 'localhost:5000/app', tags: ['dev'], id: 'sha256:aa', size: 1_000, created: '', exposedPorts: [] },
  { repository: '<none>', tags: ['<none>'], id: 'sha256:bb', size: 1, created: '', exposedPorts: [] },
];

describe('completion: instruction keywords', () => {
  it('offers every instruction in an empty file, FROM and ARG first, with snippets', () => {
    const result = complete('|');
    const keywords = result.items.filter((entry) => entry.kind === CompletionItemKind.Keyword).map((entry) => entry.label);
    for (const name of Object.keys(INSTRUCTIONS)) assert.ok(keywords.includes(name), name);
    const sorted = [...result.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'FROM');
    const firstKeywords = sorted.filter((entry) => entry.kind === CompletionItemKind.Keyword).slice(0, 2).map((entry) => entry.label);
    assert.deepEqual(firstKeywords, ['FROM', 'ARG']);
    const fromSnippet = item(result.items, 'FROM image:tag AS name');
    assert.equal(fromSnippet.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(edit(fromSnippet).newText, 'FROM ${1:image}:${2:tag} AS ${3:name}');
    assert.equal(accept(result, 'FROM'), 'FROM ');
    assert.equal(item(result.items, 'FROM').command?.command, 'editor.action.triggerSuggest');
  });

  it('replaces exactly the keyword being typed', () => {
    const result = complete('FROM alpine\nCO|');
    const copy = item(result.items, 'COPY');
    assert.equal(replaced(result, copy), 'CO');
    assert.equal(accept(result, 'COPY'), 'FROM alpine\nCOPY ');
    assert.equal(copy.filterText, 'COPY');
  });

  it('offers the snippets the brief asks for', () => {
    const { items } = complete('FROM alpine\n|');
    const bodies = items.filter((entry) => entry.kind === CompletionItemKind.Snippet).map((entry) => edit(entry).newText);
    for (const expected of [
      'FROM ${1:image}:${2:tag} AS ${3:name}',
      'RUN --mount=type=cache,target=${1} ${2:command}',
      'COPY --from=${1:stage} ${2:src} ${3:dest}',
      'HEALTHCHECK --interval=${1:30s} CMD ${2}',
      'CMD ["${1:executable}", "${2:param}"]',
      'CMD ${1:command}',
      'ENTRYPOINT ["${1:executable}", "${2:param}"]',
      'ENTRYPOINT ${1:command}',
    ]) {
      assert.ok(bodies.includes(expected), `missing snippet ${expected}`);
    }
  });

  it('after the first FROM, FROM and ARG are no longer sorted first', () => {
    const { items } = complete('FROM alpine\n|');
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'FROM');
    assert.equal(sorted[0].sortText?.[0], '1');
  });

  it('matches the keyword casing of the file', () => {
    const result = complete('from alpine\nrun true\nR|');
    assert.ok(labels(result.items).includes('copy'));
    assert.ok(!labels(result.items).includes('COPY'));
    assert.equal(edit(item(result.items, 'from image:tag as name')).newText, 'from ${1:image}:${2:tag} as ${3:name}');
    assert.equal(edit(item(result.items, 'healthcheck --interval=30s cmd command')).newText, 'healthcheck --interval=${1:30s} cmd ${2}');
  });

  it('uses the case being typed in a file without instructions', () => {
    assert.ok(labels(complete('fr|').items).includes('from'));
    assert.ok(labels(complete('FR|').items).includes('FROM'));
  });

  it('on the keyword of an instruction with arguments offers bare keywords only', () => {
    const result = complete('FROM alpine\nCO|PY src /dest\n');
    assert.ok(result.items.every((entry) => entry.kind === CompletionItemKind.Keyword));
    assert.equal(replaced(result, item(result.items, 'ADD')), 'COPY');
    assert.equal(accept(result, 'ADD'), 'FROM alpine\nADD src /dest\n');
  });

  it('offers trigger instructions after ONBUILD (no FROM, ONBUILD or MAINTAINER)', () => {
    const result = complete('FROM alpine\nONBUILD |');
    const names = labels(result.items);
    assert.ok(names.includes('RUN') && names.includes('COPY'));
    for (const forbidden of ['FROM', 'ONBUILD', 'MAINTAINER']) assert.ok(!names.includes(forbidden), forbidden);
    const partial = complete('FROM alpine\nONBUILD CO|');
    assert.equal(replaced(partial, item(partial.items, 'COPY')), 'CO');
    assert.equal(accept(partial, 'COPY'), 'FROM alpine\nONBUILD COPY ');
  });

  it('marks MAINTAINER deprecated', () => {
    const maintainer = item(complete('FROM alpine\n|').items, 'MAINTAINER');
    assert.deepEqual(maintainer.tags, [CompletionItemTag.Deprecated]);
  });

  it('leaves snippets out when the client does not support them', () => {
    const { items } = complete('FROM alpine\n|', [], { snippetSupport: false });
    assert.ok(items.length > 0);
    assert.ok(items.every((entry) => entry.insertTextFormat !== InsertTextFormat.Snippet));
  });

  it('before the keyword of an instruction, replaces the keyword without snippets', () => {
    const result = complete('FROM alpine\n  |RUN make\n');
    assert.ok(result.items.every((entry) => entry.kind === CompletionItemKind.Keyword));
    assert.equal(accept(result, 'CMD'), 'FROM alpine\n  CMD make\n');
  });

  it('offers keywords on an indented blank line, replacing nothing', () => {
    const result = complete('FROM alpine\n  |\nRUN true\n');
    const run = item(result.items, 'RUN');
    assert.equal(replaced(result, run), '');
    assert.equal(accept(result, 'RUN'), 'FROM alpine\n  RUN \nRUN true\n');
  });
});

describe('completion: flags', () => {
  it('offers the flags of the instruction after --', () => {
    const result = complete('FROM alpine\nRUN --|');
    assert.deepEqual(labels(result.items), ['--mount', '--network', '--security', '--device']);
    const mount = item(result.items, '--mount');
    assert.equal(replaced(result, mount), '--');
    assert.equal(accept(result, '--mount'), 'FROM alpine\nRUN --mount=');
    assert.equal(mount.command?.command, 'editor.action.triggerSuggest');
    assert.ok(typeof mount.documentation === 'object' && mount.documentation.value.length > 20);
  });

  it('does not repeat a single-valued flag, but does repeat --exclude', () => {
    const names = labels(complete('FROM alpine\nCOPY --from=build --exclude=*.md --|').items);
    assert.ok(!names.includes('--from'));
    assert.ok(names.includes('--exclude'));
    assert.ok(names.includes('--chmod'));
  });

  it('inserts boolean flags bare and uses a placeholder for free values', () => {
    const result = complete('FROM alpine\nCOPY --l|');
    assert.equal(accept(result, '--link'), 'FROM alpine\nCOPY --link');
    const exclude = item(result.items, '--exclude');
    assert.equal(exclude.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(edit(exclude).newText, '--exclude=${1:pattern}');
  });

  it('replaces only the flag name when a value is already written', () => {
    const result = complete('FROM alpine\nRUN --net|work=host make\n');
    const network = item(result.items, '--network');
    assert.equal(replaced(result, network), '--network');
    assert.equal(accept(result, '--network'), 'FROM alpine\nRUN --network=host make\n');
  });

  it('offers no flags once the arguments have started, or for instructions without flags', () => {
    assert.deepEqual(labels(complete('FROM alpine\nRUN apt-get --|').items), []);
    assert.deepEqual(labels(complete('FROM alpine\nCMD --|').items), []);
  });

  it('works on a continuation line', () => {
    const result = complete('FROM alpine\nCOPY --chown=app:app \\\n    --ch|');
    assert.deepEqual(labels(result.items).filter((label) => label.startsWith('--ch')), ['--chmod']);
    const chmod = item(result.items, '--chmod');
    assert.equal(edit(chmod).range.start.line, 2);
    assert.equal(replaced(result, chmod), '--ch');
  });

  it('offers flags of an ONBUILD trigger', () => {
    assert.ok(labels(complete('FROM alpine\nONBUILD COPY --|').items).includes('--from'));
    assert.deepEqual(labels(complete('FROM alpine\nONBUILD HEALTHCHECK \\\n  |').items), ['CMD', 'NONE']);
  });

  it('after a keyword continued onto the next line, offers what follows the keyword', () => {
    assert.deepEqual(labels(complete('FROM alpine\nHEALTHCHECK\\\n  |').items), ['CMD', 'NONE']);
  });

  it('offers HEALTHCHECK and FROM flags', () => {
    assert.deepEqual(labels(complete('FROM alpine\nHEALTHCHECK --|').items), ['--interval', '--timeout', '--start-period', '--start-interval', '--retries']);
    assert.deepEqual(labels(complete('FROM --|').items), ['--platform']);
    const interval = item(complete('FROM alpine\nHEALTHCHECK --i|').items, '--interval');
    assert.equal(edit(interval).newText, '--interval=');
  });
});

describe('completion: flag values', () => {
  it('--mount=type= offers the mount types', () => {
    const result = complete('FROM alpine\nRUN --mount=type=|');
    assert.deepEqual(labels(result.items), ['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
    assert.equal(accept(result, 'cache'), 'FROM alpine\nRUN --mount=type=cache');
  });

  it('--mount= without a type offers type= first, then bind options', () => {
    const result = complete('FROM alpine\nRUN --mount=|');
    const sorted = [...result.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'type=');
    assert.ok(labels(result.items).includes('target='));
    assert.ok(!labels(result.items).includes('sharing='));
  });

  it('after type=cache offers the options of a cache mount', () => {
    const result = complete('FROM alpine\nRUN --mount=type=cache,|');
    assert.deepEqual(labels(result.items).sort(), ['from=', 'gid=', 'id=', 'mode=', 'readonly=', 'sharing=', 'source=', 'target=', 'uid='].sort());
    assert.equal(accept(result, 'target='), 'FROM alpine\nRUN --mount=type=cache,target=');
  });

  it('after type=secret offers required= and env=, and not options already given', () => {
    const names = labels(complete('FROM alpine\nRUN --mount=type=secret,id=token,|').items);
    assert.ok(names.includes('required='));
    assert.ok(names.includes('env='));
    assert.ok(names.includes('target='));
    assert.ok(!names.includes('id='));
    assert.ok(!names.includes('sharing='));
  });

  it('an alias counts as given (dst= hides target=)', () => {
    assert.ok(!labels(complete('FROM alpine\nRUN --mount=type=cache,dst=/c,|').items).includes('target='));
  });

  it('offers values of mount options', () => {
    assert.deepEqual(labels(complete('FROM alpine\nRUN --mount=type=cache,target=/c,sharing=|').items), ['shared', 'private', 'locked']);
    assert.deepEqual(labels(complete('FROM alpine\nRUN --mount=type=secret,id=x,required=|').items), ['true', 'false']);
  });

  it('replaces only the mount field key when its value is written', () => {
    const result = complete('FROM alpine\nRUN --mount=type=cache,ta|rget=/root/.cache make\n');
    const target = item(result.items, 'target=');
    assert.equal(replaced(result, target), 'target');
    assert.equal(accept(result, 'target='), 'FROM alpine\nRUN --mount=type=cache,target=/root/.cache make\n');
  });

  it('offers type= again while its key is being edited', () => {
    const result = complete('FROM alpine\nRUN --mount=ty|pe=cache,target=/c make\n');
    assert.equal(accept(result, 'type='), 'FROM alpine\nRUN --mount=type=cache,target=/c make\n');
  });

  it('replaces the mount type being edited up to the next comma', () => {
    const result = complete('FROM alpine\nRUN --mount=type=ca|che,target=/c make\n');
    assert.equal(replaced(result, item(result.items, 'cache')), 'cache');
    assert.equal(accept(result, 'secret'), 'FROM alpine\nRUN --mount=type=secret,target=/c make\n');
  });

  it('offers stage names after --mount=...from=', () => {
    const result = complete('FROM golang AS build\nFROM alpine\nRUN --mount=from=|');
    assert.ok(labels(result.items).includes('build'));
  });

  it('--network, --security, --chmod and booleans', () => {
    assert.deepEqual(labels(complete('FROM alpine\nRUN --network=|').items), ['default', 'none', 'host']);
    assert.deepEqual(labels(complete('FROM alpine\nRUN --security=|').items), ['insecure', 'sandbox']);
    assert.ok(labels(complete('FROM alpine\nCOPY --chmod=|').items).includes('0755'));
    assert.deepEqual(labels(complete('FROM alpine\nCOPY --link=|').items), ['true', 'false']);
    assert.ok(labels(complete('FROM alpine\nHEALTHCHECK --interval=|').items).includes('30s'));
  });

  it('--platform= offers build platform variables and common platforms', () => {
    const result = complete('FROM --platform=| golang AS build');
    const names = labels(result.items);
    for (const expected of ['$BUILDPLATFORM', '$TARGETPLATFORM', 'linux/amd64', 'linux/arm64']) assert.ok(names.includes(expected), expected);
    assert.equal(accept(result, '$BUILDPLATFORM'), 'FROM --platform=$BUILDPLATFORM golang AS build');
    const partial = complete('FROM --platform=linux/a| golang');
    assert.equal(replaced(partial, item(partial.items, 'linux/arm64')), 'linux/a');
  });

  it('COPY --from= offers earlier stages (named, or by index) and local images', () => {
    const source = 'FROM golang AS build\nFROM alpine\nFROM busybox AS final\nCOPY --from=| /out /out\nFROM scratch AS later\n';
    const result = complete(source, IMAGES);
    const names = labels(result.items);
    assert.ok(names.includes('build'));
    assert.ok(names.includes('1'), 'unnamed stage by index');
    assert.ok(!names.includes('final'), 'not the stage itself');
    assert.ok(!names.includes('later'), 'not a later stage');
    assert.ok(names.includes('alpine'), 'images too');
    const build = item(result.items, 'build');
    assert.ok(String(build.detail).includes('golang'));
    assert.ok((build.sortText ?? '') < (item(result.items, 'alpine').sortText ?? ''));
  });
});

describe('completion: FROM images and stages', () => {
  it('offers earlier named stages, scratch and local images as the FROM image', () => {
    const result = complete('FROM golang:1.22 AS build\nFROM |\nFROM alpine AS later\n', IMAGES);
    const names = labels(result.items);
    assert.ok(names.includes('build'));
    assert.ok(names.includes('scratch'));
    assert.ok(names.includes('alpine'));
    assert.ok(names.includes('nginx'));
    assert.ok(names.includes('localhost:5000/app'));
    assert.ok(!names.includes('later'));
    assert.ok(!names.includes('<none>'));
    const nginx = item(result.items, 'nginx');
    assert.equal(nginx.kind, CompletionItemKind.Module);
    assert.ok(String(nginx.detail).includes('1.27-alpine'));
    assert.ok(typeof nginx.documentation === 'object' && nginx.documentation.value.includes('80/tcp'));
  });

  it('replaces the whole image word', () => {
    const result = complete('FROM ngi|nx:1 AS web\n', IMAGES);
    assert.equal(replaced(result, item(result.items, 'nginx')), 'nginx:1');
  });

  it('offers the tags of the repository after the colon', () => {
    const result = complete('FROM alpine:|', IMAGES);
    assert.deepEqual(labels(result.items), ['3.20', 'latest']);
    assert.equal(accept(result, '3.20'), 'FROM alpine:3.20');
    const partial = complete('FROM alpine:3.|19 AS base', IMAGES);
    assert.equal(replaced(partial, item(partial.items, '3.20')), '3.19');
    assert.equal(accept(partial, '3.20'), 'FROM alpine:3.20 AS base');
  });

  it('treats docker.io/library/ as the same repository, and a registry port as no tag', () => {
    assert.deepEqual(labels(complete('FROM docker.io/library/alpine:|', IMAGES).items), ['3.20', 'latest']);
    assert.deepEqual(labels(complete('FROM localhost:5000/app:|', IMAGES).items), ['dev']);
    assert.ok(labels(complete('FROM localhost:5000/a|', IMAGES).items).includes('localhost:5000/app'));
  });

  it('offers AS after the image, in the FROM keyword case', () => {
    const result = complete('FROM alpine |');
    assert.deepEqual(labels(result.items), ['AS']);
    assert.equal(accept(result, 'AS'), 'FROM alpine AS ');
    assert.deepEqual(labels(complete('from alpine |').items), ['as']);
    assert.deepEqual(labels(complete('FROM alpine AS |').items), []);
  });

  it('works without images', () => {
    const names = labels(complete('FROM |').items);
    assert.deepEqual(names, ['scratch']);
  });
});

describe('completion: variables', () => {
  const source = 'ARG GLOBAL=1\nFROM alpine\nARG VERSION=2.0\nENV APP_HOME=/opt/app\nENV PATH_DIR=$APP_HOME/bin\n';

  it('offers the ARG and ENV in scope after $, with their values', () => {
    const result = complete(`${source}RUN echo $|\nENV LATER=1\n`);
    const names = labels(result.items);
    assert.ok(names.includes('VERSION'));
    assert.ok(names.includes('APP_HOME'));
    assert.ok(names.includes('PATH_DIR'));
    assert.ok(names.includes('HTTP_PROXY'), 'proxy ARGs are usable in RUN');
    assert.ok(!names.includes('GLOBAL'), 'a global ARG needs redeclaring');
    assert.ok(!names.includes('LATER'), 'declared later');
    assert.ok(!names.includes('TARGETARCH'), 'platform ARGs need redeclaring in a stage');
    assert.equal(item(result.items, 'VERSION').detail, '2.0');
    assert.equal(item(result.items, 'PATH_DIR').detail, '/opt/app/bin');
    assert.equal(item(result.items, 'VERSION').kind, CompletionItemKind.Variable);
    assert.equal(accept(result, 'VERSION'), `${source}RUN echo $VERSION\nENV LATER=1\n`);
    const sorted = [...result.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.notEqual(sorted[0].label, 'HTTP_PROXY');
  });

  it('closes a brace and replaces the name being typed', () => {
    const result = complete(`${source}WORKDIR \${APP|`);
    assert.equal(replaced(result, item(result.items, 'APP_HOME')), 'APP');
    assert.equal(accept(result, 'APP_HOME'), `${source}WORKDIR \${APP_HOME}`);
    const closed = complete(`${source}WORKDIR \${AP|P}/x`);
    assert.equal(accept(closed, 'APP_HOME'), `${source}WORKDIR \${APP_HOME}/x`);
  });

  it('offers only global ARGs (and predefined ones) in FROM lines', () => {
    const result = complete('ARG BASE=alpine\nARG TAG=3.20\nFROM $BASE\nARG STAGE_ONLY=1\nFROM alpine:${|}\n');
    const names = labels(result.items);
    assert.ok(names.includes('TAG'));
    assert.ok(names.includes('BUILDPLATFORM'));
    assert.ok(!names.includes('STAGE_ONLY'));
    assert.equal(item(result.items, 'TAG').detail, '3.20');
    assert.equal(accept(result, 'TAG'), 'ARG BASE=alpine\nARG TAG=3.20\nFROM $BASE\nARG STAGE_ONLY=1\nFROM alpine:${TAG}\n');
  });

  it('sees a redeclared platform ARG', () => {
    assert.ok(labels(complete('FROM alpine\nARG TARGETARCH\nRUN echo $|').items).includes('TARGETARCH'));
  });

  it('does not see variables of the same ENV instruction', () => {
    const names = labels(complete('FROM alpine\nENV A=1 B=$|').items);
    assert.ok(!names.includes('A'));
  });

  it('ignores an escaped dollar', () => {
    assert.deepEqual(labels(complete('FROM alpine\nENV A=1\nRUN echo \\$|').items), []);
  });

  it('offers variables in a here-document body', () => {
    const result = complete('FROM alpine\nENV NAME=world\nRUN <<EOF\necho hello $N|\nEOF\n');
    assert.equal(replaced(result, item(result.items, 'NAME')), 'N');
  });

  it('offers variables in flag values that expand them', () => {
    assert.ok(labels(complete('FROM alpine\nARG UID=1000\nCOPY --chown=$|').items).includes('UID'));
    assert.ok(labels(complete('FROM alpine\nARG DIR=/c\nRUN --mount=type=cache,target=$|').items).includes('DIR'));
  });
});

describe('completion: arguments', () => {
  it('HEALTHCHECK offers CMD and NONE', () => {
    const result = complete('FROM alpine\nHEALTHCHECK --interval=5s |');
    assert.deepEqual(labels(result.items), ['CMD', 'NONE']);
    assert.equal(accept(result, 'CMD'), 'FROM alpine\nHEALTHCHECK --interval=5s CMD ');
    assert.deepEqual(labels(complete('from alpine\nhealthcheck |').items), ['cmd', 'none']);
  });

  it('STOPSIGNAL offers signals, EXPOSE protocols, SHELL common shells', () => {
    assert.ok(labels(complete('FROM alpine\nSTOPSIGNAL |').items).includes('SIGTERM'));
    const expose = complete('FROM alpine\nEXPOSE 8080/|');
    assert.deepEqual(labels(expose.items), ['tcp', 'udp']);
    assert.equal(accept(expose, 'udp'), 'FROM alpine\nEXPOSE 8080/udp');
    assert.ok(labels(complete('FROM alpine\nSHELL |').items).includes('["/bin/bash", "-o", "pipefail", "-c"]'));
  });

  it('CMD and ENTRYPOINT offer the exec form as their first argument', () => {
    const result = complete('FROM alpine\nCMD |');
    const exec = item(result.items, '["executable", "param"]');
    assert.equal(edit(exec).newText, '["${1:executable}", "${2:param}"]');
    assert.deepEqual(labels(complete('FROM alpine\nCMD echo |').items), []);
  });

  it('LABEL offers OCI annotation keys', () => {
    const result = complete('FROM alpine\nLABEL org.opencontainers.image.s|');
    assert.equal(accept(result, 'org.opencontainers.image.source'), 'FROM alpine\nLABEL org.opencontainers.image.source=');
  });

  it('ARG in a stage offers global ARGs to redeclare and platform ARGs', () => {
    const result = complete('ARG VERSION=1.2\nFROM alpine\nARG |');
    const names = labels(result.items);
    assert.ok(names.includes('VERSION'));
    assert.ok(names.includes('TARGETPLATFORM'));
    assert.equal(item(result.items, 'VERSION').detail, '1.2');
    const redeclared = labels(complete('ARG VERSION=1.2\nFROM alpine\nARG VERSION\nARG |').items);
    assert.ok(!redeclared.includes('VERSION'));
  });

  it('offers nothing in plain arguments, comments or after a blank continuation of RUN', () => {
    assert.deepEqual(labels(complete('FROM alpine\nRUN apt-get |').items), []);
    assert.deepEqual(labels(complete('FROM alpine\n# a comm|ent\n').items), []);
    assert.deepEqual(labels(complete('FROM alpine\nRUN apt-get update \\\n    |').items), []);
    assert.deepEqual(labels(complete('FROM alpine\nWORKDIR /app\nUSER |').items), []);
  });

  it('a blank line after a continuation belongs to the instruction', () => {
    const result = complete('FROM alpine\nCOPY --link \\\n\n  |');
    assert.ok(labels(result.items).length === 0 || !labels(result.items).includes('FROM'));
    const flags = complete('FROM alpine\nCOPY --link \\\n  --|');
    assert.ok(labels(flags.items).includes('--from'));
  });
});

describe('completion: parser directives', () => {
  it('offers directive names in a comment at the top', () => {
    const result = complete('# |');
    assert.deepEqual(labels(result.items), ['syntax', 'escape', 'check']);
    assert.equal(accept(result, 'syntax'), '# syntax=');
    const second = complete('# syntax=docker/dockerfile:1\n#|\nFROM alpine\n');
    assert.deepEqual(labels(second.items), ['escape', 'check']);
  });

  it('offers directive values', () => {
    const syntax = complete('# syntax=|');
    assert.ok(labels(syntax.items).includes('docker/dockerfile:1'));
    assert.equal(accept(syntax, 'docker/dockerfile:1'), '# syntax=docker/dockerfile:1');
    assert.deepEqual(labels(complete('# escape=|').items), ['\\', '`']);
    assert.deepEqual(labels(complete('# check=|').items), ['skip=', 'error=']);
    assert.deepEqual(labels(complete('# check=skip=all;error=|').items), ['true', 'false']);
  });

  it('offers BuildKit check names after check=skip=', () => {
    const first = complete('# check=skip=|');
    assert.ok(labels(first.items).includes('all'));
    assert.ok(labels(first.items).includes('FromAsCasing'));
    assert.ok(labels(first.items).includes('JSONArgsRecommended'));
    const next = complete('# check=skip=FromAsCasing,|');
    assert.ok(!labels(next.items).includes('FromAsCasing'));
    assert.ok(!labels(next.items).includes('all'));
    assert.equal(accept(next, 'UndefinedVar'), '# check=skip=FromAsCasing,UndefinedVar');
  });

  it('offers whole directive lines on a blank line at the top, but not below an instruction', () => {
    const top = complete('|\nFROM alpine\n');
    assert.ok(labels(top.items).includes('# syntax=docker/dockerfile:1'));
    const sorted = [...top.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'FROM');
    assert.ok(!labels(complete('FROM alpine\n|').items).includes('# syntax=docker/dockerfile:1'));
    assert.deepEqual(labels(complete('FROM alpine\n# |').items), []);
    assert.ok(!labels(complete('# syntax=docker/dockerfile:1\n|').items).includes('# syntax=docker/dockerfile:1'));
  });

  it('every directive has documentation', () => {
    for (const doc of Object.values(PARSER_DIRECTIVES)) assert.ok(doc.description.length > 40);
  });
});

describe('completion: robustness', () => {
  const samples = [
    '# syntax=docker/dockerfile:1\n# escape=\\\nARG BASE=alpine\nFROM ${BASE}:3.20 AS build\nRUN --mount=type=cache,target=/root/.cache,sharing=locked \\\n    --network=none \\\n  # comment\n    apk add "x y" && echo $HOME\nCOPY --from=build --chown=1:1 ["a b", "/dest/"]\nONBUILD RUN echo ${X:-y}\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost"]\nRUN <<EOF\necho $PATH\nEOF\nCMD echo done',
    'FROM\nRUN --\nCOPY --from=\nRUN --mount=type=,\n${\n$\nENV =\nONBUILD\nONBUILD ONBUILD\n',
    '# escape=`\nFROM alpine\nRUN echo `\n  hi\n',
    '\r\nFROM a\r\nRUN \\\r\n  x\r\n',
  ];

  it('never throws and every edit is on the cursor line, around the cursor', () => {
    for (const sample of samples) {
      for (let offset = 0; offset <= sample.length; offset++) {
        const source = sample.slice(0, offset) + '|' + sample.slice(offset);
        const result = complete(source, IMAGES);
        const position = result.document.positionAt(offset);
        for (const entry of result.items) {
          const { range } = edit(entry);
          assert.equal(range.start.line, position.line, `${JSON.stringify(source)} ${entry.label}`);
          assert.equal(range.end.line, position.line, `${JSON.stringify(source)} ${entry.label}`);
          assert.ok(range.start.character <= position.character && position.character <= range.end.character, `${JSON.stringify(source)} ${entry.label}`);
        }
      }
    }
  });

  it('stays cheap on a 2,000-line file', () => {
    const lines = ['ARG BASE=alpine', 'FROM $BASE AS build'];
    for (let i = 0; i < 2000; i++) lines.push(i % 3 === 0 ? `ENV VAR_${i}=value${i}` : i % 3 === 1 ? `RUN echo $VAR_${i - 1} \\\n  && true` : `COPY --from=build /a${i} /b${i}`);
    const source = `${lines.join('\n')}\nRUN echo $|`;
    const text = source.replace('|', '');
    const model = analyzeDockerfile(text);
    const document = TextDocument.create('file:///big/Dockerfile', 'dockerfile', 1, text);
    const position = document.positionAt(source.indexOf('|'));
    const count = dockerfileCompletion(document, model, position).items.length;
    assert.ok(count > 600, `variables in scope: ${count}`);
  });

  it('ignores malformed images', () => {
    const images = [null, { repository: 42 }, { repository: 'ok', tags: 'nope' }] as unknown as KnownImage[];
    assert.doesNotThrow(() => complete('FROM |', images));
    assert.doesNotThrow(() => complete('FROM ok:|', images));
  });
});

describe('parseKnownImages', () => {
  it('reads { images } or an array and drops malformed entries', () => {
    const parsed = parseKnownImages({
      images: [
        { repository: 'alpine', tags: ['3.20', 7], id: 'sha256:x', size: 10, created: '2024', exposedPorts: ['80/tcp'] },
        { repository: '' },
        null,
        'text',
        { repository: 'bare' },
      ],
    });
    assert.deepEqual(parsed, [
      { repository: 'alpine', tags: ['3.20'], id: 'sha256:x', size: 10, created: '2024', exposedPorts: ['80/tcp'] },
      { repository: 'bare', tags: [], id: '', size: 0, created: '', exposedPorts: [] },
    ]);
    assert.equal(parseKnownImages([{ repository: 'a' }]).length, 1);
    assert.deepEqual(parseKnownImages(undefined), []);
    assert.deepEqual(parseKnownImages({ images: 'x' }), []);
  });

  it('exports the trigger characters the adapter registers', () => {
    for (const char of ['$', '{', '=', ':', ',', '-', '#', ' ']) assert.ok(COMPLETION_TRIGGER_CHARACTERS.includes(char));
  });
});
