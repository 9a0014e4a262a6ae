import type { Rule } from '../types';
import {
  APT_ASSUME_YES,
  aptInstallNeeds,
  aptOptionSets,
  type AptGetInstall,
} from './DL3008';

/** `-y`, `--yes`, `--assume-yes`, or quiet level 2 (`-qq`, `--quiet=2`), which apt-get says implies `-y`. */
function answersYes(install: AptGetInstall): boolean {
  let quiet = 0;
  for (const option of install.options) {
    if (option.kind !== 'flag') continue;
    switch (option.name) {
      case '-y':
      case '--yes':
      case '--assume-yes':
        if (option.value === undefined || !/^(?:false|no|off|0)$/i.test(option.value)) return true;
        break;
      case '-q':
        quiet++;
        break;
      case '--quiet':
        quiet += option.value !== undefined && /^\d+$/.test(option.value) ? Number(option.value) : 1;
        break;
      default:
        break;
    }
  }
  return quiet >= 2 || aptOptionSets(install, APT_ASSUME_YES);
}

export const DL3014: Rule = {
  id: 'DL3014',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Use the -y switch to avoid manual input: apt-get -y install <package>.',
  docs: `A build has no one to answer apt-get's "Do you want to continue? [Y/n]", so without \`-y\` the install aborts as soon as apt-get wants to ask (for instance when it pulls in extra dependencies). Pass \`-y\` (or \`--yes\`, \`--assume-yes\`, \`-qq\`), or set \`APT::Get::Assume-Yes "true";\` in an apt.conf snippet earlier in the stage. A single \`-q\` only makes the output quieter; it does not answer the question.`,
  examples: {
    fire: [
      'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN apt-get -q install --no-install-recommends curl=7.88.1-10+deb12u5\n',
    ],
    pass: [
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN apt-get -qy install --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN apt-get install --yes --no-install-recommends curl=7.88.1-10+deb12u5 \\\n && apt-get install --assume-yes --no-install-recommends git=1:2.39.2-1.1\n',
      'FROM debian:12\nRUN apt-get -qq install --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN sudo apt-get install --no-install-recommends -o APT::Get::Assume-Yes=true curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install --no-install-recommends curl=7.88.1-10+deb12u5\n',
    ],
  },
  ...aptInstallNeeds({ satisfied: answersYes, setting: APT_ASSUME_YES, message: 'apt-get install without -y stops at its confirmation prompt during a build: add -y', option: '-y' }),
};
