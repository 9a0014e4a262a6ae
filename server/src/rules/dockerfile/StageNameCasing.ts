import { isReservedStageName, isValidStageName } from '../../dockerfile';
import type { TextEdit, Rule } from '../types';

export const StageNameCasing: Rule = {
  id: 'StageNameCasing',
  source: 'buildkit',
  severity: 'warning',
  summary: 'Stage names should be lowercase.',
  docs: `Stage names are case-insensitive: \`FROM base\`, \`COPY --from=BASE\` and \`AS Base\` all mean the same stage. Writing them in lowercase everywhere avoids the impression that \`Build\` and \`build\` are different stages. The quick fix lowercases the name and every reference to it written literally (\`FROM\`, \`COPY --from\`, \`RUN --mount=from=\`). A name Docker refuses altogether (\`AS \${NAME}\`, \`AS Scratch\`) is reported by invalid-stage-name or DL3063 instead, as lowercasing it would not help.`,
  examples: {
    fire: ['FROM alpine:3.20 AS Build\nRUN echo hello\n', 'FROM golang:1.23 AS BUILDER\nFROM alpine:3.20\nCOPY --from=BUILDER /out /app\n'],
    pass: ['FROM alpine:3.20 AS build\n', 'FROM alpine:3.20 AS build-2\nFROM build-2\n', 'FROM Alpine:3.20\n', 'ARG NAME=build\nFROM alpine:3.20 AS ${NAME}\n', 'FROM alpine:3.20 AS Scratch\n'],
  },
  check(context, report) {
    for (const stage of context.model.stages) {
      const token = stage.nameToken;
      if (!token || token.value === token.value.toLowerCase()) continue;
      if (!isValidStageName(token.value) || isReservedStageName(token.value)) continue;
      const lower = token.value.toLowerCase();
      const edits: TextEdit[] = [{ range: token.range, newText: lower }];
      const seen = new Set<number>([token.range.start]);
      for (const reference of stage.usedBy) {
        if (reference.text.includes('$') || seen.has(reference.range.start)) continue;
        if (reference.text === reference.text.toLowerCase()) continue;
        seen.add(reference.range.start);
        edits.push({ range: reference.range, newText: reference.text.toLowerCase() });
      }
      report({
        range: token.range,
        message: `Stage name '${token.value}' should be lowercase: stage names are case-insensitive, write '${lower}'`,
        fixes: [{ title: `Rename the stage to '${lower}'${edits.length > 1 ? ' and update its references' : ''}`, edits }],
      });
    }
  },
};
