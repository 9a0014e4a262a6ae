// Compose schema validation alone on generated, realistic projects (10, 100 and
// 1,000 services, some with errors): Berth's generated validator on its parsed
// tree with error mapping, against plain ajv on the same compose-spec schema
// (compiled once at start) and against dclint (npm), per file. Prints figures;
// asserts nothing. (compose.bench.ts measures full diagnostics.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DCLinter } from 'dclint';
import { parse as parseYaml } from 'yaml';
import { parseComposeFile } from '../../server/src/compose';
import { ServiceSchemaCache, validateComposeTree } from '../../server/src/compose/schema';
import { generateCompose } from './composeProjects';
import { measure, table } from './measure';

const schemaPath = join(process.cwd(), 'node_modules/dclint/schemas/compose.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
schema.$schema = 'http://json-schema.org/draft-07/schema#';
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const plainValidate = ajv.compile(schema);

const dclintRulesOff = new DCLinter({ rules: Object.fromEntries(ruleNames().map((rule) => [rule, 0])), quiet: true, debug: false, exclude: [] });
function ruleNames(): string[] {
  return [
    'no-build-and-image',
    'no-duplicate-container-names',
    'no-duplicate-exported-ports',
    'no-quotes-in-volumes',
    'no-unbound-port-interfaces',
    'no-version-field',
    'require-project-name-field',
    'require-quotes-in-ports',
    'service-container-name-regex',
    'service-dependencies-alphabetical-order',
    'service-image-require-explicit-tag',
    'service-keys-order',
    'service-ports-alphabetical-order',
    'services-alphabetical-order',
    'top-level-properties-order',
  ];
}

const folder = mkdtempSync(join(tmpdir(), 'berth-compose-bench-'));
const rows: (string | number)[][] = [
  ['file', 'lines', 'berth findings', 'parse ms', 'berth schema ms', 'berth schema, keystroke ms', 'berth total ms', 'ajv ms', 'ajv total ms', 'dclint ms', 'dclint reports', 'ajv/berth', 'ajv/berth keystroke', 'dclint/berth'],
];
try {
  for (const count of [10, 100, 1000]) {
    for (const errors of [0, Math.max(1, count / 100)]) {
      const text = generateCompose(count, { errors });
      const file = join(folder, `compose-${count}-${errors}.yaml`);
      writeFileSync(file, text);
      const parsed = parseComposeFile(text, file);
      const berth = (tree: typeof parsed) => tree.documents.flatMap((document) => validateComposeTree(document.root, text));
      const findings = berth(parsed).length;
      const data = parseYaml(text, { merge: true, maxAliasCount: -1 });
      const quick = count >= 1000 ? { minRounds: 5, minMs: 300 } : {};
      const parse = measure(() => parseComposeFile(text, file), quick);
      const berthSchema = measure(() => berth(parsed), quick);
      const berthTotal = measure(() => berth(parseComposeFile(text, file)), quick);
      // After a keystroke: versions alternate between two texts that differ in one service; the other services' results are reused.
      const edited = parseComposeFile(text.replace('container_name: bench-svc1\n', 'container_name: bench-svc1-b\n'), file);
      const cache = new ServiceSchemaCache();
      let round = 0;
      const keystroke = () => {
        const version = round++ % 2 === 0 ? parsed : edited;
        cache.nextVersion();
        return version.documents.flatMap((document) => validateComposeTree(document.root, version.text, { cache, anchors: version.anchors }));
      };
      if (keystroke().length !== findings || keystroke().length !== findings) throw new Error('per-service validation disagrees with whole-document validation');
      const berthKeystroke = measure(keystroke, quick);
      const plain = measure(() => plainValidate(data), quick);
      const plainTotal = measure(() => plainValidate(parseYaml(text, { merge: true, maxAliasCount: -1 })), quick);
      const dclint = measure(() => dclintRulesOff.lintFiles([file], false), { minRounds: 3, minMs: 200 });
      const reported = dclintRulesOff.lintFiles([file], false)[0]?.messages.map((message) => message.rule) ?? [];
      rows.push([
        `${count} services${errors ? `, ${errors} with errors` : ''}`,
        text.split('\n').length,
        findings,
        parse,
        berthSchema,
        berthKeystroke,
        berthTotal,
        plain,
        plainTotal,
        dclint,
        reported.length === 0 ? 'nothing' : [...new Set(reported)].join(', '),
        `${(plain / berthSchema).toFixed(2)}x / ${(plainTotal / berthTotal).toFixed(2)}x`,
        `${(plain / berthKeystroke).toFixed(2)}x`,
        `${(dclint / berthTotal).toFixed(1)}x`,
      ]);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

console.log('Compose schema validation, median ms per file (lower is better)\n');
console.log(table(rows));
console.log(`
parse:        parseComposeFile, the tree the language server reads once per version for every check and feature.
berth schema: validateComposeTree on that tree: compose's view of the data (merge keys, !reset) as plain data,
              the build-time generated validator, and for errors the mapping to YAML ranges, messages, de-duplication.
berth schema, keystroke: the same on versions that alternate between two texts differing in one service, with each
              service's result kept across versions (schema/perService.ts): what the editor validates after a keystroke.
berth total:  parse + berth schema.
ajv:          a validator compiled once at start from the same schema (allErrors, like berth) on data from
              yaml.parse(text, { merge: true, maxAliasCount: -1 }); no mapping, no messages. "total" includes yaml.parse.
              (yaml's default maxAliasCount of 100 makes yaml.parse throw on files using one anchor more than 100 times.)
dclint:       new DCLinter(config).lintFiles([file]) (its programmatic API; no CLI start-up) with every dclint rule off,
              so only its schema check runs: it reads the file, parses it, compiles the schema with ajv (on every file,
              as dclint does) and reports the first schema error only. Past 100 uses of one anchor yaml's alias limit
              makes it report "unknown-error" without validating.
ajv/berth:    schema validation alone / with parsing; above 1 means berth is faster.`);
