// berth's Dockerfile diagnostics (full rule set) against dockerfile-utils'
// validator, the one inside today's Dockerfile language server, on the same files.
import { spawnSync } from 'node:child_process';
import { validate as dockerfileUtilsValidate } from 'dockerfile-utils';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildModel, parseDockerfile } from '../../server/src/dockerfile';
import { getLanguageService, toLspDiagnostics } from '../../server/src/service/languageService';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS } from '../../server/src/rules/settings';
import { generateDockerfile } from './generate';
import { measure, measureRuns, table } from './measure';

const files = ([['small', 20], ['medium', 200], ['large multi-stage', 2000]] as const).map(([label, lines]) => ({ label, text: generateDockerfile(lines) }));
// A new service each time: a first lint, with nothing kept from an earlier version of the file.
const berthLint = (text: string) => getLanguageService().validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 1, text));

// `--default-flags-child`: the first lint of the large file only, printed as JSON, for the parent to show
// what the language server's Node flags (which npm run bench starts this file with) change.
if (process.argv[2] === '--default-flags-child') {
  const large = files[2]!.text;
  const warm = performance.now();
  while (performance.now() - warm < 3000) (berthLint(large), dockerfileUtilsValidate(large));
  const berth = measureRuns(() => berthLint(large), { minMs: 1500 });
  const peer = measureRuns(() => dockerfileUtilsValidate(large), { minMs: 1500 });
  console.log(JSON.stringify({ berth, peer }));
  process.exit(0);
}
// `--cold-child TOOL INDEX`: one lint of one file in a fresh process, printed as its ms: what a user
// waits for when the server has just started and nothing is compiled yet.
if (process.argv[2] === '--cold-child') {
  const text = files[Number(process.argv[4])]!.text;
  const started = performance.now();
  if (process.argv[3] === 'berth') berthLint(text);
  else dockerfileUtilsValidate(text);
  console.log(performance.now() - started);
  process.exit(0);
}
// Both tools run every file, interleaved, until the JIT has settled: measured
// one after the other, whichever ran first would pay for compiling its code
// (over a hundred rules here) inside its figures.
const warmUp = performance.now();
while (performance.now() - warmUp < 3000) for (const { text } of files) (berthLint(text), dockerfileUtilsValidate(text));
const rows: (string | number)[][] = [['file', 'lines', 'berth ms', 'dockerfile-utils ms', 'speed-up', 'berth best', 'peer best']];
for (const { label, text } of files) {
  const berth = measureRuns(() => berthLint(text), { minMs: 1000 });
  const peer = measureRuns(() => dockerfileUtilsValidate(text), { minMs: 1000 });
  rows.push([label, text.split('\n').length, berth.median, peer.median, `${(peer.median / berth.median).toFixed(1)}x`, berth.best, peer.best]);
}
console.log(`Dockerfile diagnostics, median and fastest per file, both warmed alike (${DOCKERFILE_RULES.length} berth rules)\n`);
console.log(table(rows));
if (process.execArgv.length > 0) {
  const child = spawnSync(process.execPath, [__filename, '--default-flags-child'], { encoding: 'utf8' });
  const figures = child.status === 0 ? (JSON.parse(child.stdout) as Record<'berth' | 'peer', { median: number; best: number }>) : undefined;
  console.log(
    figures
      ? `the large file under Node's default flags instead of ${process.execArgv.join(' ')}: berth ${figures.berth.median.toFixed(1)} ms (fastest ${figures.berth.best.toFixed(1)}), dockerfile-utils ${figures.peer.median.toFixed(1)} ms (fastest ${figures.peer.best.toFixed(1)}), ${(figures.peer.median / figures.berth.median).toFixed(1)}x`
      : `the run under Node's default flags failed: ${child.stderr}`,
  );
}

// The same first lint in a fresh process (median of five processes each), under the same flags.
const coldLint = (tool: 'berth' | 'peer', index: number) => {
  const samples = Array.from({ length: 5 }, () => Number(spawnSync(process.execPath, [...process.execArgv, __filename, '--cold-child', tool, String(index)], { encoding: 'utf8' }).stdout));
  return samples.sort((a, b) => a - b)[2]!;
};
const coldRows: (string | number)[][] = [['file', 'berth ms', 'dockerfile-utils ms', 'speed-up']];
for (const index of [0, 2]) {
  const berth = coldLint('berth', index);
  const peer = coldLint('peer', index);
  coldRows.push([files[index]!.label, berth, peer, `${(peer / berth).toFixed(1)}x`]);
}
console.log(`\nthe first lint in a fresh process (nothing compiled yet, as right after the server starts), median of five processes:\n${table(coldRows)}`);

// Where a first lint of the large file spends its time (each step timed alone, on its own input).
const largeText = generateDockerfile(2000);
const largeAst = parseDockerfile(largeText);
const largeModel = buildModel(largeAst);
const largeRun = runRules(largeModel, DOCKERFILE_RULES, DEFAULT_LINT_SETTINGS);
const phases = [
  ['parse', measure(() => parseDockerfile(largeText))],
  ['model', measure(() => buildModel(largeAst))],
  ['rules (RUN scripts read on demand)', measure(() => runRules(largeModel, DOCKERFILE_RULES, DEFAULT_LINT_SETTINGS))],
  ['LSP diagnostics', measure(() => toLspDiagnostics(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 1, largeText), largeRun.results))],
] as const;
console.log(`\nfirst lint of the 2,000-line file by step: ${phases.map(([step, ms]) => `${step} ${ms.toFixed(2)} ms`).join(', ')}`);

// A keystroke: the user edits one character of a 2,000-line file and the server re-lints it
// (keeping what it can from the previous version). Two kinds of edit: the same character
// typed over and over (offsets after it do not move), and text typed in the middle of a
// RUN, one character more each time (everything after it moves).
const large = generateDockerfile(2000);
const middle = large.indexOf('WORKDIR /app', large.length >> 1);
const service = getLanguageService();
let version = 0;
const oneCharEdit = () => {
  const text = large.slice(0, middle) + (version % 2 ? 'x' : 'y') + large.slice(middle);
  service.validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', ++version, text));
};
const inRun = large.indexOf('npm ci', large.length >> 1);
let typed = '';
const typeIntoRun = () => {
  typed = typed.length >= 40 ? '' : typed + 'abcdefghij'[typed.length % 10];
  const text = large.slice(0, inRun) + typed + large.slice(inRun);
  service.validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', ++version, text));
};
const relint = measureRuns(oneCharEdit);
const typing = measureRuns(typeIntoRun);
// The first edit after a document is opened (a character typed into a RUN): its first version got a
// plain run, whose findings this edit files per instruction before checking the one it changed.
const firstEdits: number[] = [];
for (let round = 0; round < 40; round++) {
  const opened = getLanguageService();
  opened.validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 1, large));
  const edited = TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 2, large.slice(0, inRun) + 'a' + large.slice(inRun));
  const started = performance.now();
  opened.validate(edited);
  firstEdits.push(performance.now() - started);
}
firstEdits.sort((a, b) => a - b);
const peerRelint = measure(() => dockerfileUtilsValidate(large.slice(0, middle) + 'x' + large.slice(middle)));
const ms = ({ median, best }: { median: number; best: number }) => `${median.toFixed(2)} ms (fastest ${best.toFixed(2)})`;
console.log(
  `\nre-lint after a one-character edit, 2,000 lines, median: berth ${ms(relint)}, typing into a RUN ${ms(typing)}; dockerfile-utils ${peerRelint.toFixed(2)} ms`,
);
console.log(`the first edit after opening, a character typed into a RUN: berth ${ms({ median: firstEdits[firstEdits.length >> 1]!, best: firstEdits[0]! })}`);
