import type { Instruction } from '../../dockerfile';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** A path that means the root directory: `/`, `/.`, `"/"`. */
function isRoot(path: string): boolean {
  // Nearly every path starts with something else, or has a character other than '/', '.' and quotes.
  const first = path.charCodeAt(0);
  if (first !== 0x2f && first !== 0x22 && first !== 0x27) return false;
  for (let i = 1; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code !== 0x2f && code !== 0x2e && code !== 0x22 && code !== 0x27) return false;
  }
  const unquoted = path.replace(/^(["'])(.*)\1$/, '$2');
  return unquoted.startsWith('/') && unquoted.split('/').every((part) => part === '' || part === '.');
}

function copiesFromStage(instruction: Instruction): boolean {
  for (const flag of instruction.flags) if (flag.name === 'from') return true;
  return false;
}

export const DL3067: Rule = {
  id: 'DL3067',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Do not copy an entire filesystem from another stage.',
  docs: `\`COPY --from=build / /\` copies everything the other stage holds — compilers, package manager caches, build secrets — into this image, which undoes what a multi-stage build is for. Copy only the files the image needs: \`COPY --from=build /out/app /usr/local/bin/app\`.`,
  examples: {
    fire: ['FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build / /\n', 'FROM alpine:3.20 AS base\nFROM debian:12\nCOPY --from=base ["/", "/"]\n'],
    pass: [
      'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n',
      'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /out/ /\n',
      'FROM alpine:3.20\nCOPY / /\n',
    ],
  },
  ...perInstruction({
    names: ['COPY'],
    triggers: false,
    visit(instruction, _context, report) {
      const args = instruction.args;
      const destination = args[args.length - 1];
      if (args.length < 2 || !destination || !isRoot(destination.value) || !copiesFromStage(instruction)) return;
      const source = args.slice(0, -1).find((arg) => isRoot(arg.value));
      if (!source) return;
      report({ range: source.range, message: 'COPY --from copies the whole filesystem of another stage: copy only the files this image needs' });
    },
  }),
};
