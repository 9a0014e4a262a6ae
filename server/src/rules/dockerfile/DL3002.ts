import { perStage } from '../context';
import { lastUser } from './_lastUser';
import type { Rule } from '../types';

/** `root`, `0`, `root:…`, `0:…`. */
function isRoot(user: string): boolean {
  return user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');
}

export const DL3002: Rule = {
  id: 'DL3002',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Last USER should not be root.',
  docs: `The last \`USER\` of a stage is the user its containers run as. Running as root means a compromised process has root rights in the container and an easier way out of it. Switching to root for installation steps is fine; end the stage with \`USER\` set to an unprivileged user. Each stage is checked, since any stage can be built as a target; stages that never set \`USER\` are not reported here.`,
  examples: {
    fire: ['FROM debian:12\nUSER root\nRUN apt-get update\n', 'FROM alpine:3.20\nUSER app\nRUN id\nUSER 0:0\nCMD ["sh"]\n', 'FROM alpine:3.20\nARG RUN_AS=root\nUSER ${RUN_AS}\n'],
    pass: ['FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n', 'FROM alpine:3.20\nUSER 1000:1000\n', 'FROM alpine:3.20\nRUN id\n', 'FROM alpine:3.20\nUSER rootless\n'],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, context, report) {
      const last = lastUser(stage);
      const token = last?.args[0];
      if (!last || !token) return;
      const user = context.model.expandedValue(token.value, last) ?? token.value;
      if (!isRoot(user)) return;
      const where = stage.name ? `stage ${stage.nameToken?.value ?? stage.name}` : stage.index === context.model.stages.length - 1 ? 'the image' : `stage ${stage.index}`;
      report({ range: token.range, message: `The last USER of ${where} is root: end the stage with an unprivileged user` });
    },
  }),
};
