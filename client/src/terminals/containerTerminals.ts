import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import { LogsTerminal } from './logsTerminal';
import { StreamTerminal } from './streamTerminal';
import { resumable } from './terminalSessions';

export interface TerminalTarget {
  connection: RuntimeConnection;
  engine: string | undefined;
  id: string;
  name: string;
  log: (line: string) => void;
}

/** A shell inside the container (`berth.containers.shell`, else bash or sh), in an integrated terminal. */
export function openShellTerminal({ connection, engine, id, name, log }: TerminalTarget): vscode.Terminal {
  const shell = vscode.workspace.getConfiguration('berth').get<string>('containers.shell', '').trim();
  log(`container.exec ${name}${shell ? ` (${shell})` : ''}`);
  const title = `${name} (shell)`;
  const terminal = vscode.window.createTerminal({
    name: title,
    iconPath: new vscode.ThemeIcon('terminal'),
    pty: new StreamTerminal({
      connection,
      interactive: true,
      log,
      ...resumable(title, 'terminal'),
      open: (size) =>
        connection.request('container.exec', {
          engine,
          id,
          tty: true,
          ...(shell ? { cmd: shell.split(/\s+/) } : {}),
          ...(size ? { cols: size.columns, rows: size.rows } : {}),
        }),
    }),
  });
  terminal.show();
  return terminal;
}

/** The container's logs, following across restarts, in an integrated terminal. */
export function openLogsTerminal({ connection, engine, id, name, log }: TerminalTarget): vscode.Terminal {
  const timestamps = vscode.workspace.getConfiguration('berth').get<boolean>('containers.logTimestamps', false);
  log(`container.logs ${name}`);
  const terminal = vscode.window.createTerminal({
    name: `${name} (logs)`,
    iconPath: new vscode.ThemeIcon('output'),
    pty: new LogsTerminal({ connection, engine, id, timestamps, tail: 1000, log }),
  });
  terminal.show();
  return terminal;
}
