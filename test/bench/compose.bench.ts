// Compose diagnostics on generated realistic projects of 10, 100 and 1,000
// services: parsing alone, and the whole pipeline (read + interpolate + merge
// the override file + every check, including the file-system ones through an
// in-memory host). The `yaml` package's parse of the same text is printed as a
// reference. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { analyzeCompose, COMPOSE_CHECKS, memoryHost, parseComposeFile } from '../../server/src/compose';
import { measure, table } from './measure';

const IMAGES = ['nginx:1.27-alpine', 'postgres:16', 'redis:7-alpine', 'registry.example.com/team/api:${API_TAG:-1.4.2}', 'node:22-bookworm-slim', 'rabbitmq:3-management', 'grafana/grafana:11.1.0'];

/** A compose file with `count` services of the kinds real projects have, and the files its builds need. */
export function generateProject(count: number): { files: Record<string, string>; main: string[] } {
  const files: Record<string, string> = {};
  const out: string[] = ['name: bench', 'x-logging: &logging', '  driver: json-file', '  options:', '    max-size: "10m"', '    max-file: "3"', '', 'services:'];
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`;
    out.push(`  ${name}:`);
    if (i % 3 === 0) {
      out.push('    build:', `      context: ./services/${name}`, '      dockerfile: Dockerfile', '      target: runtime', '      args:', `        VERSION: "1.${i}"`);
      files[`/bench/services/${name}/Dockerfile`] = 'FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim AS runtime\nCOPY --from=build /app /app\n';
    } else out.push(`    image: ${IMAGES[i % IMAGES.length]}`);
    out.push('    restart: unless-stopped', '    logging: *logging');
    if (i % 2 === 0) out.push('    ports:', `      - "${10000 + i}:8080"`, ...(i % 4 === 0 ? [`      - "127.0.0.1:${20000 + i}:9090/udp"`] : []));
    out.push('    environment:', '      LOG_LEVEL: ${LOG_LEVEL:-info}', `      SERVICE_NAME: ${name}`, `      DATABASE_URL: "postgres://app:\${DB_PASSWORD:-secret}@db-${i % 10}:5432/app"`);
    if (i > 0) out.push('    depends_on:', `      svc-${i - 1}:`, '        condition: service_started', ...(i > 5 ? [`      svc-${i - 5}:`, '        condition: service_healthy'] : []));
    out.push('    networks: [frontend, backend]');
    out.push('    volumes:', `      - data-${i % 20}:/var/lib/app`, '      - ./config:/etc/app:ro');
    if (i % 5 === 0) out.push('    healthcheck:', '      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]', '      interval: 30s', '      timeout: 5s', '      retries: 3');
    if (i % 7 === 0) out.push('    deploy:', '      resources:', '        limits:', '          cpus: "0.50"', '          memory: 512M');
    if (i % 6 === 0) out.push('    secrets: [app_token]', '    labels:', `      com.example.team: team-${i % 8}`, '      com.example.tier: backend');
  }
  out.push('', 'networks:', '  frontend:', '  backend:', '    driver: bridge', '', 'volumes:');
  for (let v = 0; v < Math.min(20, count); v++) out.push(`  data-${v}:`);
  out.push('', 'secrets:', '  app_token:', '    file: ./secrets/app_token.txt', '');
  files['/bench/compose.yaml'] = out.join('\n');
  files['/bench/compose.override.yaml'] = 'services:\n  svc-0:\n    environment:\n      LOG_LEVEL: debug\n    ports: !override ["8080:8080"]\n';
  files['/bench/.env'] = 'API_TAG=1.5.0\nDB_PASSWORD=bench\n';
  files['/bench/config/app.conf'] = 'debug=false\n';
  files['/bench/secrets/app_token.txt'] = 'token\n';
  return { files, main: ['/bench/compose.yaml', '/bench/compose.override.yaml'] };
}

/** The fastest of `rounds` runs: the figure least disturbed by other work on the machine. */
function best(run: () => void, rounds = 30): number {
  let fastest = Infinity;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const rows: (string | number)[][] = [['services', 'lines', 'KB', 'parse ms', 'full diagnostics ms', 'full, best run', 'findings', 'yaml package parse ms']];
for (const count of [10, 100, 1000]) {
  const { files, main } = generateProject(count);
  const text = files['/bench/compose.yaml']!;
  const host = memoryHost(files);
  const parse = measure(() => parseComposeFile(text, '/bench/compose.yaml'));
  let findings = 0;
  const analyze = () => {
    findings = analyzeCompose({ files: main, host, environment: { HOME: '/home/bench' } }).findings.length;
  };
  const full = measure(analyze);
  const fastest = best(analyze);
  const yaml = measure(() => parseAllDocuments(text), { minRounds: 5, minMs: 200 });
  rows.push([count, text.split('\n').length, Math.round(text.length / 1024), parse, full, fastest, findings, yaml]);
}
const tuned = process.argv.includes('--young-generation');
console.log(`Compose diagnostics per project (compose.yaml + compose.override.yaml, ${COMPOSE_CHECKS.length} checks), median and best of 30${tuned ? ', node --max-semi-space-size=64' : ''}; goal: 1,000 services well under 50 ms\n`);
console.log(table(rows));
// The 1,000-service project keeps ~10 MB alive while it is analysed, more than
// V8's default young generation holds, so scavenges copy it over and over.
// The same figures with a larger young generation show what that costs.
if (!tuned) {
  console.log('');
  spawnSync(process.execPath, ['--max-semi-space-size=64', process.argv[1]!, '--young-generation'], { stdio: 'inherit' });
}
