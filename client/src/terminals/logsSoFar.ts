import type { RuntimeConnection } from '../../../runtime/src/protocol/connection';
import { followStream } from '../runtime/daemonCalls';

/** Colour and cursor sequences (CSI), titles and links (OSC), and other two-byte escapes. */
const ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Log text for a document rather than a terminal: escape sequences removed, a TTY's \r\n made \n. */
export function plainLogText(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(/\r\n/g, '\n');
}

/** A container's logs up to now (not following), as plain text; throws when the stream does not finish. */
export async function logsSoFar(connection: RuntimeConnection, engine: string | undefined, id: string, timestamps: boolean): Promise<string> {
  let text = '';
  const outcome = await followStream(connection, () => connection.request('container.logs', { engine, id, follow: false, timestamps }), (chunk) => (text += chunk));
  if (outcome.reason !== 'ended') throw new Error(`the logs stream ${outcome.reason}${outcome.message ? `: ${outcome.message}` : ''}`);
  return plainLogText(text);
}
