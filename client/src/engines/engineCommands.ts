import * as vscode from 'vscode';
import type { EngineInfo } from '../../../runtime/src/protocol/types';
import { connectionOf } from '../runtime/daemonCalls';
import type { RuntimeState } from '../runtime/runtimeState';
import { checkEngineName, engineHealthText, engineRemovalQuestion, parseEngineAddress } from './engineChoice';

const CHOSEN_ENGINE_KEY = 'berth.activeEngine';

/** A row that names an engine: the Engines view's, or an engine root in another view. */
type EngineRow = { engine: EngineInfo } | undefined;

/**
 * Engines: switch the active one (remembered per workspace), add a remote
 * engine (ssh, or tcp with TLS certificates from a folder), remove one the
 * user added (after confirming). The daemon serves and saves them.
 */
export function registerEngineCommands(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  state.chooseEngine(context.workspaceState.get<string>(CHOSEN_ENGINE_KEY));
  const choose = (engine: EngineInfo) => {
    state.chooseEngine(engine.id);
    void context.workspaceState.update(CHOSEN_ENGINE_KEY, engine.id);
    log(`active engine: ${engine.id} (${engine.endpoint})`);
  };
  const fail = (what: string, error: Error) => {
    log(`${what} failed: ${error.message}`);
    void vscode.window.showErrorMessage(`Berth: ${what} failed: ${error.message}`);
  };

  const pickEngine = async (placeHolder: string, engines: readonly EngineInfo[]): Promise<EngineInfo | undefined> => {
    if (engines.length === 0) {
      void vscode.window.showInformationMessage('Berth: no engine to choose from (see the Engines view).');
      return undefined;
    }
    const active = state.activeEngine?.id;
    const picked = await vscode.window.showQuickPick(
      engines.map((engine) => ({ label: `${engine.id === active ? '$(check) ' : ''}${engine.id}`, description: engine.endpoint, detail: engineHealthText(engine), engine })),
      { placeHolder },
    );
    return picked?.engine;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('berth.engines.switch', async (row?: EngineRow) => {
      const engine = row?.engine ?? (await pickEngine('Engine for the views and commands', state.engines));
      if (engine) choose(engine);
    }),

    vscode.commands.registerCommand('berth.engines.add', async () => {
      try {
        const address = await vscode.window.showInputBox({
          title: 'Add Engine (1/3): address',
          prompt: 'ssh://user@host (uses your ssh setup), tcp://host:2376 (TLS) or unix:///path/to/docker.sock',
          placeHolder: 'ssh://user@host',
          ignoreFocusOut: true,
          validateInput: (text) => {
            const checked = parseEngineAddress(text);
            return 'error' in checked ? checked.error : undefined;
          },
        });
        if (address === undefined) return;
        const parsed = parseEngineAddress(address);
        if ('error' in parsed) return;
        let tls: { certPath?: string; verify?: boolean } | undefined;
        if (parsed.transport === 'tcp') {
          const choice = await vscode.window.showQuickPick(
            [
              { label: 'TLS with certificates from a folder…', detail: 'The folder holds ca.pem, cert.pem and key.pem (as for DOCKER_CERT_PATH).', value: 'folder' },
              { label: 'TLS with the certificates in ~/.docker', value: 'default' },
              { label: 'No TLS', detail: 'Plain TCP: anyone on the network can reach the engine. Only for a trusted local network.', value: 'none' },
            ],
            { title: 'Add Engine (2/3): security', ignoreFocusOut: true },
          );
          if (!choice) return;
          if (choice.value === 'folder') {
            const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use These Certificates', title: 'Folder with ca.pem, cert.pem and key.pem' });
            if (!folder?.[0]) return;
            tls = { certPath: folder[0].fsPath, verify: true };
          } else if (choice.value === 'default') tls = { verify: true };
        }
        const name = await vscode.window.showInputBox({
          title: `Add Engine (${parsed.transport === 'tcp' ? 3 : 2}/${parsed.transport === 'tcp' ? 3 : 2}): name`,
          prompt: 'A short name for the engine (empty: derived from the host)',
          ignoreFocusOut: true,
          validateInput: (text) => checkEngineName(text, state.engines),
        });
        if (name === undefined) return;
        log(`engines.add ${parsed.url}${tls ? ' (TLS)' : ''}`);
        const added = await connectionOf(state).request('engines.add', { url: parsed.url, ...(name.trim() ? { name: name.trim() } : {}), ...(tls ? { tls } : {}) });
        const answer = await vscode.window.showInformationMessage(`Berth: engine "${added.id}" added (${added.endpoint}); the Engines view shows its health.`, 'Switch to It');
        if (answer) choose(state.engines.find((engine) => engine.id === added.id) ?? added);
      } catch (error) {
        fail('adding the engine', error as Error);
      }
    }),

    vscode.commands.registerCommand('berth.engines.remove', async (row?: EngineRow) => {
      const engine = row?.engine ?? (await pickEngine('Engine to remove (only engines you added can be removed)', state.engines.filter((candidate) => candidate.added)));
      if (!engine) return;
      if (!engine.added) {
        void vscode.window.showInformationMessage(`Berth: ${engine.id} was found on this machine (${engine.source}), not added; only engines you added can be removed.`);
        return;
      }
      const running = engine.health.state === 'ready' ? state.items('container', engine.id).filter((container) => container.state === 'running').length : undefined;
      const question = engineRemovalQuestion(engine, running);
      const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Remove Engine');
      if (answer !== 'Remove Engine') return;
      try {
        log(`engines.remove ${engine.id}`);
        await connectionOf(state).request('engines.remove', { engine: engine.id });
        if (state.chosenEngineId === engine.id) {
          state.chooseEngine(undefined);
          void context.workspaceState.update(CHOSEN_ENGINE_KEY, undefined);
        }
      } catch (error) {
        fail(`removing engine ${engine.id}`, error as Error);
      }
    }),
  );
}
