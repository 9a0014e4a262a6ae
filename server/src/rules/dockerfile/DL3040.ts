import type { Instruction } from '../../dockerfile';
import { positionalArgs, type SimpleCommand, type Word } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3040: Rule = {
  id: 'DL3040',
  source: 'hadolint',
  severity: 'warning',
  summary: '`dnf clean all` missing after dnf command.',
  docs: `\`dnf install\` (and \`microdnf install\`) keeps repository metadata and packages in its cache, and whatever a \`RUN\` leaves behind stays in its layer. End the same \`RUN\` with \`dnf clean all\` (\`microdnf clean all\` for microdnf; \`rm -rf /var/cache/dnf\` or \`/var/cache/yum\` also works) after the last install. A cache mount on the cache directory keeps it out of the image, so it needs no cleaning.`,
  examples: {
    fire: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1\n',
      'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9 && dnf clean all\n',
    ],
    pass: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 && dnf clean all\n',
      'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9 \\\n && microdnf clean all\n',
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 && rm -rf /var/cache/dnf/*\n',
      'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y nginx-1.26.1\n',
    ],
  },
  ...perInstruction({
    commands: ['dnf', 'microdnf'],
    triggers: true,
    visit(instruction, context, report) {
      if (CACHE_DIRS.some((dir) => cacheMountCovers(instruction, dir))) return;
      const pending = new Map<string, { command: SimpleCommand; sub: Word }>();
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name === 'dnf' || name === 'microdnf') {
          const positionals = positionalArgs(tool, DNF_OPTIONS_WITH_VALUES);
          const install = installWord(positionals);
          if (install) pending.set(name, { command: tool, sub: install });
          else if (positionals[0]?.value === 'clean' && positionals[1]?.value === 'all') pending.delete(name);
        } else if (name === 'rm' && positionalArgs(tool).some((arg) => arg.value !== undefined && removesCache(arg.value))) {
          pending.clear();
        }
      }
      for (const [name, { command, sub }] of pending) {
        if (!command.name) continue;
        report({
          range: { start: command.name.docRange.start, end: sub.docRange.end },
          message: `\`${name} clean all\` missing after this ${name} install: the package cache stays in the image layer`,
        });
      }
    },
  }),
};

const CACHE_DIRS = ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'];
const DNF_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x', '--exclude', '--color', '--releasever', '--setopt',
  '--downloaddir', '--destdir', '--disableplugin', '--enableplugin', '--forcearch', '--comment', '--repofrompath',
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
  return trimmed === '/var/cache' || CACHE_DIRS.some((dir) => trimmed === dir || trimmed.startsWith(dir + '/'));
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
