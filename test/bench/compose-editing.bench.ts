// Compose editing features on the generated 1,000-service project: completion
// and hover, median and p99 over positions spread through compose.yaml.
// "same text" asks again on the version the server already holds (its parse
// and project kept); "after an edit" gives every request a new version, as the
// first request after a keystroke does: the document is parsed again, and
// features that need the project (names, stages, hover) load its outline
// (other files' parses and the .env are kept while their text is the same).
// The Dockerfile editing benchmark (editing.bench.ts) is the reference.
// Prints figures; asserts nothing.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { memoryHost, parseComposeFile } from '../../server/src/compose';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateProject } from './composeProjects';
import { measure, table } from './measure';

type Position = { line: number; character: number };

const { files } = generateProject(1000);
const text = files['/bench/compose.yaml']!;
const host = memoryHost(files);
const service = getLanguageService({ files: { readFile: (path) => host.readFile(path), exists: (path) => host.exists?.(path) ?? host.readFile(path) !== undefined }, environment: { HOME: '/home/bench' } });
service.setKnownImages(
  ['nginx', 'postgres', 'redis', 'node', 'rabbitmq', 'grafana/grafana'].map((repository, i) => ({ repository, tags: ['latest', `${i + 1}.0`, '16', '7-alpine'], id: `sha256:${i}`, size: 1, created: '2026-01-01T00:00:00Z', exposedPorts: [] })),
);

// Positions by kind, found in the generated text.
const lines = text.split('\n');
const completions: Record<string, Position[]> = { 'key (`re|start`)': [], 'value (`restart: |`)': [], 'service name (depends_on key)': [], 'image tag (`image: x:|`)': [], 'build.target stage': [], 'variable (`${|LOG_LEVEL`)': [] };
const hovers: Record<string, Position[]> = { 'key (schema docs)': [], 'interpolation (${LOG_LEVEL:-info})': [], 'service reference (depends_on)': [] };
lines.forEach((line, index) => {
  if (line === '    restart: unless-stopped') {
    completions['key (`re|start`)']!.push({ line: index, character: 6 });
    completions['value (`restart: |`)']!.push({ line: index, character: line.length });
    hovers['key (schema docs)']!.push({ line: index, character: 6 });
  }
  if (/^ {6}svc-\d+:$/.test(line)) {
    completions['service name (depends_on key)']!.push({ line: index, character: 8 });
    hovers['service reference (depends_on)']!.push({ line: index, character: 8 });
  }
  const tag = /^ {4}image: [^$]*:/.exec(line);
  if (tag) completions['image tag (`image: x:|`)']!.push({ line: index, character: tag[0].length });
  if (line === '      target: runtime') completions['build.target stage']!.push({ line: index, character: line.length });
  if (line.startsWith('      LOG_LEVEL: ${')) {
    completions['variable (`${|LOG_LEVEL`)']!.push({ line: index, character: '      LOG_LEVEL: ${'.length });
    hovers['interpolation (${LOG_LEVEL:-info})']!.push({ line: index, character: 20 });
  }
});

const WARM_UP = 20;
function percentiles(run: (i: number) => void, rounds: number): [number, number] {
  for (let i = 0; i < WARM_UP; i++) run(i);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run(WARM_UP + i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return [samples[samples.length >> 1]!, samples[Math.floor(samples.length * 0.99)]!];
}

let version = 1;
const current = TextDocument.create('file:///bench/compose.yaml', 'dockercompose', version, text);
/** Versions made before timing, their line offsets computed: the server keeps those up to date as edits arrive. */
function versions(count: number): TextDocument[] {
  return Array.from({ length: count + WARM_UP }, () => {
    const document = TextDocument.create('file:///bench/compose.yaml', 'dockercompose', ++version, text);
    document.positionAt(text.length);
    return document;
  });
}

const FRESH_ROUNDS = 40;
const rows: (string | number)[][] = [[`1,000 services, ${lines.length} lines`, 'same text median ms', 'p99', 'after an edit median ms', 'p99', 'items']];
for (const [label, positions] of Object.entries(completions)) {
  const at = (i: number) => positions[(i * 7) % positions.length]!;
  const items = service.complete(current, at(0), { snippetSupport: true }).items.length;
  const same = percentiles((i) => service.complete(current, at(i), { snippetSupport: true }), 300);
  const fresh = versions(FRESH_ROUNDS);
  const edited = percentiles((i) => service.complete(fresh[i]!, at(i), { snippetSupport: true }), FRESH_ROUNDS);
  rows.push([`completion: ${label}`, ...same, ...edited, items]);
}
for (const [label, positions] of Object.entries(hovers)) {
  const at = (i: number) => positions[(i * 7) % positions.length]!;
  const same = percentiles((i) => service.hover(current, at(i)), 300);
  const fresh = versions(FRESH_ROUNDS);
  const edited = percentiles((i) => service.hover(fresh[i]!, at(i)), FRESH_ROUNDS);
  rows.push([`hover: ${label}`, ...same, ...edited, '']);
}
const parse = measure(() => parseComposeFile(text, '/bench/compose.yaml'), { minRounds: 5, minMs: 200 });
// While typing the text often has a syntax error: then the `yaml` package reads it (the fallback reader).
const middle = text.indexOf('    restart: unless-stopped', text.length >> 1);
const broken = `${text.slice(0, middle)}    restart: [unclosed\n${text.slice(middle)}`;
const parseBroken = measure(() => parseComposeFile(broken, '/bench/compose.yaml'), { minRounds: 5, minMs: 200 });
console.log(`Compose editing on the 1,000-service file; parsing it alone takes ${parse.toFixed(1)} ms (median), ${parseBroken.toFixed(1)} ms with a syntax error (fallback reader)\n`);
console.log(table(rows));
