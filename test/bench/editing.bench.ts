// Editing features on a 2,000-line Dockerfile: completion, hover and full
// semantic tokens, median and p99 over many positions, each run on the model
// the server keeps for the current text (as in the editor, after one keystroke).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateDockerfile } from './generate';
import { table } from './measure';

const text = generateDockerfile(2000);
const document = TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 1, text);
const service = getLanguageService();
service.validate(document); // builds and caches the model, as the server does on open

function percentiles(run: (i: number) => void, rounds: number): [number, number] {
  for (let i = 0; i < 50; i++) run(i);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return [samples[samples.length >> 1]!, samples[Math.floor(samples.length * 0.99)]!];
}

// Positions spread over the file: after `$` in variables, in instruction keywords, in flags.
const positions: { line: number; character: number }[] = [];
const lines = text.split('\n');
for (let line = 0; line < lines.length; line += 7) {
  const dollar = lines[line]!.indexOf('$');
  positions.push({ line, character: dollar >= 0 ? dollar + 1 : Math.min(2, lines[line]!.length) });
}

const rows: (string | number)[][] = [['feature (2,000 lines)', 'median ms', 'p99 ms', 'target p99']];
rows.push(['completion', ...percentiles((i) => service.complete(document, positions[i % positions.length]!, { snippetSupport: true }), 1000), '< 10']);
rows.push(['hover', ...percentiles((i) => service.hover(document, positions[i % positions.length]!), 1000), '< 10']);
rows.push(['semantic tokens (full)', ...percentiles(() => service.semanticTokens(document), 100), '< 20']);
console.log(table(rows));
