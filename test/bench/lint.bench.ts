// berth's Dockerfile diagnostics (full rule set) against dockerfile-utils'
// validator, the one inside today's Dockerfile language server, on the same files.
import { validate as dockerfileUtilsValidate } from 'dockerfile-utils';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service/languageService';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { generateDockerfile } from './generate';
import { measure, table } from './measure';

const service = getLanguageService();
const rows: (string | number)[][] = [['file', 'lines', 'berth ms', 'dockerfile-utils ms', 'speed-up']];
for (const [label, lines] of [['small', 20], ['medium', 200], ['large multi-stage', 2000]] as const) {
  const text = generateDockerfile(lines);
  let version = 0;
  const berth = measure(() => service.validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', ++version, text)));
  const peer = measure(() => dockerfileUtilsValidate(text));
  rows.push([label, text.split('\n').length, berth, peer, `${(peer / berth).toFixed(1)}x`]);
}
console.log(`Dockerfile diagnostics, median per file (${DOCKERFILE_RULES.length} berth rules)\n`);
console.log(table(rows));

// A keystroke: the user types one character into a 2,000-line file and the server re-lints it.
const large = generateDockerfile(2000);
const middle = large.indexOf('WORKDIR /app', large.length >> 1);
let typed = 0;
const relint = measure(() => {
  const text = large.slice(0, middle) + (typed++ % 2 ? 'x' : 'y') + large.slice(middle);
  service.validate(TextDocument.create('file:///bench/Dockerfile', 'dockerfile', typed, text));
});
const peerRelint = measure(() => dockerfileUtilsValidate(large.slice(0, middle) + 'x' + large.slice(middle)));
console.log(`\nre-lint after a one-character edit, 2,000 lines: berth ${relint.toFixed(2)} ms, dockerfile-utils ${peerRelint.toFixed(2)} ms`);
