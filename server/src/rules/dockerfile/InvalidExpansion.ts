import { expansionSyntaxError, type Token } from '../../dockerfile';
import { NONE } from '../../dockerfile/none';
import type { Finding, Fix, Rule } from '../types';
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
  docs: `Docker reads the arguments of \`FROM\`, \`ENV\`, \`LABEL\`, \`ARG\`, \`COPY\`, \`ADD\`, \`WORKDIR\`, \`USER\`, \`EXPOSE\`, \`VOLUME\` and \`STOPSIGNAL\` the way a shell reads a word: it removes quotes and substitutes variables. A quote that is never closed (\`WORKDIR "/app\`) or a substitution it cannot read (\`\${NAME\` without its \`}\`, \`\${NAME!x}\`) fails the build with "failed to process", whatever the variables hold. Close the quote, or escape it (\`\\"\`) when it is meant literally: the quick fixes offer both. RUN, CMD and ENTRYPOINT are left to the shell (and ShellCheck); words in JSON form are not checked.`,
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
  if (error !== undefined) report({ range: word.range, message: `Docker cannot process ${word.value}: ${error}`, fixes: quoteFixes(word, escapeChar) });
}

/**
 * For a quote left open: close it at the end of the word, or escape it (`it\'s.txt`), each
 * offered only when the word then expands. Only for a word written on one line, whose
 * offsets in the document are its own.
 */
function quoteFixes(word: Token, escapeChar: string): Fix[] {
  const text = word.value;
  if (word.range.end - word.range.start !== text.length) return [];
  const open = openQuoteAt(text, escapeChar.charCodeAt(0));
  if (open < 0) return [];
  const quote = text[open]!;
  const fixes: Fix[] = [];
  if (expansionSyntaxError(text + quote, escapeChar) === undefined) {
    fixes.push({ title: `Close the quote: ${text}${quote}`, edits: [{ range: { start: word.range.end, end: word.range.end }, newText: quote }] });
  }
  // Not when the quote holds a blank: once escaped, the blank would split the word in two.
  const escaped = `${text.slice(0, open)}${escapeChar}${text.slice(open)}`;
  if (!/\s/.test(text) && expansionSyntaxError(escaped, escapeChar) === undefined) {
    const escape: Fix = { title: `Escape the quote: ${escaped}`, edits: [{ range: { start: word.range.start + open, end: word.range.start + open }, newText: escapeChar }] };
    // A quote inside a word (it's.txt) is more likely meant literally; one that opens the word, more likely left open.
    if (open > 0) fixes.unshift(escape);
    else fixes.push(escape);
  }
  return fixes;
}

/** Where the quote still open at the end of `text` starts, read as Docker reads quotes; -1 when none is. */
function openQuoteAt(text: string, escape: number): number {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (open >= 0) {
      const quote = text.charCodeAt(open);
      if (code === quote) open = -1;
      // In double quotes the escape character keeps the next character (a quote, `$`, itself) from ending them.
      else if (quote === 0x22 && code === escape) i++;
    } else if (code === escape) i++;
    else if (code === 0x22 || code === 0x27) open = i;
  }
  return open;
}
