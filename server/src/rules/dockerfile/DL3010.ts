import type { Instruction, Token } from '../../dockerfile';
import { commandName, type UnwrappedCommand } from '../../shell';
import { perStage, type RuleContext } from '../context';
import type { Rule } from '../types';
import { argumentMeantAsFlagValue } from './_syntax';
import { isHeredocMarker } from './_words';

/** File name endings of the archives ADD unpacks (tar, possibly compressed), as hadolint lists them. */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];

export function isArchiveName(path: string): boolean {
  // Every extension ends in one of these letters: most paths are turned away by their last character.
  const last = path.charCodeAt(path.length - 1);
  if (last !== 0x72 && last !== 0x5a && last !== 0x32 && last !== 0x7a && last !== 0x61) return false;
  for (const extension of ARCHIVE_EXTENSIONS) if (path.endsWith(extension)) return true;
  return false;
}

function basename(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}

/** The source and destination words of a COPY or ADD; heredoc markers, and a word meant as a flag's missing value, are no sources. */
export function copySources(instruction: Instruction): { sources: Token[]; destination: Token | undefined } {
  const args = instruction.args;
  const destination = args.length > 1 ? args[args.length - 1] : undefined;
  const markers = new Set(instruction.heredocs.map((heredoc) => heredoc.marker.range.start));
  const meantAsFlagValue = argumentMeantAsFlagValue(instruction);
  const sources = args.slice(0, -1).filter((arg) => !markers.has(arg.range.start) && arg !== meantAsFlagValue);
  return { sources, destination };
}

const DECOMPRESSORS = new Set(['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat', 'xzcat', 'bzcat']);
const COMPRESSORS = new Set(['gzip', 'bzip2', 'xz', 'lzma', 'zstd']);

/** `tar -xzf a.tgz`, `tar --extract -f a.tar`, `tar xzf a.tgz`, `gunzip a.gz`, `xz -d a.xz`. */
function extracts(command: UnwrappedCommand): boolean {
  const name = commandName(command);
  if (name === undefined) return false;
  if (DECOMPRESSORS.has(name)) return true;
  const values = command.args.map((arg) => arg.value ?? '');
  if (COMPRESSORS.has(name)) return values.some((value) => value === '--decompress' || /^-[a-zA-Z]*d/.test(value));
  if (name !== 'tar') return false;
  if (values.some((value) => value === '--extract' || value === '--get' || /^-[a-zA-Z]*x/.test(value))) return true;
  // Old-style bundled options: `tar xzf archive.tgz`.
  return values[0] !== undefined && /^[a-zA-Z]*x[a-zA-Z]*$/.test(values[0]);
}

export const DL3010: Rule = {
  id: 'DL3010',
  source: 'hadolint',
  severity: 'info',
  summary: 'Use ADD for extracting archives into an image.',
  docs: `Copying a tar archive into the image and unpacking it in a later RUN leaves the archive in the COPY layer: the image carries both the archive and its contents, even if the RUN deletes it. \`ADD\` unpacks a local tar archive (plain, gzip, bzip2 or xz) straight into the destination directory in a single layer, so use \`ADD app.tar.gz /opt/app/\`. (For zip files, or an archive you only need during the build, a \`RUN --mount=type=bind\` mount avoids the extra layer too.)`,
  examples: {
    fire: [
      'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
      'FROM debian:12\nCOPY dist/release.txz /tmp/release.txz\nRUN cd /opt && tar xf /tmp/release.txz\n',
    ],
    pass: [
      'FROM debian:12\nADD app.tar.gz /opt/\n',
      'FROM debian:12\nCOPY app.tar.gz /srv/downloads/\n',
      'FROM debian:12 AS build\nCOPY app.tar.gz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/app.tar.gz\n',
      'FROM debian:12\nCOPY --from=builder /out/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n',
    ],
  },
  ...perStage({
    // Not a local rule: a COPY is reported for what a later RUN of its stage does. Facts spare unchanged RUNs a new parse.
    preamble: false,
    visit(instructions, _stage, context, report) {
      // Archive file name → the word that copied it in (source, or destination when that names the archive).
      let copied: Map<string, Token> | undefined;
      for (const instruction of instructions) {
        if (instruction.name === 'COPY') {
          // Cheaper than a fact: no copies made, and most COPYs are done with at their last word.
          if (!copiesArchive(instruction)) continue;
          copied ??= new Map();
          const { sources, destination } = copySources(instruction);
          if (destination && isArchiveName(destination.value)) {
            copied.set(basename(destination.value), destination);
            continue;
          }
          for (const source of sources) if (isArchiveName(source.value)) copied.set(basename(source.value), source);
        } else if (instruction.name === 'RUN' && copied !== undefined && copied.size > 0) {
          for (const name of extractedNames(context, instruction)) {
            const token = copied.get(name);
            if (!token) continue;
            copied.delete(name); // one finding per archive
            report({ range: token.range, message: `${name} is copied in and then unpacked by a RUN: ADD extracts local tar archives itself, in one layer` });
          }
        }
      }
    },
  }),
};

/** A COPY (not --from) whose destination or one of whose sources (heredoc markers aside) is an archive. */
function copiesArchive(instruction: Instruction): boolean {
  const args = instruction.args;
  if (args.length < 2) return false;
  for (const flag of instruction.flags) if (flag.name === 'from') return false;
  if (isArchiveName(args[args.length - 1]!.value)) return true;
  for (let i = 0; i < args.length - 1; i++) if (isArchiveName(args[i]!.value) && !isHeredocMarker(instruction, args[i]!)) return true;
  return false;
}

/** File names of the arguments of the RUN's extracting commands, in order (a fact, so unchanged RUNs are not parsed again). */
function extractedNames(context: RuleContext, instruction: Instruction): string[] {
  const names = context.fact(instruction, 'DL3010 extracted names', () => {
    const found: string[] = [];
    for (const { tool: command } of context.commandsOf(instruction)) {
      if (!extracts(command)) continue;
      for (const arg of command.args) if (arg.value !== undefined) found.push(basename(arg.value));
    }
    return JSON.stringify(found);
  });
  return JSON.parse(names) as string[];
}
