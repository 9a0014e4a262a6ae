import { perInstruction } from '../context';
import type { Rule } from '../types';

export const ExposeProtoCasing: Rule = {
  id: 'ExposeProtoCasing',
  source: 'buildkit',
  severity: 'warning',
  summary: 'The protocol in an EXPOSE instruction should be lowercase.',
  docs: `\`EXPOSE 80/TCP\` works today, but Docker only documents \`tcp\`, \`udp\` and \`sctp\` in lowercase, and the image metadata records the port as written by the builder. Write the protocol in lowercase; the quick fix does it when the port is written literally.`,
  examples: {
    fire: ['FROM nginx:1.27\nEXPOSE 80/TCP\n', 'FROM alpine:3.20\nEXPOSE 53/udp 53/Udp\n'],
    pass: ['FROM nginx:1.27\nEXPOSE 80/tcp 443\n', 'FROM alpine:3.20\nARG PORT=8080\nEXPOSE ${PORT}/udp\n'],
  },
  ...perInstruction({
    names: ['EXPOSE'],
    triggers: false,
    visit(instruction, context, report) {
      for (const token of instruction.args) {
        const expanded = context.model.expandedValue(token.value, instruction);
        // No protocol, or nothing in upper case (`80`, `8080/tcp`: nearly every EXPOSE).
        if (expanded === undefined || !expanded.includes('/') || expanded === expanded.toLowerCase()) continue;
        for (const port of expanded.split(/\s+/).filter(Boolean)) {
          const containerPort = port.slice(port.lastIndexOf(':') + 1);
          const slash = containerPort.indexOf('/');
          if (slash < 0) continue;
          const proto = containerPort.slice(slash + 1);
          if (proto === proto.toLowerCase()) continue;
          // Written literally on one line: underline and fix the protocol itself.
          const literal = token.value === port && token.range.end - token.range.start === port.length;
          const protoStart = token.range.start + port.length - proto.length;
          const range = literal ? { start: protoStart, end: token.range.end } : token.range;
          report({
            range,
            message: `Protocol '${proto}' in EXPOSE ${port} should be lowercase: '${proto.toLowerCase()}'`,
            ...(literal ? { fixes: [{ title: `Write '${proto.toLowerCase()}'`, edits: [{ range, newText: proto.toLowerCase() }] }] } : {}),
          });
        }
      }
    },
  }),
};
