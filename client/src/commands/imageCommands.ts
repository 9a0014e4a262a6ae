import * as vscode from 'vscode';
import type { ImageSummary } from '../../../runtime/src/protocol/types';
import { connectionOf, followStream } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import { browserUrl, describePorts, exposedPorts, portRequests, reachablePorts } from '../run/ports';
import { imageReferenceProblem } from '../../../server/src/dockerfile/imageReference';
import { formatPorts, parseEnvironment, parsePorts, parseVolumes } from '../run/runOptions';
import { StreamTerminal } from '../terminals/streamTerminal';
import { resumable } from '../terminals/terminalSessions';
import type { ImageNode } from '../views/resourceViews';
import { extraLabels } from './buildAndRun';

/**
 * Image commands that make containers or move images: run (EXPOSEd ports
 * offered on free host ports, the engine's pick on a remote engine, for the
 * user to keep or change; environment and volume prompts), run interactively (a terminal on the container's TTY,
 * removed when it exits), pull and push with progress, save to and load from
 * a tar file; each on the engine of the row it was run on (the active engine
 * from the palette).
 */
export function registerImageCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  let channel: vscode.OutputChannel | undefined;
  const output = () => (channel ??= vscode.window.createOutputChannel('Berth Images'));

  const pickImage = async (node?: ImageNode): Promise<{ image: ImageSummary; name: string } | undefined> => {
    if (node?.kind === 'tag') return { image: node.image, name: `${node.repository}:${node.tag}` };
    if (node?.kind === 'dangling') return { image: node.image, name: node.image.id };
    const images = state.items('image').flatMap((image) => (image.repoTags.length ? image.repoTags.map((name) => ({ image, name })) : []));
    if (images.length === 0) {
      void vscode.window.showInformationMessage('Berth: no tagged image to act on.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(images.map((entry) => ({ label: entry.name, entry })), { placeHolder: 'Image' }))?.entry;
  };

  /** Asks for words and checks them with `parse`, showing its error under the input box. */
  const askList = async <T>(prompt: string, placeHolder: string, parse: (text: string) => T[], value = ''): Promise<T[] | undefined> => {
    const text = await vscode.window.showInputBox({
      prompt,
      placeHolder,
      value,
      validateInput: (value) => {
        try {
          parse(value);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
    return text === undefined ? undefined : parse(text);
  };

  const command = <A extends unknown[]>(id: string, action: (...args: A) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: A) => {
      try {
        await action(...args);
      } catch (error) {
        log(`${id} failed: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Berth: ${(error as Error).message}`);
      }
    });

  /** A pull or push, its progress in a notification and the "Berth Images" channel. */
  const transfer = async (method: 'image.pull' | 'image.push', ref: string, engine: string | undefined) => {
    const connection = connectionOf(state);
    const verb = method === 'image.pull' ? 'Pulling' : 'Pushing';
    const out = output();
    out.appendLine(`${verb} ${ref}`);
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${verb} ${ref}`, cancellable: true }, (progress, token) =>
      followStream(
        connection,
        () => connection.request(method, { engine, ref }),
        (text) => {
          out.append(text);
          const last = text.trim().split('\n').at(-1);
          if (last) progress.report({ message: last.slice(0, 90) });
        },
        token,
      ),
    );
    if (outcome.reason === 'completed') void vscode.window.showInformationMessage(`Berth: ${method === 'image.pull' ? 'pulled' : 'pushed'} ${ref}.`);
    else if (outcome.reason !== 'closed') {
      const answer = await vscode.window.showErrorMessage(`Berth: ${verb.toLowerCase()} ${ref} failed: ${outcome.error ?? outcome.message ?? outcome.reason}`, 'Show Output');
      if (answer) out.show();
    }
  };

  context.subscriptions.push(
    { dispose: () => channel?.dispose() },
    command('berth.image.run', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      const engine = engineOf(state, node);
      const connection = connectionOf(state);
      const endpoint = state.engines.find((candidate) => candidate.id === engine)?.endpoint;
      const offered = await portRequests(exposedPorts(await connection.request('image.inspect', { engine, id: target.image.id })), endpoint);
      // The EXPOSEd ports on free host ports, for the user to keep, change or clear.
      const ports = offered.length === 0 ? [] : await askList(`Ports to publish for ${target.name} (host:container, or container alone for a port the engine picks; empty for none)`, '127.0.0.1:8080:80/tcp', parsePorts, formatPorts(offered));
      if (ports === undefined) return;
      const env = await askList(`Environment for ${target.name} (KEY=value, separated by spaces; empty for none)`, 'NODE_ENV=development PORT=3000', parseEnvironment);
      if (env === undefined) return;
      const volumes = await askList('Volumes to mount (source:/path/in/container[:ro], separated by spaces; empty for none)', 'data:/var/lib/data ./src:/app/src:ro', parseVolumes);
      if (volumes === undefined) return;
      const created = await connection.request('container.create', {
        engine,
        image: target.name,
        ports,
        env,
        volumes,
        labels: extraLabels(),
        start: true,
      });
      for (const warning of created.warnings) log(`container.create warning: ${warning}`);
      // What the engine bound: it picks the host ports on a remote engine.
      const published = ports.length ? reachablePorts(await connection.request('container.ports', { engine, id: created.id }), endpoint) : [];
      const url = browserUrl(published);
      const answer = await vscode.window.showInformationMessage(`Berth: started ${target.name}${published.length ? ` (${describePorts(published)})` : ''}.`, ...(url ? ['Open in Browser'] : []));
      if (answer && url) await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    command('berth.image.runInteractive', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      const engine = engineOf(state, node);
      const connection = connectionOf(state);
      const created = await connection.request('container.create', {
        engine,
        image: target.name,
        tty: true,
        openStdin: true,
        autoRemove: true,
        labels: extraLabels(),
        start: true,
      });
      // The engine attaches to running containers only: a prompt printed before this shows again on Enter.
      vscode.window
        .createTerminal({
          name: `${target.name} (interactive)`,
          iconPath: new vscode.ThemeIcon('terminal'),
          pty: new StreamTerminal({
            connection,
            interactive: true,
            log,
            ...resumable(`${target.name} (interactive)`, 'terminal'),
            open: () => connection.request('container.attach', { engine, id: created.id }),
          }),
        })
        .show();
    }),
    command('berth.image.pull', async (node?: ImageNode) => {
      const suggested = node?.kind === 'tag' ? `${node.repository}:${node.tag}` : '';
      const ref = await vscode.window.showInputBox({ prompt: 'Image to pull (name[:tag] or name@digest)', value: suggested, validateInput: (value) => imageReferenceProblem(value) });
      if (ref) await transfer('image.pull', ref.trim(), engineOf(state, node));
    }),
    command('berth.image.push', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      if (target.image.repoTags.length === 0) {
        // Push is on a dangling image's menu too: a registry stores names, so say what is missing.
        const answer = await vscode.window.showWarningMessage(
          `Berth: image ${target.image.id.replace(/^sha256:/, '').slice(0, 12)} has no name to push under. Tag it first (registry host/repository:tag).`,
          'Tag…',
        );
        if (answer) await vscode.commands.executeCommand('berth.image.tag', node);
        return;
      }
      await transfer('image.push', target.name, engineOf(state, node));
    }),
    command('berth.image.save', async (node?: ImageNode) => {
      const target = await pickImage(node);
      if (!target) return;
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
      const file = await vscode.window.showSaveDialog({
        saveLabel: 'Save Image',
        filters: { 'Image archive': ['tar'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${target.name.replace(/[/:@]/g, '_')}.tar`) } : {}),
      });
      if (!file) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving ${target.name}` }, () =>
        connectionOf(state).request('image.save', { engine: engineOf(state, node), refs: [target.name], path: file.fsPath }),
      );
      void vscode.window.showInformationMessage(`Berth: saved ${target.name} to ${result.path} (${(result.bytes / 1e6).toFixed(1)} MB).`);
    }),
    command('berth.image.load', async () => {
      const [file] = (await vscode.window.showOpenDialog({ openLabel: 'Load Image', filters: { 'Image archive': ['tar'] }, canSelectMany: false })) ?? [];
      if (!file) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loading ${file.fsPath}` }, () =>
        connectionOf(state).request('image.load', { engine: engineOf(state, undefined), path: file.fsPath }),
      );
      void vscode.window.showInformationMessage(`Berth: loaded ${result.images.join(', ') || 'the archive'}.`);
    }),
  );
}
