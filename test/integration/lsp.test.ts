import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { cliBundle } from '../support/paths';

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { code?: string; message: string; range: { start: { line: number; character: number } } }[];
}

// Drives `berth lsp --stdio` as any editor would, over real stdio.
describe('berth lsp --stdio', () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  const published: PublishedDiagnostics[] = [];
  const waiters: Array<(params: PublishedDiagnostics) => void> = [];
  const nextDiagnostics = (uri: string) =>
    new Promise<PublishedDiagnostics>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within 5 s`)), 5000);
      waiters.push((params) => {
        if (params.uri !== uri) return;
        clearTimeout(timer);
        resolve(params);
      });
    });

  before(async () => {
    server = spawn(process.execPath, [cliBundle, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      published.push(params);
      for (const waiter of [...waiters]) waiter(params);
    });
    connection.listen();
    const result = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo: { name: string };
      capabilities: { textDocumentSync: number };
    };
    assert.equal(result.serverInfo.name, 'berth');
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    server.kill();
  });

  it('publishes a diagnostic on open, updates it on change and clears it on close', async () => {
    const uri = 'file:///project/Dockerfile';
    let diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'RUN echo hi\nFROM alpine\n' },
    });
    const opened = await diagnostics;
    assert.equal(opened.version, 1);
    assert.deepEqual(opened.diagnostics.map((d) => [d.code, d.range.start.line]), [['DL3061', 0]]);

    diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }],
    });
    const changed = await diagnostics;
    assert.equal(changed.version, 2);
    assert.deepEqual(changed.diagnostics, []);

    diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await diagnostics).diagnostics, []);
  });

  it('publishes only the newest version when edits arrive faster than validation', async () => {
    const uri = 'file:///project/fast.Dockerfile';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine\n' } });
    await nextDiagnostics(uri);
    const before = published.length;
    for (let version = 2; version <= 6; version++) {
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text: version % 2 === 0 ? 'RUN x\n' : 'FROM alpine\n' }],
      });
    }
    const last = await nextDiagnostics(uri);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = published.slice(before).filter((params) => params.uri === uri);
    assert.deepEqual(after.map((params) => params.version), [6]);
    assert.equal(last.diagnostics.length, 1, 'version 6 is "RUN x", which comes before any FROM');
  });
});
