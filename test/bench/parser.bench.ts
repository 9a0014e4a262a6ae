// The parser's worst cases: figures for the "1 MB line" and "100,000 continuation
// lines" goals, which unit tests check for correctness only.
import { analyzeDockerfile, parseDockerfile } from '../../server/src/dockerfile';
import { parseShell } from '../../server/src/shell';
import { measure, table } from './measure';

// An incremental parse moves every instruction after the edit: here one of 112,000 words.
const EXPOSE_BELOW = 'FROM a\nEXPOSE ' + '8080/tcp '.repeat(112_000) + '\n';
const EXPOSE_BELOW_TREE = parseDockerfile(EXPOSE_BELOW);
const cases: [string, () => void][] = [
  ['1 MB RUN line', () => parseDockerfile('RUN ' + 'echo $VAR ${X:-y} "a b" '.repeat(42_000))],
  ['1 MB EXPOSE line', () => parseDockerfile('EXPOSE ' + '8080/tcp '.repeat(112_000))],
  ['1 MB of heredoc markers', () => parseDockerfile('COPY ' + '<<EOF_MARKER '.repeat(80_000))],
  ['100,000 continuation lines', () => parseDockerfile('RUN echo start \\\n' + '    && echo $LINE \\\n'.repeat(100_000) + '    && echo end\n')],
  ['a keystroke above a 1 MB EXPOSE line', () => parseDockerfile('FROM bb' + EXPOSE_BELOW.slice(6), { previous: EXPOSE_BELOW_TREE })],
  ['model of 100,000 continuation lines', () => analyzeDockerfile('FROM a\nRUN echo start \\\n' + '    && echo $LINE \\\n'.repeat(100_000) + '    && echo end\n')],
  ['1 MB shell script', () => parseShell('apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*\n'.repeat(13_000))],
];
const rows: (string | number)[][] = [['input', 'ms (median)']];
for (const [label, run] of cases) rows.push([label, measure(run, { minRounds: 5, minMs: 200 })]);
console.log('Parser worst cases (goal: each under 1,000 ms)\n');
console.log(table(rows));
