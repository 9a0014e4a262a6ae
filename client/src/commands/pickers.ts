import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../runtime/src/protocol/types';
import type { RuntimeState } from '../runtime/runtimeState';
import type { ContainerNode } from '../views/containersView';

/** The container a command acts on: the tree row it was run on, else one the user picks among those `filter` allows. */
export async function pickContainer(state: RuntimeState, node: ContainerNode | undefined, filter: (container: ContainerSummary) => boolean = () => true): Promise<ContainerSummary | undefined> {
  if (node?.kind === 'container') return node.container;
  const choices = state.items('container').filter(filter);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('Berth: no container to act on.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map((container) => ({ label: container.name, description: `${container.image} · ${container.status}`, container })),
    { placeHolder: 'Container' },
  );
  return picked?.container;
}
