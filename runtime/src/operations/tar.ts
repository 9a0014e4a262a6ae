// Tar archives as the Engine API speaks them (build contexts, the container
// archive API, image save/load): a streaming writer of ustar headers, with a
// pax extended header for what ustar cannot hold (long or non-ASCII names and
// link targets, sizes of 8 GiB and more), and a streaming reader that also
// understands pax and GNU long names, which engines write.
import type { Readable } from 'node:stream';

const BLOCK = 512;
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Path inside the archive, `/`-separated; directories without a trailing slash. */
  name: string;
  type: TarEntryType;
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  uid?: number;
  gid?: number;
  linkTarget?: string;
}

const TYPE_FLAG: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', directory: '5', other: '0' };
const USTAR_NAME = 100;
const USTAR_PREFIX = 155;
/** The largest size 11 octal digits hold. */
const USTAR_MAX_SIZE = 0o77777777777;

function writeString(block: Buffer, text: string, offset: number, length: number): void {
  block.write(text, offset, length, 'utf8');
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  writeString(block, Math.max(0, Math.floor(value)).toString(8).padStart(length - 1, '0').slice(-(length - 1)), offset, length - 1);
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** Splits a long name into ustar's prefix and name fields, when it can. */
function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= USTAR_NAME) return { prefix: '', name };
  for (let slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
    if (slash <= USTAR_PREFIX && name.length - slash - 1 <= USTAR_NAME && slash > 0) return { prefix: name.slice(0, slash), name: name.slice(slash + 1) };
  }
  return undefined;
}

function headerBlock(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeFlag: string; linkName: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, fields.name, 0, USTAR_NAME);
  writeOctal(block, fields.mode & 0o7777, 100, 8);
  writeOctal(block, fields.uid, 108, 8);
  writeOctal(block, fields.gid, 116, 8);
  writeOctal(block, fields.size, 124, 12);
  writeOctal(block, fields.mtime, 136, 12);
  block.fill(' ', 148, 156); // the checksum counts its own field as spaces
  writeString(block, fields.typeFlag, 156, 1);
  writeString(block, fields.linkName, 157, 100);
  writeString(block, 'ustar\u000000', 257, 8);
  writeString(block, fields.prefix, 345, USTAR_PREFIX);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, `${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

/** A pax record: `<length> <key>=<value>\n`, where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  let digits = String(length).length;
  while (String(length + digits).length !== digits) digits++;
  length += digits;
  return `${length}${body}`;
}

/** The header blocks of one entry (a pax header first when ustar cannot hold it). */
export function tarHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' ? `${entry.name.replace(/\/+$/, '')}/` : entry.name;
  const linkName = entry.linkTarget ?? '';
  const size = entry.type === 'file' ? entry.size : 0;
  const split = splitUstarName(name);
  const linkFits = isAscii(linkName) && linkName.length <= 100;
  const sizeFits = size <= USTAR_MAX_SIZE;
  const mtime = Math.floor(entry.mtime / 1000);
  const main = headerBlock({
    name: split ? split.name : name.slice(0, USTAR_NAME).replace(/[^\x20-\x7e]/g, '_'),
    prefix: split ? split.prefix : '',
    mode: entry.mode,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    size: sizeFits ? size : 0,
    mtime,
    typeFlag: TYPE_FLAG[entry.type],
    linkName: linkFits ? linkName : '',
  });
  if (split && linkFits && sizeFits) return main;
  let records = '';
  if (!split) records += paxRecord('path', name);
  if (!linkFits) records += paxRecord('linkpath', linkName);
  if (!sizeFits) records += paxRecord('size', String(size));
  const body = Buffer.from(records, 'utf8');
  const pax = headerBlock({ name: 'PaxHeaders/entry', prefix: '', mode: 0o644, uid: 0, gid: 0, size: body.length, mtime, typeFlag: 'x', linkName: '' });
  return Buffer.concat([pax, body, padding(body.length), main]);
}

/** Zero bytes filling the last block of `size` bytes of data. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** A whole small archive in memory (container.files.write, mkdir). */
export function tarOf(entries: { entry: TarEntry; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { entry, data } of entries) {
    parts.push(tarHeader({ ...entry, size: data?.length ?? 0 }));
    if (data) parts.push(data, padding(data.length));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end < 0 || end > offset + length ? offset + length : end);
}

function readNumber(block: Buffer, offset: number, length: number): number {
  if (block[offset]! & 0x80) {
    // GNU base-256: big-endian, first byte's high bit set.
    let value = block[offset]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i]!;
    return value;
  }
  const text = readString(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(data.toString('utf8', at, space), 10);
    if (!(length > 0)) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return records;
}

const ENTRY_TYPE: Record<string, TarEntryType> = { '0': 'file', '\u0000': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '5': 'directory' };

export class TarFormatError extends Error {}

/**
 * Reads an archive entry by entry. `onEntry` decides per entry whether its
 * data is wanted (answering true gets it as one Buffer through `onData`);
 * unwanted data is skipped as it streams by, so listing a large tree holds
 * only headers. Resolves once the archive (or the source) ends.
 */
export async function readTar(source: Readable | AsyncIterable<Buffer>, onEntry: (entry: TarEntry) => boolean, onData: (entry: TarEntry, data: Buffer) => void = () => undefined): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let state: 'header' | 'data' = 'header';
  let current: TarEntry | undefined;
  let currentType = '';
  let remaining = 0;
  let paddingLeft = 0;
  let wanted = false;
  let chunks: Buffer[] = [];
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let ended = false;

  const finishData = () => {
    const data = Buffer.concat(chunks);
    chunks = [];
    if (currentType === 'x') pax = parsePax(data);
    else if (currentType === 'g') globalPax = { ...globalPax, ...parsePax(data) };
    else if (currentType === 'L') longName = readString(data, 0, data.length);
    else if (currentType === 'K') longLink = readString(data, 0, data.length);
    else if (wanted && current) onData(current, data);
  };

  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (ended) continue;
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (state === 'data') {
        if (remaining > 0) {
          const take = Math.min(remaining, pending.length);
          if (take === 0) break;
          if (wanted || currentType !== 'entry') chunks.push(pending.subarray(0, take));
          pending = pending.subarray(take);
          remaining -= take;
          if (remaining > 0) break;
        }
        const skip = Math.min(paddingLeft, pending.length);
        pending = pending.subarray(skip);
        paddingLeft -= skip;
        if (paddingLeft > 0) break;
        finishData();
        state = 'header';
      }
      if (pending.length < BLOCK) break;
      const block = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (block.every((byte) => byte === 0)) {
        ended = true;
        break;
      }
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
      if (sum !== readNumber(block, 148, 8)) throw new TarFormatError('not a tar archive (a header checksum does not match)');
      const typeFlag = String.fromCharCode(block[156]!);
      const size = readNumber(block, 124, 12);
      remaining = size;
      paddingLeft = padding(size).length;
      state = 'data';
      if (typeFlag === 'x' || typeFlag === 'g' || typeFlag === 'L' || typeFlag === 'K') {
        currentType = typeFlag;
        current = undefined;
        wanted = true;
        continue;
      }
      const fields = { ...globalPax, ...pax };
      const magic = readString(block, 257, 6);
      const prefix = magic === 'ustar' ? readString(block, 345, USTAR_PREFIX) : '';
      const rawName = longName ?? fields.path ?? (prefix ? `${prefix}/${readString(block, 0, USTAR_NAME)}` : readString(block, 0, USTAR_NAME));
      const type = ENTRY_TYPE[typeFlag] ?? 'other';
      current = {
        name: rawName.replace(/\/+$/, ''),
        type,
        mode: readNumber(block, 100, 8) & 0o7777,
        size: fields.size !== undefined ? Number(fields.size) : size,
        mtime: (fields.mtime !== undefined ? Number(fields.mtime) : readNumber(block, 136, 12)) * 1000,
        uid: readNumber(block, 108, 8),
        gid: readNumber(block, 116, 8),
        ...(type === 'symlink' || type === 'hardlink' ? { linkTarget: longLink ?? fields.linkpath ?? readString(block, 157, 100) } : {}),
      };
      if (fields.size !== undefined) {
        remaining = current.size;
        paddingLeft = padding(current.size).length;
      }
      pax = {};
      longName = undefined;
      longLink = undefined;
      currentType = 'entry';
      wanted = onEntry(current);
    }
  }
  if (!ended && (state === 'data' || pending.length > 0)) throw new TarFormatError('the archive ends in the middle of an entry');
}
