import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { imageTagFor } from '../../client/src/run/imageTag';
import { browserUrl, describePorts, exposedPorts, findFreePort, portRequests, publishAll, reachablePorts } from '../../client/src/run/ports';
import { buildErrorCode, failingLineFromLog, instructionLines } from '../../client/src/run/buildFailure';

describe('Build & Run: the image tag', () => {
  it('names the image after the Dockerfile folder, tagged dev by default', () => {
    assert.equal(imageTagFor('${folder}:dev', 'web'), 'web:dev');
    assert.equal(imageTagFor('', 'api'), 'api:dev');
  });

  it('makes a folder name into a valid repository name', () => {
    assert.equal(imageTagFor('${folder}:dev', 'My Web App'), 'my-web-app:dev');
    assert.equal(imageTagFor('${folder}:dev', '__Front--End__'), 'front-end:dev');
    assert.equal(imageTagFor('${folder}:dev', '!!!'), 'app:dev');
  });

  it('keeps a registry and path from the setting, and a tag that is there', () => {
    assert.equal(imageTagFor('localhost:5000/team/${folder}:v1', 'svc'), 'localhost:5000/team/svc:v1');
    assert.equal(imageTagFor('team/${folder}', 'svc'), 'team/svc:latest');
    assert.equal(imageTagFor('${folder}:Feature X', 'svc'), 'svc:Feature-X');
  });
});

describe('Build & Run: published ports', () => {
  it('reads exposed ports from an image inspect, in port order, with a protocol', () => {
    assert.deepEqual(exposedPorts({ Config: { ExposedPorts: { '8080/tcp': {}, '53/udp': {}, '443': {} } } }), ['53/udp', '443/tcp', '8080/tcp']);
    assert.deepEqual(exposedPorts({ Config: { ExposedPorts: null } }), []);
    assert.deepEqual(exposedPorts({}), []);
    assert.deepEqual(exposedPorts(undefined), []);
  });

  it('finds a port nothing listens on', async () => {
    const port = await findFreePort();
    assert.ok(port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('publishes every exposed port on a distinct host port even when the system repeats one', async () => {
    const offered = [40001, 40001, 40002];
    const ports = await publishAll(['80/tcp', '443/tcp'], async () => offered.shift()!);
    assert.deepEqual(ports, [
      { container: '80/tcp', hostPort: 40001, hostIp: '127.0.0.1' },
      { container: '443/tcp', hostPort: 40002, hostIp: '127.0.0.1' },
    ]);
  });

  it('publishes on ports free on this machine, on loopback, for an engine on this machine', async () => {
    for (const endpoint of ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', undefined]) {
      const offered = [40001, 40002];
      const ports = await portRequests(['80/tcp', '53/udp'], endpoint, async () => offered.shift()!);
      assert.deepEqual(ports, [
        { container: '80/tcp', hostPort: 40001, hostIp: '127.0.0.1' },
        { container: '53/udp', hostPort: 40002, hostIp: '127.0.0.1' },
      ], String(endpoint));
    }
  });

  it("lets a remote engine pick its own free ports, on every interface of its machine", async () => {
    const askedHere: string[] = [];
    for (const endpoint of ['tcp://build.example.com:2376', 'ssh://me@10.1.2.3']) {
      const ports = await portRequests(['80/tcp', '53/udp'], endpoint, async () => {
        askedHere.push(endpoint);
        return 40001;
      });
      assert.deepEqual(ports, [
        { container: '80/tcp', hostPort: 0 },
        { container: '53/udp', hostPort: 0 },
      ], endpoint);
    }
    assert.deepEqual(askedHere, [], 'no port of this machine is probed for a remote engine');
  });

  it('offers what the engine bound, at the remote engine’s host, once per port', () => {
    const bound = [
      { container: '8080/tcp', hostIp: '0.0.0.0', hostPort: 49153 },
      { container: '8080/tcp', hostIp: '::', hostPort: 49153 },
      { container: '53/udp', hostIp: '0.0.0.0', hostPort: 49154 },
    ];
    const remote = reachablePorts(bound, 'ssh://me@build.example.com');
    assert.deepEqual(remote, [
      { container: '53/udp', address: 'build.example.com:49154', url: 'http://build.example.com:49154/' },
      { container: '8080/tcp', address: 'build.example.com:49153', url: 'http://build.example.com:49153/' },
    ]);
    assert.equal(browserUrl(remote), 'http://build.example.com:49153/', 'the first TCP port');
    assert.equal(describePorts(remote), 'build.example.com:49154 → 53/udp, build.example.com:49153 → 8080/tcp');
  });

  it('offers localhost for an engine on this machine, and nothing for a UDP-only or unbound container', () => {
    const local = reachablePorts([{ container: '80/tcp', hostIp: '127.0.0.1', hostPort: 40001 }], 'unix:///var/run/docker.sock');
    assert.equal(browserUrl(local), 'http://localhost:40001/');
    assert.equal(browserUrl(reachablePorts([{ container: '53/udp', hostIp: '127.0.0.1', hostPort: 5353 }], undefined)), undefined);
    assert.deepEqual(reachablePorts([{ container: '80/tcp', hostIp: '', hostPort: 0 }], undefined), []);
  });
});

describe('Build & Run: where a build failed', () => {
  const dockerfile = [
    '# syntax=docker/dockerfile:1',
    '# escape=\\',
    'FROM busybox AS base',
    '',
    '# a comment',
    'RUN echo one \\',
    '    two',
    'COPY <<EOF /x',
    'FROM nowhere',
    'EOF',
    'RUN false',
  ].join('\n');

  it('counts instructions as the classic builder numbers its steps', () => {
    assert.deepEqual(instructionLines(dockerfile), [2, 5, 7, 10]);
  });

  it('maps the last step of the log to its instruction line', () => {
    const log = 'Step 1/4 : FROM busybox AS base\n ---> abc\nStep 2/4 : RUN echo one two\nStep 4/4 : RUN false\nThe command returned a non-zero code: 1\n';
    assert.equal(failingLineFromLog(log, dockerfile), 10);
    assert.equal(failingLineFromLog('no steps here', dockerfile), undefined);
    assert.equal(failingLineFromLog('Step 9/9 : RUN x', dockerfile), undefined);
  });

  it('follows an escape directive for continuations', () => {
    assert.deepEqual(instructionLines('# escape=`\nFROM x\nRUN a `\n  b\nCMD c'), [1, 2, 4]);
  });

  it('gives the failure a code a user can tell apart', () => {
    assert.equal(buildErrorCode("The command '/bin/sh -c false' returned a non-zero code: 1"), 'command-failed');
    assert.equal(buildErrorCode('COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt'), 'missing-source');
    assert.equal(buildErrorCode('pull access denied for nowhere, repository does not exist'), 'missing-base-image');
    assert.equal(buildErrorCode('dockerfile parse error line 3: unknown instruction: RUNN'), 'dockerfile-syntax');
    assert.equal(buildErrorCode('something else'), 'build-failed');
    // Podman's words for the same failures.
    assert.equal(buildErrorCode('building at STEP "RUN echo two &&     exit 3": while running runtime: exit status 3'), 'command-failed');
    assert.equal(buildErrorCode('building at STEP "COPY missing.txt /": checking on sources under "/ctx": copier: stat: "/missing.txt": no such file or directory'), 'missing-source');
    assert.equal(buildErrorCode('creating build container: initializing source docker://nowhere:latest: reading manifest latest in docker.io/library/nowhere: requested access to the resource is denied'), 'missing-base-image');
  });
});
