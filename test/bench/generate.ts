/** Deterministic, realistic Dockerfiles of a given size for benchmarks. */
const STAGE_BODY = [
  'ARG NODE_VERSION=22',
  'ENV NODE_ENV=production \\',
  '    PATH=/app/node_modules/.bin:$PATH',
  'WORKDIR /app',
  '# install OS packages first, they change least often',
  'RUN apt-get update \\',
  '    && apt-get install -y --no-install-recommends curl=8.5.0-2 ca-certificates=20230311 \\',
  '    && rm -rf /var/lib/apt/lists/*',
  'COPY --chown=node:node package.json package-lock.json ./',
  'RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev',
  'COPY --chown=node:node . .',
  'RUN set -eux; \\',
  '    for f in dist/*.js; do echo "$f"; done | sort > /tmp/files \\',
  '    && test -s /tmp/files',
  'LABEL org.opencontainers.image.source="https://example.com/app" version="1.0.0"',
  'EXPOSE 8080/tcp',
  'HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1',
  'USER node',
];

export function generateDockerfile(lines: number): string {
  const out = ['# syntax=docker/dockerfile:1', 'ARG BASE=node:22-bookworm-slim'];
  for (let stage = 0; out.length < lines; stage++) {
    out.push('', stage === 0 ? `FROM \${BASE} AS stage${stage}` : `FROM stage${stage - 1} AS stage${stage}`);
    for (const line of STAGE_BODY) out.push(line.replaceAll('$f', `$f${stage}`));
    out.push(`COPY --from=stage0 /app/dist /srv/${stage}`);
  }
  out.push('CMD ["node", "server.js"]', '');
  return out.slice(0, Math.max(lines, 4)).join('\n') + '\nCMD ["node", "server.js"]\n';
}
