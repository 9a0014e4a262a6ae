/**
 * Generated compose projects for the compose benchmarks: deterministic, in the
 * shapes real files use, of any number of services.
 */

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
    // An anchor used a few dozen times, as real files do: past 100 uses, the `yaml` package's
    // default alias limit would make dclint give up on the file without validating it.
    out.push('    restart: unless-stopped', ...(i < 50 ? ['    logging: *logging'] : ['    logging:', '      driver: json-file']));
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

/** A deterministic compose project with `count` services in the shapes real files use. */
export function generateCompose(count: number, { errors = 0 } = {}): string {
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
