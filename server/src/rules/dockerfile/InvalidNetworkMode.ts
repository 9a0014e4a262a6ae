import type { Rule } from '../types';
import { flagValueRange, hasVariable, perSyntaxTarget, usesOtherFrontend } from './_syntax';

const MODES = ['default', 'none', 'host'];

export const InvalidNetworkMode: Rule = {
  id: 'invalid-network-mode',
  source: 'syntax',
  severity: 'error',
  summary: 'RUN --network must be default, none or host.',
  docs: `\`RUN --network\` chooses the network the command runs with: \`default\` (the build's network), \`none\` (no network at all) or \`host\` (the host's network, which the builder must allow with \`--allow network.host\`). Docker rejects any other value, compares it case-sensitively and does not expand variables in it. Names of Docker networks, such as \`bridge\` or a user-defined network, are not accepted here.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nRUN --network=bridge apk add curl\n',
      'FROM alpine:3.20\nRUN --network=None make\n',
      'FROM alpine:3.20\nARG NET=none\nRUN --network=$NET make\n',
      'FROM alpine:3.20\nRUN --network= make\n',
    ],
    pass: ['FROM alpine:3.20\nRUN --network=none make\n', 'FROM alpine:3.20\nRUN --network=host make\nRUN --network=default make\n'],
  },
  ...perSyntaxTarget(['RUN'], (instruction, context, report) => {
    if (usesOtherFrontend(context)) return;
    for (const flag of instruction.flags) {
      if (flag.name !== 'network' || flag.value === undefined || MODES.includes(flag.value)) continue;
      const range = flagValueRange(instruction, flag);
      const lower = flag.value.toLowerCase();
      const fixed = MODES.includes(lower) && flag.rawValue === flag.value ? lower : undefined;
      let message = `Invalid network mode '${flag.value}' for RUN --network: use default, none or host`;
      if (hasVariable(flag.value)) message += ' (Docker does not expand variables here)';
      report({
        range,
        message,
        ...(fixed ? { fixes: [{ title: `Change to '${fixed}'`, edits: [{ range, newText: fixed }] }] } : {}),
      });
    }
  }, 'flags'),
};
