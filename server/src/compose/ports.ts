/**
 * Port specifications as Docker reads them (`nat.ParsePortSpec`, which compose
 * uses for the short syntax of `ports` and for `expose`):
 * `[[ip:]hostPort[-end]:]containerPort[-end][/protocol]`, the IP possibly an
 * IPv6 address in brackets, ports 0-65535, protocol tcp (default), udp or sctp.
 * A host range with a single container port is a range to pick a free port
 * from; otherwise host and container ranges must have the same length.
 */

export interface PortRange {
  start: number;
  end: number;
}

export interface PortMapping {
  /** Host IP as written without brackets; '' when absent (all interfaces). */
  hostIp: string;
  /** Published host ports; undefined when not published (an ephemeral port). */
  host: PortRange | undefined;
  container: PortRange;
  protocol: string;
}

export type PortParse = { ok: true; mapping: PortMapping } | { ok: false; error: string };

function parseUint16(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 65535 ? value : undefined;
}

/** Docker's `ParsePortRange`: `N` or `N-M` (M >= N). */
export function parsePortRange(text: string): PortRange | string {
  if (text === '') return 'empty string specified for ports';
  if (!text.includes('-')) {
    const value = parseUint16(text);
    return value === undefined ? `"${text}" is not a port number from 0 to 65535` : { start: value, end: value };
  }
  const parts = text.split('-');
  const start = parseUint16(parts[0]!);
  const end = parseUint16(parts[1]!);
  if (start === undefined || end === undefined) return `"${text}" is not a port range (two numbers from 0 to 65535)`;
  if (end < start) return `range "${text}" runs backwards`;
  return { start, end };
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255);
}

/** What Go's net.ParseIP accepts (IPv4 dotted quads, IPv6 including embedded IPv4 and `::`). */
export function isIP(text: string): boolean {
  if (isIPv4(text)) return true;
  if (!text.includes(':') || text.includes('%')) return false;
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    body = body.slice(0, lastColon + 1) + '0:0';
  }
  const doubleColon = body.indexOf('::');
  if (doubleColon !== body.lastIndexOf('::')) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  if (doubleColon >= 0) {
    const left = body.slice(0, doubleColon);
    const right = body.slice(doubleColon + 2);
    const leftGroups = left === '' ? [] : left.split(':');
    const rightGroups = right === '' ? [] : right.split(':');
    if (![...leftGroups, ...rightGroups].every((group) => hex.test(group))) return false;
    return leftGroups.length + rightGroups.length <= 7;
  }
  const groups = body.split(':');
  return groups.length === 8 && groups.every((group) => hex.test(group));
}

/** Parses one short-syntax port (or `expose`) entry. */
export function parsePortSpec(spec: string): PortParse {
  const parts = spec.split(':');
  const n = parts.length;
  let rawContainer = parts[n - 1]!;
  let ip = '';
  let hostPort = '';
  if (n === 2) hostPort = parts[0]!;
  else if (n === 3) {
    ip = parts[0]!;
    hostPort = parts[1]!;
  } else if (n > 3) {
    ip = parts.slice(0, n - 2).join(':');
    hostPort = parts[n - 2]!;
  }
  // Docker's SplitProtoPort.
  let protocol = 'tcp';
  const slash = rawContainer.split('/');
  if (rawContainer === '' || slash[0] === '') rawContainer = '';
  else if (slash.length > 1) {
    protocol = slash[1] === '' ? 'tcp' : slash[1]!;
    rawContainer = slash[0]!;
  }
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']') || ip.indexOf(']') !== ip.length - 1) return { ok: false, error: `invalid IP address "${ip}"` };
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isIP(ip)) return { ok: false, error: `invalid IP address "${ip}"` };
  if (rawContainer === '') return { ok: false, error: 'no container port' };
  const container = parsePortRange(rawContainer);
  if (typeof container === 'string') return { ok: false, error: `invalid container port: ${container}` };
  let host: PortRange | undefined;
  if (hostPort !== '') {
    const parsed = parsePortRange(hostPort);
    if (typeof parsed === 'string') return { ok: false, error: `invalid host port: ${parsed}` };
    host = parsed;
    if (container.end - container.start !== host.end - host.start && container.end !== container.start) {
      return { ok: false, error: `host ports ${hostPort} and container ports ${rawContainer} are ranges of different lengths` };
    }
  }
  const lower = protocol.toLowerCase();
  if (lower !== 'tcp' && lower !== 'udp' && lower !== 'sctp') return { ok: false, error: `invalid protocol "${protocol}" (tcp, udp or sctp)` };
  return { ok: true, mapping: { hostIp: ip, host, container, protocol: lower } };
}

/** True for host IPs that mean every interface. */
export function isAnyAddress(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}
