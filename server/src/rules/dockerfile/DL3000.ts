import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';

/** `/app`, `C:\app`, `C:/app`, `\app`: Linux and Windows absolute paths. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path);
}

function cleanPosixPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export const DL3000: Rule = {
  id: 'DL3000',
  source: 'hadolint',
  severity: 'error',
  summary: 'Use absolute WORKDIR.',
  docs: `A relative \`WORKDIR\` is resolved against whatever directory is current at that point, which may come from the base image and change when the base image does. Write the full path (\`WORKDIR /app\`) so the directory is the same on every build. A path given by a variable whose value is unknown is not reported. The quick fix writes the absolute path when the current directory is known.`,
  examples: {
    fire: ['FROM node:22-alpine\nWORKDIR app\n', 'FROM scratch\nWORKDIR /srv\nWORKDIR ../data\n', 'FROM debian:12\nARG DIR=build\nWORKDIR $DIR\n'],
    pass: ['FROM node:22-alpine\nWORKDIR /app\n', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\n', 'FROM debian:12\nARG HOME_DIR=/home/app\nWORKDIR ${HOME_DIR}\nWORKDIR $UNKNOWN_DIR\n'],
  },
  ...perInstruction({
    names: ['WORKDIR'],
    triggers: true,
    visit(instruction, context, report, onbuild) {
      const token = instruction.args[0];
      if (!token || token.value === '') return;
      const expanded = context.model.expandedValue(token.value, instruction);
      if (expanded === undefined || expanded === '' || isAbsolute(expanded)) return;
      const fixes: Fix[] = [];
      // An ONBUILD trigger runs in a later build, whose directory is not known here.
      const current = onbuild ? undefined : context.stateAt(instruction).workdir.path;
      // Only a plain path written as is: no variables, quotes or escapes to carry over.
      if (current?.startsWith('/') && /^[^\s$"'\\`]+$/.test(token.value) && context.text.slice(token.range.start, token.range.end) === token.value) {
        const absolute = cleanPosixPath(`${current}/${token.value}`);
        fixes.push({ title: `Write ${absolute}`, edits: [{ range: token.range, newText: absolute }] });
      }
      report({ range: token.range, message: `WORKDIR ${expanded} is relative: use an absolute path`, fixes });
    },
  }),
};
