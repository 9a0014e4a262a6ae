import type { Instruction } from '../../dockerfile';
import { positionalArgs, type SimpleCommand, type Word } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3036: Rule = {
  id: 'DL3036',
  source: 'hadolint',
  severity: 'warning',
  summary: '`zypper clean` missing after zypper use.',
  docs: `\`zypper install\` keeps repository metadata and downloaded packages in \`/var/cache/zypp\`, and whatever a \`RUN\` leaves behind stays in its layer. End the same \`RUN\` with \`zypper clean\` (\`zypper cc\`, or \`rm -rf /var/cache/zypp\`) after the last install. A cache mount on \`/var/cache/zypp\` keeps the cache out of the image, so it needs no cleaning.`,
  examples: {
    fire: ['FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n', 'FROM opensuse/leap:15.6\nRUN zypper clean && zypper -n in curl=8.6.0\n'],
    pass: [
      'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n',
      'FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && zypper cc -a\n',
      'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n install curl=8.6.0\n',
    ],
  },
  ...perInstruction({
    commands: ['zypper'],
    triggers: true,
    visit(instruction, context, report) {
      if (cacheMountCovers(instruction, CACHE_DIR)) return;
      let pending: { command: SimpleCommand; sub: Word } | undefined;
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name === 'zypper') {
          const sub = positionalArgs(tool, ZYPPER_OPTIONS_WITH_VALUES)[0];
          if (sub?.value === 'install' || sub?.value === 'in') pending = { command: tool, sub };
          else if (sub?.value === 'clean' || sub?.value === 'cc') pending = undefined;
        } else if (name === 'rm' && positionalArgs(tool).some((arg) => arg.value !== undefined && removesCache(arg.value))) {
          pending = undefined;
        }
      }
      if (!pending || !pending.command.name) return;
      report({
        range: { start: pending.command.name.docRange.start, end: pending.sub.docRange.end },
        message: '`zypper clean` missing after this zypper install: the package cache stays in the image layer',
      });
    },
  }),
};

const CACHE_DIR = '/var/cache/zypp';
const ZYPPER_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-R', '--root', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir',
  '--pkg-cache-dir', '-p', '--plus-repo', '--installroot', '--userdata', '-r', '--repo', '-t', '--type', '--from', '--download',
];

function removesCache(path: string): boolean {
  const trimmed = path.replace(/\/\*?$/, '');
  return trimmed === CACHE_DIR || trimmed.startsWith(CACHE_DIR + '/') || trimmed === '/var/cache';
}

/** A cache or tmpfs mount at, above or inside `dir` keeps what the RUN writes there out of the image. */
function cacheMountCovers(instruction: Instruction, dir: string): boolean {
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    let type = 'bind';
    let target: string | undefined;
    for (const field of flag.value.split(',')) {
      const equals = field.indexOf('=');
      const key = (equals < 0 ? field : field.slice(0, equals)).trim().toLowerCase();
      const value = equals < 0 ? '' : field.slice(equals + 1).trim();
      if (key === 'type') type = value.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') target = value.replace(/\/+$/, '') || '/';
    }
    if ((type === 'cache' || type === 'tmpfs') && target !== undefined && nested(dir, target)) return true;
  }
  return false;
}

/** One path is the other or lies inside it. */
function nested(a: string, b: string): boolean {
  const inside = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : dir + '/');
  return inside(a, b) || inside(b, a);
}
