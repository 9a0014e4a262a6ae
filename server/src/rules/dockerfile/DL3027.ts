import type { Instruction } from '../../dockerfile';
import { positionalArgs } from '../../shell';
import { perInstruction } from '../context';
import type { Fix, Rule } from '../types';

export const DL3027: Rule = {
  id: 'DL3027',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead.',
  docs: `\`apt\` is the interactive front end: its output and behaviour may change between releases and it warns that it "does not have a stable CLI interface" when used in scripts. In a Dockerfile use \`apt-get\` (install, remove, update…) or \`apt-cache\` (search, show, policy…), whose behaviour is stable. The quick fix swaps the program where the other one has the same subcommand.`,
  examples: {
    fire: ['FROM debian:12\nRUN apt update && apt install -y curl\n', 'FROM debian:12\nRUN sudo apt search libssl\n'],
    pass: ['FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', 'FROM debian:12\nRUN apt-cache policy curl\n', 'FROM debian:12\nRUN echo apt install\n'],
  },
  ...perInstruction({
    commands: ['apt'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { script, tool, name } of context.commandsOf(instruction)) {
        if (name !== 'apt' || !tool.name) continue;
        const editable = script.origin !== 'exec-form' || rawMatchesValue(context.text, instruction);
        const sub = positionalArgs(tool, APT_OPTIONS_WITH_VALUES)[0]?.value;
        const replacement = sub === undefined ? undefined : APT_GET.has(sub) ? 'apt-get' : APT_CACHE.has(sub) ? 'apt-cache' : undefined;
        const fixes: Fix[] = [];
        if (replacement && editable && !tool.name.quoted && context.text.slice(tool.name.docRange.end - 3, tool.name.docRange.end) === 'apt') {
          // Keep a directory prefix (/usr/bin/apt → /usr/bin/apt-get): only the last path component changes.
          const end = tool.name.docRange.end;
          fixes.push({ title: `Use ${replacement} ${sub}`, edits: [{ range: { start: end - 3, end }, newText: replacement }] });
        }
        report({
          range: tool.name.docRange,
          message: replacement
            ? `Do not use apt in scripts: use ${replacement} ${sub}, whose interface is stable`
            : 'Do not use apt in scripts: use apt-get or apt-cache, whose interfaces are stable',
          fixes,
        });
      }
    },
  }),
};

const APT_OPTIONS_WITH_VALUES = ['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture'];
/** Subcommands that mean the same with apt-get (`upgrade` differs: apt's also installs new dependencies). */
const APT_GET = new Set(['install', 'remove', 'purge', 'update', 'autoremove', 'dist-upgrade', 'clean', 'autoclean', 'build-dep', 'source', 'download']);
const APT_CACHE = new Set(['search', 'show', 'showsrc', 'policy', 'depends', 'rdepends']);

/** The `sh -c` string of an exec-form RUN has no escapes, so script offsets are document offsets. */
function rawMatchesValue(text: string, instruction: Instruction): boolean {
  const script = instruction.args[2];
  return script !== undefined && text.slice(script.range.start + 1, script.range.end - 1) === script.value;
}
