import { positionalArgs, type Word } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3041: Rule = {
  id: 'DL3041',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Specify version with `dnf install -y <package>-<version>`.',
  docs: `An unpinned \`dnf install nginx\` gets whatever version the repositories offer on the day of the build, so rebuilding the same Dockerfile can change the image or break it. Pin each package as \`<name>-<version>\` (\`nginx-1.26.1\`, \`openssl-1:3.0.7\`), and each module stream as \`<module>:<stream>\`; the same holds for \`microdnf\`. Local or remote \`.rpm\` files, \`@group\` names, \`dnf group install\` and packages named by a variable are not reported.`,
  examples: {
    fire: [
      'FROM fedora:40\nRUN dnf install -y nginx && dnf clean all\n',
      'FROM fedora:40\nRUN dnf install -y python3-pip && dnf clean all\n',
      'FROM fedora:40\nRUN microdnf module install -y nodejs && microdnf clean all\n',
    ],
    pass: [
      'FROM fedora:40\nRUN dnf install -y nginx-1.26.1 gcc-c++-14.1.1 openssl-1:3.2.1 && dnf clean all\n',
      'FROM fedora:40\nARG NGINX_VERSION=1.26.1\nRUN dnf install -y nginx-$NGINX_VERSION && dnf clean all\n',
      'FROM fedora:40\nRUN dnf install -y @development-tools && dnf clean all\n',
      'FROM fedora:40\nRUN dnf module install -y nodejs:20 && dnf clean all\n',
      'FROM fedora:40\nRUN notdnf install nginx\n',
    ],
  },
  ...perInstruction({
    commands: ['dnf', 'microdnf'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name !== 'dnf' && name !== 'microdnf') continue;
        const positionals = positionalArgs(tool, DNF_OPTIONS_WITH_VALUES);
        const [first, second] = positionals;
        if (first?.value === 'install') {
          for (const word of positionals.slice(1)) {
            if (isUnpinnedPackage(word)) report({ range: word.docRange, message: `Pin the version of ${word.value}: ${name} install -y ${word.value}-<version>` });
          }
        } else if (first?.value === 'module' && second?.value === 'install') {
          for (const word of positionals.slice(2)) {
            if (word.value !== undefined && word.value !== '' && !word.value.includes(':')) {
              report({ range: word.docRange, message: `Pin the stream of module ${word.value}: ${name} module install -y ${word.value}:<stream>` });
            }
          }
        }
      }
    },
  }),
};

const DNF_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x', '--exclude', '--color', '--releasever', '--setopt',
  '--downloaddir', '--destdir', '--disableplugin', '--enableplugin', '--forcearch', '--comment', '--repofrompath',
];

/** `name-version[-release]`: some part after a dash starts with a digit and all of them look like version text. */
function isUnpinnedPackage(word: Word): boolean {
  const name = word.value;
  if (name === undefined || name === '' || name.startsWith('@') || name.endsWith('.rpm')) return false;
  const parts = name.split('-').slice(1);
  const versionLike = parts.length > 0 && parts.every((part) => /^[A-Za-z0-9._~^:+]+$/.test(part)) && parts.some((part) => /^[0-9]/.test(part));
  return !versionLike;
}
