import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverEngines } from '../../runtime/src/engine/discovery';
import { parseEngineUrl } from '../../runtime/src/engine/endpoint';
import { EngineHttpClient } from '../../runtime/src/engine/httpClient';
import { retryDelay } from '../../runtime/src/engine/retry';
import { sshArguments } from '../../runtime/src/engine/sshSocket';

/** A temporary HOME and XDG_RUNTIME_DIR, with helpers to write docker CLI config into them. */
function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'berth-discovery-'));
  const home = join(root, 'home');
  const runtime = join(root, 'run');
  mkdirSync(join(home, '.docker'), { recursive: true });
  mkdirSync(runtime);
  const present = new Set<string>();
  return {
    home,
    runtime,
    env: (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: home, XDG_RUNTIME_DIR: runtime, ...extra }),
    exists: (path: string) => present.has(path),
    socket: (path: string) => present.add(path),
    config: (text: string) => writeFileSync(join(home, '.docker', 'config.json'), text),
    context(name: string, meta: unknown, tlsFiles: string[] = []) {
      const digest = createHash('sha256').update(name).digest('hex');
      mkdirSync(join(home, '.docker/contexts/meta', digest), { recursive: true });
      writeFileSync(join(home, '.docker/contexts/meta', digest, 'meta.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
      const tlsDir = join(home, '.docker/contexts/tls', digest, 'docker');
      mkdirSync(tlsDir, { recursive: true });
      for (const file of tlsFiles) writeFileSync(join(tlsDir, file), 'pem');
      return tlsDir;
    },
  };
}

const summary = (engines: ReturnType<typeof discoverEngines>) => engines.map((engine) => `${engine.id} ${engine.url}`);

describe('engine discovery, with the docker CLI\'s precedence', () => {
  it('uses the default socket when nothing says otherwise, and serves every other socket present beside it', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    box.socket(join(box.runtime, 'podman/podman.sock'));
    box.socket('/run/podman/podman.sock');
    const engines = discoverEngines({ env: box.env(), exists: box.exists });
    assert.deepEqual(summary(engines), [
      'docker unix:///var/run/docker.sock',
      `podman unix://${box.runtime}/podman/podman.sock`,
      'podman-root unix:///run/podman/podman.sock',
    ]);
    assert.equal(engines[0]!.source, 'default socket');
    assert.match(engines[1]!.source, /Podman/);
  });

  it('falls back to the rootless socket when the system one is absent, and still names the default socket when nothing exists', () => {
    const box = sandbox();
    box.socket(join(box.runtime, 'docker.sock'));
    assert.deepEqual(summary(discoverEngines({ env: box.env(), exists: box.exists })), [`rootless unix://${box.runtime}/docker.sock`]);
    const empty = sandbox();
    assert.deepEqual(summary(discoverEngines({ env: empty.env(), exists: empty.exists })), ['docker unix:///var/run/docker.sock']);
  });

  it('puts DOCKER_HOST first, over DOCKER_CONTEXT and the current context, with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    box.config(JSON.stringify({ currentContext: 'remote' }));
    box.context('remote', { Name: 'remote', Endpoints: { docker: { Host: 'tcp://remote.example:2376' } } });
    const engines = discoverEngines({ env: box.env({ DOCKER_HOST: 'tcp://build.example:2376', DOCKER_CONTEXT: 'remote', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }), exists: box.exists });
    assert.deepEqual(summary(engines), ['docker-host tcp://build.example:2376', 'docker unix:///var/run/docker.sock']);
    assert.equal(engines[0]!.source, 'DOCKER_HOST');
    assert.deepEqual(engines[0]!.tls, { caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem', verify: true });
  });

  it('does not repeat an engine that DOCKER_HOST already names', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    assert.deepEqual(summary(discoverEngines({ env: box.env({ DOCKER_HOST: 'unix:///var/run/docker.sock' }), exists: box.exists })), ['docker-host unix:///var/run/docker.sock']);
  });

  it('serves only the docker CLI\'s engine when the user turns the other sockets off', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    box.socket(join(box.runtime, 'podman/podman.sock'));
    const only = (env: NodeJS.ProcessEnv) => summary(discoverEngines({ env, exists: box.exists, otherSockets: false }));
    assert.deepEqual(only(box.env({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })), ['docker-host unix:///nonexistent/docker.sock']);
    assert.deepEqual(only(box.env()), ['docker unix:///var/run/docker.sock']);
  });

  it('reads ssh:// addresses with user and port', () => {
    const box = sandbox();
    const [engine] = discoverEngines({ env: box.env({ DOCKER_HOST: 'ssh://deploy@build.example:2222' }), exists: box.exists });
    assert.deepEqual(engine!.ssh, { host: 'build.example', user: 'deploy', port: 2222 });
    assert.throws(() => parseEngineUrl('ssh://host/with/path', 'test'), /ssh:\/\/\[USER@\]HOST\[:PORT\]/);
  });

  it('prefers DOCKER_CONTEXT over the current context, reading the context\'s host, TLS files and SkipTLSVerify', () => {
    const box = sandbox();
    box.config(JSON.stringify({ currentContext: 'other' }));
    box.context('other', { Endpoints: { docker: { Host: 'unix:///other.sock' } } });
    const tlsDir = box.context('remote', { Name: 'remote', Endpoints: { docker: { Host: 'tcp://remote.example:2376', SkipTLSVerify: true } } }, ['ca.pem', 'cert.pem', 'key.pem']);
    const [engine] = discoverEngines({ env: box.env({ DOCKER_CONTEXT: 'remote' }), exists: box.exists });
    assert.equal(engine!.id, 'remote');
    assert.equal(engine!.url, 'tcp://remote.example:2376');
    assert.equal(engine!.source, 'DOCKER_CONTEXT ("remote")');
    assert.deepEqual(engine!.tls, { caFile: join(tlsDir, 'ca.pem'), certFile: join(tlsDir, 'cert.pem'), keyFile: join(tlsDir, 'key.pem'), verify: false });
  });

  it('uses the current context of config.json, and treats the context "default" as no context', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    box.config(JSON.stringify({ currentContext: 'colima' }));
    box.context('colima', { Endpoints: { docker: { Host: 'unix:///home/me/.colima/docker.sock' } } });
    const engines = discoverEngines({ env: box.env(), exists: box.exists });
    assert.deepEqual(summary(engines), ['colima unix:///home/me/.colima/docker.sock', 'docker unix:///var/run/docker.sock']);
    assert.match(engines[0]!.source, /current context in .*config\.json \("colima"\)/);
    assert.equal(engines[0]!.tls, undefined, 'no TLS material, no TLS');
    box.config(JSON.stringify({ currentContext: 'default' }));
    assert.deepEqual(summary(discoverEngines({ env: box.env(), exists: box.exists })), ['docker unix:///var/run/docker.sock']);
  });

  it('reports broken JSON in config.json as the default engine\'s problem, and still serves the sockets present', () => {
    const box = sandbox();
    box.socket('/var/run/docker.sock');
    box.config('{"currentContext": ');
    const engines = discoverEngines({ env: box.env(), exists: box.exists });
    assert.equal(engines.length, 2);
    assert.match(engines[0]!.problem ?? '', /config\.json is not valid JSON/);
    assert.equal(engines[1]!.url, 'unix:///var/run/docker.sock');
  });

  it('reports an unknown context, or a context without a host, by name', () => {
    const box = sandbox();
    const [unknown] = discoverEngines({ env: box.env({ DOCKER_CONTEXT: 'nowhere' }), exists: box.exists });
    assert.match(unknown!.problem ?? '', /context "nowhere" not found/);
    box.context('empty', { Endpoints: {} });
    const [empty] = discoverEngines({ env: box.env({ DOCKER_CONTEXT: 'empty' }), exists: box.exists });
    assert.match(empty!.problem ?? '', /context "empty" has no Docker endpoint host/);
    const [badHost] = discoverEngines({ env: box.env({ DOCKER_HOST: 'http://x' }), exists: box.exists });
    assert.match(badHost!.problem ?? '', /DOCKER_HOST: "http:\/\/x" is not a supported engine address/);
  });
});

describe('reaching engines', () => {
  it('runs ssh without prompts, with user and port, and the remote docker bridging stdio', () => {
    assert.deepEqual(sshArguments({ host: 'build.example', user: 'deploy', port: 2222 }), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '-l', 'deploy', '-p', '2222', '--', 'build.example', 'docker', 'system', 'dial-stdio']);
    assert.deepEqual(sshArguments({ host: '-oProxyCommand=x' }).slice(-5), ['--', '-oProxyCommand=x', 'docker', 'system', 'dial-stdio'], 'a host is never read as an option');
  });

  it('says so when there is no ssh program to run', async () => {
    const client = new EngineHttpClient({ url: 'ssh://build.example', source: 'test', ssh: { host: 'build.example', command: '/nonexistent/ssh' } });
    await assert.rejects(client.negotiate(), /the ssh program "\/nonexistent\/ssh" was not found \(install an OpenSSH client to reach build\.example\)/);
    client.dispose();
  });

  it('backs off from half a second to at most thirty', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(retryDelay), [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });
});
