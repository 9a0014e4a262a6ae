import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cliBundle } from '../support/paths';

// Every capability the server advertises, exercised through `berth lsp --stdio`
// as an editor would use it, on one realistic Dockerfile.
const TEXT = `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
FROM \${BASE} AS build
ENV APP_HOME=/app
WORKDIR \${APP_HOME}
COPY main.go ./
RUN echo building \\
    && touch out
FROM build AS final
COPY --from=build /app/out /usr/local/bin/app
CMD ["app"]
`;

type Position = { line: number; character: number };
type Range = { start: Position; end: Position };

describe('berth lsp --stdio: every advertised capability', () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  let capabilities: Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'berth-lsp-features-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), TEXT);
  writeFileSync(join(dir, 'app', 'main.go'), 'package main\n');
  const uri = pathToFileURL(join(dir, 'app', 'Dockerfile')).href;
  const document = TextDocument.create(uri, 'dockerfile', 1, TEXT);
  /** Position of the n-th (0-based) occurrence of `needle`, plus `delta` characters. */
  const at = (needle: string, delta = 0, nth = 0): Position => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = TEXT.indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} not in the text`);
    return document.positionAt(index + delta);
  };
  const slice = (range: Range) => TEXT.slice(document.offsetAt(range.start), document.offsetAt(range.end));
  const request = <T>(method: string, params: object) => connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<T>;

  before(async () => {
    server = spawn(process.execPath, [cliBundle, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.listen();
    const result = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
    })) as { capabilities: Record<string, unknown> };
    capabilities = result.capabilities;
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: TEXT } });
  });
  after(async () => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    server.kill();
  });

  it('advertises the editing features', () => {
    for (const capability of ['documentFormattingProvider', 'documentRangeFormattingProvider', 'documentOnTypeFormattingProvider', 'completionProvider', 'signatureHelpProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'renameProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'semanticTokensProvider', 'documentLinkProvider', 'codeActionProvider']) {
      assert.ok(capabilities[capability], `${capability} missing`);
    }
  });

  it('completes stage names after COPY --from=, and local images (sent by the editor) in FROM', async () => {
    const stages = await request<{ items: { label: string }[] }>('textDocument/completion', { position: at('--from=build', '--from='.length) });
    assert.ok(stages.items.some((item) => item.label === 'build'), JSON.stringify(stages.items.map((item) => item.label)));
    await connection.sendNotification('berth/knownImages', { images: [{ repository: 'registry.local/tools', tags: ['1.0'], id: 'sha256:1', size: 1, created: '2026-01-01T00:00:00Z', exposedPorts: [] }] });
    const images = await request<{ items: { label: string }[] }>('textDocument/completion', { position: at('FROM build', 'FROM '.length) });
    assert.ok(images.items.some((item) => item.label.startsWith('registry.local/tools')), JSON.stringify(images.items.map((item) => item.label)));
  });

  it('shows signature help for an instruction', async () => {
    const help = await request<{ signatures: { label: string }[] } | null>('textDocument/signatureHelp', { position: at('COPY main.go', 'COPY '.length) });
    assert.ok(help && help.signatures.some((signature) => signature.label.startsWith('COPY')), JSON.stringify(help));
  });

  it('hovers a variable with the value it has there', async () => {
    const hover = await request<{ contents: { value: string } } | null>('textDocument/hover', { position: at('${APP_HOME}', 3) });
    assert.ok(hover?.contents.value.includes('/app'), JSON.stringify(hover));
  });

  it('goes to a stage definition, finds its references and highlights them', async () => {
    const position = at('--from=build', '--from='.length + 1);
    const definition = await request<{ range: Range }[]>('textDocument/definition', { position });
    assert.deepEqual(definition.map((location) => slice(location.range)), ['build']);
    assert.equal(definition[0]!.range.start.line, 2);
    const references = await request<{ range: Range }[]>('textDocument/references', { position, context: { includeDeclaration: true } });
    assert.deepEqual(references.map((location) => location.range.start.line).sort(), [2, 8, 9]);
    const highlights = await request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { position });
    assert.equal(highlights.length, 3);
  });

  it('renames a stage everywhere, and refuses to rename a keyword with a reason', async () => {
    const position = at('AS build', 'AS '.length);
    const prepared = await request<{ placeholder: string }>('textDocument/prepareRename', { position });
    assert.equal(prepared.placeholder, 'build');
    const edit = await request<{ changes: Record<string, { range: Range; newText: string }[]> }>('textDocument/rename', { position, newName: 'compile' });
    const renamed = TextDocument.applyEdits(document, edit.changes[uri]!);
    assert.match(renamed, /AS compile\nENV/);
    assert.match(renamed, /FROM compile AS final/);
    assert.match(renamed, /--from=compile /);
    await assert.rejects(request('textDocument/prepareRename', { position: at('WORKDIR') }), (error: Error) => error.message.length > 10);
  });

  it('outlines stages with their instructions, folds multi-line parts and expands selections', async () => {
    const symbols = await request<{ name: string; kind: number; children?: { name: string }[] }[]>('textDocument/documentSymbol', {});
    const CLASS = 5;
    assert.deepEqual(symbols.filter((symbol) => symbol.kind === CLASS).map((symbol) => symbol.name), ['build', 'final']);
    assert.deepEqual(symbols.find((symbol) => symbol.name === 'build')!.children!.map((child) => child.name), ['ENV', 'WORKDIR', 'COPY', 'RUN']);
    const folds = await request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', {});
    assert.ok(folds.some((fold) => fold.startLine === 6 && fold.endLine === 7), JSON.stringify(folds));
    const [selection] = await request<{ range: Range; parent?: { range: Range } }[]>('textDocument/selectionRange', { positions: [at('APP_HOME=/app', 1)] });
    assert.equal(slice(selection!.range), 'APP_HOME');
    assert.ok(selection!.parent, 'a wider selection follows');
  });

  it('colours tokens for the whole document and for a range', async () => {
    const full = await request<{ data: number[] }>('textDocument/semanticTokens/full', {});
    assert.equal(full.data.length % 5, 0);
    assert.ok(full.data.length / 5 > 20);
    const range = await request<{ data: number[] }>('textDocument/semanticTokens/range', { range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } } });
    assert.ok(range.data.length > 0 && range.data.length < full.data.length);
  });

  it('links base images to their registry pages and COPY sources to files that exist', async () => {
    const links = await request<{ range: Range; target: string }[]>('textDocument/documentLink', {});
    const copy = links.find((link) => slice(link.range) === 'main.go');
    assert.equal(copy?.target, pathToFileURL(join(dir, 'app', 'main.go')).href);
  });

  it('formats: uppercases keywords, aligns continuations, and changes nothing the second time', async () => {
    const messy = 'from alpine:3.20 as base\nrun   apk add --no-cache curl \\\n        && echo done   \n';
    const formatUri = pathToFileURL(join(dir, 'app', 'messy.Dockerfile')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: formatUri, languageId: 'dockerfile', version: 1, text: messy } });
    const options = { tabSize: 4, insertSpaces: true };
    const edits = (await connection.sendRequest('textDocument/formatting', { textDocument: { uri: formatUri }, options })) as { range: Range; newText: string }[];
    const formatted = TextDocument.applyEdits(TextDocument.create(formatUri, 'dockerfile', 1, messy), edits);
    assert.equal(formatted, 'FROM alpine:3.20 AS base\nRUN apk add --no-cache curl \\\n    && echo done\n');
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: formatUri, version: 2 }, contentChanges: [{ text: formatted }] });
    assert.deepEqual(await connection.sendRequest('textDocument/formatting', { textDocument: { uri: formatUri }, options }), []);
  });

  it('formats only the instructions a range touches, and indents the line Enter opens after a continuation', async () => {
    const messy = 'from alpine:3.20 as base\nrun   apk add --no-cache curl \\\n        && echo done   \nworkdir    /app\n';
    const rangeUri = pathToFileURL(join(dir, 'app', 'range.Dockerfile')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: rangeUri, languageId: 'dockerfile', version: 1, text: messy } });
    const options = { tabSize: 4, insertSpaces: true };
    const range = { start: { line: 1, character: 0 }, end: { line: 2, character: 3 } };
    const edits = (await connection.sendRequest('textDocument/rangeFormatting', { textDocument: { uri: rangeUri }, range, options })) as { range: Range; newText: string }[];
    assert.equal(
      TextDocument.applyEdits(TextDocument.create(rangeUri, 'dockerfile', 1, messy), edits),
      'from alpine:3.20 as base\nRUN apk add --no-cache curl \\\n    && echo done\nworkdir    /app\n',
    );

    // The editor has the document with the new line already, then asks what to do after the '\n'.
    const typed = 'FROM alpine:3.20\nRUN apk add curl \\\n';
    const typingUri = pathToFileURL(join(dir, 'app', 'typing.Dockerfile')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: typingUri, languageId: 'dockerfile', version: 1, text: typed } });
    const onType = (await connection.sendRequest('textDocument/onTypeFormatting', {
      textDocument: { uri: typingUri },
      position: { line: 2, character: 0 },
      ch: '\n',
      options: { tabSize: 2, insertSpaces: true },
    })) as { range: Range; newText: string }[];
    assert.equal(TextDocument.applyEdits(TextDocument.create(typingUri, 'dockerfile', 1, typed), onType), 'FROM alpine:3.20\nRUN apk add curl \\\n  ');
    assert.deepEqual(capabilities.documentOnTypeFormattingProvider, { firstTriggerCharacter: '\n' });
  });
});

// Compose files through the same built server: completion and hover read the
// project's other files (.env, the Dockerfile a build uses) from disk.
const COMPOSE = `services:
  web:
    image: nginx:\${WEB_TAG:-1.27}
    depends_on:
      - api
    restart: unless-stopped
  api:
    build:
      context: ./app
      target: final
  worker:
    image: busybox
`;

describe('berth lsp --stdio: compose files', () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  const dir = mkdtempSync(join(tmpdir(), 'berth-lsp-compose-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM node:22 AS build\nRUN npm ci\nFROM build AS final\n');
  writeFileSync(join(dir, '.env'), 'WEB_TAG=1.27.3\n');
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  const uri = pathToFileURL(join(dir, 'compose.yaml')).href;
  const document = TextDocument.create(uri, 'dockercompose', 1, COMPOSE);
  const at = (needle: string, delta = 0): Position => {
    const index = COMPOSE.indexOf(needle);
    assert.ok(index >= 0, `${needle} not in the text`);
    return document.positionAt(index + delta);
  };
  const request = <T>(method: string, params: object) => connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<T>;
  const labels = async (position: Position) => (await request<{ items: { label: string }[] }>('textDocument/completion', { position })).items.map((item) => item.label);

  before(async () => {
    server = spawn(process.execPath, [cliBundle, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } } });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: COMPOSE } });
  });
  after(async () => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    server.kill();
  });

  it('completes service keys from the schema, leaving out those present', async () => {
    const offered = await labels(at('    restart', 4));
    assert.ok(offered.includes('ports') && offered.includes('healthcheck'), offered.join(', '));
    assert.ok(!offered.includes('depends_on'), 'depends_on is already there');
  });

  it('completes service names in depends_on and the Dockerfile’s stages for build.target', async () => {
    assert.deepEqual(await labels(at('- api', 2)), ['api', 'worker']);
    assert.deepEqual(await labels(at('target: final', 'target: '.length)), ['build', 'final']);
  });

  it('completes interpolation variables from the project’s .env after `${`', async () => {
    assert.ok((await labels(at('${WEB_TAG', 2))).includes('WEB_TAG'));
  });

  it('completes local images sent by the editor', async () => {
    await connection.sendNotification('berth/knownImages', { images: [{ repository: 'registry.local/cache', tags: ['7'], id: 'sha256:1', size: 1, created: '2026-01-01T00:00:00Z', exposedPorts: [] }] });
    assert.ok((await labels(at('busybox'))).includes('registry.local/cache'));
  });

  it('hovers a key with the schema’s words, and an interpolation with its value from .env', async () => {
    const key = await request<{ contents: { value: string } } | null>('textDocument/hover', { position: at('restart', 1) });
    assert.match(key?.contents.value ?? '', /Restart policy/);
    const variable = await request<{ contents: { value: string } } | null>('textDocument/hover', { position: at('WEB_TAG', 1) });
    assert.match(variable?.contents.value ?? '', /→ `1\.27\.3`[\s\S]*set in `\.env` \(line 1\)/);
  });

  it('outlines services and links a build context to its Dockerfile', async () => {
    const symbols = await request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', {});
    assert.deepEqual(symbols[0]!.children!.map((child) => child.name), ['web', 'api', 'worker']);
    const links = await request<{ range: Range; target: string }[]>('textDocument/documentLink', {});
    assert.ok(links.some((link) => link.target === pathToFileURL(join(dir, 'app', 'Dockerfile')).href), JSON.stringify(links));
  });
});

// Compose navigation, rename and formatting through the built server, across
// the override file on disk.
describe('berth lsp --stdio: compose definition, rename and formatting', () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  const MAIN = 'services:\n  web:\n    image: nginx\n    depends_on: [db]\n    networks: [back]\n  db:\n    image: postgres\nnetworks:\n  back: {}\n';
  const OVERRIDE = 'services:\n  db:\n    ports: ["5432:5432"]\n';
  const dir = mkdtempSync(join(tmpdir(), 'berth-lsp-compose-edit-'));
  writeFileSync(join(dir, 'compose.yaml'), MAIN);
  writeFileSync(join(dir, 'compose.override.yaml'), OVERRIDE);
  const uri = pathToFileURL(join(dir, 'compose.yaml')).href;
  const overrideUri = pathToFileURL(join(dir, 'compose.override.yaml')).href;
  const document = TextDocument.create(uri, 'dockercompose', 1, MAIN);
  const at = (needle: string, delta = 0): Position => document.positionAt(MAIN.indexOf(needle) + delta);
  const request = <T>(method: string, params: object) => connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<T>;

  before(async () => {
    server = spawn(process.execPath, [cliBundle, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: MAIN } });
  });
  after(async () => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    server.kill();
  });

  it('goes from depends_on to the service, in this file and in the override file', async () => {
    const definition = await request<{ uri: string; range: Range }[]>('textDocument/definition', { position: at('[db]', 1) });
    assert.deepEqual(
      definition.map((location) => [location.uri, location.range.start.line]),
      [
        [uri, 5],
        [overrideUri, 1],
      ],
    );
  });

  it('renames a service in both files, and refuses an invalid name with a reason', async () => {
    const position = at('  db:', 2);
    const prepared = await request<{ placeholder: string }>('textDocument/prepareRename', { position });
    assert.equal(prepared.placeholder, 'db');
    const edit = await request<{ changes: Record<string, { range: Range; newText: string }[]> }>('textDocument/rename', { position, newName: 'database' });
    assert.equal(TextDocument.applyEdits(document, edit.changes[uri]!), MAIN.replace(/\bdb\b/g, 'database'));
    assert.equal(TextDocument.applyEdits(TextDocument.create(overrideUri, 'dockercompose', 1, OVERRIDE), edit.changes[overrideUri]!), OVERRIDE.replace('db', 'database'));
    await assert.rejects(request('textDocument/rename', { position, newName: '-db' }), (error: Error) => /not a valid service name/.test(error.message));
  });

  it('formats by indentation only, keeping comments, and changes nothing the second time', async () => {
    const messy = '# app\nservices:\n    web:   # front\n        image: nginx\n        ports:\n        - "80:80"\n\n\n';
    const formatUri = pathToFileURL(join(dir, 'messy.compose.yaml')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: formatUri, languageId: 'dockercompose', version: 1, text: messy } });
    const options = { tabSize: 2, insertSpaces: true };
    const edits = (await connection.sendRequest('textDocument/formatting', { textDocument: { uri: formatUri }, options })) as { range: Range; newText: string }[];
    const formatted = TextDocument.applyEdits(TextDocument.create(formatUri, 'dockercompose', 1, messy), edits);
    assert.equal(formatted, '# app\nservices:\n  web:   # front\n    image: nginx\n    ports:\n      - "80:80"\n');
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: formatUri, version: 2 }, contentChanges: [{ text: formatted }] });
    assert.deepEqual(await connection.sendRequest('textDocument/formatting', { textDocument: { uri: formatUri }, options }), []);
  });
});
