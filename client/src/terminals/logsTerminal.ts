import * as vscode from 'vscode';
import { LogFollower, type LogFollowerOptions } from './logFollower';

/**
 * A container's logs in an integrated terminal, colours kept, following the
 * container across its restarts (LogFollower). Stopping the container leaves
 * it open and waiting; only closing it (or removing the container) ends it.
 */
export class LogsTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.written.event;
  private follower?: LogFollower;

  constructor(private readonly options: Omit<LogFollowerOptions, 'write' | 'onEnd'> & { log: (line: string) => void }) {}

  open(): void {
    const { log, ...follow } = this.options;
    this.follower = new LogFollower({
      ...follow,
      // Logs without a TTY carry bare \n; the terminal needs \r\n (a TTY's \r\n is left as it is).
      write: (text) => this.written.fire(text.replace(/\r?\n/g, '\r\n')),
      onEnd: (why) => log(`logs of ${follow.id.slice(0, 12)} no longer followed: ${why}`),
    });
    this.follower.start();
  }

  close(): void {
    this.follower?.dispose();
  }

  handleInput(): void {
    // Read-only: keystrokes go nowhere (the terminal's find still works).
  }
}
