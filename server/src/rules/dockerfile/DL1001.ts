import type { Rule } from '../types';
import type { WithExampleSettings } from './_labels';

const INLINE_IGNORE = /^hadolint\s+ignore\s*=/i;

export const DL1001: Rule & WithExampleSettings = {
  id: 'DL1001',
  source: 'hadolint',
  severity: 'info',
  summary: 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  docs: `Off unless you give it a severity (as in hadolint, where its default level is "ignore"): in \`.hadolint.yaml\`, list it under \`override\` (e.g. \`warning: [DL1001]\`), or set its severity in \`berth.dockerfile.rules\`.

For teams that want every exception in one reviewed place: each \`# hadolint ignore=…\` comment is reported, so rules are switched off in the configuration (\`ignored\`) or with \`# hadolint global ignore=…\` instead of line by line. To make inline pragmas count for nothing at all, use \`disable-ignore-pragma\`.`,
  enabledByDefault: false,
  exampleSettings: { severityOverrides: new Map([['DL1001', 'info']]) },
  examples: {
    fire: ['FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n'],
    pass: ['# hadolint global ignore=DL3008\nFROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n', 'FROM debian:12\n# install curl, see DL3008 for pinning\nRUN apt-get install -y --no-install-recommends curl\n'],
  },
  check(context, report) {
    // hadolint's "ignore" level: the rule runs only once the user gives it a severity.
    for (const comment of context.model.ast.comments) {
      if (!INLINE_IGNORE.test(comment.text)) continue;
      report({ range: comment.range, message: `Inline ignore pragma '# ${comment.text}': keep exceptions in the configuration or a global ignore instead` });
    }
  },
};
