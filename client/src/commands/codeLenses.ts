import * as vscode from 'vscode';
import { composeServiceLines } from '../compose/serviceLines';

/**
 * The CodeLenses of Dockerfiles (Build & Run, Build) and compose files (Up
 * and Down on `services:`, Up on each service). They are registered at
 * activation, apart from the commands they run, which load on first use
 * (`lazyCommands.ts`).
 */
export function registerCodeLenses(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { language: 'dockerfile', scheme: 'file' },
      {
        provideCodeLenses: (document) => {
          const top = new vscode.Range(0, 0, 0, 0);
          return [
            new vscode.CodeLens(top, { title: '$(play) Build & Run', command: 'berth.dockerfile.buildAndRun', arguments: [document.uri], tooltip: 'Build this Dockerfile, replace the container its last run made, and run the new image' }),
            new vscode.CodeLens(top, { title: 'Build', command: 'berth.dockerfile.build', arguments: [document.uri] }),
          ];
        },
      },
    ),
    vscode.languages.registerCodeLensProvider(
      { language: 'dockercompose', scheme: 'file' },
      {
        provideCodeLenses(document) {
          const { servicesLine, services } = composeServiceLines(document.getText());
          const top = new vscode.Range(servicesLine ?? 0, 0, servicesLine ?? 0, 0);
          return [
            new vscode.CodeLens(top, { title: '$(play) Up', command: 'berth.compose.up', arguments: [document.uri], tooltip: 'compose up -d --build: every service' }),
            new vscode.CodeLens(top, { title: 'Down', command: 'berth.compose.down', arguments: [document.uri], tooltip: 'compose down (asks first; volumes only when you choose)' }),
            ...services.map(
              (service) =>
                new vscode.CodeLens(new vscode.Range(service.line, 0, service.line, 0), {
                  title: '$(play) Up',
                  command: 'berth.compose.up',
                  arguments: [document.uri, [service.name]],
                  tooltip: `compose up -d --build ${service.name}`,
                }),
            ),
          ];
        },
      },
    ),
  );
}
