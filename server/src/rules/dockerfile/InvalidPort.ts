import type { Rule } from '../types';
import { describeValue, expandedValue, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const InvalidPort: Rule = {
  id: 'invalid-port',
  source: 'syntax',
  severity: 'error',
  summary: 'EXPOSE needs ports from 0 to 65535 or ranges, with an optional /tcp, /udp or /sctp.',
  docs: `Each \`EXPOSE\` argument is a port (\`8080\`) or a range (\`8000-8010\`), optionally followed by a protocol: \`/tcp\` (the default), \`/udp\` or \`/sctp\`. Ports run from 0 to 65535 and a range must not run backwards. Docker rejects anything else, such as \`EXPOSE http\` or \`EXPOSE 80/http\`. Ports given by variables are checked when the values are known. (Numbers above 65535, which Docker rejects too, are reported by DL3011.) (Publishing to a host port, \`8080:80\`, is decided by \`docker run -p\`, not by \`EXPOSE\`.)`,
  examples: {
    fire: [
      'FROM alpine:3.20\nEXPOSE http\n',
      'FROM alpine:3.20\nEXPOSE 80/http\n',
      'FROM alpine:3.20\nEXPOSE 80-x\n',
      'FROM alpine:3.20\nEXPOSE 9000-8000\n',
      'FROM alpine:3.20\nARG PORT=80a\nEXPOSE $PORT\n',
      'FROM alpine:3.20\nEXPOSE /tcp\n',
      'FROM alpine:3.20\nEXPOSE 8080 # the web port\n',
    ],
    pass: [
      'FROM alpine:3.20\nEXPOSE 80 443/tcp 53/udp 9000-9010/sctp 8080/TCP\n',
      'FROM alpine:3.20\nARG PORT\nEXPOSE $PORT\n',
      'FROM alpine:3.20\nARG PORT=8080\nEXPOSE ${PORT}/tcp\n',
      'FROM alpine:3.20\nEXPOSE 8080:80\n',
      'FROM alpine:3.20\nEXPOSE 70000\n',
    ],
  },
  ...perSyntaxTarget(['EXPOSE'], (instruction, context, report, onbuild) => {
    if (usesOtherFrontend(context)) return;
    const args = instruction.args;
    for (const arg of args) {
      if (arg.value.startsWith('#')) {
        report({
          range: { start: arg.range.start, end: args[args.length - 1]!.range.end },
          message: `'${text(args, arg)}' is not a port: a comment must be on its own line (after EXPOSE, '#' is read as a port)`,
        });
        break;
      }
      const value = expandedValue(context, instruction, onbuild, arg.value);
      if (value === undefined || PLAIN_PORT.test(value)) continue;
      for (const word of value.split(/[\t\n\v\f\r ]+/)) {
        if (word === '') continue;
        const problem = portProblem(word);
        if (!problem) continue;
        report({ range: arg.range, message: `Invalid port ${describeValue(arg.value, word)}: ${problem}` });
      }
    }
  }),
};

/** One port with an optional protocol: nothing Docker rejects (numbers above 65535 are DL3011's), and what most EXPOSE lines hold. */
const PLAIN_PORT = /^\d+(?:\/(?:tcp|udp|sctp))?$/i;

function text(args: readonly { value: string }[], from: { value: string }): string {
  return args.slice(args.indexOf(from)).map((arg) => arg.value).join(' ');
}

/** What Docker's port parsing rejects in `[ip:][hostPort:]port[-end][/proto]`, if anything. */
function portProblem(spec: string): string | undefined {
  const parts = spec.split(':');
  const containerPart = parts[parts.length - 1]!;
  const hostPort = parts.length >= 2 ? parts[parts.length - 2]! : '';
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(':') : '';
  const slash = containerPart.indexOf('/');
  const port = slash < 0 ? containerPart : containerPart.slice(0, slash);
  const protocol = (slash < 0 || port === '' ? 'tcp' : containerPart.slice(slash + 1) || 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) return `the protocol must be tcp, udp or sctp, not '${protocol}'`;
  if (ip !== '' && !isIp(ip)) return `'${ip}' is not an IP address`;
  if (port === '') return 'no port number';
  if (/^\d+(?:-\d+)?$/.test(port) && port.split('-').some((part) => Number(part) > 65535)) return undefined; // DL3011
  const range = portRange(port);
  if (!range) return 'a port is a number from 0 to 65535, or a range such as 8000-8010';
  if (hostPort !== '') {
    const host = portRange(hostPort);
    if (!host) return `the host port '${hostPort}' is not a port or range`;
    if (range[1] - range[0] !== host[1] - host[0] && range[0] !== range[1]) return 'the host and container port ranges differ in size';
  }
  return undefined;
}

function portRange(text: string): [number, number] | undefined {
  const parts = text.split('-');
  if (parts.length > 2) return undefined;
  const numbers = parts.map((part) => (/^\d+$/.test(part) && Number(part) <= 65535 ? Number(part) : undefined));
  if (numbers.some((number) => number === undefined)) return undefined;
  const [start, end = start] = numbers as number[];
  return end! < start! ? undefined : [start!, end!];
}

function isIp(text: string): boolean {
  const ip = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (/^(?:\d{1,3}\.){3}\d{1,3}$/.test(ip)) return ip.split('.').every((octet) => Number(octet) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}
