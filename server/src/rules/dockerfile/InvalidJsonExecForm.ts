import type { Instruction } from '../../dockerfile';
import type { Rule } from '../types';
import { perSyntaxTarget, usesOtherFrontend } from './_syntax';

const JSON_INSTRUCTIONS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);

export const InvalidJsonExecForm: Rule = {
  id: 'invalid-json-exec-form',
  source: 'syntax',
  severity: 'warning',
  summary: 'Arguments that look like a JSON array are not valid JSON, so Docker treats them as shell form.',
  docs: `When the arguments of \`RUN\`, \`CMD\`, \`ENTRYPOINT\`, \`HEALTHCHECK CMD\`, \`COPY\`, \`ADD\` or \`VOLUME\` start with \`[\` but are not a valid JSON array of strings, Docker does not complain: it silently uses the shell form, running \`/bin/sh -c "['node', 'app.js']"\` or copying a file literally named \`["a",\`. The usual culprits are single quotes, a missing comma, a trailing comma, an unescaped backslash, or text after the closing \`]\`. Write valid JSON: double quotes, commas between elements, backslashes doubled. The quick fix turns single quotes into double quotes when that is all that is wrong. A shell \`[ test ]\` command, such as \`RUN [ -f /etc/os-release ] && …\`, is not flagged.`,
  examples: {
    fire: [
      "FROM alpine:3.20\nCMD ['node', 'app.js']\n",
      'FROM alpine:3.20\nENTRYPOINT ["node" "app.js"]\n',
      'FROM alpine:3.20\nRUN ["apk", "add", "curl",]\n',
      'FROM alpine:3.20\nCOPY ["a.txt", "/app/"\n',
      'FROM alpine:3.20\nCMD ["node", "app.js"] # start the app\n',
      'FROM alpine:3.20\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/]\n',
      'FROM alpine:3.20\nVOLUME [/data]\n',
      'FROM alpine:3.20\nCMD [\n  "node", "app.js"\n]\n',
    ],
    pass: [
      'FROM alpine:3.20\nCMD ["node", "app.js"]\n',
      'FROM alpine:3.20\nRUN [ -f /etc/os-release ] && cat /etc/os-release\n',
      'FROM alpine:3.20\nRUN [ "$(uname -m)" = "x86_64" ] || exit 0\n',
      'FROM alpine:3.20\nSHELL ["/bin/bash", "-c"]\nRUN [[ -d /tmp ]] && echo ok\n',
      'FROM alpine:3.20\nCOPY [Dd]ockerfile /app/\n',
      'FROM alpine:3.20\nCMD [ "node", "app.js" ]\n',
    ],
  },
  ...perSyntaxTarget(undefined, (instruction, context, report) => {
    // Asked by name here rather than a merge of seven lists per run: few instructions have a JSON array.
    const json = instruction.json;
    if (!json || json.nonStringElement || !JSON_INSTRUCTIONS.has(instruction.name) || usesOtherFrontend(context)) return;
    const text = jsonText(instruction);
    const end = instruction.name === 'HEALTHCHECK' ? instruction.healthcheck?.command[0]?.range.end : instruction.argsRange?.end;
    const range = { start: json.range.start, end: Math.max(end ?? json.range.end, json.range.end) };
    if (json.trailing) {
      report({
        range: json.trailing.range,
        message: `Text after the JSON array ('${json.trailing.value}') makes it invalid JSON: Docker runs the whole line in shell form`,
      });
      return;
    }
    if (json.valid || text === undefined || !meantAsJson(instruction.name, text)) return;
    const fixed = /^\[\s*'[^'"\\]*'(?:\s*,\s*'[^'"\\]*')*\s*\]$/.test(text) ? text.replace(/'/g, '"') : undefined;
    const escape = context.model.ast.escapeChar;
    if (text.trim() === '[') {
      report({ range, message: `A JSON array cannot span lines unless each line ends with '${escape}': Docker reads '[' alone, in shell form` });
      return;
    }
    report({
      range,
      message: `This looks like a JSON array but is not valid JSON (${json.error ?? 'malformed'}): Docker uses the shell form instead`,
      ...(fixed ? { fixes: [{ title: 'Use double quotes', edits: [{ range, newText: fixed }] }] } : {}),
    });
  }, 'json'),
};

/** The arguments from `[` as Docker reads them (the HEALTHCHECK command after CMD). */
function jsonText(instruction: Instruction): string | undefined {
  if (instruction.name !== 'HEALTHCHECK') return instruction.argsText;
  const command = instruction.healthcheck?.command[0];
  if (!command || instruction.healthcheck?.type?.value.toUpperCase() !== 'CMD') return undefined;
  return command.value;
}

/**
 * Whether `[` starts a botched JSON array rather than shell text: a quote
 * right after `[`, or a comma-separated list, or (for commands) a closing `]`
 * with no space after `[`, which `[`, the test command, needs.
 */
function meantAsJson(name: string, text: string): boolean {
  const trimmed = text.trimEnd();
  const afterBracket = trimmed.slice(1);
  const quoteFirst = /^\s*["']/.test(afterBracket);
  const spaced = /^\s/.test(afterBracket);
  if (name === 'COPY' || name === 'ADD' || name === 'VOLUME') {
    return quoteFirst || (trimmed.endsWith(']') && (trimmed.includes(',') || trimmed.indexOf(']') === trimmed.length - 1));
  }
  if (afterBracket === '') return true; // `[` alone: the array continues on lines Docker never joins
  if (afterBracket.startsWith('[')) return false; // bash's [[ ... ]]
  if (!spaced) return trimmed.endsWith(']') || quoteFirst;
  // `[ "a", "b" ]`: the shell's test command takes no commas between its operands.
  return /^\s*["'][^"']*["']\s*,/.test(afterBracket);
}
