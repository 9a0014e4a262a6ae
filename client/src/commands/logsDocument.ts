import * as vscode from 'vscode';
import { connectionOf } from '../runtime/daemonCalls';
import { engineOf } from '../runtime/rowEngine';
import type { RuntimeState } from '../runtime/runtimeState';
import type { ContainerNode } from '../views/containersView';
import { logsSoFar } from '../terminals/logsSoFar';
import { pickContainer } from './pickers';

const LOGS_SCHEME = 'berth-logs';

/**
 * "Open Logs as Document": the container's logs so far in a read-only
 * editor, where they can be searched, folded and copied like any file.
 */
export function registerLogsDocument(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, {
      async provideTextDocumentContent(uri) {
        const params = new URLSearchParams(uri.query);
        const id = params.get('id') ?? '';
        const engine = params.get('engine') || undefined;
        const timestamps = params.get('timestamps') === '1';
        return logsSoFar(connectionOf(state), engine, id, timestamps);
      },
    }),
    vscode.commands.registerCommand('berth.container.openLogsDocument', async (node?: ContainerNode) => {
      const container = await pickContainer(state, node);
      if (!container) return;
      const timestamps = vscode.workspace.getConfiguration('berth').get<boolean>('containers.logTimestamps', false);
      log(`container.logs ${container.name} (document)`);
      // `at` makes each opening a new document, so it holds the logs as they are now rather than a cached copy.
      const query = new URLSearchParams({ id: container.id, engine: engineOf(state, node) ?? '', timestamps: timestamps ? '1' : '0', at: String(Date.now()) });
      try {
        await vscode.window.showTextDocument(vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${container.name.replace(/[/:]/g, '_')}.log`, query: query.toString() }), { preview: false });
      } catch (error) {
        void vscode.window.showErrorMessage(`Berth: cannot open the logs of ${container.name}: ${(error as Error).message}`);
      }
    }),
  );
}
