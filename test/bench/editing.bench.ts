// Editing features on a 2,000-line Dockerfile: completion, hover and full
// semantic tokens, median and p99 over many positions. The first rows run on the
// model the server keeps for the current text; the "first after an edit" rows
// change one character first (as a keystroke does), have the model of the new
// text built (untimed: validation builds it anyway), and time the first request
// on it, which also builds what the feature indexes once per version.
// Beside each row: dockerfile-language-service, the service inside today's
// Dockerfile support for VS Code, asked the same thing on the same text and
// positions. It keeps nothing between calls (it takes the text, not a
// document), so each of its requests parses the file.
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { MarkupKind } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateDockerfile } from './generate';
import { table } from './measure';

const text = generateDockerfile(2000);
const document = TextDocument.create('file:///bench/Dockerfile', 'dockerfile', 1, text);
const service = getLanguageService();
service.validate(document); // builds and caches the model, as the server does on open
const peer = DockerfileLanguageServiceFactory.createLanguageService();
peer.setCapabilities({ completion: { completionItem: { snippetSupport: true, documentationFormat: [MarkupKind.Markdown] } }, hover: { contentFormat: [MarkupKind.Markdown] } });

/** Median and p99 of `run`, each round after an untimed `prepare`. */
function percentiles(run: (i: number) => void, rounds: number, prepare: (i: number) => void = () => {}, warmUp = 50): [number, number] {
  for (let i = 0; i < warmUp; i++) {
    prepare(i);
    run(i);
  }
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    prepare(i);
    const t0 = performance.now();
    run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return [samples[samples.length >> 1]!, samples[Math.floor(samples.length * 0.99)]!];
}

// Positions spread over the file, on every kind of line: in the keyword, in the middle of the line, just after a `$`.
const positions: { line: number; character: number }[] = [];
const lines = text.split('\n');
for (let line = 0; line < lines.length; line += 3) {
  const content = lines[line]!;
  positions.push({ line, character: Math.min(2, content.length) }, { line, character: content.length >> 1 });
  const dollar = content.indexOf('$');
  if (dollar >= 0) positions.push({ line, character: dollar + 1 });
}
const at = (i: number) => positions[(i * 7919) % positions.length]!;

// The peer answers a FROM image tag from Docker Hub, asynchronously; timing that would
// time the network, so the bench stops rather than report such a figure.
const peerComplete = (content: string, position: { line: number; character: number }) => {
  if (!Array.isArray(peer.computeCompletionItems(content, position))) throw new Error(`dockerfile-language-service answers completion at ${JSON.stringify(position)} from the network`);
};
// The peer takes tens of ms per request and seconds per full semantic tokens on this file, so it gets fewer rounds.
const PEER_ROUNDS = 200;
const PEER_TOKEN_ROUNDS = 10;

// A new version of the text per round: one character typed in the middle of the file.
const middle = text.indexOf('WORKDIR /app', text.length >> 1);
let edited = document;
let version = 1;
const edit = () => {
  version++;
  edited = TextDocument.create(document.uri, 'dockerfile', version, text.slice(0, middle) + (version % 2 ? 'x' : 'y') + text.slice(middle));
  service.foldingRanges(edited); // builds the model of the new text, untimed
};

const rows: (string | number)[][] = [['feature (2,000 lines)', 'median ms', 'p99 ms', 'target p99', 'peer median ms', 'peer p99 ms']];
rows.push([
  'completion',
  ...percentiles((i) => service.complete(document, at(i), { snippetSupport: true }), 2000),
  '< 10',
  ...percentiles((i) => peerComplete(text, at(i)), PEER_ROUNDS, undefined, 10),
]);
rows.push(['hover', ...percentiles((i) => service.hover(document, at(i)), 2000), '< 10', ...percentiles((i) => peer.computeHover(text, at(i)), PEER_ROUNDS, undefined, 10)]);
rows.push(['semantic tokens (full)', ...percentiles(() => service.semanticTokens(document), 200), '< 20', ...percentiles(() => peer.computeSemanticTokens(text), PEER_TOKEN_ROUNDS, undefined, 2)]);
// The peer has no state to rebuild after an edit: its rows are the same requests on the edited text.
rows.push([
  'completion, first after an edit',
  ...percentiles((i) => service.complete(edited, at(i), { snippetSupport: true }), 200, edit),
  '< 10',
  ...percentiles((i) => peerComplete(edited.getText(), at(i)), PEER_ROUNDS, edit, 10),
]);
rows.push(['hover, first after an edit', ...percentiles((i) => service.hover(edited, at(i)), 200, edit), '< 10', ...percentiles((i) => peer.computeHover(edited.getText(), at(i)), PEER_ROUNDS, edit, 10)]);
rows.push([
  'semantic tokens, first after an edit',
  ...percentiles(() => service.semanticTokens(edited), 200, edit),
  '< 20',
  ...percentiles(() => peer.computeSemanticTokens(edited.getText()), PEER_TOKEN_ROUNDS, edit, 2),
]);
console.log(`peer: dockerfile-language-service, which parses the text on every request; ${PEER_ROUNDS} rounds per row, ${PEER_TOKEN_ROUNDS} per semantic tokens row (p99 = slowest)\n`);
console.log(table(rows));
