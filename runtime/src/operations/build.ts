// image.build: the context folder as a tar honouring .dockerignore, sent to
// the engine's builder, its progress streamed as text lines, and a failure
// mapped back to the Dockerfile line of the instruction that failed.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import { pipeline } from 'node:stream';
import { readParams } from '../server/params';
import type { RpcServer } from '../server/rpcServer';
import type { ProgressStreams } from '../streams/streams';
import { buildContextTar } from './buildContext';
import { lineOfStep, readStep, type BuildStep } from './buildSteps';
import { call, invalid, type EngineLookup } from './engineCall';
import { JsonProgress, progressSource } from './progress';

export function registerBuild(rpc: RpcServer, engineFor: EngineLookup, progress: ProgressStreams): void {
  rpc.handle('image.build', async (params, client) => {
    const method = 'image.build';
    const p = readParams(method, params, {
      engine: 'string?',
      context: 'string',
      dockerfile: 'string?',
      tags: 'string[]?',
      buildArgs: 'record?',
      target: 'string?',
      labels: 'record?',
      noCache: 'boolean?',
      network: 'string?',
    });
    if (!isAbsolute(p.context)) throw invalid(`${method}: param "context" must be an absolute folder, got "${p.context}"`);
    const contextStats = await stat(p.context).catch(() => undefined);
    if (!contextStats?.isDirectory()) throw invalid(`${method}: param "context": no folder at ${p.context}`);
    const dockerfile = posix.normalize((p.dockerfile ?? 'Dockerfile').replace(/\\/g, '/'));
    if (dockerfile.startsWith('../') || dockerfile === '..' || posix.isAbsolute(dockerfile)) throw invalid(`${method}: param "dockerfile" must be a path inside the context, got "${p.dockerfile}"`);
    const dockerfileText = await readFile(join(p.context, dockerfile), 'utf8').catch(() => undefined);
    if (dockerfileText === undefined) throw invalid(`${method}: param "dockerfile": no file ${dockerfile} in ${p.context}`);
    const badTag = p.tags?.find((tag) => !/^[a-z0-9][a-z0-9._\-/:]*(:[\w][\w.-]{0,127})?$/.test(tag));
    if (badTag !== undefined) throw invalid(`${method}: param "tags": "${badTag}" is not a valid image name (lowercase name[:tag])`);

    const engine = engineFor(method, p.engine);
    // forcerm: a failed step's container is removed too; the editor shows the failing line, and nothing is left behind.
    const query = new URLSearchParams({ dockerfile, rm: '1', forcerm: '1' });
    for (const tag of p.tags ?? []) query.append('t', tag);
    if (p.buildArgs) query.set('buildargs', JSON.stringify(p.buildArgs));
    if (p.labels) query.set('labels', JSON.stringify(p.labels));
    if (p.target) query.set('target', p.target);
    if (p.noCache) query.set('nocache', '1');
    // RUN steps' network, as `docker build --network` (`none`, `host`, a network name).
    if (p.network) query.set('networkmode', p.network);
    const tar = await buildContextTar({ context: p.context, dockerfile });
    // A file the daemon cannot read fails the upload; say which, rather than how the connection ended.
    let unreadable: Error | undefined;
    tar.once('error', (error) => (unreadable = error));
    const sent = await call(method, () => engine.client.send('POST', `/build?${query}`, tar, { 'Content-Type': 'application/x-tar' })).catch((error: unknown) => {
      throw unreadable ? invalid(`${method}: cannot read the build context: ${unreadable.message}`) : error;
    });
    const response = await progressSource(sent);

    let step: BuildStep | undefined;
    let builtId: string | undefined;
    const text = new JsonProgress((message) => {
      const found = message.stream ? readStep(message.stream) : undefined;
      if (found) step = found;
      const built = message.stream ? /^Successfully built ([0-9a-f]+)/m.exec(message.stream) : null;
      if (built) builtId = built[1];
    });
    // Destroying the text (the stream closed, its client gone) cuts the request: the engine cancels the build.
    pipeline(response, text, () => undefined);
    return progress.open(client, 'build', engine, text, (clean) => {
      if (text.error !== undefined || !clean) {
        const line = step === undefined ? undefined : lineOfStep(dockerfileText, step);
        return { reason: 'failed', error: text.error ?? 'the build stopped before it finished', ...(line !== undefined ? { line } : {}) };
      }
      const imageId = text.auxId ?? builtId;
      return imageId ? { reason: 'completed', imageId } : { reason: 'failed', error: 'the engine did not say which image it built' };
    });
  });
}
