import { positionalArgs, type Word } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3033: Rule = {
  id: 'DL3033',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Specify version with `yum install -y <package>-<version>`.',
  docs: `An unpinned \`yum install httpd\` gets whatever version the repositories offer on the day of the build, so rebuilding the same Dockerfile can change the image or break it. Pin each package as \`<name>-<version>\` (\`httpd-2.4.6\`, \`openssl-1:1.0.2k\`) and each module stream as \`<module>:<stream>\`. Local or remote \`.rpm\` files, \`@group\` names and packages named by a variable are not reported.`,
  examples: {
    fire: ['FROM centos:7\nRUN yum install -y httpd && yum clean all\n', 'FROM centos:7\nRUN yum install -y python3-pip-9.0.3 rpm-sign && yum clean all\n', 'FROM rockylinux:8\nRUN yum module install -y nodejs && yum clean all\n'],
    pass: [
      'FROM centos:7\nRUN yum install -y httpd-2.4.6 gcc-c++-4.8.5 openssl-1:1.0.2k && yum clean all\n',
      'FROM centos:7\nARG GIT_VERSION=2.43.0\nRUN yum install -y "git-core-${GIT_VERSION}" && yum clean all\n',
      'FROM centos:7\nRUN yum install -y /tmp/tool-1.0-1.x86_64.rpm && yum clean all\n',
      'FROM rockylinux:8\nRUN yum module install -y nodejs:18 && yum clean all\n',
    ],
  },
  ...perInstruction({
    commands: ['yum'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name !== 'yum') continue;
        const positionals = positionalArgs(tool, YUM_OPTIONS_WITH_VALUES);
        const [first, second] = positionals;
        if (first?.value === 'install') {
          for (const word of positionals.slice(1)) {
            if (isUnpinnedPackage(word)) report({ range: word.docRange, message: `Pin the version of ${word.value}: yum install -y ${word.value}-<version>` });
          }
        } else if (first?.value === 'module' && second?.value === 'install') {
          for (const word of positionals.slice(2)) {
            if (word.value !== undefined && word.value !== '' && !word.value.includes(':')) {
              report({ range: word.docRange, message: `Pin the stream of module ${word.value}: yum module install -y ${word.value}:<stream>` });
            }
          }
        }
      }
    },
  }),
};

const YUM_OPTIONS_WITH_VALUES = [
  '-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '-R', '--randomwait', '--installroot',
  '--enablerepo', '--disablerepo', '-x', '--exclude', '--color', '--releasever', '--setopt', '--downloaddir', '--disableplugin',
  '--enableplugin',
];

/** `name-version[-release]`: some part after a dash starts with a digit and all of them look like version text. */
function isUnpinnedPackage(word: Word): boolean {
  const name = word.value;
  if (name === undefined || name === '' || name.startsWith('@') || name.endsWith('.rpm')) return false;
  const parts = name.split('-').slice(1);
  const versionLike = parts.length > 0 && parts.every((part) => /^[A-Za-z0-9._~^:+]+$/.test(part)) && parts.some((part) => /^[0-9]/.test(part));
  return !versionLike;
}
