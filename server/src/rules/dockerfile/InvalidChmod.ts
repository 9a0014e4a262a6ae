import type { Rule } from '../types';
import { describeValue, expandedValue, flagValueRange, perSyntaxTarget, usesOtherFrontend } from './_syntax';

/** chmod(1) symbolic modes: `[ugoa]*[-+=][rwxXstugo]*`, clauses separated by commas. */
const SYMBOLIC_MODE = /^[ugoa]*(?:[-+=][rwxXstugo]*)+(?:,[ugoa]*(?:[-+=][rwxXstugo]*)+)*$/;

export const InvalidChmod: Rule = {
  id: 'invalid-chmod',
  source: 'syntax',
  severity: 'error',
  summary: 'COPY/ADD --chmod must be an octal mode up to 7777 or a symbolic mode.',
  docs: `\`--chmod\` sets the permissions of the copied files. Docker accepts an octal number no larger than \`7777\` (\`--chmod=755\`, \`--chmod=0644\`) and, since Dockerfile syntax 1.14, a symbolic mode as \`chmod\` understands it (\`--chmod=u+x\`, \`--chmod=a=rX,u+w\`). Anything else, like \`--chmod=rwxr-xr-x\` or \`--chmod=0999\`, fails the build with "invalid chmod parameter". Values built from variables are checked when the variables' values are known.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nCOPY --chmod=rwxr-xr-x app /app\n',
      'FROM alpine:3.20\nCOPY --chmod=0999 app /app\n',
      'FROM alpine:3.20\nADD --chmod=10000 app /app\n',
      'FROM alpine:3.20\nARG MODE=75a\nCOPY --chmod=$MODE app /app\n',
    ],
    pass: [
      'FROM alpine:3.20\nCOPY --chmod=755 app /app\n',
      'FROM alpine:3.20\nCOPY --chmod=0644 app /app\nADD --chmod=u+x,go-w app /bin/app\n',
      'FROM alpine:3.20\nCOPY --chmod=a=rX,u+w app /app\n',
      'FROM alpine:3.20\nARG MODE\nCOPY --chmod=$MODE app /app\n',
    ],
  },
  ...perSyntaxTarget(['COPY', 'ADD'], (instruction, context, report, onbuild) => {
    if (usesOtherFrontend(context)) return;
    for (const flag of instruction.flags) {
      if (flag.name !== 'chmod' || flag.value === undefined) continue;
      const mode = expandedValue(context, instruction, onbuild, flag.value);
      if (mode === undefined || mode === '' || isValidMode(mode)) continue;
      report({
        range: flagValueRange(instruction, flag),
        message: `Invalid --chmod ${describeValue(flag.value, mode)}: use an octal mode up to 7777 (such as 755) or a symbolic mode (such as u+x)`,
      });
    }
  }, 'flags'),
};

function isValidMode(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) return parseInt(mode, 8) <= 0o7777;
  return SYMBOLIC_MODE.test(mode);
}
