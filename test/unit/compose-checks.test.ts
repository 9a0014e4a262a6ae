import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCompose, checkComposeProject, COMPOSE_CHECKS, composeCheck, EXAMPLE_ROOT, loadExample, memoryHost, runComposeChecks, type ComposeCheck, type ComposeExample } from '../../server/src/compose';
import { repoRoot } from '../support/paths';

/** [file relative to the project, text the finding covers, message] for one code. */
function findings(example: ComposeExample, code: string): [string, string, string][] {
  const check = composeCheck(code);
  assert.ok(check, `no check ${code}`);
  const project = loadExample(example);
  const result = runComposeChecks(project, [check]);
  assert.deepEqual(result.failures, []);
  const files = typeof example === 'string' ? { 'compose.yaml': example } : example.files;
  return result.findings.map((finding) => {
    const relative = finding.file.slice(EXAMPLE_ROOT.length + 1);
    const text = files[relative];
    assert.ok(text !== undefined, `finding in unknown file ${finding.file}`);
    return [relative, text.slice(finding.range.start, finding.range.end), finding.message];
  });
}

describe('the compose check set', () => {
  it('has one check per file in server/src/compose/checks, all listed', () => {
    const folder = join(repoRoot, 'server/src/compose/checks');
    const files = readdirSync(folder).filter((name) => name.endsWith('.ts') && name !== 'index.ts' && !name.startsWith('_')).map((name) => name.slice(0, -3)).sort();
    assert.equal(COMPOSE_CHECKS.length, files.length);
    const ids = new Set<string>();
    for (const check of COMPOSE_CHECKS) {
      assert.match(check.id, /^[a-z]+(?:-[a-z]+)*$/, `${check.id} is kebab-case`);
      assert.ok(!ids.has(check.id), `${check.id} is unique`);
      ids.add(check.id);
      assert.ok(['error', 'warning', 'info', 'style'].includes(check.severity));
      assert.ok(check.summary.length > 10 && check.docs.length > 80, `${check.id} is documented`);
      assert.ok(check.examples.fire.length > 0 && check.examples.pass.length > 0, `${check.id} has examples`);
    }
    for (const code of ['yaml-syntax', 'duplicate-key', 'invalid-interpolation', 'obsolete-version', 'undefined-service', 'undefined-network', 'undefined-volume', 'undefined-secret', 'undefined-config', 'dependency-cycle', 'port-conflict', 'invalid-port', 'duplicate-container-name', 'container-name-with-replicas', 'no-image-or-build', 'build-context-missing', 'dockerfile-missing', 'unknown-build-target', 'env-file-missing', 'include-missing', 'secret-source', 'network-mode-with-networks', 'scale-and-replicas', 'resources-given-twice', 'invalid-duration']) {
      assert.ok(ids.has(code), `${code} is implemented`);
    }
  });

  for (const check of COMPOSE_CHECKS) {
    it(`${check.id}: every fire example fires, every pass example does not`, () => {
      check.examples.fire.forEach((example, index) => {
        const project = loadExample(example);
        const result = runComposeChecks(project, [check]);
        assert.deepEqual(result.failures, []);
        assert.ok(result.findings.length > 0, `fire example #${index} of ${check.id} does not fire: ${JSON.stringify(example)}`);
        for (const finding of result.findings) {
          const text = project.files.get(finding.file)?.parsed.text ?? project.envFiles.find((file) => file.path === finding.file)?.text;
          assert.ok(text !== undefined && finding.range.start <= finding.range.end && finding.range.end <= text.length, `${check.id} reports inside its file`);
          assert.equal(finding.code, check.id);
          assert.equal(finding.severity, check.severity);
        }
      });
      check.examples.pass.forEach((example, index) => {
        const result = runComposeChecks(loadExample(example), [check]);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.findings.map((finding) => finding.message), [], `pass example #${index} of ${check.id} fires`);
      });
    });
  }
});

describe('compose checks: messages and ranges', () => {
  it('obsolete-version', () => {
    assert.deepEqual(findings('version: "3.9"\nservices:\n  web:\n    image: nginx\n', 'obsolete-version'), [['compose.yaml', 'version', 'version: the top-level "version" is obsolete and ignored by compose; remove it']]);
  });

  it('undefined-service, from every kind of reference', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n    links: ["cache:redis"]\n    network_mode: "service:vpn"\n    volumes_from: ["data:ro", "container:legacy"]\n    ipc: service:shm\n    build:\n      context: .\n      additional_contexts:\n        - base=service:base-image\n  api:\n    image: api\n    depends_on: [web, queue]\n    extends: template\n';
    assert.deepEqual(findings(text, 'undefined-service'), [
      ['compose.yaml', 'db', 'services.web.depends_on: service "db" is not defined'],
      ['compose.yaml', 'cache', 'services.web.links: service "cache" is not defined'],
      ['compose.yaml', 'vpn', 'services.web.network_mode: service "vpn" is not defined'],
      ['compose.yaml', 'data', 'services.web.volumes_from: service "data" is not defined'],
      ['compose.yaml', 'shm', 'services.web.ipc: service "shm" is not defined'],
      ['compose.yaml', 'base-image', 'services.web.build.additional_contexts: service "base-image" is not defined'],
      ['compose.yaml', 'queue', 'services.api.depends_on: service "queue" is not defined'],
      ['compose.yaml', 'template', 'services.api.extends: service "template" is not defined'],
    ]);
  });

  it('undefined-service for extends, in another file and across files', () => {
    assert.deepEqual(findings({ files: { 'compose.yaml': 'services:\n  web:\n    extends:\n      file: common.yaml\n      service: webapp\n', 'common.yaml': 'services:\n  app:\n    image: nginx\n' } }, 'undefined-service'), [['compose.yaml', 'webapp', 'services.web.extends: service "webapp" is not defined in common.yaml']]);
    assert.deepEqual(findings({ files: { 'compose.yaml': 'services:\n  base:\n    image: nginx\n', 'compose.override.yaml': 'services:\n  web:\n    extends: base\n' } }, 'undefined-service'), [
      ['compose.override.yaml', 'base', 'services.web.extends: service "base" is not defined (it is defined in another file of the project, but extends without "file" only sees the services of compose.override.yaml and the files it includes)'],
    ]);
  });

  it('undefined-network, -volume, -secret and -config', () => {
    const text = 'services:\n  web:\n    image: nginx\n    networks:\n      front:\n      default:\n    volumes:\n      - data:/data\n      - ./local:/local\n      - /anon\n      - type: volume\n        source: cache\n        target: /cache\n    secrets: [token]\n    configs:\n      - source: conf\n        target: /etc/conf\n';
    assert.deepEqual(findings(text, 'undefined-network'), [['compose.yaml', 'front', 'services.web.networks: network "front" is not declared under the top-level networks']]);
    assert.deepEqual(findings(text, 'undefined-volume'), [
      ['compose.yaml', 'data', 'services.web.volumes: volume "data" is not declared under the top-level volumes (a host path must start with ".", "/" or "~")'],
      ['compose.yaml', 'cache', 'services.web.volumes: volume "cache" is not declared under the top-level volumes (a host path must start with ".", "/" or "~")'],
    ]);
    assert.deepEqual(findings(text, 'undefined-secret'), [['compose.yaml', 'token', 'services.web.secrets: secret "token" is not declared under the top-level secrets']]);
    assert.deepEqual(findings(text, 'undefined-config'), [['compose.yaml', 'conf', 'services.web.configs: config "conf" is not declared under the top-level configs']]);
  });

  it('dependency-cycle, once per cycle', () => {
    const text = 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a, b]\n  d:\n    image: x\n    depends_on: [d]\n';
    assert.deepEqual(findings(text, 'dependency-cycle'), [
      ['compose.yaml', 'b', 'services.a.depends_on: dependency cycle a -> b -> c -> a'],
      ['compose.yaml', 'c', 'services.b.depends_on: dependency cycle b -> c -> b'],
      ['compose.yaml', 'd', 'services.d.depends_on: dependency cycle d -> d'],
    ]);
  });

  it('port-conflict and invalid-port', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n      - "[::1]:9000:9000"\n  api:\n    image: api\n    ports:\n      - 127.0.0.1:8080:3000\n      - "9000:9000/udp"\n      - target: 9000\n        published: "9000"\n        host_ip: "::1"\n      - "80:http"\n';
    assert.deepEqual(findings(text, 'port-conflict'), [
      ['compose.yaml', '127.0.0.1:8080:3000', 'services.api.ports: host port 127.0.0.1:8080/tcp is already published by services.web (0.0.0.0:8080/tcp)'],
      ['compose.yaml', '"9000"', 'services.api.ports: host port [::1]:9000/tcp is already published by services.web ([::1]:9000/tcp)'],
    ]);
    assert.deepEqual(findings(text, 'invalid-port'), [['compose.yaml', '"80:http"', 'services.api.ports: invalid port "80:http": invalid container port: "http" is not a port number from 0 to 65535']]);
  });

  it('duplicate-container-name and container-name-with-replicas', () => {
    const text = 'services:\n  a:\n    image: x\n    container_name: app\n  b:\n    image: x\n    container_name: app\n    deploy:\n      replicas: 2\n';
    assert.deepEqual(findings(text, 'duplicate-container-name'), [['compose.yaml', 'app', 'services.b.container_name: container name "app" is already used by services.a']]);
    assert.deepEqual(findings(text, 'container-name-with-replicas'), [['compose.yaml', 'app', 'services.b.container_name: a fixed container name cannot be shared by the containers of deploy.replicas: 2']]);
  });

  it('no-image-or-build', () => {
    assert.deepEqual(findings('services:\n  web:\n    ports: ["80:80"]\n  ok:\n    image: x\n', 'no-image-or-build'), [['compose.yaml', 'web', 'services.web: neither image nor build is set, so compose has nothing to run']]);
  });

  it('build-context-missing, dockerfile-missing and unknown-build-target, with paths relative to each file', () => {
    const example = {
      files: {
        'compose.yaml': 'include: [svc/compose.yaml]\nservices:\n  web:\n    build: ./web\n  api:\n    build:\n      context: ./api\n      dockerfile: api.Dockerfile\n      target: production\n',
        'api/Dockerfile': 'FROM node AS build\nFROM node AS prod\n',
        'svc/compose.yaml': 'services:\n  worker:\n    build:\n      context: ./worker\n      target: Runtime\n',
        'svc/worker/Dockerfile': 'FROM alpine AS runtime\n',
      },
    };
    assert.deepEqual(findings(example, 'build-context-missing'), [['compose.yaml', './web', 'services.web.build: build context "./web" does not exist (/project/web)']]);
    assert.deepEqual(findings(example, 'dockerfile-missing'), [['compose.yaml', 'api.Dockerfile', 'services.api.build.dockerfile: "api.Dockerfile" does not exist in the build context "./api" (/project/api/api.Dockerfile)']]);
    assert.deepEqual(findings({ files: { ...example.files, 'api/api.Dockerfile': 'FROM node AS build\nFROM node AS prod\n' } }, 'unknown-build-target'), [['compose.yaml', 'production', 'services.api.build.target: stage "production" is not defined in api.Dockerfile (its stages are build, prod)']]);
  });

  it('env-file-missing, include-missing, include-cycle and extends-file-missing', () => {
    const example = {
      files: {
        'compose.yaml': 'include:\n  - ./gone.yaml\n  - ./loop.yaml\nservices:\n  web:\n    image: nginx\n    env_file:\n      - ./web.env\n      - path: ./optional.env\n        required: false\n  job:\n    extends:\n      file: ./shared/base.yaml\n      service: job\n',
        'loop.yaml': 'include: [compose.yaml]\n',
      },
    };
    assert.deepEqual(findings(example, 'env-file-missing'), [['compose.yaml', './web.env', 'services.web.env_file: "./web.env" does not exist (/project/web.env); use the long form with required: false if it is optional']]);
    assert.deepEqual(findings(example, 'include-missing'), [['compose.yaml', './gone.yaml', 'include: "./gone.yaml" cannot be read (/project/gone.yaml)']]);
    assert.deepEqual(findings(example, 'include-cycle'), [['loop.yaml', 'compose.yaml', 'include: compose.yaml is already being loaded; including it here makes a cycle']]);
    assert.deepEqual(findings(example, 'extends-file-missing'), [['compose.yaml', './shared/base.yaml', 'services.job.extends.file: "./shared/base.yaml" cannot be read (/project/shared/base.yaml)']]);
  });

  it('secret-source, network-mode-with-networks, scale-and-replicas and resources-given-twice', () => {
    assert.deepEqual(findings('secrets:\n  a:\n    name: x\n  b:\n    file: ./b\n    content: b\n', 'secret-source'), [
      ['compose.yaml', 'a', 'secrets.a: set one of file, environment or content (or external: true)'],
      ['compose.yaml', 'content', 'secrets.b: file and content are both set; use exactly one source'],
    ]);
    assert.deepEqual(findings('services:\n  web:\n    image: x\n    network_mode: none\n    networks: [a]\nnetworks:\n  a:\n', 'network-mode-with-networks'), [['compose.yaml', 'networks', 'services.web.networks: cannot be used together with network_mode']]);
    assert.deepEqual(findings('services:\n  web:\n    image: x\n    scale: 1\n    deploy: {replicas: 4}\n', 'scale-and-replicas'), [['compose.yaml', '1', 'services.web.scale: 1 differs from deploy.replicas (4); compose rejects different values']]);
    assert.deepEqual(findings('services:\n  web:\n    image: x\n    mem_reservation: 128m\n    deploy:\n      resources:\n        reservations:\n          memory: 256M\n', 'resources-given-twice'), [['compose.yaml', '128m', 'services.web.mem_reservation: 128m differs from deploy.resources.reservations.memory (256M); compose rejects different values']]);
  });

  it('invalid-duration: durations compose cannot read, judged after interpolation', () => {
    const example = {
      files: {
        'compose.yaml': 'services:\n  db:\n    image: postgres\n    stop_grace_period: ${GRACE}\n    healthcheck:\n      interval: 5 seconds\n      timeout: ${TIMEOUT:-3s}\n      start_period: ${START:-30}\n      start_interval: $UNSET\n    deploy:\n      update_config:\n        monitor: 1m30\n',
        '.env': 'GRACE=1h2m3.5s\n',
      },
    };
    assert.deepEqual(findings(example, 'invalid-duration'), [
      ['compose.yaml', '5 seconds', 'services.db.healthcheck.interval: "5 seconds" is not a duration; write numbers with units, e.g. 10s or 1m30s (units: ns, us, ms, s, m, h)'],
      ['compose.yaml', '${START:-30}', 'services.db.healthcheck.start_period: "30" is not a duration; write numbers with units, e.g. 10s or 1m30s (units: ns, us, ms, s, m, h)'],
      ['compose.yaml', '1m30', 'services.db.deploy.update_config.monitor: "1m30" is not a duration; write numbers with units, e.g. 10s or 1m30s (units: ns, us, ms, s, m, h)'],
    ]);
  });

  it('dependency-disabled-by-profiles: names the profiles that leave a dependency out', () => {
    const example = 'services:\n  web:\n    image: nginx\n    depends_on:\n      cache:\n        condition: service_started\n      db:\n        condition: service_started\n        required: false\n  tests:\n    image: app\n    profiles: [ci, dev]\n    depends_on: [cache, web]\n  cache:\n    image: redis\n    profiles: [ci]\n  db:\n    image: postgres\n    profiles: [ci]\n';
    assert.deepEqual(findings(example, 'dependency-disabled-by-profiles'), [
      ['compose.yaml', 'cache', 'services.web.depends_on: cache runs only with profiles [ci], but web always runs: docker compose up without them stops ("service cache is required by web but is disabled")'],
      ['compose.yaml', 'cache', 'services.tests.depends_on: cache runs only with profiles [ci], but tests also runs with "dev", which leaves cache disabled'],
    ]);
  });

  it('loader findings: yaml-syntax, duplicate-key, invalid-interpolation, env-file-syntax', () => {
    assert.deepEqual(findings('services:\n  web:\n    image: nginx\n    image: httpd\n', 'duplicate-key'), [['compose.yaml', 'image', 'services.web.image: duplicate key "image" (already defined on line 3); compose rejects the file']]);
    assert.deepEqual(findings({ files: { 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n' } }, 'invalid-interpolation'), [['compose.yaml', '${TAG:?set TAG}', 'services.web.image: required variable TAG is not set: set TAG']]);
    assert.deepEqual(findings({ files: { 'compose.yaml': 'services: {}\n', '.env': 'A=1\nB="open\n' } }, 'env-file-syntax'), [['.env', '"open', '.env: unterminated quoted value "open']]);
    const syntax = findings('services:\n  web: [nginx\n', 'yaml-syntax');
    assert.ok(syntax.length > 0 && syntax.every(([file]) => file === 'compose.yaml'));
  });
});

describe('checkComposeProject', () => {
  const files = {
    '/w/compose.yaml': 'version: "3"\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n',
    '/w/compose.override.yaml': 'services:\n  web:\n    ports: ["80:80", "80:81"]\n',
  };

  it('returns findings per file, in position order', () => {
    const result = analyzeCompose({ files: ['/w/compose.yaml', '/w/compose.override.yaml'], host: memoryHost(files) });
    assert.deepEqual([...result.byFile.keys()], ['/w/compose.override.yaml', '/w/compose.yaml']);
    assert.deepEqual(result.byFile.get('/w/compose.yaml')!.map((finding) => finding.code), ['obsolete-version', 'undefined-service']);
    assert.deepEqual(result.byFile.get('/w/compose.override.yaml')!.map((finding) => finding.code), ['port-conflict']);
    assert.deepEqual(result.failures, []);
  });

  it('applies severities and turns checks off', () => {
    const result = analyzeCompose({ files: ['/w/compose.yaml'], host: memoryHost(files), severities: { 'obsolete-version': 'off', 'undefined-service': 'warning' } });
    assert.deepEqual(result.findings.map((finding) => [finding.code, finding.severity]), [['undefined-service', 'warning']]);
  });

  it('reports a throwing check and still runs the others', () => {
    const broken: ComposeCheck = { ...COMPOSE_CHECKS[0]!, id: 'broken', check: () => { throw new Error('boom'); } };
    const project = analyzeCompose({ files: ['/w/compose.yaml'], host: memoryHost(files) }).project;
    const result = checkComposeProject(project, { checks: [broken, composeCheck('obsolete-version')!] });
    assert.deepEqual(result.failures.map((failure) => failure.code), ['broken']);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['obsolete-version']);
  });
});
