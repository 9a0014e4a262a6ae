import type { Instruction } from '../../dockerfile';
import { positionalArgs, type SimpleCommand, type Word } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3032: Rule = {
  id: 'DL3032',
  source: 'hadolint',
  severity: 'warning',
  summary: '`yum clean all` missing after yum command.',
  docs: `\`yum install\` leaves downloaded packages and repository metadata in \`/var/cache/yum\`, and whatever a \`RUN\` leaves behind is baked into its layer for good. End the same \`RUN\` with \`yum clean all\` (or \`rm -rf /var/cache/yum\`) after the last install. A cache mount on \`/var/cache/yum\` (\`RUN --mount=type=cache,target=/var/cache/yum …\`) keeps the cache out of the image, so it needs no cleaning.`,
  examples: {
    fire: ['FROM centos:7\nRUN yum install -y httpd-2.4.6\n', 'FROM centos:7\nRUN yum clean all && yum install -y httpd-2.4.6\n'],
    pass: [
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 \\\n && rm -rf /var/cache/yum/*\n',
      'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n',
    ],
  },
  ...perInstruction({
    commands: ['yum'],
    triggers: true,
    visit(instruction, context, report) {
      if (cacheMountCovers(instruction, CACHE_DIR)) return;
      let pending: { command: SimpleCommand; sub: Word } | undefined;
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name === 'yum') {
          const positionals = positionalArgs(tool, YUM_OPTIONS_WITH_VALUES);
          const install = installWord(positionals);
          if (install) pending = { command: tool, sub: install };
          else if (positionals[0]?.value === 'clean' && positionals[1]?.value === 'all') pending = undefined;
        } else if (name === 'rm' && positionalArgs(tool).some((arg) => arg.value !== undefined && removesCache(arg.value))) {
          pending = undefined;
        }
      }
      if (!pending || !pending.command.name) return;
      report({
        range: { start: pending.command.name.docRange.start, end: pending.sub.docRange.end },
        message: '`yum clean all` missing after this yum install: the package cache stays in the image layer',
      });
    },
  }),
};

const CACHE_DIR = '/var/cache/yum';
const YUM_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '-x', '--exclude', '--color', '--releasever', '--setopt', '--downloaddir', '--disableplugin',
  '--enableplugin',
];

/** The install subcommand word: `install`, `groupinstall`, `localinstall`, or `install` after `group`/`module`. */
function installWord(positionals: Word[]): Word | undefined {
  const [first, second] = positionals;
  if (first?.value === 'install' || first?.value === 'groupinstall' || first?.value === 'localinstall') return first;
  if ((first?.value === 'group' || first?.value === 'groups' || first?.value === 'module') && second?.value === 'install') return second;
  return undefined;
}

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
