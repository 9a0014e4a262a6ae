import type { Instruction } from '../../dockerfile';
import { perStage } from '../context';
import type { Rule } from '../types';
import { closestInstruction, usesOtherFrontend } from './_syntax';

export const UnknownInstruction: Rule = {
  id: 'unknown-instruction',
  source: 'syntax',
  severity: 'error',
  summary: 'The keyword is not a Dockerfile instruction.',
  docs: `Docker stops with "unknown instruction" when a line starts with a word that is not one of the Dockerfile instructions (\`FROM\`, \`RUN\`, \`COPY\`…). This is usually a typo in the keyword, or a line that was meant to continue the previous instruction but lost its trailing \`\\\` (the next line then starts a new, bogus instruction). When the word is close to a real instruction, the quick fix replaces it. An unknown instruction inside \`ONBUILD\` is accepted when this image is built, but every build \`FROM\` it then fails.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nRUNN echo hello\n',
      'FROM alpine:3.20\nRUN apk add curl &&\n    curl --version\n',
      'FROM alpine:3.20\nONBUILD COPPY . /app\n',
    ],
    pass: [
      'FROM alpine:3.20\nRUN apk add curl && \\\n    curl --version\n',
      'from alpine:3.20\nworkdir /app\n',
      'FROM alpine:3.20\nONBUILD COPY . /app\n',
      '# syntax=example.com/custom/frontend:1\nFROM alpine:3.20\nBUILDSTEP x\n',
    ],
  },
  ...perStage({
    // A stage starts with its FROM, so "any instruction before" is the same question within the stage.
    preamble: true,
    visit(instructions, _stage, context, report) {
      if (usesOtherFrontend(context)) return;
      const escape = context.model.ast.escapeChar;
      const visit = (instruction: Instruction, onbuild: Instruction | undefined, before: Instruction | undefined) => {
        if (instruction.known || instruction.name === '') return;
        const keyword = instruction.keyword;
        const suggestion = closestInstruction(keyword);
        let message = `Unknown instruction '${keyword}'`;
        if (suggestion) message += ` (did you mean ${suggestion}?)`;
        if (onbuild) {
          message += ': every build FROM this image will fail on this ONBUILD trigger';
        } else if (!suggestion && before && looksLikeContinuation(context.text, instruction.keywordRange.start, keyword)) {
          message += `: if this line continues the previous instruction, end that line with '${escape}'`;
        }
        report({
          range: instruction.keywordRange,
          message,
          ...(suggestion
            ? { fixes: [{ title: `Change '${keyword}' to '${suggestion}'`, edits: [{ range: instruction.keywordRange, newText: suggestion }] }] }
            : {}),
        });
      };
      // Not a local rule: the hint depends on whether any instruction comes before.
      let previous: Instruction | undefined;
      for (const instruction of instructions) {
        visit(instruction, undefined, previous);
        previous = instruction;
        if (instruction.trigger) visit(instruction.trigger, instruction, previous);
      }
    },
  }),
};

/** An indented line, or one starting with a shell operator or option, reads as a lost continuation. */
function looksLikeContinuation(text: string, keywordStart: number, keyword: string): boolean {
  const lineStart = text.lastIndexOf('\n', keywordStart - 1) + 1;
  const indent = text.slice(lineStart, keywordStart);
  return (indent.length > 0 && indent.trim() === '') || /^(?:&&|\|\||[|;&\-"'\]])/.test(keyword);
}
