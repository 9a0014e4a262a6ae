import { allCommands, commandName, unwrap, type ParsedScript, type SimpleCommand } from '../../shell';
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
  check(context, report) {
    const topLevel = new Set(context.instructions);
    // Tools seen so far, per stage, with ONBUILD triggers kept apart.
    const seen = new Map<string, Set<Tool>>();
    for (const instruction of context.allInstructions()) {
      if (instruction.name !== 'RUN') continue;
      const uses = toolUses(context.scripts(instruction).map((script) => script.parsed));
      if (uses.length === 0) continue;
      const key = `${context.model.stageOf(instruction)?.index ?? -1}:${topLevel.has(instruction) ? 'run' : 'onbuild'}`;
      let tools = seen.get(key);
      if (!tools) seen.set(key, (tools = new Set()));
      for (const use of uses) tools.add(use.tool);
      if (tools.size < 2) continue;
      const first = uses[0]!;
      const other: Tool = first.tool === 'curl' ? 'wget' : 'curl';
      report({
        range: first.command.name!.docRange,
        message: `Either use wget or curl but not both: this stage uses ${other} as well as ${first.tool}`,
      });
    }
  },
};

function toolUses(scripts: ParsedScript[]): { tool: Tool; command: SimpleCommand }[] {
  const uses: { tool: Tool; command: SimpleCommand }[] = [];
  for (const script of scripts) {
    for (const found of allCommands(script)) {
      const command = unwrap(found);
      const name = commandName(command);
      if ((name === 'curl' || name === 'wget') && command.name) uses.push({ tool: name, command });
    }
  }
  return uses;
}
