import type { Token } from '../../dockerfile';
import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';
import { copySources, isArchiveName } from './DL3010';

/** What ADD does with a source that COPY cannot: fetch a URL or a git repository, unpack a local tar archive. */
function kind(value: string): 'remote' | 'archive' | 'file' {
  if (/^(?:https?|git|ssh):\/\//i.test(value) || /^[\w.-]+@[\w.-]+:/.test(value)) return 'remote';
  return isArchiveName(value) ? 'archive' : 'file';
}

/** Flags COPY accepts too; ADD-only flags (--checksum, --keep-git-dir, --unpack) rule the quick fix out. */
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);

export const DL3020: Rule = {
  id: 'DL3020',
  source: 'hadolint',
  severity: 'error',
  summary: 'Use COPY instead of ADD for files and folders.',
  docs: `\`ADD\` does more than copy: it downloads URLs and unpacks local tar archives. For plain files and folders use \`COPY\`, which does exactly what it says, so a reader (and a later change that renames a file to \`.tar.gz\`) cannot be surprised. Keep \`ADD\` for what only it does: remote URLs, git repositories and archives you want extracted. Sources given by variables whose value is unknown are not reported.`,
  examples: {
    fire: ['FROM debian:12\nADD app.py requirements.txt /app/\n', 'FROM debian:12\nADD --chown=app:app config/ /etc/app/\n'],
    pass: [
      'FROM debian:12\nCOPY app.py requirements.txt /app/\n',
      'FROM debian:12\nADD rootfs.tar.xz /\nADD https://example.com/tool-1.0.tar.gz /tmp/\nADD git@github.com:acme/lib.git /src/lib\n',
      'FROM debian:12\nADD $SOURCE /app/\n',
      // `app` is --chown's missing value (invalid-flag-value), not a local source.
      'FROM debian:12\nADD --chown app https://example.com/tool-1.0.tar.gz /tmp/\n',
    ],
  },
  ...perInstruction({
    names: ['ADD'],
    triggers: true,
    visit(instruction, context, report) {
      const { sources } = copySources(instruction);
      const kinds = sources.map((source: Token) => {
        const value = context.model.expand(source.value, instruction).value;
        return value === undefined ? 'unknown' : kind(value);
      });
      if (!kinds.includes('file')) return;
      const fixes: Fix[] = [];
      if (kinds.every((each) => each === 'file') && instruction.flags.every((flag) => COPY_FLAGS.has(flag.name))) {
        const keyword = instruction.keyword;
        const newText = keyword === keyword.toLowerCase() ? 'copy' : keyword === keyword.toUpperCase() ? 'COPY' : 'Copy';
        fixes.push({ title: `Replace ADD with ${newText}`, edits: [{ range: instruction.keywordRange, newText }] });
      }
      report({ range: instruction.keywordRange, message: 'ADD copies local files and folders here: use COPY, and keep ADD for URLs and archives to extract', fixes });
    },
  }),
};
