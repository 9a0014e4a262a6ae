import { hasFlag } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';
import { cacheOrTmpfsTargets } from './DL3009';
import { APK_OPTIONS_WITH_VALUES, apkAddsIn } from './DL3018';

export const DL3019: Rule = {
  id: 'DL3019',
  source: 'hadolint',
  severity: 'info',
  summary: 'Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/* when done installing packages.',
  docs: `\`apk add\` keeps the downloaded index in \`/var/cache/apk\`, and a RUN's leftovers stay in its layer. \`apk add --no-cache\` fetches a fresh index, uses it and keeps nothing, so there is no \`apk update\` to run first and no cache to delete afterwards. A cache mount on \`/var/cache/apk\` (\`RUN --mount=type=cache,target=/var/cache/apk …\`) keeps the cache out of the layer as well.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n',
      'FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0 && rm -rf /var/cache/apk/*\n',
    ],
    pass: [
      'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n',
      'FROM alpine:3.20\nRUN apk --no-cache add curl=8.9.1-r0\n',
      'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r0\n',
      'FROM alpine:3.20\nRUN apk info -vv\n',
    ],
  },
  ...perInstruction({
    commands: ['apk'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { script, command, add } of apkAddsIn(context, instruction)) {
        if (hasFlag(command, undefined, 'no-cache', APK_OPTIONS_WITH_VALUES)) continue;
        if (cacheOrTmpfsTargets(instruction).some((target) => target.includes('/var/cache/apk'))) continue;
        const start = command.name?.docRange.start ?? add.docRange.start;
        const at = add.docRange.end;
        const editable = script.origin !== 'exec-form' || context.text.slice(add.docRange.start, add.docRange.end) === add.raw;
        report({
          range: { start, end: at },
          message: 'apk add keeps its package index in /var/cache/apk: add --no-cache',
          fixes: editable ? [{ title: 'Add --no-cache', edits: [{ range: { start: at, end: at }, newText: ' --no-cache' }] }] : [],
        });
      }
    },
  }),
};
