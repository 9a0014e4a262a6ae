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
});
