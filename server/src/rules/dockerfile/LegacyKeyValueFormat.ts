import { perInstruction } from '../context';
import type { Rule } from '../types';
import { singleLineText } from './_buildkit';

const isSpace = (char: string) => char === ' ' || char === '\t';

/**
 * The legacy value as one word of the `key=value` form, meaning the same
 * after Docker's quote removal: unchanged when it has no whitespace outside
 * quotes; in double quotes when it is plain text; otherwise each unquoted
 * blank is escaped. Undefined when a quote is left open.
 */
function asSingleWord(value: string, escapeChar: string): string | undefined {
  let quote = '';
  let blankOutsideQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quote) {
      if (char === quote) quote = '';
      else if (quote === '"' && char === escapeChar) i++;
    } else if (char === escapeChar) {
      i++;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (isSpace(char)) {
      blankOutsideQuotes = true;
    }
  }
  if (quote) return undefined; // an unterminated quote: leave it to the user
  if (!blankOutsideQuotes) return value;
  if (!/["']/.test(value) && !value.includes(escapeChar)) return `"${value}"`;
  let out = '';
  quote = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quote) {
      out += char;
      if (char === quote) quote = '';
      else if (quote === '"' && char === escapeChar && i + 1 < value.length) out += value[++i];
    } else if (char === escapeChar) {
      out += char;
      if (i + 1 < value.length) out += value[++i];
    } else {
      if (char === '"' || char === "'") quote = char;
      out += isSpace(char) ? `${escapeChar}${char}` : char;
    }
  }
  return out;
}

export const LegacyKeyValueFormat: Rule = {
  id: 'LegacyKeyValueFormat',
  source: 'buildkit',
  severity: 'warning',
  summary: 'ENV and LABEL should use the key=value form, not the legacy whitespace-separated form.',
  docs: `\`ENV key value\` is the legacy form: everything after the first blank is the value, so \`ENV PATH /opt/bin:$PATH EXTRA 1\` silently sets one variable to a long string, and one instruction can set only one variable. Write \`ENV key=value\` (quote values with spaces: \`ENV GREETING="hello world"\`). The quick fix rewrites the pair, quoting the value when it contains blanks.`,
  examples: {
    fire: ['FROM alpine:3.20\nENV APP_HOME /app\n', 'FROM alpine:3.20\nLABEL maintainer Jane Doe\n'],
    pass: ['FROM alpine:3.20\nENV APP_HOME=/app\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe"\n', 'FROM alpine:3.20\nENV A=1 B="two words"\n'],
  },
  ...perInstruction({
    names: ['ENV', 'LABEL'],
    triggers: false,
    visit(instruction, context, report) {
      const escapeChar = context.model.ast.escapeChar;
      if (instruction.keyValueForm !== 'legacy') return;
      for (const pair of instruction.keyValues ?? []) {
        if (!pair.value) continue;
        const key = pair.key.value;
        const value = asSingleWord(pair.value.value, escapeChar);
        // Rewritten only when the key is a plain word and the pair sits on one line (no continuation or comment lost).
        const plainKey = /^[^\s"'$=]+$/.test(key) && !key.includes(escapeChar);
        const replacement = value !== undefined && plainKey && singleLineText(context, pair.range) !== undefined ? `${key}=${value}` : undefined;
        report({
          range: pair.range,
          message: `${instruction.keyword} ${key} ${pair.value.value} uses the legacy "key value" form: write ${instruction.keyword} ${replacement ?? `${key}=<value>`}`,
          ...(replacement ? { fixes: [{ title: `Write ${instruction.keyword} ${replacement}`, edits: [{ range: pair.range, newText: replacement }] }] } : {}),
        });
      }
    },
  }),
};
