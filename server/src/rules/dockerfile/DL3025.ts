import type { Instruction } from '../../dockerfile';
import { parseShell, type Word } from '../../shell';
import { perInstruction, type RuleContext } from '../context';
import type { Fix, Rule } from '../types';

export const DL3025: Rule = {
  id: 'DL3025',
  source: 'hadolint',
  severity: 'warning',
  aliases: ['JSONArgsRecommended'],
  summary: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments.',
  docs: `In shell form (\`CMD node server.js\`) Docker runs the command as \`/bin/sh -c "node server.js"\`: the shell is then usually PID 1, and signals such as \`SIGTERM\` from \`docker stop\` go to the shell, not to your program, which then gets killed after the timeout instead of shutting down cleanly. The JSON (exec) form \`CMD ["node", "server.js"]\` runs the program directly.

When the command is a plain list of words (no variables, pipes, redirections or globs), the quick fix rewrites it in JSON form, dropping a leading \`exec\`. Note that with the exec form an \`ENTRYPOINT\` receives the \`CMD\` as extra arguments, which the shell form ignored. If you do need a shell, keep the shell form and silence the rule, or write a script and run that.

BuildKit reports the same thing as \`JSONArgsRecommended\`; \`# check=skip=JSONArgsRecommended\` silences this rule too. (Unlike BuildKit, and like hadolint, this rule also reports stages that set \`SHELL\`.)`,
  examples: {
    fire: ['FROM node:22\nCMD node server.js\n', 'FROM nginx:1.27\nENTRYPOINT exec nginx -g "daemon off;"\n', 'FROM alpine:3.20\nCMD ["sleep", infinity]\n'],
    pass: ['FROM node:22\nCMD ["node", "server.js"]\n', 'FROM nginx:1.27\nENTRYPOINT ["nginx", "-g", "daemon off;"]\n', 'FROM alpine:3.20\nCMD [ "sleep", "infinity" ]\n'],
  },
  ...perInstruction({
    names: ['CMD', 'ENTRYPOINT'],
    triggers: true,
    visit(instruction, context, report) {
      if (instruction.form === 'exec' || !instruction.argsRange || instruction.args.length === 0) return;
      const fix = jsonFormFix(context, instruction);
      report({
        range: instruction.argsRange,
        message: `${instruction.name} in shell form runs under a shell that does not pass on signals such as SIGTERM: use the JSON form ${instruction.name} ["executable", "arg"…]`,
        fixes: fix ? [fix] : [],
      });
    },
  }),
};

const SH_LIKE = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

/** Shell built-ins and keywords that have no executable of their own, so an exec-form array cannot run them. */
const SHELL_ONLY = new Set([
  '.', ':', 'alias', 'break', 'builtin', 'cd', 'command', 'continue', 'declare', 'eval', 'exit', 'export', 'getopts', 'hash',
  'let', 'local', 'read', 'readonly', 'return', 'set', 'shift', 'source', 'times', 'trap', 'type', 'typeset', 'ulimit',
  'umask', 'unalias', 'unset', 'wait',
]);

/** Characters whose unquoted meaning the exec form would lose (globs, tilde, brace lists). */
const SHELL_SPECIAL = /[*?[\]{}~]/;

function jsonFormFix(context: RuleContext, instruction: Instruction): Fix | undefined {
  const line = instruction.args[0];
  const range = instruction.argsRange;
  if (!line || !range || instruction.json || instruction.innerComments.length > 0) return undefined;
  const shell = context.stateAt(instruction).shell.command;
  if (shell.length !== 2 || !SH_LIKE.test(shell[0] ?? '') || shell[1] !== '-c') return undefined;
  const parsed = parseShell(line.value);
  if (parsed.problems.length > 0 || parsed.comments.length > 0 || parsed.lists.length !== 1) return undefined;
  const commands = parsed.lists[0]!.commands;
  const command = commands[0];
  if (commands.length !== 1 || !command || command.type !== 'simple' || !command.name) return undefined;
  if (command.negated || command.assignments.length > 0 || command.redirects.length > 0) return undefined;
  if (command.operator !== undefined && command.operator !== ';' && command.operator !== 'newline') return undefined;
  let words: Word[] = [command.name, ...command.args];
  if (words.some((word) => word.value === undefined || hasSpecialUnquoted(word))) return undefined;
  if (!command.name.quoted && command.name.value === 'exec') {
    words = words.slice(1);
    if (words.length === 0 || words[0]!.value!.startsWith('-')) return undefined;
  }
  const program = words[0]!.value!;
  if (program === '' || SHELL_ONLY.has(program)) return undefined;
  const json = `[${words.map((word) => JSON.stringify(word.value)).join(', ')}]`;
  return { title: `Rewrite as ${instruction.name} ${json}`, edits: [{ range, newText: json }] };
}

function hasSpecialUnquoted(word: Word): boolean {
  return word.parts.some((part) => part.kind === 'literal' && SHELL_SPECIAL.test(part.text));
}
