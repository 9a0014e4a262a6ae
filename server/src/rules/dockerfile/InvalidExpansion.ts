import { expansionSyntaxError, type Token } from '../../dockerfile';
import { NONE } from '../../dockerfile/none';
import type { Finding, Rule } from '../types';
import { perSyntaxTarget, usesOtherFrontend } from './_syntax';

/** Instructions whose arguments (in shell form) Docker expands word by word, quotes removed. */
const EXPANDED_ARGS = ['ADD', 'COPY', 'VOLUME', 'EXPOSE', 'WORKDIR', 'USER', 'STOPSIGNAL'];

/** What can make a word fail to expand: a quote, `$`, or the escape character. */
const SPECIAL_WITH_BACKSLASH = /["'$\\]/;
const SPECIAL_WITH_BACKTICK = /["'$`]/;

export const InvalidExpansion: Rule = {
  id: 'invalid-expansion',
  source: 'syntax',
  severity: 'error',
  summary: 'A word Docker expands has an unterminated quote or a malformed ${…}.',
  docs: `Docker reads the arguments of \`FROM\`, \`ENV\`, \`LABEL\`, \`ARG\`, \`COPY\`, \`ADD\`, \`WORKDIR\`, \`USER\`, \`EXPOSE\`, \`VOLUME\` and \`STOPSIGNAL\` the way a shell reads a word: it removes quotes and substitutes variables. A quote that is never closed (\`WORKDIR "/app\`) or a substitution it cannot read (\`\${NAME\` without its \`}\`, \`\${NAME!x}\`) fails the build with "failed to process", whatever the variables hold. Close the quote, or escape it (\`\\"\`) when it is meant literally. RUN, CMD and ENTRYPOINT are left to the shell (and ShellCheck); words in JSON form are not checked.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nWORKDIR "/app\n',
      'FROM alpine:3.20\nENV GREETING="hello world\n',
      "FROM alpine:3.20\nCOPY it's.txt /srv/\n",
      'FROM alpine:3.20\nARG VERSION\nLABEL version=${VERSION\n',
      'FROM alpine:3.20\nENV LEVEL=${DEBUG!x}\n',
    ],
    pass: [
      'FROM alpine:3.20\nWORKDIR "/my app"\n',
      'FROM alpine:3.20\nENV GREETING="hello world" QUOTE=\\"\n',
      'FROM alpine:3.20\nLABEL description="it\'s fine"\n',
      'FROM alpine:3.20\nARG VERSION\nLABEL version=${VERSION:-dev}\n',
      // Whether REQUIRED is set is known only at build time.
      'FROM alpine:3.20\nARG REQUIRED\nENV VALUE=${REQUIRED:?required}\n',
      'FROM alpine:3.20\nRUN echo "unterminated\nCMD ["echo", "it\'s"]\n',
    ],
  },
  ...perSyntaxTarget(['FROM', 'ENV', 'LABEL', 'ARG', ...EXPANDED_ARGS], (instruction, context, report) => {
    const escapeChar = context.model.ast.escapeChar;
    // Most instructions have no quote, `$` or escape character at all: one native search of the line instead of a loop per word.
    if (!(escapeChar === '`' ? SPECIAL_WITH_BACKTICK : SPECIAL_WITH_BACKSLASH).test(instruction.argsText) || usesOtherFrontend(context)) return;
    switch (instruction.name) {
      case 'FROM':
        checkWord(instruction.from?.image, escapeChar, report);
        break;
      case 'ENV':
      case 'LABEL':
      case 'ARG':
        for (const pair of instruction.keyValues ?? NONE) {
          checkWord(pair.key, escapeChar, report);
          checkWord(pair.value, escapeChar, report);
        }
        break;
      default:
        // Words of the JSON form are strings already: a quote in one is a character.
        if (instruction.form !== 'exec') for (const word of instruction.args) checkWord(word, escapeChar, report);
    }
  }),
};

function checkWord(word: Token | undefined, escapeChar: string, report: (finding: Finding) => void): void {
  if (word === undefined) return;
  const error = expansionSyntaxError(word.value, escapeChar);
  if (error !== undefined) report({ range: word.range, message: `Docker cannot process ${word.value}: ${error}` });
}
