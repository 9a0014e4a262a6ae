import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 256 random bits, hex encoded. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Decides whether an upgrade request may talk to the daemon. Returns the HTTP
 * status and reason to refuse with, or undefined to accept.
 * Browsers always send Origin, and DNS-rebinding attacks arrive with a foreign
 * Host, so both are refused before the token is even looked at.
 */
export function refusal(request: IncomingMessage, token: string): { status: 401 | 403; reason: string } | undefined {
  if (request.headers.origin !== undefined) return { status: 403, reason: 'requests from browsers (with an Origin header) are not accepted' };
  const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  // Over a unix socket there is no real host; ws sends "localhost".
  if (host !== '' && !LOCAL_HOSTS.has(host)) return { status: 403, reason: `host "${host}" is not a loopback name` };
  const header = request.headers.authorization ?? '';
  const match = /^Bearer ([0-9a-f]+)$/i.exec(header);
  if (!match || !sameToken(match[1]!, token)) return { status: 401, reason: 'missing or wrong bearer token' };
  return undefined;
}

function sameToken(offered: string, expected: string): boolean {
  const a = Buffer.from(offered.toLowerCase());
  const b = Buffer.from(expected.toLowerCase());
  // Length is not secret (always 64 hex digits); equal lengths keep the compare constant-time.
  return a.length === b.length && timingSafeEqual(a, b);
}
