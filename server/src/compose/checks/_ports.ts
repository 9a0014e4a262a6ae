/** Reading `ports` entries (short and long syntax) for the port checks. */

import { isIP, parsePortRange, parsePortSpec, type PortMapping } from '../ports';
import { get, itemsOf, stringValue } from '../tree';
import type { ComposeNode } from '../types';
import { detached } from '../detached';
import { MemoSlot } from '../memo';

export interface PortEntry {
  /** The list entry. */
  node: ComposeNode;
  /** The node to report at (the entry, or its `published` field). */
  at: ComposeNode;
  /** The parsed mapping, or why it is invalid; undefined when not known (variables without a value). */
  mapping?: PortMapping;
  error?: string;
  /** The node the error is about, for long-syntax fields. */
  errorAt?: ComposeNode;
}

function known(node: ComposeNode | undefined): boolean {
  return !(node?.kind === 'scalar' && node.unresolved);
}

const cache = new MemoSlot<readonly PortEntry[]>();
const NO_ENTRIES: readonly PortEntry[] = [];

/** Every entry of a service's `ports`, parsed (once per service node). */
export function portEntries(service: ComposeNode | undefined): readonly PortEntry[] {
  if (!service) return NO_ENTRIES;
  let cached = cache.get(service);
  if (!cached) {
    cached = readPortEntries(service);
    cache.set(service, cached);
  }
  return cached;
}

/**
 * Short-syntax entries parsed before, by text: the edited service's ports are
 * read again after every keystroke, written as they were. Shared: not to be
 * changed. Bounded: forgotten all at once past `SPECS_KEPT`.
 */
const parsedSpecs = new Map<string, ReturnType<typeof parsePortSpec>>();
const SPECS_KEPT = 4096;

function portSpec(text: string): ReturnType<typeof parsePortSpec> {
  let parsed = parsedSpecs.get(text);
  if (parsed === undefined) {
    // Kept past this version: key and parts must not point into its text.
    const own = detached(text);
    parsed = parsePortSpec(own);
    if (parsedSpecs.size >= SPECS_KEPT) parsedSpecs.clear();
    parsedSpecs.set(own, parsed);
  }
  return parsed;
}

function readPortEntries(service: ComposeNode): readonly PortEntry[] {
  const entries: PortEntry[] = [];
  for (const item of itemsOf(get(service, 'ports'))) {
    if (item.kind === 'scalar') {
      const text = stringValue(item);
      if (text === undefined || !known(item)) {
        entries.push({ node: item, at: item });
        continue;
      }
      const parsed = portSpec(text);
      entries.push(parsed.ok ? { node: item, at: item, mapping: parsed.mapping } : { node: item, at: item, error: parsed.error, errorAt: item });
      continue;
    }
    if (item.kind !== 'map') continue;
    const targetNode = get(item, 'target');
    const publishedNode = get(item, 'published');
    const hostIpNode = get(item, 'host_ip');
    const protocolNode = get(item, 'protocol');
    if (![targetNode, publishedNode, hostIpNode, protocolNode].every(known)) {
      entries.push({ node: item, at: publishedNode ?? item });
      continue;
    }
    const target = stringValue(targetNode);
    const published = stringValue(publishedNode);
    const hostIp = stringValue(hostIpNode) ?? '';
    const protocol = (stringValue(protocolNode) ?? 'tcp').toLowerCase();
    const fail = (error: string, node: ComposeNode | undefined) => entries.push({ node: item, at: publishedNode ?? item, error, errorAt: node ?? item });
    if (target === undefined) continue; // a missing target is the schema's business
    const container = parsePortRange(target);
    if (typeof container === 'string' || container.start !== container.end) {
      fail(typeof container === 'string' ? `invalid target port: ${container}` : `target "${target}" must be a single port`, targetNode);
      continue;
    }
    if (hostIp !== '' && !isIP(hostIp.replace(/^\[(.*)\]$/, '$1'))) {
      fail(`invalid host_ip "${hostIp}"`, hostIpNode);
      continue;
    }
    if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') {
      fail(`invalid protocol "${stringValue(protocolNode)}" (tcp, udp or sctp)`, protocolNode);
      continue;
    }
    let host: PortMapping['host'];
    if (published !== undefined && published !== '') {
      const range = parsePortRange(published);
      if (typeof range === 'string') {
        fail(`invalid published port: ${range}`, publishedNode);
        continue;
      }
      host = range;
    }
    entries.push({ node: item, at: publishedNode ?? item, mapping: { hostIp: hostIp.replace(/^\[(.*)\]$/, '$1'), host, container, protocol } });
  }
  // Kept per service node: a list of its exact length (one grown by `push` keeps room to spare).
  return entries.length === 0 ? NO_ENTRIES : entries.slice();
}
