import { hasFlag, parseOptions } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3028: Rule = {
  id: 'DL3028',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`.',
  docs: `\`gem install rails\` installs whatever version is newest on the day of the build, so two builds of the same Dockerfile can differ and break. Pin each gem with \`gem install <gem>:<version>\`, or give \`-v\`/\`--version\` for the whole command. Local \`.gem\` files, gems named by a variable, and the build options after \`--\` are not reported.`,
  examples: {
    fire: ['FROM ruby:3.3\nRUN gem install bundler\n', 'FROM ruby:3.3\nRUN gem i rake:13.2.1 rubocop\n'],
    pass: [
      'FROM ruby:3.3\nRUN gem install bundler:2.5.11\n',
      'FROM ruby:3.3\nRUN gem install bundler -v 2.5.11\n',
      'FROM ruby:3.3\nRUN gem install --version=2.5.11 bundler\n',
      'FROM ruby:3.3\nARG GEM_VERSION=1.16.6\nRUN gem install "nokogiri:${GEM_VERSION}" -- --use-system-libraries\n',
      'FROM ruby:3.3\nCOPY vendor/tool-1.0.gem /tmp/\nRUN gem install --local /tmp/tool-1.0.gem\n',
    ],
  },
  ...perInstruction({
    commands: ['gem'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name !== 'gem') continue;
        const options = parseOptions(tool.args, GEM_OPTIONS_WITH_VALUES);
        const positionals: typeof tool.args = [];
        for (const option of options) {
          if (option.kind === 'end-of-options') break; // what follows `--` goes to the extension build
          if (option.kind === 'positional') positionals.push(option.word);
        }
        const sub = positionals[0]?.value;
        if (sub !== 'install' && sub !== 'i') continue;
        if (hasFlag(tool, 'v', 'version', GEM_OPTIONS_WITH_VALUES)) continue;
        for (const word of positionals.slice(1)) {
          const value = word.value;
          if (value === undefined || value === '' || value.includes(':') || value.endsWith('.gem')) continue;
          report({ range: word.docRange, message: `Pin the version of gem ${value}: gem install ${value}:<version>` });
        }
      }
    },
  }),
};

const GEM_OPTIONS_WITH_VALUES = [
  '-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '--platform',
  '-g', '--file', '--build-root', '-p', '--http-proxy', '--config-file', '--document', '--target-rbconfig',
];
