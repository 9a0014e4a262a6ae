// Compose schema validation on generated, realistic projects (10, 100 and 1,000
// services): Berth's generated validator with error mapping, against plain ajv
// on the same compose-spec schema (compiled once at start) and against dclint
// (npm), per file. Prints figures; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DCLinter } from 'dclint';
import { LineCounter, parse as parseYaml, parseDocument } from 'yaml';
import { validateComposeSchema } from '../../server/src/compose/schema';
import { measure, table } from './measure';

/** A deterministic compose project with `count` services in the shapes real files use. */
function generateCompose(count: number, { errors = 0 } = {}): string {
  const out: string[] = [
    'name: bench',
    '',
    'x-defaults: &defaults',
    '  restart: unless-stopped',
    '  logging:',
    '    driver: json-file',
    '    options:',
    '      max-size: "10m"',
    '      max-file: "3"',
    '  labels:',
    '    com.example.team: platform',
    '',
    'services:',
  ];
  for (let i = 0; i < count; i++) {
    const name = `svc${i}`;
    const bad = errors > 0 && i % Math.max(1, Math.floor(count / errors)) === 0;
    out.push(`  ${name}:`, '    <<: *defaults');
    if (i % 3 === 0) {
      out.push('    build:', '      context: ./services/' + name, '      dockerfile: Dockerfile', '      target: runtime', '      args:', '        NODE_VERSION: "22"', '      cache_from:', `        - registry.example.com/${name}:cache`);
    } else {
      out.push(`    image: registry.example.com/team/${name}:1.${i % 10}.0`);
    }
    out.push(`    container_name: bench-${name}`);
    out.push('    ports:', `      - "${10000 + i}:8080"`, '      - target: 9090', `        published: "${20000 + i}"`, '        protocol: tcp', '        mode: host');
    if (i % 2 === 0) out.push('    environment:', '      NODE_ENV: production', `      SERVICE_NAME: ${name}`, '      LOG_LEVEL: ${LOG_LEVEL:-info}', '      PORT: 8080');
    else out.push('    environment:', '      - NODE_ENV=production', `      - SERVICE_NAME=${name}`, '      - LOG_LEVEL=${LOG_LEVEL:-info}');
    out.push('    env_file:', '      - path: ./common.env', '        required: false');
    out.push('    volumes:', `      - ./data/${name}:/data`, '      - type: volume', '        source: shared', '        target: /shared', '        read_only: true');
    out.push('    networks:', '      backend:', `        aliases: [${name}.internal]`, '      frontend: {}');
    if (i > 0) {
      if (i % 2 === 0) out.push('    depends_on:', `      svc${i - 1}:`, '        condition: service_healthy', '        restart: true');
      else out.push('    depends_on:', `      - svc${i - 1}`);
    }
    out.push('    healthcheck:', '      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]', '      interval: 30s', '      timeout: 5s', '      retries: 3', '      start_period: 10s');
    out.push('    deploy:', '      resources:', '        limits:', "          cpus: '0.50'", '          memory: 512M', '        reservations:', '          memory: 128M', '      restart_policy:', '        condition: on-failure', '        max_attempts: 3');
    out.push('    command: ["node", "server.js", "--port", "8080"]');
    out.push('    cap_drop: [ALL]', '    security_opt:', '      - no-new-privileges:true', '    ulimits:', '      nofile:', '        soft: 20000', '        hard: 40000');
    if (bad) out.push('    imgae: typo', '    restart_policy: always', '    mem_limit: [1]');
  }
  out.push(
    '',
    'networks:',
    '  backend:',
    '    driver: bridge',
    '  frontend:',
    '    external: true',
    '',
    'volumes:',
    '  shared:',
    '    driver: local',
    '',
    'secrets:',
    '  token:',
    '    file: ./token.txt',
    '',
    'configs:',
    '  app:',
    '    file: ./app.conf',
    '',
  );
  return out.join('\n');
}

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
  ['file', 'lines', 'berth findings', 'parse ms', 'berth schema ms', 'berth total ms', 'ajv ms', 'ajv total ms', 'dclint ms', 'dclint reports', 'ajv/berth', 'dclint/berth'],
];
try {
  for (const count of [10, 100, 1000]) {
    for (const errors of [0, Math.max(1, count / 100)]) {
      const text = generateCompose(count, { errors });
      const file = join(folder, `compose-${count}-${errors}.yaml`);
      writeFileSync(file, text);
      const parsed = parseDocument(text, { lineCounter: new LineCounter() });
      const findings = validateComposeSchema(parsed, text).length;
      const data = parseYaml(text, { merge: true, maxAliasCount: -1 });
      const quick = count >= 1000 ? { minRounds: 5, minMs: 300 } : {};
      const parse = measure(() => parseDocument(text, { lineCounter: new LineCounter() }), quick);
      const berthSchema = measure(() => validateComposeSchema(parsed, text), quick);
      const berthTotal = measure(() => validateComposeSchema(parseDocument(text, { lineCounter: new LineCounter() }), text), quick);
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
        berthTotal,
        plain,
        plainTotal,
        dclint,
        reported.length === 0 ? 'nothing' : [...new Set(reported)].join(', '),
        `${(plain / berthSchema).toFixed(2)}x / ${(plainTotal / berthTotal).toFixed(2)}x`,
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
parse:        yaml parseDocument with a LineCounter, which the language server does once per version for every check.
berth schema: validateComposeSchema on the parsed document: compose's view of the data (merge keys, !reset),
              the build-time generated validator, and for errors the mapping to YAML ranges, messages, de-duplication.
berth total:  parse + berth schema.
ajv:          a validator compiled once at start from the same schema (allErrors, like berth) on data from
              yaml.parse(text, { merge: true, maxAliasCount: -1 }); no mapping, no messages. "total" includes yaml.parse.
              (yaml's default maxAliasCount of 100 makes yaml.parse throw on files using one anchor more than 100 times.)
dclint:       new DCLinter(config).lintFiles([file]) (its programmatic API; no CLI start-up) with every dclint rule off,
              so only its schema check runs: it reads the file, parses it, compiles the schema with ajv (on every file,
              as dclint does) and reports the first schema error only. Past 100 uses of one anchor yaml's alias limit
              makes it report "unknown-error" without validating.
ajv/berth:    schema validation alone / with parsing; above 1 means berth is faster.`);
