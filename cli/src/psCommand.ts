import { join } from 'node:path';
import { connectToDaemon } from '../../runtime/src/protocol/launcher';
import type { RuntimeConnection } from '../../runtime/src/protocol/connection';
import type { ContainerSummary, EngineInfo } from '../../runtime/src/protocol/types';

/** A daemon just started is still connecting to its engines: wait until each is ready or unreachable. */
async function engineSettled(connection: RuntimeConnection, timeoutMs = 10_000): Promise<void> {
  const settled = (engines: EngineInfo[]) => engines.every((engine) => engine.health.state !== 'connecting');
  if (settled(await connection.request('engines.list', {}))) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    const stop = connection.onNotification('engines.changed', (engines) => settled(engines) && finish());
    function finish() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}
import { UsageError } from './usage';

export const PS_USAGE = `usage: berth ps [-a|--all] [--format table|json] [--engine NAME]

Lists containers through the Berth daemon (started if none runs), as the
editor sees them. Without --all, only running containers.`;

function age(iso: string): string {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  const [value, unit] = seconds < 120 ? [seconds, 'second'] : seconds < 7200 ? [seconds / 60, 'minute'] : seconds < 172_800 ? [seconds / 3600, 'hour'] : [seconds / 86_400, 'day'];
  const rounded = Math.floor(value);
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'} ago`;
}

function ports(container: ContainerSummary): string {
  return container.ports.map((port) => (port.publicPort ? `${port.ip ?? ''}:${port.publicPort}->${port.privatePort}/${port.type}` : `${port.privatePort}/${port.type}`)).join(', ');
}

export function formatTable(containers: ContainerSummary[]): string {
  const rows = [['CONTAINER ID', 'IMAGE', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], ...containers.map((c) => [c.id.slice(0, 12), c.image, age(c.created), c.status, ports(c), c.name])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('   ')).join('\n') + '\n';
}

export async function runPs(args: string[]): Promise<number> {
  let all = false;
  let format: 'table' | 'json' = 'table';
  let engine: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(PS_USAGE + '\n');
      return 0;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`, PS_USAGE);
      return next;
    };
    if (flag === '-a' || flag === '--all') all = true;
    else if (flag === '--format') {
      const requested = value();
      if (requested !== 'table' && requested !== 'json') throw new UsageError(`--format "${requested}": expected table or json`, PS_USAGE);
      format = requested;
    } else if (flag === '--engine') engine = value();
    else throw new UsageError(`unknown option "${arg}" for berth ps`, PS_USAGE);
  }
  // The daemon bundle sits beside this one in out/.
  const connection = await connectToDaemon(join(__dirname, '..', 'runtime', 'daemon.js'), () => undefined);
  try {
    await engineSettled(connection);
    const containers = await connection.request('containers.list', { all, ...(engine ? { engine } : {}) });
    containers.sort((a, b) => b.created.localeCompare(a.created));
    process.stdout.write(format === 'json' ? JSON.stringify(containers, null, 2) + '\n' : formatTable(containers));
    return 0;
  } catch (error) {
    process.stderr.write(`berth ps: ${(error as Error).message}\n`);
    return 1;
  } finally {
    connection.close();
  }
}
