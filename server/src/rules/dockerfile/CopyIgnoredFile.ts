import { DockerignoreMatcher } from '../dockerignore';
import type { Rule } from '../types';
import { experimentalCheckEnabled } from './_buildkit';
import { copySources } from './DL3010';

/** Sources that do not come from the build context: URLs and Git repositories (ADD). */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;


// `exampleSettings`: what the examples assume, since without a .dockerignore the rule never reports.
export const CopyIgnoredFile: Rule = {
  id: 'CopyIgnoredFile',
  source: 'buildkit',
  severity: 'warning',
  summary: 'COPY and ADD should not name files that .dockerignore excludes from the build context.',
  docs: `Files matched by \`.dockerignore\` are never sent to the builder, so \`COPY\` or \`ADD\` of such a file fails with "not found" (or, for a wildcard, silently copies less than expected). Either stop ignoring the file (an exception such as \`!config/app.yaml\` re-includes it) or stop copying it. Sources from another stage (\`COPY --from\`), URLs and heredocs are not affected. The patterns follow Docker's rules: \`*\` and \`?\` stay within a directory, \`**\` spans directories, \`!\` re-includes, and ignoring a directory ignores everything in it.

The examples assume this \`.dockerignore\`:

\`\`\`
# build output and secrets
*.log
secrets/
tmp
!tmp/keep.txt
\`\`\`

Nothing is reported when the \`.dockerignore\` of the build context is not known. This check is experimental in BuildKit and off unless asked for, as there: enable it with the directive \`# check=experimental=CopyIgnoredFile\` (or \`experimental=all\`) at the top of the Dockerfile.`,
  exampleSettings: { dockerignore: ['# build output and secrets', '*.log', 'secrets/', 'tmp', '!tmp/keep.txt'] },
  examples: {
    fire: [
      '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY secrets/api.key /etc/app/\n',
      '# check=experimental=all\nFROM alpine:3.20\nADD ./tmp/cache.tar /var/cache/\n',
      '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY ["build.log", "/var/log/app/"]\n',
    ],
    pass: [
      '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY src/ /app/src/\n',
      '# check=experimental=CopyIgnoredFile\nFROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /tmp/app /usr/local/bin/\n',
      '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY tmp/keep.txt logs/app.log /srv/\n',
      'FROM alpine:3.20\nCOPY secrets/api.key /etc/app/\n',
      // `tmp` is --chown's missing value (invalid-flag-value), not a source.
      '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY --chown tmp src/ /app/\n',
    ],
  },
  check(context, report) {
    if (!experimentalCheckEnabled(context, 'CopyIgnoredFile')) return;
    const lines = context.settings.dockerignore;
    if (!lines || lines.length === 0) return;
    const matcher = new DockerignoreMatcher(lines);
    if (matcher.empty) return;
    for (const instruction of context.instructions) {
      if (instruction.name !== 'COPY' && instruction.name !== 'ADD') continue;
      if (instruction.name === 'COPY' && instruction.flags.some((flag) => flag.name.toLowerCase() === 'from')) continue;
      for (const token of copySources(instruction).sources) {
        const source = context.model.expand(token.value, instruction).value;
        if (source === undefined || source === '' || REMOTE.test(source)) continue;
        if (!matcher.excludes(source)) continue;
        report({
          range: token.range,
          message: `${instruction.keyword} source "${source}" is excluded by .dockerignore, so it is not in the build context`,
        });
      }
    }
  },
};
