import * as vscode from 'vscode';
import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import type { StreamEnd } from '../../../runtime/src/protocol/types';
import { streamText, whenConnected } from '../runtime/daemonCalls';
import type { RuntimeState } from '../runtime/runtimeState';
import { StreamTerminal } from './streamTerminal';

/** A shell or attach terminal of this workspace, as the next window needs it to take the session back. */
export interface SavedSession {
  streamId: string;
  /** The terminal's name, e.g. `web (shell)`. */
  title: string;
  /** Its codicon. */
  icon: string;
}

const KEY = 'berth.terminalSessions';

/** The interactive sessions of a workspace's terminals, kept in its workspace state across window reloads. */
export class TerminalSessions {
  constructor(private readonly memento: vscode.Memento) {}

  saved(): SavedSession[] {
    return this.memento.get<SavedSession[]>(KEY) ?? [];
  }

  remember(session: SavedSession): void {
    void this.memento.update(KEY, [...this.saved().filter((each) => each.streamId !== session.streamId), session]);
  }

  forget(streamId: string): void {
    const saved = this.saved();
    if (saved.some((each) => each.streamId === streamId)) void this.memento.update(KEY, saved.filter((each) => each.streamId !== streamId));
  }
}

/**
 * Opens a terminal again for each session the last window of this workspace
 * left open, re-attached to the daemon's stream with its recent output
 * replayed. A session the daemon no longer has (its grace period is over, the
 * process exited long ago) is forgotten without a terminal.
 */
export async function restoreTerminalSessions(state: RuntimeState, sessions: TerminalSessions, log: (line: string) => void): Promise<void> {
  const saved = sessions.saved();
  if (saved.length === 0) return;
  const connection = await whenConnected(state);
  for (const session of saved) {
    const replay = collectReplay(connection, session.streamId);
    try {
      const stream = await connection.request('stream.reattach', { streamId: session.streamId });
      log(`stream.reattach ${session.title}: ${stream.replayed} bytes replayed`);
      const terminal = vscode.window.createTerminal({
        name: session.title,
        iconPath: new vscode.ThemeIcon(session.icon),
        pty: new StreamTerminal({
          connection,
          interactive: true,
          log,
          resumable: { sessions, title: session.title, icon: session.icon },
          replay: replay.take,
          open: async (size) => {
            if (size && stream.tty) await connection.request('stream.resize', { streamId: stream.streamId, cols: size.columns, rows: size.rows }).catch(() => undefined);
            return stream;
          },
        }),
      });
      terminal.show(true);
    } catch (error) {
      replay.take();
      sessions.forget(session.streamId);
      log(`the session of terminal ${session.title} could not be taken back: ${(error as Error).message}`);
    }
  }
}

/**
 * The replay arrives before `stream.reattach` answers, and live output may
 * follow before the new terminal opens: kept here until the terminal takes it,
 * in the same tick as it starts listening itself.
 */
function collectReplay(connection: RuntimeConnection, streamId: string): { take: () => { text: string; end?: StreamEnd } } {
  const decoder = new TextDecoder();
  let text = '';
  let end: StreamEnd | undefined;
  const stops = [
    connection.onNotification('stream.data', (message) => {
      if (message.streamId === streamId) text += streamText(message, decoder) ?? '';
    }),
    // A session that ended meanwhile is replayed, then ends.
    connection.onNotification('stream.end', (message) => {
      if (message.streamId === streamId) end = message;
    }),
  ];
  return {
    take: () => {
      for (const stop of stops) stop();
      return end ? { text, end } : { text };
    },
  };
}

let workspaceSessions: TerminalSessions | undefined;

/** The workspace's sessions, from its workspace state (once, at activation). */
export function keepTerminalSessions(memento: vscode.Memento): TerminalSessions {
  return (workspaceSessions = new TerminalSessions(memento));
}

/** `StreamTerminal` options making a shell or attach terminal come back after a window reload. */
export function resumable(title: string, icon: string): { resumable?: { sessions: TerminalSessions; title: string; icon: string } } {
  return workspaceSessions ? { resumable: { sessions: workspaceSessions, title, icon } } : {};
}
