import { perInstruction } from '../context';
import type { Rule } from '../types';

/** BuildKit's split of `[ip:]hostPort:containerPort`: the last two parts are the ports, anything before is the IP. */
function splitParts(port: string): { ip: string; hostPort: string; containerPort: string } {
  const parts = port.split(':');
  if (parts.length === 1) return { ip: '', hostPort: '', containerPort: parts[0]! };
  if (parts.length === 2) return { ip: '', hostPort: parts[0]!, containerPort: parts[1]! };
  const n = parts.length;
  return { ip: parts.slice(0, n - 2).join(':'), hostPort: parts[n - 2]!, containerPort: parts[n - 1]! };
}

export const ExposeInvalidFormat: Rule = {
  id: 'ExposeInvalidFormat',
  source: 'buildkit',
  severity: 'warning',
  summary: 'EXPOSE should not name an IP address or a host port; this will become an error in a future release.',
  docs: `\`EXPOSE\` only documents which ports the container listens on: \`EXPOSE 80\` or \`EXPOSE 53/udp\`. Publishing to a host address or host port is decided when the container runs (\`docker run -p 127.0.0.1:8080:80\`, \`ports:\` in Compose), not in the image. BuildKit silently drops the IP and host port today and plans to reject them; keep only the container port and protocol.`,
  examples: {
    fire: ['FROM nginx:1.27\nEXPOSE 8080:80\n', 'FROM nginx:1.27\nEXPOSE 127.0.0.1:8080:80/tcp\n'],
    pass: ['FROM nginx:1.27\nEXPOSE 80 443/tcp\n', 'FROM alpine:3.20\nEXPOSE 8000-8010\n', 'FROM alpine:3.20\nARG PORT=80\nEXPOSE ${PORT:-8080}\n'],
  },
  ...perInstruction({
    names: ['EXPOSE'],
    triggers: false,
    visit(instruction, context, report) {
      for (const token of instruction.args) {
        const expanded = context.model.expandedValue(token.value, instruction);
        // Without a colon there is neither an IP nor a host port (`80`, `53/udp`: nearly every EXPOSE).
        if (expanded === undefined || !expanded.includes(':')) continue;
        for (const port of expanded.split(/\s+/).filter(Boolean)) {
          const { ip, hostPort, containerPort } = splitParts(port);
          if (ip === '' && hostPort === '') continue;
          const what = ip !== '' ? `the IP address ${ip}${hostPort !== '' ? ` and host port ${hostPort}` : ''}` : `the host port ${hostPort}`;
          report({
            range: token.range,
            message: `EXPOSE ${port} names ${what}: EXPOSE takes only the container port, here ${containerPort}; publish host ports when running the container`,
          });
        }
      }
    },
  }),
};
