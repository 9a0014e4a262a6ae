import type { Rule } from '../types';
import {
  aptInstallNeeds,
  APT_NO_RECOMMENDS,
  aptOptionSets,
  type AptGetInstall,
} from './DL3008';

/** `--no-install-recommends`, `--install-recommends=false`, or `-o APT::Install-Recommends=false`. */
function skipsRecommends(install: AptGetInstall): boolean {
  for (const option of install.options) {
    if (option.kind !== 'flag') continue;
    if (option.name === '--no-install-recommends') return true;
    if (option.name === '--install-recommends' && option.value !== undefined && /^(?:false|no|off|0)$/i.test(option.value)) return true;
  }
  return aptOptionSets(install, APT_NO_RECOMMENDS);
}

export const DL3015: Rule = {
  id: 'DL3015',
  source: 'hadolint',
  severity: 'info',
  summary: 'Avoid additional packages by specifying --no-install-recommends.',
  docs: `By default apt-get also installs every package the ones you asked for merely *recommend*: documentation, optional tools, sometimes a whole desktop stack. They make the image bigger and give it more to patch, and nothing in the build asked for them. Add \`--no-install-recommends\` and list what you actually need; setting \`APT::Install-Recommends "false";\` in an apt.conf snippet earlier in the stage works too.`,
  examples: {
    fire: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n && apt-get install -y git=1:2.39.2-1.1\n',
    ],
    pass: [
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      curl=7.88.1-10+deb12u5 \\\n      --no-install-recommends \\\n && rm -rf /var/lib/apt/lists/*\n',
      'FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN printf \'APT::Install-Recommends "0";\\n\' > /etc/apt/apt.conf.d/01norecommends\nRUN apt-get install -y curl=7.88.1-10+deb12u5\n',
      'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n',
    ],
  },
  ...aptInstallNeeds({ satisfied: skipsRecommends, setting: APT_NO_RECOMMENDS, message: 'apt-get install also installs recommended packages: add --no-install-recommends', option: '--no-install-recommends' }),
};
