/**
 * What a user types when running an image, checked before anything is sent:
 * environment variables (`KEY=value`, separated by spaces; quotes keep spaces
 * in a value), volumes (`source:target[:ro|rw]`) and ports (`[ip:]host:container[/protocol]`).
 */
import type { PortRequest } from './ports';

/** Splits on spaces outside single or double quotes, dropping the quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started || current) words.push(current);
      current = '';
      started = false;
    } else current += char;
  }
  if (quote) throw new Error(`a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (started || current) words.push(current);
  return words;
}

/** `KEY=value` words; an error names the first word that is not one. */
export function parseEnvironment(text: string): string[] {
  const words = splitWords(text);
  const bad = words.find((word) => !/^[A-Za-z_][A-Za-z0-9_.-]*=/.test(word));
  if (bad !== undefined) throw new Error(`"${bad}" is not KEY=value (a name of letters, digits and _, then =)`);
  return words;
}

/** `source:target[:ro|rw]` words, the target absolute; an error names the first word that is not one. */
export function parseVolumes(text: string): string[] {
  const words = splitWords(text);
  for (const word of words) {
    const parts = word.split(':');
    const [source, target, mode] = parts;
    if (parts.length < 2 || parts.length > 3 || !source || !target) throw new Error(`"${word}" is not source:target[:ro] (a volume name or host path, then a path in the container)`);
    if (!target.startsWith('/')) throw new Error(`"${word}": the path in the container must be absolute (start with /)`);
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new Error(`"${word}": the mode must be ro or rw, not "${mode}"`);
  }
  return words;
}

/**
 * Ports as the Run Image box offers them, in `docker run -p` spelling:
 * `[ip:]hostPort:containerPort[/protocol]`, or `containerPort[/protocol]` for
 * a host port the engine picks.
 */
export function formatPorts(ports: readonly PortRequest[]): string {
  return ports.map((port) => (port.hostPort === 0 ? port.container : `${port.hostIp ? `${port.hostIp}:` : ''}${port.hostPort}:${port.container}`)).join(' ');
}

/** The words of a ports box; an error names the first word that is not a port mapping, and why. */
export function parsePorts(text: string): PortRequest[] {
  return splitWords(text).map((word) => {
    const match = /^(?:(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):)?(\d+):)?(\d+)(?:\/([a-z]+))?$/.exec(word);
    if (!match) throw new Error(`"${word}" is not [ip:]hostPort:containerPort[/tcp|udp|sctp] (or containerPort alone, for a port the engine picks)`);
    const [, ip, host, container, protocol = 'tcp'] = match;
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new Error(`"${word}": the protocol must be tcp, udp or sctp, not "${protocol}"`);
    const containerPort = Number(container);
    const hostPort = host === undefined ? 0 : Number(host);
    if (containerPort < 1 || containerPort > 65535) throw new Error(`"${word}": the container port must be between 1 and 65535`);
    if (hostPort > 65535) throw new Error(`"${word}": the host port must be between 1 and 65535 (0: the engine picks)`);
    if (ip && !ip.startsWith('[') && ip.split('.').some((part) => Number(part) > 255)) throw new Error(`"${word}": ${ip} is not an IPv4 address`);
    const request: PortRequest = { container: `${containerPort}/${protocol}`, hostPort };
    if (ip) request.hostIp = ip.replace(/^\[|\]$/g, '');
    return request;
  });
}
