import type { Instruction } from '../../dockerfile';
import type { SimpleCommand } from '../../shell';
import { perStage, type RuleContext } from '../context';
import type { Rule } from '../types';

type Tool = 'curl' | 'wget';

export const DL4001: Rule = {
  id: 'DL4001',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Either use Wget or Curl but not both.',
  docs: `\`curl\` and \`wget\` do the same job here; installing and using both in one stage means two tools to keep in the image, patch and learn the quirks of. Settle on one. Each stage is judged on its own, and so are the \`ONBUILD\` triggers; every \`RUN\` that uses either tool once the stage has used both is reported.`,
  examples: {
    fire: ['FROM debian:12\nRUN curl -fsSL https://example.com/a -o /a\nRUN wget -q https://example.com/b\n', 'FROM debian:12\nRUN curl -fsSLO https://example.com/a && wget -q https://example.com/b\n'],
    pass: [
      'FROM debian:12\nRUN curl -fsSLO https://example.com/a && curl -fsSLO https://example.com/b\n',
      'FROM debian:12 AS fetch\nRUN wget -q https://example.com/a\nFROM debian:12\nRUN curl -fsSLO https://example.com/b\n',
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl wget\n',
    ],
  },
  ...perStage({
    // Not a local rule (a RUN is reported for what other RUNs of its stage use); per-RUN facts spare unchanged RUNs a new parse.
    // RUNs before the first FROM are judged together, as a stage of their own.
    preamble: true,
    visit(instructions, _stage, context, report) {
      // Tools seen so far in the stage, with ONBUILD triggers kept apart.
      const seen = { run: new Set<Tool>(), onbuild: new Set<Tool>() };
      const visit = (instruction: Instruction, onbuild: boolean) => {
        if (instruction.name !== 'RUN') return;
        const tools = toolsUsed(context, instruction);
        if (tools.length === 0) return;
        const inStage = onbuild ? seen.onbuild : seen.run;
        for (const tool of tools) inStage.add(tool);
        if (inStage.size < 2) return;
        const first = toolUses(context, instruction)[0]!;
        const other: Tool = first.tool === 'curl' ? 'wget' : 'curl';
        report({
          range: first.command.name!.docRange,
          message: `Either use wget or curl but not both: this stage uses ${other} as well as ${first.tool}`,
        });
      };
      for (const instruction of instructions) {
        visit(instruction, false);
        if (instruction.trigger) visit(instruction.trigger, true);
      }
    },
  }),
};

/** The tools a RUN uses, in order of first use (a fact: every RUN is asked on every run). */
function toolsUsed(context: RuleContext, instruction: Instruction): Tool[] {
  const used = context.fact(instruction, 'DL4001 tools', () => [...new Set(toolUses(context, instruction).map((use) => use.tool))].join(' '));
  return used === '' ? [] : (used.split(' ') as Tool[]);
}

function toolUses(context: RuleContext, instruction: Instruction): { tool: Tool; command: SimpleCommand }[] {
  const uses: { tool: Tool; command: SimpleCommand }[] = [];
  for (const { tool: command, name } of context.commandsOf(instruction)) {
    if ((name === 'curl' || name === 'wget') && command.name) uses.push({ tool: name, command });
  }
  return uses;
}
