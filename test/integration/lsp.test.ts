import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/lsp/nodeFlags';
import { shellCheckAvailable } from '../../server/src/shellcheck/shellcheck';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { cliBundle } from '../support/paths';

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { code?: string; message: string; severity?: number; range: { start: { line: number; character: number } } }[];
}

interface Action {
  title: string;
  edit?: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
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

  const workspaceDir = mkdtempSync(join(tmpdir(), 'berth-lsp-'));

  before(async () => {
    server = spawn(process.execPath, [cliBundle, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      published.push(params);
      for (const waiter of [...waiters]) waiter(params);
    });
    connection.listen();
    const result = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspaceDir).href,
      workspaceFolders: [{ uri: pathToFileURL(workspaceDir).href, name: 'w' }],
      capabilities: {},
    })) as {
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

  it('runs the server under the Node flags the extension starts it with', () => {
    // `berth lsp --stdio` starts Node again with them (V8 reads them only at start-up): its child is the server.
    const children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    assert.equal(children.length, 1, 'one server process under berth lsp');
    const commandLine = readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0');
    for (const flag of LANGUAGE_SERVER_NODE_FLAGS) assert.ok(commandLine.includes(flag), `${flag} in ${commandLine.join(' ')}`);
    assert.ok(commandLine.includes('--stdio'));
  });

  it('publishes a diagnostic on open, updates it on change and clears it on close', async () => {
    const uri = 'file:///project/Dockerfile';
    let diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'RUN echo hi\nFROM alpine:3.20\n' },
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
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\n' } });
    await nextDiagnostics(uri);
    const before = published.length;
    for (let version = 2; version <= 6; version++) {
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text: version % 2 === 0 ? 'RUN x\n' : 'FROM alpine:3.20\n' }],
      });
    }
    const last = await nextDiagnostics(uri);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = published.slice(before).filter((params) => params.uri === uri);
    assert.deepEqual(after.map((params) => params.version), [6]);
    assert.equal(last.diagnostics.length, 1, 'version 6 is "RUN x", which comes before any FROM');
  });

  it('offers the rule\'s fix and suppressions as code actions, and the suppression works', async () => {
    const uri = 'file:///project/actions.Dockerfile';
    const text = 'FROM alpine:3.20\n  MAINTAINER Jane <jane@example.com>\n';
    let diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const published = await diagnostics;
    const maintainer = published.diagnostics.filter((d) => d.code === 'DL4000');
    assert.equal(maintainer.length, 1);
    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: maintainer[0]!.range,
      context: { diagnostics: maintainer },
    })) as Action[];
    assert.deepEqual(actions.map((action) => action.title), [
      'Replace MAINTAINER with LABEL org.opencontainers.image.authors',
      'Ignore DL4000 for this instruction',
      'Ignore DL4000 in this file',
    ]);
    const apply = (action: Action, source: string) => TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, source), action.edit!.changes[uri]!);
    assert.equal(apply(actions[0]!, text), 'FROM alpine:3.20\n  LABEL org.opencontainers.image.authors="Jane <jane@example.com>"\n');
    const ignored = apply(actions[1]!, text);
    assert.equal(ignored, 'FROM alpine:3.20\n  # hadolint ignore=DL4000\n  MAINTAINER Jane <jane@example.com>\n');
    assert.equal(apply(actions[2]!, text), '# hadolint global ignore=DL4000\n' + text);

    diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: ignored }] });
    assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code), []);
  });

  it('applies the .hadolint.yaml above the file and reports its problems in the config file', async () => {
    writeFileSync(join(workspaceDir, '.hadolint.yaml'), 'override:\n  error: [DL3007]\nignored: [DL4000]\nignord: [typo]\n');
    const uri = pathToFileURL(join(workspaceDir, 'Dockerfile')).href;
    const configUri = pathToFileURL(join(workspaceDir, '.hadolint.yaml')).href;
    const configDiagnostics = nextDiagnostics(configUri);
    const diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM node:latest\nMAINTAINER me\n' } });
    assert.deepEqual((await diagnostics).diagnostics.map((d) => [d.code, d.severity]), [['DL3007', 1]]);
    const config = await configDiagnostics;
    assert.deepEqual(config.diagnostics.map((d) => [d.code, d.message, d.range.start.line]), [['hadolint-config', 'unknown key "ignord" in hadolint config', 3]]);
  });

  it('adds ShellCheck findings for RUN scripts when shellcheck is installed', { skip: shellCheckAvailable() ? false : 'shellcheck is not installed' }, async () => {
    const uri = 'file:///project/shellcheck.Dockerfile';
    const withShellCheck = new Promise<PublishedDiagnostics>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ShellCheck diagnostics within 10 s')), 10_000);
      waiters.push((params) => {
        if (params.uri !== uri || !params.diagnostics.some((d) => d.code === 'SC2086')) return;
        clearTimeout(timer);
        resolve(params);
      });
    });
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\nRUN echo $1 && cd /tmp\n' } });
    const published = await withShellCheck;
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['DL3003', 'SC2086', 'SC2164']);
  });

  it('checks compose files as they are edited, with the project around them', async () => {
    // db is defined only in the override file: compose merges it, so depends_on is fine.
    writeFileSync(join(workspaceDir, 'compose.override.yaml'), 'services:\n  db:\n    image: postgres:16\n');
    const uri = pathToFileURL(join(workspaceDir, 'compose.yaml')).href;
    let diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockercompose', version: 1, text: 'services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]\n' },
    });
    const opened = await diagnostics;
    assert.deepEqual(opened.diagnostics.map((d) => [d.code, d.range.start.line]), [['undefined-network', 4]]);
    diagnostics = nextDiagnostics(uri);
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]\nnetworks:\n  front: {}\n' }],
    });
    assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code), []);
  });

  it('publishes compose findings that land in another file of the project, and clears them when they go away', async () => {
    const dir = join(workspaceDir, 'cross-file');
    mkdirSync(dir);
    // The override file is not open: web's depends_on there names a service only compose.yaml can define.
    writeFileSync(join(dir, 'compose.override.yaml'), 'services:\n  web:\n    depends_on: [db]\n');
    const uri = pathToFileURL(join(dir, 'compose.yaml')).href;
    const overrideUri = pathToFileURL(join(dir, 'compose.override.yaml')).href;
    let own = nextDiagnostics(uri);
    let override = nextDiagnostics(overrideUri);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: 'services:\n  web:\n    image: nginx:1.27\n' } });
    assert.deepEqual((await own).diagnostics, []);
    const published = await override;
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line, d.message]), [['undefined-service', 2, 'services.web.depends_on: service "db" is not defined']]);
    own = nextDiagnostics(uri);
    override = nextDiagnostics(overrideUri);
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:16\n' }],
    });
    assert.deepEqual((await own).diagnostics, []);
    assert.deepEqual((await override).diagnostics, [], 'the finding in the override file is cleared once compose.yaml defines db');
    // Closing the document takes back what it published for other files.
    override = nextDiagnostics(overrideUri);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: 'services:\n  web:\n    image: nginx:1.27\n' }] });
    assert.equal((await override).diagnostics.length, 1);
    override = nextDiagnostics(overrideUri);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await override).diagnostics, []);
  });
});
