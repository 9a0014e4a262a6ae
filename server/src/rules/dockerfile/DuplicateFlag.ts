import type { InstructionFlag } from '../../dockerfile';
import type { Rule } from '../types';
import { acceptedFlags, flagNameRange, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const DuplicateFlag: Rule = {
  id: 'duplicate-flag',
  source: 'syntax',
  severity: 'error',
  summary: 'A flag that may appear only once is given twice.',
  docs: `Only \`RUN --mount\`, \`RUN --device\` and \`--exclude\` may be repeated. Giving any other flag twice (\`COPY --from=a --from=b\`) stops the build with "duplicate flag specified". Keep the one you mean; when both copies are identical, the quick fix removes the second.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nCOPY --chown=app --chown=app src /app\n',
      'FROM alpine:3.20\nCOPY --from=build --from=test /out /out\n',
      'FROM --platform=linux/amd64 --platform=linux/arm64 alpine:3.20\n',
      'FROM alpine:3.20\nCOPY --link --link=false src /app\n',
    ],
    pass: [
      'FROM alpine:3.20\nRUN --mount=type=cache,target=/a --mount=type=cache,target=/b true\n',
      'FROM alpine:3.20\nCOPY --exclude=*.md --exclude=*.txt . /app\n',
      'FROM alpine:3.20\nCOPY --from=build --chown=app src /app\n',
    ],
  },
  ...perSyntaxTarget(undefined, (instruction, context, report) => {
    // Most instructions written with flags have one, which cannot repeat.
    const flags = instruction.flags;
    if (flags.length < 2 || usesOtherFrontend(context)) return;
    const accepted = acceptedFlags(instruction);
    if (!accepted) return;
    for (let index = 1; index < flags.length; index++) {
      const flag = flags[index]!;
      const kind = accepted.get(flag.name);
      if (kind === undefined || kind === 'strings') continue;
      // An instruction has a handful of flags: look back rather than build a table for each.
      let first: InstructionFlag | undefined;
      for (let before = 0; before < index && !first; before++) if (flags[before]!.name === flag.name) first = flags[before];
      if (!first) continue;
      const same = first.value === flag.value;
      report({
        range: flagNameRange(flag),
        message: `--${flag.name} is given more than once; ${instruction.name} accepts it only once`,
        ...(same ? { fixes: [{ title: `Remove the repeated --${flag.name}`, edits: [{ range: removalRange(context.text, flag.range), newText: '' }] }] } : {}),
      });
    }
  }, 'flags'),
};

/** The flag and the blanks before it, so the line reads naturally afterwards. */
function removalRange(text: string, range: { start: number; end: number }): { start: number; end: number } {
  let start = range.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: range.end };
}
