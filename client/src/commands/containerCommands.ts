import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../runtime/src/protocol/types';
import { connectionOf } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { StreamTerminal } from '../terminals/streamTerminal';
import { resumable } from '../terminals/terminalSessions';
import type { ContainerNode } from '../views/containersView';
import { extraLabels } from './buildAndRun';
import { pickContainer } from './pickers';
import { publishedPortHost, publishedPortUrl } from '../run/portAddress';

/**
 * The container commands beyond lifecycle: copy its IP, open a published port
 * in the browser, what changed in its filesystem (diff), commit it to an
 * image, attach to its main process, and its processes (top); each on the
 * engine of the row it was run on (the active engine from the palette).
 */
export function registerContainerCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  const command = (id: string, filter: (container: ContainerSummary) => boolean, action: (container: ContainerSummary, engine: string | undefined) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (node?: ContainerNode) => {
      try {
        const container = await pickContainer(state, node, filter);
        if (container) await action(container, engineOf(state, node));
      } catch (error) {
        log(`${id} failed: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Berth: ${(error as Error).message}`);
      }
    });

  const isRunning = (container: ContainerSummary) => container.state === 'running';

  const showDocument = async (content: string) => vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content, language: 'plaintext' }), { preview: true });

  context.subscriptions.push(
    command('berth.container.copyIp', isRunning, async (container, engine) => {
      const inspect = (await connectionOf(state).request('container.inspect', { engine, id: container.id })) as { NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> } };
      const addresses = Object.entries(inspect.NetworkSettings?.Networks ?? {}).filter(([, network]) => network.IPAddress);
      if (addresses.length === 0) {
        void vscode.window.showInformationMessage(`Berth: ${container.name} has no IP address (it may use the host's network or none).`);
        return;
      }
      const chosen =
        addresses.length === 1 ? addresses[0] : (await vscode.window.showQuickPick(addresses.map(([name, network]) => ({ label: network.IPAddress!, description: name, entry: [name, network] as const }))))?.entry;
      if (chosen) await vscode.env.clipboard.writeText(chosen[1].IPAddress!);
    }),
    command('berth.container.openPort', (c) => isRunning(c) && c.ports.some((port) => port.publicPort), async (container, engine) => {
      const published = container.ports.filter((port) => port.publicPort && port.type === 'tcp');
      if (published.length === 0) {
        void vscode.window.showInformationMessage(`Berth: ${container.name} publishes no TCP port.`);
        return;
      }
      // A remote engine's ports are on its machine, not on localhost.
      const endpoint = state.engines.find((candidate) => candidate.id === engine)?.endpoint;
      const unique = [...new Map(published.map((port) => [port.publicPort, port])).values()];
      const port =
        unique.length === 1
          ? unique[0]
          : (await vscode.window.showQuickPick(unique.map((p) => ({ label: `${publishedPortHost(p, endpoint)}:${p.publicPort}`, description: `→ ${p.privatePort}/${p.type}`, port: p })), { placeHolder: 'Port to open' }))?.port;
      if (port) await vscode.env.openExternal(vscode.Uri.parse(publishedPortUrl(port, endpoint)));
    }),
    command('berth.container.diff', () => true, async (container, engine) => {
      const changes = await connectionOf(state).request('container.diff', { engine, id: container.id });
      const mark = { added: 'A', changed: 'C', deleted: 'D' } as const;
      await showDocument(
        `# Changes in ${container.name} since it was created from ${container.image} (A added, C changed, D deleted)\n${changes.length ? changes.map((change) => `${mark[change.kind]} ${change.path}`).join('\n') : '(none)'}\n`,
      );
    }),
    command('berth.container.commit', () => true, async (container, engine) => {
      const value = await vscode.window.showInputBox({
        prompt: `Image to make from ${container.name} (repository[:tag])`,
        value: `${container.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:snapshot`,
        validateInput: (text) => (/^[a-z0-9][a-z0-9._\-/]*(:[\w][\w.-]{0,127})?$/.test(text) ? undefined : 'lower-case repository, optionally :tag'),
      });
      if (!value) return;
      const colon = value.lastIndexOf(':');
      const [repo, tag] = colon > value.lastIndexOf('/') ? [value.slice(0, colon), value.slice(colon + 1)] : [value, undefined];
      const { imageId } = await connectionOf(state).request('container.commit', { engine, id: container.id, repo, ...(tag ? { tag } : {}), labels: extraLabels() });
      void vscode.window.showInformationMessage(`Berth: committed ${container.name} as ${value} (${imageId.replace(/^sha256:/, '').slice(0, 12)}).`);
    }),
    command('berth.container.attach', isRunning, async (container, engine) => {
      const connection = connectionOf(state);
      log(`container.attach ${container.name}`);
      vscode.window
        .createTerminal({
          name: `${container.name} (attached)`,
          iconPath: new vscode.ThemeIcon('plug'),
          pty: new StreamTerminal({ connection, interactive: true, log, ...resumable(`${container.name} (attached)`, 'plug'), open: () => connection.request('container.attach', { engine, id: container.id }) }),
        })
        .show();
    }),
    command('berth.container.top', isRunning, async (container, engine) => {
      const { titles, processes } = await connectionOf(state).request('container.top', { engine, id: container.id });
      const rows = [titles, ...processes];
      const widths = titles.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
      const table = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
      await showDocument(`# Processes in ${container.name}\n${table}\n`);
    }),
  );
}
