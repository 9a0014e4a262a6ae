import type { EngineInfo } from '../../../runtime/src/protocol/types';

/**
 * Which engines the views show and how an engine is described, and the
 * checks on what a user types to add one: no VS Code here, so it is tested
 * in plain Node.
 */

/** The engines that become roots of the views, or undefined when the views show the active engine's objects alone. */
export function engineRoots(engines: readonly EngineInfo[], showAll: boolean): readonly EngineInfo[] | undefined {
  return showAll && engines.length > 1 ? engines : undefined;
}

/** Which engine answers, e.g. `Podman 4.3.1` or `Docker 20.10.24`; undefined until it is ready. */
export function engineProductText(engine: EngineInfo): string | undefined {
  if (engine.health.state !== 'ready') return undefined;
  // A daemon from before `product` existed (same protocol) still runs until its clients leave; it only served Docker's name.
  return `${engine.health.product ?? 'Docker'} ${engine.health.version}`;
}

/** One line on an engine's health, with the reason when it cannot be reached. */
export function engineHealthText(engine: EngineInfo): string {
  switch (engine.health.state) {
    case 'ready':
      return `ready · ${engineProductText(engine)} (API ${engine.health.apiVersion})`;
    case 'connecting':
      return 'connecting…';
    case 'unreachable':
      return `unreachable: ${engine.health.reason}`;
  }
}

/** `when`-clause value of an engine row: health, then whether the user added it (removable) and whether it is the active one. */
export function engineContextValue(engine: EngineInfo, active: boolean): string {
  return `engine.${engine.health.state}${engine.added ? '.added' : ''}${active ? '.active' : ''}`;
}

export type EngineAddress = { url: string; transport: 'ssh' | 'tcp' | 'unix' } | { error: string };

/**
 * What a user typed as an engine's address: `ssh://[user@]host[:port]`,
 * `tcp://host:port` or `unix:///path`; `user@host` alone is taken as ssh.
 * The error says what is wrong with the text.
 */
export function parseEngineAddress(text: string): EngineAddress {
  const input = text.trim();
  if (!input) return { error: 'Type an address such as ssh://user@host or tcp://host:2376.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : /^[^\s/@]+@[^\s/]+$/.test(input) ? `ssh://${input}` : undefined;
  if (!withScheme) return { error: `"${input}" has no scheme: start it with ssh://, tcp:// or unix://.` };
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { error: `"${input}" is not an address.` };
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'unix') {
    if (!url.pathname || url.pathname === '/') return { error: 'A unix:// address needs the socket path, e.g. unix:///var/run/docker.sock.' };
    return { url: `unix://${url.pathname}`, transport: 'unix' };
  }
  if (scheme !== 'ssh' && scheme !== 'tcp') return { error: `Scheme "${scheme}://" is not one Berth can reach: use ssh://, tcp:// or unix://.` };
  if (!url.hostname) return { error: `"${input}" names no host.` };
  if (url.pathname && url.pathname !== '/') return { error: `"${input}" has a path (${url.pathname}); an engine address ends after the host and port.` };
  if (scheme === 'tcp') {
    if (!url.port) return { error: `tcp://${url.hostname} needs a port, e.g. tcp://${url.hostname}:2376.` };
    if (url.username) return { error: 'A tcp:// address takes no user name; TLS certificates identify you.' };
  }
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return { url: `${scheme}://${user}${url.host}`, transport: scheme };
}

/** A name a user typed for an engine (empty: the daemon derives one), or what is wrong with it. */
export function checkEngineName(name: string, taken: readonly EngineInfo[]): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(trimmed)) return 'Use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit.';
  if (taken.some((engine) => engine.id === trimmed)) return `An engine named "${trimmed}" exists already.`;
  return undefined;
}

/** The confirmation shown before removing an engine: what goes (Berth stops serving it) and what stays (its containers). */
export function engineRemovalQuestion(engine: EngineInfo, runningContainers: number | undefined): { message: string; detail: string } {
  const running =
    runningContainers === undefined ? '' : ` It has ${runningContainers} running container${runningContainers === 1 ? '' : 's'}; they keep running.`;
  return {
    message: `Remove engine "${engine.id}" (${engine.endpoint}) from Berth?`,
    detail: `Berth stops serving it and forgets it (also for other windows); open logs and terminals on it end. Nothing on the engine itself is removed.${running}`,
  };
}
