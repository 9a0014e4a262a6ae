import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import {
  composeSchemaSource,
  describeComposeSchemaSource,
  didYouMean,
  formatPath,
  hasInterpolation,
  schemaInfoAt,
  schemaKeysAt,
  validateComposeSchema,
  validateComposeValue,
} from '../../server/src/compose/schema';
import { validateComposeSchemaOrThrow } from '../../server/src/compose/schema/validate';
import type { SchemaFinding, SchemaLocator } from '../../server/src/compose/schema';
import { repoRoot } from '../support/paths';

function findings(text: string, options: { merge?: boolean } = {}): SchemaFinding[] {
  const document = parseDocument(text, { lineCounter: new LineCounter(), ...options });
  return validateComposeSchemaOrThrow(document, text);
}

/** [message, text the range covers, which occurrence of that text (default 0)] */
type Expected = [message: string, covers: string, occurrence?: number];

function offsetOf(text: string, snippet: string, occurrence = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(snippet, at + 1);
    assert.notEqual(at, -1, `"${snippet}" (occurrence ${occurrence}) is not in the text`);
  }
  return at;
}

function expectFindings(text: string, expected: Expected[], options: { merge?: boolean } = {}): SchemaFinding[] {
  const actual = findings(text, options);
  assert.deepEqual(
    actual.map((finding) => [finding.message, text.slice(finding.range.start, finding.range.end)]),
    expected.map(([message, covers]) => [message, covers]),
  );
  expected.forEach(([, covers, occurrence], i) => {
    const start = offsetOf(text, covers, occurrence ?? 0);
    assert.deepEqual(actual[i]!.range, { start, end: start + covers.length }, `range of "${expected[i]![0]}"`);
    assert.equal(actual[i]!.code, 'schema');
  });
  return actual;
}

const VALID_PROJECT = `# A project that uses most of the compose-spec, written to validate clean.
name: shop

include:
  - ./common/compose.yaml
  - path: ./monitoring/compose.yaml
    project_directory: ./monitoring
    env_file: ./monitoring/.env

x-logging: &logging
  driver: json-file
  options:
    max-size: "10m"
    max-file: "3"

x-service: &service
  restart: unless-stopped
  logging: *logging
  x-owner: platform

services:
  web:
    <<: *service
    build:
      context: ./web
      dockerfile: Dockerfile
      target: runtime
      args:
        NODE_VERSION: "22"
        BUILD_DATE:
      ssh: [default]
      cache_from: [type=registry,ref=example.com/web:cache]
      platforms: [linux/amd64, linux/arm64]
      additional_contexts:
        shared: ../shared
      x-build-note: fine
    image: example.com/shop/web:\${TAG:-latest}
    container_name: shop-web
    ports:
      - "8080:8080"
      - 9229
      - "127.0.0.1:5000-5010:5000-5010/udp"
      - target: 443
        published: "8443"
        host_ip: 0.0.0.0
        protocol: tcp
        mode: host
        app_protocol: https
        name: tls
    expose: ["3000", 3001]
    environment:
      NODE_ENV: production
      DEBUG: false
      WORKERS: 4
      EMPTY:
    env_file:
      - .env
      - path: ./local.env
        required: false
    volumes:
      - ./static:/srv/static:ro
      - data:/var/lib/data
      - type: bind
        source: ./config
        target: /etc/web
        read_only: true
        bind:
          create_host_path: true
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 64m
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache:
        condition: service_started
        required: false
    networks:
      front:
        aliases: [www]
        ipv4_address: 172.20.0.10
      back: {}
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 20s
      start_interval: 2s
    deploy:
      mode: replicated
      replicas: \${WEB_REPLICAS:-2}
      resources:
        limits:
          cpus: "1.5"
          memory: 512M
          pids: 200
        reservations:
          memory: 128M
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
      restart_policy:
        condition: on-failure
        max_attempts: 3
      update_config:
        parallelism: 1
        order: start-first
      labels:
        com.example.tier: web
    develop:
      watch:
        - path: ./web/src
          action: sync
          target: /app/src
          ignore: [node_modules/]
        - path: ./web/package.json
          action: rebuild
    secrets:
      - api_key
      - source: tls_cert
        target: /run/secrets/cert.pem
        mode: 0440
    configs:
      - source: nginx
        target: /etc/nginx/nginx.conf
    labels:
      - com.example.role=frontend
    command: ["node", "server.js"]
    entrypoint: /docker-entrypoint.sh
    user: "1000:1000"
    working_dir: /app
    read_only: \${READ_ONLY:-false}
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt: ["no-new-privileges:true"]
    ulimits:
      nproc: 65535
      nofile:
        soft: 20000
        hard: 40000
    extra_hosts:
      - "host.docker.internal:host-gateway"
    dns: 8.8.8.8
    stop_grace_period: 1m30s
    stop_signal: SIGTERM
    pull_policy: missing
    profiles: [frontend]
    models:
      - llm
    x-notes: anything goes here

  db:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD_FILE=/run/secrets/db_password
    volumes:
      - db-data:/var/lib/postgresql/data
    healthcheck:
      test: pg_isready -U postgres
    shm_size: 256m
    networks: [back]
    secrets: [db_password]
    sysctls:
      net.core.somaxconn: 1024
    cgroup: private
    gpus: all

  cache:
    image: redis:7
    command: redis-server --save ""
    mem_limit: 256m
    cpus: 0.5
    network_mode: "service:db"
    extends:
      file: ./common/base.yaml
      service: cache-base

  worker:
    extends: web
    build: ./worker
    scale: 2
    provider:
      type: model
      options:
        model: ai/smollm2
        flags: [--fast, 1, true]

networks:
  front:
    driver: bridge
    ipam:
      driver: default
      config:
        - subnet: 172.20.0.0/16
          gateway: 172.20.0.1
  back:
    internal: true
  outside:
    external: true
    name: shared-net

volumes:
  data:
  db-data:
    driver: local
    driver_opts:
      type: none
      o: bind
      device: /srv/db
  external-data:
    external: true

secrets:
  api_key:
    environment: API_KEY
  tls_cert:
    file: ./certs/cert.pem
  db_password:
    file: ./secrets/db_password.txt

configs:
  nginx:
    content: |
      events {}
  from-file:
    file: ./nginx.conf

models:
  llm:
    model: ai/smollm2
    context_size: 4096
`;

describe('compose schema: should not fire', () => {
  it('a full project using most of the spec validates clean', () => {
    assert.deepEqual(findings(VALID_PROJECT), []);
    assert.deepEqual(findings(VALID_PROJECT, { merge: true }), []);
  });

  it('the smallest projects, an empty document and a comment-only one', () => {
    for (const text of ['services: {}\n', 'services:\n  web:\n    image: nginx\n', '', '# nothing yet\n', 'name: x\n']) assert.deepEqual(findings(text), [], text);
  });

  it('x- extension keys at the top level, in a service, in build, in a network and a port', () => {
    const text = `x-anything: {deep: [1, {two: 2}]}
x-: empty
services:
  web:
    image: nginx
    x-team: shop
    build:
      context: .
      x-cache: on
    ports:
      - target: 80
        x-note: public
networks:
  front:
    x-subnet-owner: ops
`;
    assert.deepEqual(findings(text), []);
  });

  it('short and long syntaxes of ports, volumes, depends_on, env_file, secrets, networks, healthcheck.test, command, extends', () => {
    const text = `services:
  a:
    image: a
    ports: ["80", 443, "8000-8010:8000-8010", {target: 80, published: 8080}]
    volumes: [data:/data, {type: volume, source: data, target: /d}]
    depends_on: [b]
    env_file: .env
    secrets: [s, {source: s, target: t}]
    networks: [n]
    healthcheck: {test: curl -f http://localhost, disable: false}
    command: echo hi
    extends: b
  b:
    image: b
    depends_on: {a: {condition: service_completed_successfully}}
    env_file: [{path: .env, required: true}]
    networks: {n: null}
    healthcheck: {test: [NONE]}
    command: null
    extends: {service: a}
`;
    assert.deepEqual(findings(text), []);
  });

  it('interpolated strings where the schema wants a number or boolean, or an enum value', () => {
    const text = `services:
  web:
    image: nginx
    read_only: \${RO}
    use_api_socket: \${SOCKET:-false}
    cgroup: \${CGROUP:-host}
    deploy:
      replicas: \${REPLICAS:-2}
    networks:
      front:
        priority: \${PRIORITY}
    depends_on:
      db:
        condition: service_started
        required: $REQUIRED
models:
  m:
    model: ai/m
    context_size: \${CONTEXT}
`;
    assert.deepEqual(findings(text), []);
  });

  it('!reset removes a key before validation; !override keeps the value', () => {
    const text = `services:
  web:
    image: nginx
    build: !reset null
    ports: !override ["80:80"]
`;
    assert.deepEqual(findings(text), []);
  });

  it('merge keys apply whether or not the document was parsed with merge: true', () => {
    const text = `x-base: &base
  image: nginx
  restart: always
x-more: &more
  user: root
services:
  a:
    <<: *base
  b:
    <<: [*base, *more]
    restart: "no"
`;
    assert.deepEqual(findings(text), []);
    assert.deepEqual(findings(text, { merge: true }), []);
  });
});

describe('compose schema: should fire', () => {
  it('a misspelled service key, on the key, with did-you-mean and a suggestion to apply', () => {
    const text = 'services:\n  web:\n    imgae: nginx\n';
    const [finding] = expectFindings(text, [['services.web: unknown key "imgae" — did you mean "image"?', 'imgae']]);
    assert.equal(finding!.keyword, 'additionalProperties');
    assert.deepEqual(finding!.path, ['services', 'web', 'imgae']);
    assert.deepEqual(finding!.suggestion, { text: 'image', range: finding!.range });
  });

  it('a misspelled top-level key', () => {
    expectFindings('servces:\n  web:\n    image: nginx\n', [['top level: unknown key "servces" — did you mean "services"?', 'servces']]);
  });

  it('an unknown key with nothing close says where custom keys go', () => {
    expectFindings('services:\n  web:\n    image: nginx\n    team: shop\n', [['services.web: unknown key "team" (custom keys must start with "x-")', 'team']]);
  });

  it('case and dash differences are suggested too', () => {
    expectFindings('services:\n  web:\n    Image: nginx\n    container-name: web\n', [
      ['services.web: unknown key "Image" — did you mean "image"?', 'Image'],
      ['services.web: unknown key "container-name" — did you mean "container_name"?', 'container-name'],
    ]);
  });

  it('a wrong scalar type, on the value', () => {
    expectFindings('services:\n  web:\n    image: 5\n    restart: true\n', [
      ['services.web.image: expected a string, got a number', '5'],
      ['services.web.restart: expected a string, got a boolean', 'true'],
    ]);
  });

  it('a service that is not a mapping', () => {
    expectFindings('services:\n  web: nginx\n', [['services.web: expected a mapping, got a string', 'nginx']]);
  });

  it('a block mapping where a sequence is expected is reported on its key, not its 2 lines', () => {
    expectFindings('services:\n  web:\n    image: nginx\n    cap_add:\n      a: 1\n      b: 2\n', [['services.web.cap_add: expected a sequence, got a mapping', 'cap_add']]);
  });

  it('a flow mapping where a sequence is expected is reported on the mapping', () => {
    expectFindings('services:\n  web:\n    image: nginx\n    cap_add: {a: 1}\n', [['services.web.cap_add: expected a sequence, got a mapping', '{a: 1}']]);
  });

  it('ports: one finding per wrong item, naming every allowed shape (oneOf noise folded)', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - true\n      - [80]\n      - "80:80"\n';
    expectFindings(text, [
      ['services.web.ports[0]: expected a string, number or mapping, got a boolean', 'true'],
      ['services.web.ports[1]: expected a string, number or mapping, got a sequence', '[80]'],
    ]);
  });

  it('long-syntax port: the unknown key inside the fitting branch, not the other branches', () => {
    expectFindings('services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        publishd: 8080\n', [
      ['services.web.ports[0]: unknown key "publishd" — did you mean "published"?', 'publishd'],
    ]);
  });

  it('build: a typo in the long syntax, and a number for either syntax', () => {
    expectFindings('services:\n  a:\n    build:\n      context: .\n      dockerfle: Dockerfile\n  b:\n    build: 5\n', [
      ['services.a.build: unknown key "dockerfle" — did you mean "dockerfile"?', 'dockerfle'],
      ['services.b.build: expected a string or mapping, got a number', '5'],
    ]);
  });

  it('depends_on: a misspelled condition key drops the "missing condition" noise', () => {
    expectFindings('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        conditon: service_healthy\n', [
      ['services.web.depends_on.db: unknown key "conditon" — did you mean "condition"?', 'conditon'],
    ]);
  });

  it('depends_on: a missing required key, on the key of the mapping', () => {
    expectFindings('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        restart: true\n', [['services.web.depends_on.db: missing required key "condition"', 'db']]);
  });

  it('depends_on: a bad enum value lists the allowed values and suggests one', () => {
    const text = 'services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: service_healty\n';
    const [finding] = expectFindings(text, [
      [
        'services.web.depends_on.db.condition: expected one of "service_started", "service_healthy", "service_completed_successfully", got "service_healty" — did you mean "service_healthy"?',
        'service_healty',
      ],
    ]);
    assert.equal(finding!.suggestion?.text, 'service_healthy');
  });

  it('depends_on: a short-syntax item that is not a string', () => {
    expectFindings('services:\n  web:\n    image: a\n    depends_on: [db, 5]\n', [['services.web.depends_on[1]: expected a string, got a number', '5']]);
  });

  it('an enum value of the wrong type says what it got, once (no separate type finding)', () => {
    expectFindings('services:\n  web:\n    image: a\n    cgroup: 5\n', [['services.web.cgroup: expected one of "host", "private", got 5', '5']]);
  });

  it('gpus: an enum branch and a sequence branch in words', () => {
    expectFindings('services:\n  web:\n    image: a\n    gpus: 5\n', [['services.web.gpus: expected "all" or a sequence, got a number', '5']]);
  });

  it('environment: neither mapping nor sequence; a value that is a mapping', () => {
    expectFindings('services:\n  a:\n    image: a\n    environment: 5\n  b:\n    image: b\n    environment:\n      FOO: {bar: 1}\n', [
      ['services.a.environment: expected a mapping or sequence, got a number', '5'],
      ['services.b.environment.FOO: expected a string, number, boolean or null, got a mapping', '{bar: 1}'],
    ]);
  });

  it('a non-interpolated string where a number or boolean is required', () => {
    expectFindings('services:\n  web:\n    image: a\n    use_api_socket: yes\n    networks:\n      front:\n        priority: high\n    depends_on:\n      db:\n        condition: service_started\n        required: "true"\nmodels:\n  m:\n    model: ai/m\n    context_size: 4k\n', [
      ['services.web.use_api_socket: expected a boolean, got a string', 'yes'],
      ['services.web.networks.front.priority: expected a number, got a string', 'high'],
      ['services.web.depends_on.db.required: expected a boolean, got a string', '"true"'],
      ['models.m.context_size: expected an integer, got a string', '4k'],
    ]);
  });

  it('an escaped $$ is not interpolation', () => {
    expectFindings('services:\n  web:\n    image: a\n    use_api_socket: $${SOCKET}\n', [['services.web.use_api_socket: expected a boolean, got a string', '$${SOCKET}']]);
  });

  it('an interpolated string is still not a mapping', () => {
    expectFindings('services:\n  web:\n    image: a\n    healthcheck: ${HC}\n', [['services.web.healthcheck: expected a mapping, got a string', '${HC}']]);
  });

  it('duplicate items, on the later one', () => {
    expectFindings('services:\n  web:\n    image: a\n    cap_add: [NET_ADMIN, SYS_TIME, NET_ADMIN]\n', [
      ['services.web.cap_add[2]: "NET_ADMIN" is listed twice (also at services.web.cap_add[0]); items must be unique', 'NET_ADMIN', 1],
    ]);
  });

  it('minimum and maximum', () => {
    expectFindings('services:\n  web:\n    image: a\n    cpu_percent: 150\n    cpu_count: -1\n', [
      ['services.web.cpu_percent: expected a number at most 100, got 150', '150'],
      ['services.web.cpu_count: expected a number at least 0, got -1', '-1'],
    ]);
  });

  it('a value pattern', () => {
    expectFindings('services:\n  web:\n    image: a\n    container_name: "-x"\n', [['services.web.container_name: "-x" does not match the pattern [a-zA-Z0-9][a-zA-Z0-9_.-]+', '"-x"']]);
  });

  it('an invalid service name and volume name (the schema lets network and model names be anything)', () => {
    expectFindings('services:\n  "my app":\n    image: a\nvolumes:\n  "my data": {}\nnetworks:\n  "front net": {}\n', [
      ['services: "my app" is not a valid service name: use only letters, digits, ".", "_" and "-"', '"my app"'],
      ['volumes: "my data" is not a valid volume name: use only letters, digits, ".", "_" and "-"', '"my data"'],
    ]);
  });

  it('two missing required keys on one mapping are one finding; a sequence item without a key is reported on its first line', () => {
    expectFindings('services:\n  web:\n    image: a\n    devices:\n      - target: /dev/x\n        permissions: rwm\n    provider:\n      options: {}\n', [
      ['services.web.devices[0]: missing required key "source"', 'target: /dev/x'],
      ['services.web.provider: missing required key "type"', 'provider'],
    ]);
  });

  it('top-level resources: a volume typo, a secret typo, a network ipam type', () => {
    expectFindings(
      'volumes:\n  data:\n    drivr: local\nsecrets:\n  s:\n    fiel: ./s\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 10\n',
      [
        ['volumes.data: unknown key "drivr" — did you mean "driver"?', 'drivr'],
        ['secrets.s: unknown key "fiel" — did you mean "file"?', 'fiel'],
        ['networks.n.ipam.config[0].subnet: expected a string, got a number', '10'],
      ],
    );
  });

  it('include: a typo in the long syntax', () => {
    expectFindings('include:\n  - path: a.yaml\n    projct_directory: ./a\n', [['include[0]: unknown key "projct_directory" — did you mean "project_directory"?', 'projct_directory']]);
  });

  it('a document that is not a mapping, on its first line', () => {
    expectFindings('- a\n- b\n', [['top level: expected a mapping, got a sequence', '- a']]);
    expectFindings('hello\n', [['top level: expected a mapping, got a string', 'hello']]);
  });

  it('without !reset the same null is an error', () => {
    expectFindings('services:\n  web:\n    image: nginx\n    build: null\n', [['services.web.build: expected a string or mapping, got null', 'null']]);
  });

  it('an implicit null value is reported on its key, an empty sequence item on the key of the sequence', () => {
    expectFindings('services:\n  web:\n    image:\n', [['services.web.image: expected a string, got null', 'image']]);
    expectFindings('services:\n  web:\n    image: a\n    cap_add:\n      -\n', [['services.web.cap_add[0]: expected a string, got null', 'cap_add']]);
  });
});

describe('compose schema: more keys and shapes', () => {
  it('nested typos: develop.watch action, resources.limits, healthcheck, volume type', () => {
    const text = `services:
  web:
    image: a
    develop:
      watch:
        - path: ./src
          action: sycn
    deploy:
      resources:
        limits:
          memroy: 1g
    healthcheck:
      test: [CMD, "true"]
      intervl: 5s
    volumes:
      - type: bnd
        source: .
        target: /src
`;
    expectFindings(text, [
      ['services.web.develop.watch[0].action: expected one of "rebuild", "sync", "restart", "sync+restart", "sync+exec", got "sycn" — did you mean "sync"?', 'sycn'],
      ['services.web.deploy.resources.limits: unknown key "memroy" — did you mean "memory"?', 'memroy'],
      ['services.web.healthcheck: unknown key "intervl" — did you mean "interval"?', 'intervl'],
      ['services.web.volumes[0].type: expected one of "bind", "volume", "tmpfs", "cluster", "npipe", "image", got "bnd" — did you mean "bind"?', 'bnd'],
    ]);
  });

  it('ulimits: an empty long form misses both keys, in one finding', () => {
    expectFindings('services:\n  web:\n    image: a\n    ulimits:\n      nofile: {}\n', [['services.web.ulimits.nofile: missing required keys "soft" and "hard"', '{}']]);
  });

  it('logging options take scalars; extends needs a service', () => {
    expectFindings('services:\n  web:\n    image: a\n    logging:\n      options:\n        max-size: [10m]\n    extends:\n      file: base.yaml\n', [
      ['services.web.logging.options.max-size: expected a string, number or null, got a sequence', '[10m]'],
      ['services.web.extends: missing required key "service"', 'extends'],
    ]);
  });

  it('version and name must be strings (a quoted version is fine)', () => {
    expectFindings('version: 3.8\nname: 5\nservices: {}\n', [
      ['version: expected a string, got a number', '3.8'],
      ['name: expected a string, got a number', '5'],
    ]);
    assert.deepEqual(findings('version: "3.8"\nservices: {}\n'), []);
  });

  it('findings come sorted by position, all errors with the keyword that failed', () => {
    const result = findings('services:\n  b:\n    imgae: x\n  a:\n    image: 1\nservces: {}\n');
    assert.deepEqual(result.map((finding) => [finding.keyword, finding.severity]), [
      ['additionalProperties', 'error'],
      ['type', 'error'],
      ['additionalProperties', 'error'],
    ]);
    assert.ok(result.every((finding, i) => i === 0 || result[i - 1]!.range.start <= finding.range.start));
  });

  it('networks with ipam config typos and configs typos', () => {
    expectFindings('networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gatewy: 10.0.0.1\nconfigs:\n  c:\n    contnt: x\n', [
      ['networks.n.ipam.config[0]: unknown key "gatewy" — did you mean "gateway"?', 'gatewy'],
      ['configs.c: unknown key "contnt" — did you mean "content"?', 'contnt'],
    ]);
  });
});

describe('compose schema: aliases and merge keys', () => {
  it('a wrong value inside an anchor is reported where it is written, once, naming the other uses', () => {
    const text = 'x-base: &base\n  image: 5\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n';
    const [finding] = expectFindings(text, [['services.a.image: expected a string, got a number (also at services.b.image, through an alias)', '5']]);
    assert.deepEqual(finding!.path, ['services', 'a', 'image']);
  });

  it('an unknown key merged in from an anchor is reported on the key in the anchor', () => {
    expectFindings('x-base: &base\n  imgae: nginx\nservices:\n  web:\n    <<: *base\n    user: root\n', [['services.web: unknown key "imgae" — did you mean "image"?', 'imgae']]);
  });

  it('an alias value is reported on the alias', () => {
    expectFindings('x-n: &n 5\nservices:\n  web:\n    image: *n\n', [['services.web.image: expected a string, got a number', '*n']]);
  });

  it('keys written in the mapping win over merged ones; earlier merge sources win over later ones', () => {
    const text = 'x-a: &a\n  image: 1\nx-b: &b\n  image: 2\n  user: 3\nservices:\n  web:\n    <<: [*a, *b]\n    user: root\n';
    expectFindings(text, [['services.web.image: expected a string, got a number', '1']]);
  });

  it('an alias into an aliased mapping is followed for deeper paths', () => {
    expectFindings('x-build: &build\n  context: .\n  dockerfle: x\nservices:\n  web:\n    build: *build\n', [['services.web.build: unknown key "dockerfle" — did you mean "dockerfile"?', 'dockerfle']]);
  });

  it('a merge source that is not a mapping, an alias to no anchor and an alias cycle do not throw', () => {
    assert.deepEqual(findings('services:\n  web:\n    <<: 5\n    image: a\n'), []);
    assert.deepEqual(findings('services:\n  web:\n    image: *missing\n').map((finding) => finding.message), ['services.web.image: expected a string, got null']);
    const cyclic = findings('services: &s\n  web:\n    image: a\n    x-self: *s\n');
    assert.deepEqual(cyclic, []);
  });

  it('an alias bomb is not expanded: one warning instead', () => {
    const lines = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) lines.push(`x-${level}: &l${level} [${Array(10).fill(level === 1 ? '*a' : `*l${level - 1}`).join(', ')}]`);
    lines.push('services:', '  web:', '    image: a', '    x-bomb: *l8');
    const text = lines.join('\n') + '\n';
    const started = performance.now();
    const result = findings(text);
    assert.ok(performance.now() - started < 2000);
    assert.equal(result.length, 1);
    assert.equal(result[0]!.severity, 'warning');
    assert.match(result[0]!.message, /^top level: not checked against the compose schema: its aliases expand to more than 2,000,000 values$/);
  });
});

describe('compose schema: documents and robustness', () => {
  it('each document of a multi-document file with ranges in the whole text', () => {
    const text = 'services:\n  a:\n    image: a\n---\nservices:\n  b:\n    imgae: b\n';
    const documents = parseAllDocuments(text, { lineCounter: new LineCounter() });
    assert.ok(Array.isArray(documents));
    const all = (documents as ReturnType<typeof parseDocument>[]).flatMap((document) => validateComposeSchema(document, text));
    assert.deepEqual(
      all.map((finding) => [finding.message, text.slice(finding.range.start, finding.range.end)]),
      [['services.b: unknown key "imgae" — did you mean "image"?', 'imgae']],
    );
  });

  it('a document with YAML syntax errors still gets schema findings for what parsed, and never throws', () => {
    const text = 'services:\n  web:\n    imgae: nginx\n    ports: [80\n';
    const result = validateComposeSchema(parseDocument(text), text);
    assert.ok(Array.isArray(result));
  });

  it('__proto__ and constructor are ordinary keys', () => {
    expectFindings('services:\n  web:\n    image: a\n    __proto__: {}\n    constructor: 1\n', [
      ['services.web: unknown key "__proto__" (custom keys must start with "x-")', '__proto__'],
      ['services.web: unknown key "constructor" (custom keys must start with "x-")', 'constructor'],
    ]);
  });

  it('non-string keys are compared as yaml turns them into strings', () => {
    expectFindings('services:\n  1:\n    image: a\n  true:\n    image: 2\n  null:\n    image: 3\n', [
      ['services.true.image: expected a string, got a number', '2'],
      ['services: "" is not a valid service name: use only letters, digits, ".", "_" and "-"', 'null'],
    ]);
  });
});

describe('compose schema: other trees through a locator', () => {
  it('validates plain data and places findings where the locator says', () => {
    const seen: string[] = [];
    const locator: SchemaLocator = {
      valueRange: (path) => {
        seen.push(`value ${formatPath(path)}`);
        return { start: 10, end: 20 };
      },
      keyRange: (path) => {
        seen.push(`key ${formatPath(path)}`);
        return { start: 1, end: 6 };
      },
      isScalar: () => true,
    };
    const result = validateComposeValue({ services: { web: { imgae: 'x', ports: [true] } } }, locator);
    assert.deepEqual(
      result.map((finding) => [finding.message, finding.range, finding.suggestion?.text]),
      [
        ['services.web: unknown key "imgae" — did you mean "image"?', { start: 1, end: 6 }, 'image'],
        ['services.web.ports[0]: expected a string, number or mapping, got a boolean', { start: 10, end: 20 }, undefined],
      ],
    );
    assert.ok(seen.includes('key services.web.imgae') && seen.includes('value services.web.ports[0]'));
    assert.deepEqual(validateComposeValue({ services: { web: { image: 'x' } } }, locator), []);
  });
});

describe('compose schema: facts for completion and hover', () => {
  it('service keys with descriptions, types and enums', () => {
    const keys = schemaKeysAt(['services', 'web']);
    const image = keys.keys.find((key) => key.name === 'image');
    assert.ok(image);
    assert.deepEqual(image.types, ['string']);
    assert.match(image.description ?? '', /image to start the container from/i);
    const cgroup = keys.keys.find((key) => key.name === 'cgroup');
    assert.deepEqual(cgroup?.enum, ['host', 'private']);
    const build = keys.keys.find((key) => key.name === 'build');
    assert.deepEqual(build?.types, ['string', 'object']);
    assert.ok(keys.keys.some((key) => key.name === 'develop'));
    assert.ok(keys.keys.some((key) => key.name === 'provider'));
    assert.deepEqual(keys.patterns.map((pattern) => pattern.pattern), ['^x-']);
    assert.equal(keys.open, false);
  });

  it('top-level keys include the current spec sections', () => {
    const keys = schemaKeysAt([]);
    for (const name of ['version', 'name', 'include', 'services', 'models', 'networks', 'volumes', 'secrets', 'configs']) assert.ok(keys.keys.some((key) => key.name === name), name);
    assert.equal(keys.keys.find((key) => key.name === 'version')?.deprecated, true);
  });

  it('through $ref and oneOf: build long syntax, depends_on long syntax, long port syntax by index', () => {
    const build = schemaKeysAt(['services', 'web', 'build']).keys.map((key) => key.name);
    for (const name of ['context', 'dockerfile', 'target', 'args', 'secrets', 'platforms']) assert.ok(build.includes(name), name);
    const dependency = schemaKeysAt(['services', 'web', 'depends_on', 'db']).keys;
    const condition = dependency.find((key) => key.name === 'condition');
    assert.equal(condition?.required, true);
    assert.deepEqual(condition?.enum, ['service_started', 'service_healthy', 'service_completed_successfully']);
    const port = schemaKeysAt(['services', 'web', 'ports', 0]).keys.map((key) => key.name);
    assert.deepEqual(port, schemaKeysAt(['services', 'web', 'ports', '3']).keys.map((key) => key.name));
    for (const name of ['target', 'published', 'protocol', 'mode', 'host_ip']) assert.ok(port.includes(name), name);
  });

  it('a mapping of names lists the name pattern, not keys', () => {
    const services = schemaKeysAt(['services']);
    assert.deepEqual(services.keys, []);
    assert.deepEqual(services.patterns.map((pattern) => pattern.pattern), ['^[a-zA-Z0-9._-]+$']);
    assert.deepEqual(services.patterns[0]!.types, ['object']);
  });

  it('value info for hover', () => {
    const cgroup = schemaInfoAt(['services', 'web', 'cgroup']);
    assert.deepEqual(cgroup?.enum, ['host', 'private']);
    assert.match(cgroup?.description ?? '', /cgroup namespace/);
    const command = schemaInfoAt(['services', 'web', 'command']);
    assert.match(command?.description ?? '', /Override the default command/);
    assert.deepEqual(command?.types, ['null', 'string', 'array']);
    assert.equal(schemaInfoAt(['services', 'web', 'cpu_percent'])?.maximum, 100);
    assert.equal(schemaInfoAt(['nope']), undefined);
    assert.equal(schemaInfoAt(['services', 'web', 'nope']), undefined);
    assert.deepEqual(schemaInfoAt(['services', 'web', 'x-anything'])?.types, []);
    assert.deepEqual(schemaInfoAt(['services', 'web', 'volumes', 0, 'type'])?.enum?.includes('bind'), true);
  });

  it('records where the schema came from', () => {
    const dclint = JSON.parse(readFileSync(join(repoRoot, 'node_modules/dclint/package.json'), 'utf8')) as { version: string };
    const schemaText = readFileSync(join(repoRoot, 'node_modules/dclint/schemas/compose.schema.json'), 'utf8');
    assert.equal(composeSchemaSource.package, 'dclint');
    assert.equal(composeSchemaSource.packageVersion, dclint.version);
    assert.equal(composeSchemaSource.file, 'schemas/compose.schema.json');
    assert.equal(composeSchemaSource.sha256, createHash('sha256').update(schemaText).digest('hex'));
    assert.equal(composeSchemaSource.id, 'compose_spec.json');
    assert.ok(composeSchemaSource.topLevelKeys.includes('models'));
    assert.match(describeComposeSchemaSource(), new RegExp(`dclint@${dclint.version.replace(/\./g, '\\.')}`));
  });

  it('pins dclint exactly', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    assert.match(manifest.devDependencies.dclint ?? '', /^\d+\.\d+\.\d+$/);
  });
});

describe('compose schema: message helpers', () => {
  it('paths', () => {
    assert.equal(formatPath(['services', 'web', 'ports', 0]), 'services.web.ports[0]');
    assert.equal(formatPath(['services', 'my.app', 'x-a']), 'services["my.app"].x-a');
    assert.equal(formatPath([]), 'top level');
  });

  it('did-you-mean stays quiet for words that are not close', () => {
    assert.equal(didYouMean('imgae', ['image', 'init']), 'image');
    assert.equal(didYouMean('foo', ['image', 'init']), undefined);
    assert.equal(didYouMean('ab', ['ac']), undefined);
    assert.equal(didYouMean('healthchek', ['healthcheck', 'hostname']), 'healthcheck');
  });

  it('interpolation detection', () => {
    for (const value of ['${A}', 'x${A:-1}', '$A', '$_a', 'a $$ ${B}']) assert.equal(hasInterpolation(value), true, value);
    for (const value of ['', 'a', '$$', '$${A}', '$1', 'cost: $', '$$A']) assert.equal(hasInterpolation(value), false, value);
  });
});
