// What every operation module shares: finding the engine a request names,
// and turning the engine's refusals into JSON-RPC errors.
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../engine/engine';
import { EngineRequestError } from '../engine/httpClient';
import { RuntimeErrorCode } from '../protocol/types';
import { RpcError } from '../server/rpcServer';

export type EngineLookup = (method: string, requested: string | undefined) => Engine;

/**
 * Engine failures become JSON-RPC errors carrying the engine's own message and
 * status, named by the operation (`image.tag: No such image: app`), not by the
 * HTTP request with its escaped query.
 */
export async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EngineRequestError) throw new RpcError(RuntimeErrorCode.EngineError, `${method}: ${error.engineMessage ?? error.message}`, error.status === undefined ? undefined : { status: error.status });
    throw error;
  }
}

export const invalid = (message: string) => new RpcError(RuntimeErrorCode.InvalidParams, message);

/** The message of an engine's refusal (HTTP 4xx/5xx): the body's `message`, else its text, else the status. */
export async function refusalMessage(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // Not every engine error body is JSON.
  }
  return message || `HTTP ${response.statusCode ?? 500}`;
}

/** A response the caller reads itself (a tar, a progress stream), or the engine's refusal thrown with its message. */
export async function accepted(method: string, response: IncomingMessage): Promise<IncomingMessage> {
  const status = response.statusCode ?? 500;
  if (status < 400) return response;
  throw new RpcError(RuntimeErrorCode.EngineError, `${method}: ${await refusalMessage(response)}`, { status });
}

/** An absolute path, else an error naming the param. */
export function absolutePath(method: string, name: string, value: string): string {
  if (!value.startsWith('/') || value.includes('\0')) throw invalid(`${method}: param "${name}" must be an absolute path, got "${value}"`);
  return value;
}
