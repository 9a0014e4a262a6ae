import type { LanguageClient } from 'vscode-languageclient/node';
import type { ImageSummary } from '../../runtime/src/protocol/types';
import type { KnownImage } from '../../server/src/service/completion';
import type { RuntimeState } from './runtime/runtimeState';

/** What the language server is told about local images (for FROM completion and hover): its own type. */
export type { KnownImage };

export const KNOWN_IMAGES_NOTIFICATION = 'berth/knownImages';

/** One entry per repository and image, its tags together. */
export function toKnownImages(images: ImageSummary[]): KnownImage[] {
  const known = new Map<string, KnownImage>();
  for (const image of images) {
    for (const repoTag of image.repoTags) {
      const colon = repoTag.lastIndexOf(':');
      const repository = colon > repoTag.lastIndexOf('/') ? repoTag.slice(0, colon) : repoTag;
      const tag = colon > repoTag.lastIndexOf('/') ? repoTag.slice(colon + 1) : 'latest';
      const key = `${repository}\u0000${image.id}`;
      let entry = known.get(key);
      if (!entry) known.set(key, (entry = { repository, tags: [], id: image.id, size: image.size, created: image.created, exposedPorts: image.exposedPorts }));
      entry.tags.push(tag);
    }
  }
  return [...known.values()];
}

/**
 * Keeps the language server's list of local images current: sent again
 * whenever the images of the active engine change. The server works without it.
 */
export function feedKnownImages(state: RuntimeState, client: Promise<LanguageClient>, log: (line: string) => void): void {
  let sending = false;
  let again = false;
  const send = async () => {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    try {
      await (await client).sendNotification(KNOWN_IMAGES_NOTIFICATION, { images: toKnownImages(state.items('image')) });
    } catch (error) {
      log(`could not tell the language server about local images: ${(error as Error).message}`);
    } finally {
      sending = false;
      if (again) {
        again = false;
        void send();
      }
    }
  };
  state.onDidChangeKind((kind) => {
    if (kind === 'image') void send();
  });
}
