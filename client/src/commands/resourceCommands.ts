import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { ContainerSummary, ImageSummary, NetworkSummary, RuntimeMethods, VolumeSummary } from '../../../runtime/src/protocol/types';
import { formatBytes } from '../format';
import { imageReferenceProblem, splitRepositoryTag } from '../../../server/src/dockerfile/imageReference';
import { engineOf, type OnEngine } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import type { ContainerNode } from '../views/containersView';
import type { ImageNode } from '../views/resourceViews';
import { openLogsTerminal, openShellTerminal } from '../terminals/containerTerminals';
import { inspectUri } from './inspectDocuments';
import { pickContainer as pickFrom } from './pickers';

/**
 * Commands on containers, images, volumes and networks: from a tree row's
 * context menu or inline button, or from the palette (which asks which one).
 * Everything goes through the daemon, to the engine of the row the command
 * was run on (the active engine from the palette); destructive commands
 * confirm first, naming what will be lost.
 */
export function registerResourceCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  const daemon = (): RuntimeConnection => {
    const current = state.daemonState;
    if (current.kind !== 'connected') throw new Error('the Berth daemon is not connected (see the Engines view)');
    return current.connection;
  };
  const request = async <M extends keyof RuntimeMethods>(method: M, params: RuntimeMethods[M]['params']): Promise<RuntimeMethods[M]['result'] | undefined> => {
    try {
      log(`${method} ${JSON.stringify(params)}`);
      return await daemon().request(method, params);
    } catch (error) {
      const message = (error as Error).message;
      log(`${method} failed: ${message}`);
      void vscode.window.showErrorMessage(`Berth: ${message}`);
      return undefined;
    }
  };

  const pickContainer = (node: ContainerNode | undefined, filter?: (container: ContainerSummary) => boolean) => pickFrom(state, node, filter);

  const containerAction = (command: string, method: 'container.start' | 'container.stop' | 'container.restart' | 'container.pause' | 'container.unpause' | 'container.kill', filter: (container: ContainerSummary) => boolean) =>
    vscode.commands.registerCommand(command, async (node?: ContainerNode, selected?: ContainerNode[]) => {
      // Several rows selected: act on each of them the action applies to.
      const many = selectedContainers(node, selected);
      if (many.length > 1) {
        await Promise.all(many.filter(({ container }) => filter(container)).map(({ container, engine }) => request(method, { engine, id: container.id })));
        return;
      }
      const container = await pickContainer(node, filter);
      if (container) await request(method, { engine: engineOf(state, node), id: container.id });
    });

  const inspect = (kind: 'container' | 'image' | 'volume' | 'network', id: string, name: string, engine: string | undefined) =>
    vscode.window.showTextDocument(inspectUri(kind, id, name, engine), { preview: true });

  context.subscriptions.push(
    containerAction('berth.container.start', 'container.start', (c) => c.state !== 'running'),
    containerAction('berth.container.stop', 'container.stop', (c) => c.state === 'running' || c.state === 'paused'),
    containerAction('berth.container.restart', 'container.restart', () => true),
    containerAction('berth.container.pause', 'container.pause', (c) => c.state === 'running'),
    containerAction('berth.container.unpause', 'container.unpause', (c) => c.state === 'paused'),
    containerAction('berth.container.kill', 'container.kill', (c) => c.state === 'running'),

    vscode.commands.registerCommand('berth.container.remove', async (node?: ContainerNode, selected?: ContainerNode[]) => {
      const many = selectedContainers(node, selected);
      if (many.length > 1) {
        const running = many.filter(({ container: c }) => c.state === 'running' || c.state === 'paused');
        const answer = await vscode.window.showWarningMessage(
          `Remove ${many.length} containers?`,
          {
            modal: true,
            detail: `${many.map(({ container }) => container.name).join(', ')}.\n${running.length ? `${running.length} of them ${running.length === 1 ? 'is' : 'are'} running and will be stopped. ` : ''}Files written inside them (their writable layers) are lost; their volumes are kept.`,
          },
          'Remove All',
        );
        if (answer) await Promise.all(many.map(({ container: c, engine }) => request('container.remove', { engine, id: c.id, force: c.state === 'running' || c.state === 'paused' })));
        return;
      }
      const container = await pickContainer(node);
      if (!container) return;
      const running = container.state === 'running' || container.state === 'paused';
      const anonymous = container.mounts.filter((mount) => mount.type === 'volume' && mount.name && /^[0-9a-f]{64}$/.test(mount.name));
      const choices = ['Remove', ...(anonymous.length ? [`Remove with its ${anonymous.length} anonymous volume${anonymous.length === 1 ? '' : 's'}`] : [])];
      const answer = await vscode.window.showWarningMessage(
        `Remove container "${container.name}"?`,
        {
          modal: true,
          detail: `${running ? 'It is running and will be stopped. ' : ''}Files written inside it (its writable layer) are lost.${anonymous.length ? ' Its anonymous volumes are kept unless you choose to remove them too.' : ''}`,
        },
        ...choices,
      );
      if (!answer) return;
      await request('container.remove', { engine: engineOf(state, node), id: container.id, force: running, volumes: answer !== 'Remove' });
    }),
    vscode.commands.registerCommand('berth.container.attachShell', async (node?: ContainerNode) => {
      const container = await pickContainer(node, (c) => c.state === 'running');
      if (container) openShellTerminal({ connection: daemon(), engine: engineOf(state, node), id: container.id, name: container.name, log });
    }),
    vscode.commands.registerCommand('berth.container.logs', async (node?: ContainerNode) => {
      const container = await pickContainer(node);
      if (container) openLogsTerminal({ connection: daemon(), engine: engineOf(state, node), id: container.id, name: container.name, log });
    }),
    vscode.commands.registerCommand('berth.container.rename', async (node?: ContainerNode) => {
      const container = await pickContainer(node);
      if (!container) return;
      const name = await vscode.window.showInputBox({
        prompt: `New name for ${container.name}`,
        value: container.name,
        validateInput: (value) => (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(value) ? undefined : 'Letters, digits, _ . - (starting with a letter or digit, at least 2 characters)'),
      });
      if (name && name !== container.name) await request('container.rename', { engine: engineOf(state, node), id: container.id, name });
    }),
    vscode.commands.registerCommand('berth.container.inspect', async (node?: ContainerNode) => {
      const container = await pickContainer(node);
      if (container) await inspect('container', container.id, container.name, engineOf(state, node));
    }),
    vscode.commands.registerCommand('berth.container.copyId', async (node?: ContainerNode) => {
      const container = await pickContainer(node);
      if (container) await vscode.env.clipboard.writeText(container.id);
    }),
    vscode.commands.registerCommand('berth.container.copyName', async (node?: ContainerNode) => {
      const container = await pickContainer(node);
      if (container) await vscode.env.clipboard.writeText(container.name);
    }),

    vscode.commands.registerCommand('berth.image.remove', async (node?: ImageNode, selected?: ImageNode[]) => {
      // Several rows selected: every image among them, each on its own engine.
      const many = selectedImages(node, selected);
      if (many.length > 1) {
        const used = many.filter(({ image }) => image.usedBy.length > 0).length;
        const answer = await vscode.window.showWarningMessage(
          `Remove ${many.length} images?`,
          {
            modal: true,
            detail: `${many.map(({ name }) => name).join(', ')}.\nA tag of an image with other tags only takes the tag away; an image's layers are deleted with its last tag unless another image shares them.${used ? ` ${used} of them ${used === 1 ? 'has' : 'have'} containers made from it, which the engine refuses.` : ''}`,
          },
          'Remove All',
        );
        // One after another: two tags of one image removed at once race in the engine.
        if (answer) for (const { name, engine } of many) await request('image.remove', { engine, id: name });
        return;
      }
      const target = await pickImage(node);
      if (!target) return;
      const users = target.image.usedBy.length;
      const answer = await vscode.window.showWarningMessage(
        `Remove image ${target.name}?`,
        {
          modal: true,
          detail: users
            ? `${users} container${users === 1 ? ' was' : 's were'} created from it; the engine refuses while they exist.`
            : target.image.repoTags.length > 1
              ? 'Only this tag goes; the image stays under its other tags.'
              : 'Its layers are deleted unless another image shares them; pulling or building it again brings it back.',
        },
        'Remove',
      );
      if (answer) await request('image.remove', { engine: engineOf(state, node), id: target.name });
    }),
    vscode.commands.registerCommand('berth.image.tag', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      const value = await vscode.window.showInputBox({
        prompt: `New tag for ${target.name} (repository[:tag])`,
        value: target.name.startsWith('sha256:') ? '' : target.name,
        validateInput: (text) => imageReferenceProblem(text, { digest: false }),
      });
      if (!value) return;
      const { repository, tag } = splitRepositoryTag(value);
      await request('image.tag', { engine: engineOf(state, node), id: target.image.id, repository, ...(tag ? { tag } : {}) });
    }),
    vscode.commands.registerCommand('berth.image.inspect', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (target) await inspect('image', target.image.id, target.name, engineOf(state, node));
    }),
    vscode.commands.registerCommand('berth.image.history', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      const layers = await request('image.history', { engine: engineOf(state, node), id: target.image.id });
      if (!layers) return;
      const lines = layers.map((layer) => `${formatBytes(layer.size).padStart(8)}  ${layer.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ')}`);
      const document = await vscode.workspace.openTextDocument({ content: `# Layers of ${target.name}, newest first\n${lines.join('\n')}\n`, language: 'plaintext' });
      await vscode.window.showTextDocument(document, { preview: true });
    }),

    vscode.commands.registerCommand('berth.volume.remove', async (volume?: OnEngine<VolumeSummary>) => {
      const target = volume ?? (await pick(state.items('volume'), (v) => v.name, 'Volume'));
      if (!target) return;
      const answer = await vscode.window.showWarningMessage(`Remove volume ${target.name}?`, { modal: true, detail: 'Everything stored in it is deleted for good.' }, 'Remove');
      if (answer) await request('volume.remove', { engine: engineOf(state, volume), id: target.name });
    }),
    vscode.commands.registerCommand('berth.volume.inspect', async (volume?: OnEngine<VolumeSummary>) => {
      const target = volume ?? (await pick(state.items('volume'), (v) => v.name, 'Volume'));
      if (target) await inspect('volume', target.name, target.name, engineOf(state, volume));
    }),
    vscode.commands.registerCommand('berth.volume.create', async () => {
      const name = await vscode.window.showInputBox({ prompt: 'Name of the new volume (empty for a generated name)' });
      if (name !== undefined) await request('volume.create', { engine: engineOf(state, undefined), ...(name ? { name } : {}) });
    }),
    vscode.commands.registerCommand('berth.network.remove', async (network?: OnEngine<NetworkSummary>) => {
      const target = network ?? (await pick(state.items('network'), (n) => n.name, 'Network'));
      if (!target) return;
      const answer = await vscode.window.showWarningMessage(`Remove network ${target.name}?`, { modal: true, detail: target.containers.length ? `${target.containers.length} container(s) are attached; the engine refuses while they are.` : 'No container is attached.' }, 'Remove');
      if (answer) await request('network.remove', { engine: engineOf(state, network), id: target.id });
    }),
    vscode.commands.registerCommand('berth.network.inspect', async (network?: OnEngine<NetworkSummary>) => {
      const target = network ?? (await pick(state.items('network'), (n) => n.name, 'Network'));
      if (target) await inspect('network', target.id, target.name, engineOf(state, network));
    }),
    vscode.commands.registerCommand('berth.network.connect', (row?: OnEngine<NetworkSummary> | ContainerNode) => changeConnection(row, 'connect')),
    vscode.commands.registerCommand('berth.network.disconnect', (row?: OnEngine<NetworkSummary> | ContainerNode) => changeConnection(row, 'disconnect')),
    vscode.commands.registerCommand('berth.network.create', async () => {
      const name = await vscode.window.showInputBox({ prompt: 'Name of the new network', validateInput: (value) => (value.trim() ? undefined : 'A network needs a name') });
      if (name) await request('network.create', { engine: engineOf(state, undefined), name });
    }),

    vscode.commands.registerCommand('berth.prune', async () => {
      const kinds = await vscode.window.showQuickPick(
        [
          { label: 'Stopped containers', prune: 'containers', picked: true },
          { label: 'Dangling images', prune: 'images', picked: true },
          { label: 'Unused networks', prune: 'networks', picked: true },
          { label: 'Build cache', prune: 'buildcache', picked: false },
          { label: 'Unused volumes (their data is deleted)', prune: 'volumes', picked: false },
        ],
        { canPickMany: true, placeHolder: 'What to remove' },
      );
      if (!kinds?.length) return;
      const answer = await vscode.window.showWarningMessage(`Remove ${kinds.map((k) => k.label.toLowerCase()).join(', ')}?`, { modal: true, detail: 'This cannot be undone.' }, 'Prune');
      if (!answer) return;
      const result = await request('system.prune', { engine: engineOf(state, undefined), kinds: kinds.map((k) => k.prune) });
      if (!result) return;
      const removed = Object.values(result).reduce((sum, entry) => sum + entry.removed.length, 0);
      const space = Object.values(result).reduce((sum, entry) => sum + entry.spaceReclaimed, 0);
      void vscode.window.showInformationMessage(`Berth: removed ${removed} object${removed === 1 ? '' : 's'}, reclaimed ${formatBytes(space)}.`);
    }),
  );

  /**
   * The containers a command from a multi-selection applies to (the clicked
   * row is always among them), each with its own engine: a selection may
   * span the roots of several engines.
   */
  function selectedContainers(node: ContainerNode | undefined, selected: ContainerNode[] | undefined): { container: ContainerSummary; engine: string | undefined }[] {
    if (!node || !selected?.length) return [];
    const same = (a: ContainerNode, b: ContainerNode) => a === b || (a.kind === 'container' && b.kind === 'container' && a.container.id === b.container.id && engineOf(state, a) === engineOf(state, b));
    const nodes = selected.some((candidate) => same(candidate, node)) ? selected : [node, ...selected];
    const byKey = new Map<string, { container: ContainerSummary; engine: string | undefined }>();
    for (const entry of nodes) {
      const engine = engineOf(state, entry);
      for (const container of entry.kind === 'project' ? entry.containers : [entry.container]) byKey.set(`${engine}/${container.id}`, { container, engine });
    }
    return [...byKey.values()];
  }

  /**
   * Connects a container to a network, or disconnects it: from a network's
   * row (asks which container), a container's row (asks which network) or
   * the palette (asks both); only pairs the change applies to are offered.
   * A disconnect confirms first: the container loses its address there.
   */
  async function changeConnection(row: OnEngine<NetworkSummary> | ContainerNode | undefined, change: 'connect' | 'disconnect'): Promise<void> {
    const engine = engineOf(state, row);
    const attached = (network: NetworkSummary, container: ContainerSummary) => network.containers.includes(container.id);
    const wanted = change === 'disconnect';
    // The engine never connects a container to the host's network stack or to none.
    const networks = state.items('network', engine).filter((network) => (wanted ? network.containers.length > 0 : network.driver !== 'host' && network.driver !== 'null'));
    const fromRow = row && 'kind' in row ? undefined : row;
    const containerRow = row && 'kind' in row && row.kind === 'container' ? row.container : undefined;
    let network: NetworkSummary | undefined = fromRow;
    let container: ContainerSummary | undefined = containerRow;
    if (!network) {
      const offered = container ? networks.filter((candidate) => attached(candidate, container!) === wanted) : networks;
      if (offered.length === 0) {
        const who = container?.name;
        void vscode.window.showInformationMessage(
          `Berth: ${wanted ? (who ? `${who} is on no network it can leave` : 'no network has a container attached') : who ? `${who} is already on every network it can join` : 'no network to connect to'}.`,
        );
        return;
      }
      network = await pick(offered, (candidate) => candidate.name, wanted ? `Network to disconnect${container ? ` ${container.name}` : ''} from` : `Network to connect${container ? ` ${container.name}` : ''} to`);
      if (!network) return;
    }
    if (!container) {
      const chosen = network;
      const offered = state.items('container', engine).filter((candidate) => attached(chosen, candidate) === wanted);
      if (offered.length === 0) {
        void vscode.window.showInformationMessage(`Berth: ${wanted ? `no container is attached to ${chosen.name}` : `every container is already on ${chosen.name}`}.`);
        return;
      }
      container = await pick(offered, (candidate) => candidate.name, wanted ? `Container to disconnect from ${chosen.name}` : `Container to connect to ${chosen.name}`);
      if (!container) return;
    }
    if (wanted) {
      const answer = await vscode.window.showWarningMessage(
        `Disconnect ${container.name} from network ${network.name}?`,
        { modal: true, detail: `It loses its address on ${network.name} and stops reaching the containers there by name until it is connected again.` },
        'Disconnect',
      );
      if (!answer) return;
    }
    await request(`network.${change}`, { engine, network: network.id, container: container.id });
  }

  /** The images a command from a multi-selection applies to (the clicked row among them): tags, dangling images, and every tag of a repository row. */
  function selectedImages(node: ImageNode | undefined, selected: ImageNode[] | undefined): { name: string; image: ImageSummary; engine: string | undefined }[] {
    if (!node || !selected?.length) return [];
    const byKey = new Map<string, { name: string; image: ImageSummary; engine: string | undefined }>();
    for (const entry of [node, ...selected]) {
      const engine = engineOf(state, entry);
      const images =
        entry.kind === 'repository'
          ? entry.tags.map(({ tag, image }) => ({ name: `${entry.repository}:${tag}`, image }))
          : [{ name: entry.kind === 'tag' ? `${entry.repository}:${entry.tag}` : entry.image.id, image: entry.image }];
      for (const image of images) byKey.set(`${engine}/${image.name}`, { ...image, engine });
    }
    return [...byKey.values()];
  }

  async function pickImage(node: ImageNode | undefined): Promise<{ image: ImageSummary; name: string } | undefined> {
    if (node?.kind === 'tag') return { image: node.image, name: `${node.repository}:${node.tag}` };
    if (node?.kind === 'dangling') return { image: node.image, name: node.image.id };
    if (node?.kind === 'repository') {
      // A repository's row: one of its own tags, never a pick among every image.
      const tags = node.tags.map(({ tag, image }) => ({ image, name: `${node.repository}:${tag}` }));
      return tags.length === 1 ? tags[0] : pick(tags, (entry) => entry.name, `Tag of ${node.repository}`);
    }
    const images = state.items('image').flatMap((image) => (image.repoTags.length ? image.repoTags.map((name) => ({ image, name })) : [{ image, name: image.id }]));
    return pick(images, (entry) => entry.name, 'Image');
  }
}

async function pick<T>(items: T[], label: (item: T) => string, placeHolder: string): Promise<T | undefined> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Berth: no ${placeHolder.toLowerCase()} to act on.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items.map((item) => ({ label: label(item), item })), { placeHolder });
  return picked?.item;
}
