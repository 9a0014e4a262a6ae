import type { Instruction } from '../../dockerfile';
import { perStage, type RuleContext } from '../context';
import type { Finding, Rule } from '../types';

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
      // Tools seen so far in the stage (CURL | WGET bits), with ONBUILD triggers kept apart.
      let run = 0;
      let onbuild = 0;
      for (const instruction of instructions) {
        if (instruction.name === 'RUN') {
          const tools = toolsUsed(context, instruction);
          if (tools !== 0 && (run |= tools) === BOTH) reportFirstUse(context, instruction, report);
        }
        const trigger = instruction.trigger;
        if (trigger?.name === 'RUN') {
          const tools = toolsUsed(context, trigger);
          if (tools !== 0 && (onbuild |= tools) === BOTH) reportFirstUse(context, trigger, report);
        }
      }
    },
  }),
};

const CURL = 1;
const WGET = 2;
const BOTH = CURL | WGET;

/** The tools a RUN uses, as CURL | WGET bits (a fact: every RUN is asked on every run). */
function toolsUsed(context: RuleContext, instruction: Instruction): number {
  return context.fact(instruction, 'DL4001 tool bits', () => {
    let tools = 0;
    // A command with a name has its name word: only the name is read.
    const commands = context.commandsOf(instruction);
    for (let i = 0; i < commands.length; i++) {
      const name = commands[i]!.name;
      if (name === 'curl') tools |= CURL;
      else if (name === 'wget') tools |= WGET;
    }
    return tools;
  });
}

/** Reports the RUN's first use of either tool, naming the other. */
function reportFirstUse(context: RuleContext, instruction: Instruction, report: (finding: Finding) => void): void {
  for (const { tool: command, name } of context.commandsOf(instruction)) {
    if ((name !== 'curl' && name !== 'wget') || !command.name) continue;
    report({
      range: command.name.docRange,
      message: `Either use wget or curl but not both: this stage uses ${name === 'curl' ? 'wget' : 'curl'} as well as ${name}`,
    });
    return;
  }
}
