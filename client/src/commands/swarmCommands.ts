import * as vscode from 'vscode';
import type { RuntimeMethods, ServiceSummary, SwarmDataSummary } from '../../../runtime/src/protocol/types';
import { connectionOf, followStream } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { checkImageReference, checkReplicas, checkStackName, checkSwarmObjectName, shortImage, stackNameFor, stackRemovalQuestion, stacksOf } from '../swarm/swarmTree';
import { StreamTerminal } from '../terminals/streamTerminal';
import type { SwarmNode } from '../views/swarmView';

/**
 * Swarm commands: scale, update the image of, roll back, follow the logs of
 * and remove a service; drain and activate a node; deploy a stack from a
 * compose file and remove one; create and remove secrets and configs. Each
 * acts on the engine of the row it was run on (the active engine from the
 * palette or a compose file). Destructive ones confirm, naming what goes.
 */
export function registerSwarmCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  let output: vscode.OutputChannel | undefined;
  const request = async <M extends keyof RuntimeMethods>(method: M, params: RuntimeMethods[M]['params']): Promise<RuntimeMethods[M]['result'] | undefined> => {
    try {
      log(`${method} ${JSON.stringify({ ...params, ...('data' in params ? { data: '…' } : {}) })}`);
      return await connectionOf(state).request(method, params);
    } catch (error) {
      const message = (error as Error).message;
      log(`${method} failed: ${message}`);
      void vscode.window.showErrorMessage(`Berth: ${message}`);
      return undefined;
    }
  };
  const showWarnings = (result: { warnings: string[] } | undefined, done: string) => {
    if (!result) return;
    if (result.warnings.length) void vscode.window.showWarningMessage(`Berth: ${done}, with warnings: ${result.warnings.join('; ')}`);
  };

  const pickService = async (node: SwarmNode | undefined, filter: (service: ServiceSummary) => boolean = () => true): Promise<ServiceSummary | undefined> => {
    if (node?.kind === 'service') return node.service;
    const services = state.items('service').filter(filter);
    if (!services.length) {
      void vscode.window.showInformationMessage('Berth: no Swarm service to act on.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      services.map((service) => ({ label: service.name, description: `${service.mode} · ${shortImage(service.image)}`, service })),
      { placeHolder: 'Service' },
    );
    return picked?.service;
  };

  /** A tool's output (stack deploy, stack rm) in the Berth Swarm channel, with a notification until it ends. */
  const runTool = (title: string, open: () => Promise<{ streamId: string }>) => {
    output ??= vscode.window.createOutputChannel('Berth Swarm');
    const channel = output;
    channel.appendLine(`— ${title}`);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Berth: ${title}`, cancellable: true }, async (_progress, token) => {
      try {
        const end = await followStream(connectionOf(state), open, (text) => channel.append(text), token);
        if (end.reason === 'completed') void vscode.window.showInformationMessage(`Berth: ${title}: done.`);
        else {
          channel.show(true);
          void vscode.window.showErrorMessage(`Berth: ${title} failed: ${end.error ?? end.message ?? end.reason}`);
        }
      } catch (error) {
        void vscode.window.showErrorMessage(`Berth: ${title} failed: ${(error as Error).message}`);
      }
    });
  };

  const register = (command: string, run: (node?: SwarmNode) => Promise<unknown>) => vscode.commands.registerCommand(command, run);

  context.subscriptions.push(
    { dispose: () => output?.dispose() },
    register('berth.swarm.service.scale', async (node) => {
      const service = await pickService(node, (candidate) => candidate.replicas !== undefined);
      if (!service) return;
      if (service.replicas === undefined) {
        void vscode.window.showInformationMessage(`Berth: ${service.name} is a ${service.mode} service: it runs one task per node and cannot be scaled.`);
        return;
      }
      const text = await vscode.window.showInputBox({ prompt: `Replicas of ${service.name} (now ${service.replicas})`, value: String(service.replicas), validateInput: checkReplicas });
      if (text === undefined || Number(text.trim()) === service.replicas) return;
      showWarnings(await request('service.scale', { engine: engineOf(state, node), id: service.id, replicas: Number(text.trim()) }), `${service.name} scaled`);
    }),
    register('berth.swarm.service.updateImage', async (node) => {
      const service = await pickService(node);
      if (!service) return;
      const image = await vscode.window.showInputBox({ prompt: `New image for ${service.name}; its tasks are replaced by a rolling update`, value: shortImage(service.image), validateInput: checkImageReference });
      if (image === undefined || image.trim() === shortImage(service.image)) return;
      showWarnings(await request('service.update', { engine: engineOf(state, node), id: service.id, image: image.trim() }), `${service.name} updated`);
    }),
    register('berth.swarm.service.rollback', async (node) => {
      const service = await pickService(node);
      if (!service) return;
      const answer = await vscode.window.showWarningMessage(`Roll ${service.name} back to its previous definition?`, { modal: true, detail: 'Its tasks are replaced with the previous image and settings.' }, 'Roll Back');
      if (answer) showWarnings(await request('service.rollback', { engine: engineOf(state, node), id: service.id }), `${service.name} rolled back`);
    }),
    register('berth.swarm.service.logs', async (node) => {
      const service = await pickService(node);
      if (!service) return;
      const connection = connectionOf(state);
      const target = engineOf(state, node);
      const timestamps = vscode.workspace.getConfiguration('berth').get<boolean>('containers.logTimestamps', false);
      log(`service.logs ${service.name}`);
      vscode.window
        .createTerminal({
          name: `${service.name} (service logs)`,
          iconPath: new vscode.ThemeIcon('output'),
          pty: new StreamTerminal({ connection, interactive: false, log, open: () => connection.request('service.logs', { engine: target, id: service.id, follow: true, tail: 1000, timestamps }) }),
        })
        .show();
    }),
    register('berth.swarm.service.remove', async (node) => {
      const service = await pickService(node);
      if (!service) return;
      const answer = await vscode.window.showWarningMessage(
        `Remove service ${service.name}?`,
        { modal: true, detail: `Its ${service.runningTasks} running task${service.runningTasks === 1 ? '' : 's'} stop and their containers go.${service.stack ? ` It belongs to stack ${service.stack}, which deploys it again on its next deploy.` : ''}` },
        'Remove Service',
      );
      if (answer) await request('service.remove', { engine: engineOf(state, node), id: service.id });
    }),

    register('berth.swarm.node.drain', async (node) => {
      const target = node?.kind === 'node' ? node.node : await pickNode('Node to drain');
      if (!target) return;
      const tasks = state.items('task', engineOf(state, node)).filter((task) => task.nodeId === target.id && task.state === 'running').length;
      const answer = await vscode.window.showWarningMessage(
        `Drain node ${target.hostname}?`,
        { modal: true, detail: `No new tasks go to it, and its ${tasks} running task${tasks === 1 ? '' : 's'} stop there and are rescheduled on other nodes (if none can take them, they wait). Standalone containers keep running.` },
        'Drain',
      );
      if (answer) await request('node.update', { engine: engineOf(state, node), id: target.id, availability: 'drain' });
    }),
    register('berth.swarm.node.activate', async (node) => {
      const target = node?.kind === 'node' ? node.node : await pickNode('Node to make active');
      if (target) await request('node.update', { engine: engineOf(state, node), id: target.id, availability: 'active' });
    }),

    vscode.commands.registerCommand('berth.swarm.stack.deploy', async (uri?: vscode.Uri | SwarmNode) => {
      const file = uri instanceof vscode.Uri ? uri : (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Deploy as Stack', filters: { 'Compose files': ['yml', 'yaml'] }, title: 'Compose file to deploy' }))?.[0];
      if (!file) return;
      const name = await vscode.window.showInputBox({ prompt: `Stack name for ${vscode.workspace.asRelativePath(file)}`, value: stackNameFor(file.fsPath), validateInput: checkStackName });
      if (!name) return;
      const engine = engineOf(state, uri);
      await runTool(`stack deploy ${name.trim()}`, () => connectionOf(state).request('stack.deploy', { engine, file: file.fsPath, name: name.trim() }));
    }),
    register('berth.swarm.stack.remove', async (node) => {
      const engine = engineOf(state, node);
      const stacks = stacksOf(state.items('service', engine));
      let stack = node?.kind === 'stack' ? node.stack : undefined;
      if (!stack) {
        if (!stacks.size) return void vscode.window.showInformationMessage('Berth: no stack to remove.');
        stack = (await vscode.window.showQuickPick([...stacks].map(([name, services]) => ({ label: name, description: `${services.length} service(s)` })), { placeHolder: 'Stack to remove' }))?.label;
      }
      if (!stack) return;
      const question = stackRemovalQuestion(stack, stacks.get(stack) ?? []);
      const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Remove Stack');
      if (answer) await runTool(`stack rm ${stack}`, () => connectionOf(state).request('stack.remove', { engine, name: stack! }));
    }),

    ...(['secret', 'config'] as const).flatMap((kind) => [
      vscode.commands.registerCommand(`berth.swarm.${kind}.create`, async (node?: SwarmNode) => {
        const engine = engineOf(state, node);
        const existing: SwarmDataSummary[] = state.items(kind, engine);
        const name = await vscode.window.showInputBox({ prompt: `Name of the new ${kind}`, validateInput: (text) => checkSwarmObjectName(text, kind, existing) });
        if (!name) return;
        const source = await vscode.window.showQuickPick(
          [
            { label: 'From a file…', value: 'file' },
            { label: kind === 'secret' ? 'Type the secret' : 'Type the content', value: 'typed' },
          ],
          { placeHolder: `Content of ${kind} ${name.trim()}` },
        );
        if (!source) return;
        let data: Uint8Array | undefined;
        if (source.value === 'file') {
          const file = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: `Use as ${kind}` }))?.[0];
          if (file) data = await vscode.workspace.fs.readFile(file);
        } else {
          const typed = await vscode.window.showInputBox({ prompt: `Content of ${kind} ${name.trim()}`, password: kind === 'secret', validateInput: (text) => (text ? undefined : 'The content is empty.') });
          if (typed) data = new TextEncoder().encode(typed);
        }
        if (!data) return;
        await request(`${kind}.create`, { engine, name: name.trim(), data: Buffer.from(data).toString('base64') });
      }),
      vscode.commands.registerCommand(`berth.swarm.${kind}.remove`, async (node?: SwarmNode) => {
        let item = node?.kind === kind ? node.item : undefined;
        if (!item) {
          const choices = state.items(kind);
          item = (await vscode.window.showQuickPick(choices.map((candidate) => ({ label: candidate.name, item: candidate })), { placeHolder: `The ${kind} to remove` }))?.item;
        }
        if (!item) return;
        const answer = await vscode.window.showWarningMessage(
          `Remove ${kind} ${item.name}?`,
          { modal: true, detail: `Its content is lost (the engine never gives it back). The engine refuses while a service uses it.${item.stack ? ` It belongs to stack ${item.stack}.` : ''}` },
          `Remove ${kind === 'secret' ? 'Secret' : 'Config'}`,
        );
        if (answer) await request(`${kind}.remove`, { engine: engineOf(state, node), id: item.id });
      }),
    ]),
  );

  async function pickNode(placeHolder: string) {
    const nodes = state.items('node');
    return (await vscode.window.showQuickPick(nodes.map((node) => ({ label: node.hostname, description: `${node.role} · ${node.availability}`, node })), { placeHolder }))?.node;
  }
}
