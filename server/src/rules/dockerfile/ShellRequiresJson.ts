import type { Rule } from '../types';
import { perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const ShellRequiresJson: Rule = {
  id: 'shell-requires-json',
  source: 'syntax',
  severity: 'error',
  summary: 'SHELL must be written as a JSON array.',
  docs: `Unlike \`RUN\` or \`CMD\`, \`SHELL\` has no shell form: Docker only accepts a JSON array of strings, such as \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\`, and fails with "SHELL requires the arguments to be in JSON form" otherwise. Mind the JSON rules: double quotes, commas between elements. The quick fix rewrites simple word lists as a JSON array.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nSHELL /bin/sh -c\n',
      "FROM alpine:3.20\nSHELL ['/bin/bash', '-c']\n",
      'FROM alpine:3.20\nSHELL ["/bin/bash" "-c"]\n',
      'FROM alpine:3.20\nSHELL ["/bin/bash", "-c"] # bash from here on\n',
    ],
    pass: ['FROM alpine:3.20\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', 'FROM alpine:3.20\nSHELL\n'],
  },
  ...perSyntaxTarget(['SHELL'], (instruction, context, report) => {
    if (!instruction.argsRange || usesOtherFrontend(context)) return;
    const trailing = instruction.json?.trailing;
    if (trailing) {
      report({ range: trailing.range, message: `Text after the JSON array ('${trailing.value}') makes SHELL invalid JSON: remove it` });
      return;
    }
    if (instruction.form !== 'shell') return;
    if (instruction.json?.nonStringElement) return; // reported by the parser
    const words = instruction.argsText.split(/[\t\v\f\r ]+/).filter((word) => word !== '');
    const simple = instruction.logical.segmentCount === 1 && words.every((word) => /^[\w@%+=:,./-]+$/.test(word));
    const single = /^\[\s*'[^'"\\]*'(?:\s*,\s*'[^'"\\]*')*\s*\]$/.test(instruction.argsText);
    let replacement: string | undefined;
    if (single) replacement = instruction.argsText.replace(/'/g, '"');
    else if (simple && !instruction.argsText.startsWith('[')) replacement = JSON.stringify(words).replace(/","/g, '", "');
    report({
      range: instruction.argsRange,
      message: instruction.json
        ? `SHELL must be a JSON array of strings, and this is not valid JSON (${instruction.json.error ?? 'malformed'})`
        : 'SHELL must be a JSON array of strings, such as ["/bin/sh", "-c"]',
      ...(replacement ? { fixes: [{ title: 'Rewrite as a JSON array', edits: [{ range: instruction.argsRange, newText: replacement }] }] } : {}),
    });
  }),
};
