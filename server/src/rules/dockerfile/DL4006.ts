import type { Instruction } from '../../dockerfile';
import { commandName, isInside, pipefailChange, walkLists, type Command, type CommandList } from '../../shell';
import { newMap, perInstruction, type RuleContext, type RunCommand, type RunScript } from '../context';
import type { Rule } from '../types';

/** Shells whose `-o pipefail` hadolint trusts in SHELL (sh may be dash, which lacks it). */
const PIPEFAIL_SHELLS = ['bash', 'zsh', 'ash'];
/** Shells that are not POSIX shells at all: pipes there mean something else. */
const NON_POSIX_SHELLS = ['pwsh', 'powershell', 'cmd'];

function shellName(program: string | undefined): string {
  const path = program ?? '';
  // After the last `/` or `\`, lower case, without `.exe`.
  let start = path.length;
  while (start > 0 && path.charCodeAt(start - 1) !== 47 && path.charCodeAt(start - 1) !== 92) start--;
  const base = path.slice(start).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

/** `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, `["/bin/ash", "-eo", "pipefail", "-c"]`. */
export function shellSetsPipefail(shell: readonly string[]): boolean {
  return setsPipefail(shell, shellName(shell[0]));
}

function setsPipefail(shell: readonly string[], name: string): boolean {
  if (!PIPEFAIL_SHELLS.includes(name)) return false;
  for (let index = 1; index < shell.length - 1; index++) {
    const arg = shell[index]!;
    if (/^-[A-Za-z]*o[A-Za-z]*$/.test(arg) && shell[index + 1] === 'pipefail') return true;
  }
  return false;
}

/** A POSIX shell without pipefail set by SHELL; once per shell (the RUNs of a stage share theirs). */
function pipesMayFail(context: RuleContext, shell: readonly string[]): boolean {
  const known = context.memo(pipesMayFail, newMap<readonly string[], boolean>);
  let answer = known.get(shell);
  if (answer === undefined) {
    const name = shellName(shell[0]);
    known.set(shell, (answer = !NON_POSIX_SHELLS.includes(name) && !setsPipefail(shell, name)));
  }
  return answer;
}

/**
 * The first pipeline (in `pipelines` order) no `set -o pipefail` of the script
 * itself protects, as `isPipefailSet` with `before` the pipeline's start decides
 * over the context's commands of this script: no list of every pipeline, no
 * second walk for the commands.
 */
function firstUnprotectedPipeline(context: RuleContext, instruction: Instruction, script: RunScript): Command[] | undefined {
  const commands = context.commandsOf(instruction);
  let found: Command[] | undefined;
  walkLists(script.parsed, (list: CommandList) => {
    if (found) return;
    const members = list.commands;
    let start = 0;
    for (let index = 0; index <= members.length; index++) {
      if (index < members.length) {
        const operator = members[index]!.operator;
        if (operator === '|' || operator === '|&') continue;
      }
      const end = Math.min(index + 1, members.length);
      if (end - start > 1 && !pipefailSetBefore(commands, script, members[start]!.range.start)) {
        found = members.slice(start, end);
        return;
      }
      start = index + 1;
    }
  });
  return found;
}

/** `isPipefailSet(script.parsed, { before })` over the script's commands among `commands`. */
function pipefailSetBefore(commands: readonly RunCommand[], script: RunScript, before: number): boolean {
  let enabled = false;
  for (let i = 0; i < commands.length; i++) {
    const entry = commands[i]!;
    if (entry.script !== script) continue;
    const command = entry.command;
    if (command.range.start >= before) break;
    const change = pipefailChange(command);
    if (change !== undefined && command.substitutionDepth === 0 && !isInside(command, 'subshell')) enabled = change;
  }
  return enabled;
}

export function isNonPosixShell(shell: readonly string[]): boolean {
  return NON_POSIX_SHELLS.includes(shellName(shell[0]));
}

export const DL4006: Rule = {
  id: 'DL4006',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Set the SHELL option -o pipefail before RUN with a pipe in it.',
  docs: `A pipeline's exit status is that of its last command, so in \`RUN curl -fsSL https://example.com/install.sh | sh\` a failed download still lets the build go on. With \`pipefail\` any failing command fails the pipeline. Set it for every \`RUN\` with \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` (on Alpine without bash: \`SHELL ["/bin/ash", "-o", "pipefail", "-c"]\`), or start the script itself with \`set -o pipefail\` (bash, ash and zsh; not the dash of Debian's \`/bin/sh\`). A \`SHELL\` carries over to stages built \`FROM\` its stage. Not reported when \`SHELL\` is PowerShell or \`cmd\`.`,
  examples: {
    fire: [
      'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n',
      'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN wget -qO- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg\n',
      'FROM debian:12\nRUN ["/bin/bash", "-c", "ls /usr/lib | grep ssl"]\n',
    ],
    pass: [
      'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/install.sh | bash\n',
      'FROM alpine:3.20\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN wget -qO- https://example.com/x.tar.gz | tar -xz\n',
      'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN curl -fsSL https://example.com/install.sh | bash\n',
      'FROM alpine:3.20\nRUN set -euo pipefail && wget -qO- https://example.com/x.tar.gz | tar -xz\n',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-Process | Stop-Process\n',
    ],
  },
  ...perInstruction({
    names: ['RUN'],
    triggers: false,
    visit(instruction, context, report) {
      for (const script of context.scripts(instruction)) {
        // No `|`, no pipe: the walk below is only for scripts that may have one.
        if (!script.parsed.text.includes('|') || !pipesMayFail(context, script.shell)) continue;
        const unprotected = firstUnprotectedPipeline(context, instruction, script);
        if (!unprotected) continue;
        const first = unprotected[0]!;
        const last = unprotected[unprotected.length - 1]!;
        const name = first.type === 'simple' ? commandName(first) : undefined;
        report({
          range: { start: first.docRange.start, end: last.docRange.end },
          message: `Set -o pipefail (in SHELL, or with set -o pipefail) before this pipe: otherwise a failure of ${name ?? 'a command before the last'} goes unnoticed`,
        });
        return;
      }
    },
  }),
};
