import { perInstruction } from '../context';
import type { Rule } from '../types';

const POINTLESS = new Set(['ssh', 'vim', 'shutdown', 'service', 'ps', 'free', 'top', 'kill', 'mount', 'ifconfig']);

export const DL3001: Rule = {
  id: 'DL3001',
  source: 'hadolint',
  severity: 'info',
  summary: 'For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig.',
  docs: `A RUN step executes once, non-interactively, in a throwaway container while the image is built. Interactive programs (\`vim\`, \`top\`, \`ssh\` sessions), process and service management (\`service\`, \`ps\`, \`kill\`, \`shutdown\`) and host-level tools (\`mount\`, \`ifconfig\`, \`free\`) either hang, fail, or report on the build container rather than on anything that will run later. Services are started by the container's CMD or ENTRYPOINT; mounts and networking are configured when the container runs.`,
  examples: {
    fire: ['FROM debian:12\nRUN service nginx start\n', 'FROM debian:12\nRUN ps aux | grep -q nginx || sudo kill -HUP 1\n'],
    pass: ['FROM debian:12\nRUN apt-get install -y --no-install-recommends procps=2:4.0.2-3 openssh-client=1:9.2p1-2\n', 'FROM debian:12\nRUN command -v ps && which top\n'],
  },
  ...perInstruction({
    commands: [...POINTLESS],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool, name } of context.commandsOf(instruction)) {
        if (name === undefined || !POINTLESS.has(name) || !tool.name) continue;
        report({ range: tool.name.docRange, message: `${name} makes no sense in a RUN step: it runs once, non-interactively, while the image is built` });
      }
    },
  }),
};
