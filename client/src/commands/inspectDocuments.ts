import * as vscode from 'vscode';
import { connectionOf } from '../runtime/daemonCalls';
import type { RuntimeState } from '../runtime/runtimeState';

const INSPECT_SCHEME = 'berth-inspect';

type InspectKind = 'container' | 'image' | 'volume' | 'network';

/**
 * Read-only documents with the engine's inspect output, fetched when opened.
 * Registered at activation, so that an inspect editor a reloaded window
 * restores finds its content before any command has run.
 */
export function registerInspectDocuments(context: vscode.ExtensionContext, state: RuntimeState): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, {
      async provideTextDocumentContent(uri) {
        const kind = uri.path.split('/')[1] as InspectKind;
        const params = new URLSearchParams(uri.query);
        const result = await connectionOf(state).request(`${kind}.inspect`, { id: params.get('id') ?? '', ...(params.get('engine') ? { engine: params.get('engine')! } : {}) });
        return JSON.stringify(result, null, 2) + '\n';
      },
    }),
  );
}

/** The inspect document of one object, named after it. */
export function inspectUri(kind: InspectKind, id: string, name: string, engine: string | undefined): vscode.Uri {
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${name.replace(/[/:]/g, '_')}.json`, query: new URLSearchParams({ id, engine: engine ?? '' }).toString() });
}
