// image.pull and image.push (progress streams), image.save (to a file,
// written atomically) and image.load (from a file).
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipe } from 'node:stream';
import { readParams } from '../server/params';
import { RuntimeErrorCode } from '../protocol/types';
import { RpcError, type RpcServer } from '../server/rpcServer';
import type { ProgressStreams } from '../streams/streams';
import { absolutePath, accepted, call, invalid, type EngineLookup } from './engineCall';
import { JsonProgress, progressSource } from './progress';
import { registryAuthHeader, registryOf } from './registryAuth';

/** `name[:tag]` or `name@digest` split as the Engine API wants it. */
export function splitReference(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref };
}

/**
 * The engine's error, naming the registry when it does not already: a
 * registry's own refusals ("unauthorized: authentication required") do not
 * say which registry refused.
 */
function withRegistry(error: string, name: string): string {
  const registry = registryOf(name).startsWith('https://index.docker.io/') ? 'docker.io' : registryOf(name);
  return error.includes(registry) ? error : `${error} (registry ${registry})`;
}

const REFERENCE = /^[a-z0-9]+([._-]+[a-z0-9]+|[.:/][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;

function checkReference(method: string, ref: string): void {
  if (!REFERENCE.test(ref)) throw invalid(`${method}: param "ref" "${ref}" is not an image reference (name[:tag] or name@sha256:…, lowercase)`);
}

export function registerImageTransfers(rpc: RpcServer, engineFor: EngineLookup, progress: ProgressStreams): void {
  for (const direction of ['pull', 'push'] as const) {
    const method = `image.${direction}`;
    rpc.handle(method, async (params, client) => {
      const p = readParams(method, params, { engine: 'string?', ref: 'string' });
      checkReference(method, p.ref);
      const engine = engineFor(method, p.engine);
      const split = splitReference(p.ref);
      const { name, digest } = split;
      // Without a tag the Engine API pulls or pushes every tag of the repository; the CLI means `latest`.
      const tag = split.tag ?? (digest ? undefined : 'latest');
      const headers = { 'X-Registry-Auth': await registryAuthHeader(name) };
      const path =
        direction === 'pull'
          ? `/images/create?${new URLSearchParams({ fromImage: digest ? p.ref : name, ...(tag ? { tag } : {}) })}`
          : `/images/${encodeURIComponent(name)}/push${tag ? `?tag=${encodeURIComponent(tag)}` : ''}`;
      const response = await progressSource(await call(method, () => engine.client.send('POST', path, undefined, headers)));
      const text = new JsonProgress();
      pipe(response, text, () => undefined);
      return progress.open(client, direction, engine, text, (clean) =>
        text.error !== undefined || !clean ? { reason: 'failed', error: text.error !== undefined ? withRegistry(text.error, name) : `the ${direction} stopped before it finished` } : { reason: 'completed' },
      );
    });
  }

  rpc.handle('image.save', async (params) => {
    const method = 'image.save';
    const p = readParams(method, params, { engine: 'string?', refs: 'string[]', path: 'string' });
    if (p.refs.length === 0) throw invalid(`${method}: param "refs" must name at least one image`);
    const target = absolutePath(method, 'path', p.path);
    const folder = await stat(dirname(target)).catch(() => undefined);
    if (!folder?.isDirectory()) throw invalid(`${method}: param "path": no folder ${dirname(target)} to write into`);
    const engine = engineFor(method, p.engine);
    const query = new URLSearchParams();
    for (const ref of p.refs) query.append('names', ref);
    const response = await call(method, async () => accepted(method, await engine.client.send('GET', `/images/get?${query}`)));
    // Written beside the target and renamed over it, so the path never holds half an archive.
    const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.part`);
    try {
      await pipeline(response, createWriteStream(temporary, { mode: 0o644 }));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw invalid(`${method}: could not write ${target}: ${(error as Error).message}`);
    }
    return { path: target, bytes: (await stat(target)).size };
  });

  rpc.handle('image.load', async (params) => {
    const method = 'image.load';
    const p = readParams(method, params, { engine: 'string?', path: 'string' });
    const source = absolutePath(method, 'path', p.path);
    const file = await stat(source).catch(() => undefined);
    if (!file?.isFile()) throw invalid(`${method}: param "path": no file at ${source}`);
    const engine = engineFor(method, p.engine);
    const response = await call(method, async () => accepted(method, await engine.client.send('POST', '/images/load?quiet=1', createReadStream(source), { 'Content-Type': 'application/x-tar' })));
    const images: string[] = [];
    const text = new JsonProgress((message) => {
      for (const found of (message.stream ?? '').matchAll(/^Loaded image(?: ID)?: (\S+)/gm)) images.push(found[1]!);
    });
    text.resume();
    await pipeline(response, text);
    if (text.error !== undefined) throw new RpcError(RuntimeErrorCode.EngineError, `${method}: the engine could not load ${source}: ${text.error}`);
    return { images };
  });
}
