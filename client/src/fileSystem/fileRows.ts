import { posix } from 'node:path';

/**
 * What the Containers view's Files rows are made of, without VS Code: their
 * ids, paths, order and the text of a folder that could not be listed, so
 * they are tested in plain Node.
 */

/** One entry of a listed folder: its name, and whether it opens as a folder (a symlink to a folder does). */
export interface FolderEntry {
  name: string;
  folder: boolean;
}

/**
 * The id of a Files row: the same for the same path of the same container on
 * every redraw, so VS Code keeps an expanded folder expanded (and asks nothing
 * again) when the container's row is redrawn with new figures each second.
 */
export function fileRowId(engine: string, containerId: string, path: string): string {
  return `files:${engine}/${containerId}:${path}`;
}

/** The id of the row saying why the folder at `path` could not be listed (never a file row's id: those start `files:`). */
export function listingFailureRowId(engine: string, containerId: string, path: string): string {
  return `error:${fileRowId(engine, containerId, path)}`;
}

/** The id of the row standing in for the entries of the folder at `path` while it is being listed. */
export function listingRowId(engine: string, containerId: string, path: string): string {
  return `listing:${fileRowId(engine, containerId, path)}`;
}

/** The path of `name` inside `folder` (both as the container sees them). */
export function childPath(folder: string, name: string): string {
  return posix.join(folder, name);
}

/** The folder holding `path`; undefined for the root, which the Files row itself stands for. */
export function parentFolder(path: string): string | undefined {
  return path === '/' ? undefined : posix.dirname(path);
}

/** Folders first, then by name as a person reads them (case aside, numbers by value), as file explorers list. */
export function sortFolderEntries<T extends FolderEntry>(entries: readonly T[]): T[] {
  const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return [...entries].sort((a, b) => Number(b.folder) - Number(a.folder) || byName.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why a folder's listing failed, as the file system reported it (`code`: VS Code's FileSystemError code). */
export interface ListingFailure {
  code?: string;
  message: string;
}

/** The one row shown in place of a folder's entries when listing it failed: what went wrong, in a user's words. */
export function listingFailureText(path: string, failure: ListingFailure): string {
  const reason = (() => {
    switch (failure.code) {
      case 'NoPermissions':
        return 'permission denied';
      case 'FileNotFound':
        return 'it no longer exists';
      case 'FileNotADirectory':
        return 'it is not a folder';
      default:
        // The daemon's messages start with the method's name, which says nothing to a user.
        return failure.message.replace(/^container\.files\.\w+: /, '').trim() || 'the daemon gave no reason';
    }
  })();
  return `Cannot list ${path}: ${reason}`;
}
