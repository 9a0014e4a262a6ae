import type * as vscode from 'vscode';
import type { RuntimeState } from '../runtime/runtimeState';
import { keepTerminalSessions } from '../terminals/terminalSessions';
import { registerBuildAndRun } from './buildAndRun';
import { registerComposeCommands } from './composeCommands';
import { registerContainerCommands } from './containerCommands';
import { registerImageCommands } from './imageCommands';
import { registerResourceCommands } from './resourceCommands';
import { registerSwarmCommands } from './swarmCommands';
import { registerEngineCommands } from '../engines/engineCommands';
import { registerStatsPanel } from '../views/statsPanel';

/**
 * The commands of `LAZY_COMMANDS` (lazyCommands.ts), registered on the first
 * run of one of them. This module is the entry of out/client/commands.js.
 */
export function registerCommandImplementations(context: vscode.ExtensionContext, state: RuntimeState, log: (line: string) => void): void {
  // This bundle has its own copy of terminalSessions.ts: give it the workspace's
  // sessions too, so that shells opened from here come back after a reload.
  keepTerminalSessions(context.workspaceState);
  registerResourceCommands(context, state, log);
  registerBuildAndRun(context, state, log);
  registerComposeCommands(context, state, log);
  registerContainerCommands(context, state, log);
  registerImageCommands(context, state, log);
  registerEngineCommands(context, state, log);
  registerSwarmCommands(context, state, log);
  registerStatsPanel(context, state, log);
}
