import { perInstruction } from '../context';
import type { Rule } from '../types';

export const DL3011: Rule = {
  id: 'DL3011',
  source: 'hadolint',
  severity: 'error',
  summary: 'Valid UNIX ports range from 0 to 65535.',
  docs: `A TCP or UDP port is a 16-bit number, so \`EXPOSE\` can only name ports from 0 to 65535 (or a range of them, \`8000-8010\`, optionally followed by \`/tcp\` or \`/udp\`). A larger number is a typo; Docker rejects it when it reads the image configuration. Ports given by variables are checked when their value is known.`,
  examples: {
    fire: ['FROM nginx:1.27\nEXPOSE 80 443 80800\n', 'FROM nginx:1.27\nEXPOSE 60000-70000/udp\n', 'FROM nginx:1.27\nARG PORT=99999\nEXPOSE ${PORT}/tcp\n'],
    pass: ['FROM nginx:1.27\nEXPOSE 0 80/tcp 443/udp 65535 8000-8010\n', 'FROM nginx:1.27\nEXPOSE $PORT\n'],
  },
  ...perInstruction({
    names: ['EXPOSE'],
    triggers: true,
    visit(instruction, context, report) {
      for (const token of instruction.args) {
        const value = context.model.expandedValue(token.value, instruction);
        if (value === undefined) continue;
        const slash = value.indexOf('/');
        const ports = slash < 0 ? value : value.slice(0, slash);
        // The usual `8080/tcp`: no number of five digits, nothing to look for.
        if (!hasFiveDigits(ports)) continue;
        for (const match of ports.matchAll(/\d+/g)) {
          const port = Number(match[0]);
          if (port <= 65535) continue;
          // Underline just the number when the word is written as is.
          const literal = value === token.value && context.text.slice(token.range.start, token.range.end) === token.value;
          const start = token.range.start + (match.index ?? 0);
          const range = literal ? { start, end: start + match[0].length } : token.range;
          report({ range, message: `Port ${match[0]} is out of range: valid ports are 0 to 65535` });
        }
      }
    },
  }),
};

/** Five ASCII digits in a row (`\d{5}`), without a regex: asked of every EXPOSE word. */
function hasFiveDigits(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) run = 0;
    else if (++run === 5) return true;
  }
  return false;
}
