import type { TextRange } from '../../dockerfile';
import { perInstruction } from '../context';
import type { Rule } from '../types';

export const NoEmptyContinuation: Rule = {
  id: 'NoEmptyContinuation',
  source: 'buildkit',
  severity: 'warning',
  summary: 'Empty continuation lines will become errors in a future release.',
  docs: `Inside an instruction continued with \`\\\`, an empty (or whitespace-only) line is skipped today, but Docker has announced it will become an error. It usually means a line of the instruction was deleted and the continuation left dangling. Remove the empty line (the quick fix does), or end the instruction before it.`,
  examples: {
    fire: ['FROM alpine:3.20\nRUN apk add --no-cache \\\n\n    curl\n', 'FROM alpine:3.20\nCOPY a \\\n   \n  /dest/\n'],
    pass: ['FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl\n\nRUN echo done\n', 'FROM alpine:3.20\nRUN apk add --no-cache \\\n# a comment line is fine\n    curl\n'],
  },
  ...perInstruction({
    triggers: false,
    having: 'emptyContinuationLines',
    visit(instruction, context, report) {
      const empty = instruction.emptyContinuationLines;
      const text = context.text;
      report({
        range: wholeLine(text, empty[0]!),
        message: `Empty continuation line in ${instruction.keyword}: Docker will reject this in a future release`,
        fixes: [
          {
            title: empty.length > 1 ? 'Remove the empty continuation lines' : 'Remove the empty continuation line',
            edits: empty.map((range) => ({ range: wholeLine(text, range), newText: '' })),
          },
        ],
      });
    },
  }),
};

/** The empty line with its line break, so the edit removes the line itself. */
function wholeLine(text: string, range: TextRange): TextRange {
  let end = range.end;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { start: range.start, end };
}
