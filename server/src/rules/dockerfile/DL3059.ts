import type { Instruction } from '../../dockerfile';
import { perStage, type RuleContext } from '../context';
import type { Rule } from '../types';

/** Commands a RUN runs (named simple commands at any depth); an exec form without a shell runs one. */
function commandCount(context: RuleContext, instruction: Instruction): number {
  return context.fact(instruction, 'DL3059 command count', () => {
    if (context.scripts(instruction).length === 0) return 1;
    let count = 0;
    for (const { command } of context.commandsOf(instruction)) if (command.name) count++;
    return count;
  });
}

/** Whether two RUNs have the same flags (in any order): RUNs with different mounts, network or security cannot be merged as they are. */
function sameFlags(one: Instruction, other: Instruction): boolean {
  if (one.flags.length !== other.flags.length) return false;
  return one.flags.length === 0 || flagsKey(one) === flagsKey(other);
}

function flagsKey(instruction: Instruction): string {
  return instruction.flags
    .map((flag) => `${flag.name}=${flag.value ?? ''}`)
    .sort()
    .join('\n');
}

export const DL3059: Rule = {
  id: 'DL3059',
  source: 'hadolint',
  severity: 'info',
  summary: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  docs: `Each \`RUN\` makes a layer. Short \`RUN\`s one after another (one or two commands each) usually belong together: joined with \`&&\` (or written as one heredoc) they make one layer and one cache step, and files deleted at the end are really gone from the image. Not reported when either \`RUN\` already runs more than two commands (that split looks deliberate), when their \`--mount\`, \`--network\` or \`--security\` flags differ, or when any other instruction stands between them (comments do not count).`,
  examples: {
    fire: ['FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n', 'FROM alpine:3.20\nRUN mkdir /app\n# then the config\nRUN touch /app/config\n'],
    pass: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      'FROM debian:12\nRUN apt-get update\nWORKDIR /app\nRUN make\n',
      'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt\nRUN python -m compileall .\n',
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN curl -fsSL https://example.com/x -o /x\n',
    ],
  },
  ...perStage({
    // Not a local rule (it compares neighbours); per-RUN facts spare unchanged RUNs a new parse after an edit.
    // A FROM stands between stages, so each stage (and what comes before the first FROM) is judged alone.
    preamble: true,
    visit(instructions, _stage, context, report) {
      // The last RUN that could be merged with the next one (hadolint keeps it across reported RUNs). Its
      // flags and command count are read only once another RUN follows it: most RUNs have no RUN right after them.
      let anchor: Instruction | undefined;
      let anchorCount = -1;
      for (const instruction of instructions) {
        if (instruction.name !== 'RUN') {
          anchor = undefined;
          continue;
        }
        if (!anchor) {
          anchor = instruction;
          anchorCount = -1;
          continue;
        }
        if (anchorCount < 0) anchorCount = commandCount(context, anchor);
        const count = commandCount(context, instruction);
        if (anchorCount > 2 || count > 2 || !sameFlags(anchor, instruction)) {
          anchor = instruction;
          anchorCount = count;
          continue;
        }
        report({ range: instruction.keywordRange, message: 'Multiple consecutive RUN instructions: consider joining this one with the RUN above' });
      }
    },
  }),
};
