// Full compose diagnostics per file, as the language server and `berth lint`
// produce them (read + interpolate + merge the override file + every check,
// the schema included, file-system checks through an in-memory host), on
// generated realistic projects of 10, 100 and 1,000 services, side by side
// with two peers on the same compose.yaml: plain ajv on the same compose-spec
// schema, and dclint (npm). Berth is measured cold (nothing of the previous
// version reusable) and after a keystroke (one service changed). Prints
// figures; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DCLinter } from 'dclint';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse as parseYaml } from 'yaml';
import { COMPOSE_CHECKS, memoryHost, parseComposeFile } from '../../server/src/compose';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateProject } from './composeProjects';
import { measure, measureRuns, table } from './measure';

const schema = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/dclint/schemas/compose.schema.json'), 'utf8'));
schema.$schema = 'http://json-schema.org/draft-07/schema#';
const plainValidate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
// Every dclint rule off: only its schema check runs.
const DCLINT_RULES = [
  'no-build-and-image', 'no-duplicate-container-names', 'no-duplicate-exported-ports', 'no-quotes-in-volumes', 'no-unbound-port-interfaces', 'no-version-field',
  'require-project-name-field', 'require-quotes-in-ports', 'service-container-name-regex', 'service-dependencies-alphabetical-order', 'service-image-require-explicit-tag',
  'service-keys-order', 'service-ports-alphabetical-order', 'services-alphabetical-order', 'top-level-properties-order',
];
const dclint = new DCLinter({ rules: Object.fromEntries(DCLINT_RULES.map((rule) => [rule, 0])), quiet: true, debug: false, exclude: [] });

const ratio = (peer: number, berth: number) => `${(peer / berth).toFixed(2)}x`;

/**
 * Median CPU time (this process, user + system) of `run`: on a machine shared
 * with other work, wall time mostly measures the waiting; CPU time the work.
 */
function cpuMedian(run: () => void, rounds: number): number {
  for (let i = 0; i < 5; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1]!;
}
/** Texts of the project's compose.yaml: every service changed, and a cycle of versions each one keystroke from the last. */
function variants(text: string, count: number) {
  // Every service changed: a version sharing no service's text with the one before it.
  const everyService = text.replace(/SERVICE_NAME: svc-(\d+)\n/g, 'SERVICE_NAME: svc-$1-b\n');
  // A keystroke: consecutive versions (the last and the first too) differ in one service's value: services spread
  // over the file are changed one after another, then changed back one after another.
  const services = Array.from({ length: 8 }, (_, i) => Math.floor((i * count) / 8 + i) % count);
  const keystrokes: string[] = [];
  let current = text;
  for (const service of [...services, ...services]) {
    const changed = `SERVICE_NAME: svc-${service}-k\n`;
    current = current.includes(changed) ? current.replace(changed, `SERVICE_NAME: svc-${service}\n`) : current.replace(`SERVICE_NAME: svc-${service}\n`, changed);
    keystrokes.push(current);
  }
  return { everyService, keystrokes };
}

// Both sides are warmed the same long while: the larger code of full diagnostics takes longer to be optimised by the JIT.
const WARM_UP = { warmUpMs: 1500 };
const folder = mkdtempSync(join(tmpdir(), 'berth-compose-bench-'));
const rows: (string | number)[][] = [
  [
    'services', 'lines', 'KB', 'berth parse', 'cold', 'cold, best', 'cold, cpu', 'keystroke', 'keystroke, best', 'keystroke, cpu', 'findings',
    'ajv validate', 'ajv validate, best', 'ajv validate, cpu', 'ajv per file', 'dclint per file', 'dclint says',
    'ajv validate / berth cold', 'ajv validate / berth keystroke', 'ajv per file / berth cold', 'dclint / berth cold',
  ],
];
try {
  for (const count of [10, 100, 1000]) {
    const { files } = generateProject(count);
    const text = files['/bench/compose.yaml']!;
    const { everyService, keystrokes } = variants(text, count);
    const host = memoryHost(files);
    const service = getLanguageService({ files: { readFile: (path) => host.readFile(path), exists: (path) => host.exists!(path) }, environment: { HOME: '/home/bench' } });
    // A new version every round: the document is parsed and the project loaded and checked each time.
    let version = 0;
    const findings = new Set<number>();
    const validate = (next: string) => findings.add(service.validate(TextDocument.create('file:///bench/compose.yaml', 'dockercompose', ++version, next)).length);
    const quick = count >= 1000 ? { minRounds: 10, minMs: 500, ...WARM_UP } : WARM_UP;
    const cpuRounds = count >= 1000 ? 15 : 40;
    // Cold: versions alternate between two texts that differ in every service, so nothing of the last version is reused.
    const cold = () => validate(version % 2 === 0 ? text : everyService);
    const full = measureRuns(cold, quick);
    const fullCpu = cpuMedian(cold, cpuRounds);
    const keystroke = () => validate(keystrokes[version % keystrokes.length]!);
    const typed = measureRuns(keystroke, quick);
    const typedCpu = cpuMedian(keystroke, cpuRounds);
    const parse = measure(() => parseComposeFile(text, '/bench/compose.yaml'), quick);
    const data = parseYaml(text, { merge: true, maxAliasCount: -1 });
    if (!plainValidate(data)) throw new Error(`the generated ${count}-service project does not validate: ${JSON.stringify(plainValidate.errors?.slice(0, 3))}`);
    const ajvValidate = measureRuns(() => plainValidate(data), quick);
    const ajvCpu = cpuMedian(() => plainValidate(data), cpuRounds);
    const ajvPerFile = measure(() => plainValidate(parseYaml(text, { merge: true, maxAliasCount: -1 })), quick);
    const file = join(folder, `compose-${count}.yaml`);
    writeFileSync(file, text);
    const dclintPerFile = measure(() => dclint.lintFiles([file], false), { minRounds: 3, minMs: 300 });
    const said = dclint.lintFiles([file], false)[0]?.messages.map((message) => message.rule) ?? [];
    rows.push([
      count,
      text.split('\n').length,
      Math.round(text.length / 1024),
      parse,
      full.median,
      full.best,
      fullCpu,
      typed.median,
      typed.best,
      typedCpu,
      [...findings].join('/'),
      ajvValidate.median,
      ajvValidate.best,
      ajvCpu,
      ajvPerFile,
      dclintPerFile,
      said.length === 0 ? 'valid' : [...new Set(said)].join(', '),
      `${ratio(ajvValidate.median, full.median)} (best ${ratio(ajvValidate.best, full.best)}, cpu ${ratio(ajvCpu, fullCpu)})`,
      `${ratio(ajvValidate.median, typed.median)} (best ${ratio(ajvValidate.best, typed.best)}, cpu ${ratio(ajvCpu, typedCpu)})`,
      ratio(ajvPerFile, full.median),
      ratio(dclintPerFile, full.median),
    ]);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

console.log(`Compose diagnostics per file, median ms unless marked best (lower is better); ratios of medians, above 1 means Berth is faster. Goal: 1,000 services under 50 ms.\n`);
console.log(table(rows));
console.log(`
cpu:             median CPU time of this process per file (user + system, GC threads included), steadier than wall time on a busy machine.
berth parse:     parseComposeFile (the fast block-YAML reader), part of every berth figure.
cold:            languageService.validate on compose.yaml, full diagnostics of a new version that shares no service's text with
                 the version before it (two texts differing in every service, alternating): parse, load the project (.env,
                 interpolation, compose.override.yaml merged), all ${COMPOSE_CHECKS.length} checks including the compose-spec schema
                 (validated on the parsed tree, no second parse), pragmas, LSP diagnostics. Nothing of the last version is reused
                 but the parse of the unchanged override file.
keystroke:       the same full diagnostics of a new version that differs from the one before it in one service's value (what the
                 editor asks after a keystroke): everything above runs, but the schema results of services whose text did not
                 change are reused (schema/perService.ts).
findings:        diagnostics per version (the same for every version).
ajv validate:    a validator compiled once at start from the same schema (allErrors, like berth), on data already in
                 hand: the schema step alone, no parse, no mapping to ranges, no messages, no semantic checks.
ajv per file:    yaml.parse(text, { merge: true, maxAliasCount: -1 }) + that validator: what validating a file with ajv costs.
dclint per file: new DCLinter(config).lintFiles([file]) with every dclint rule off, so only its schema check runs (it reads
                 and parses the file, and compiles the schema on every file, as dclint does; it reports the first error only).
warm-up:         every figure is taken after ${WARM_UP.warmUpMs} ms of rounds of the same work, berth and ajv alike.`);
