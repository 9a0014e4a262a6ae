import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineInfo } from '../../runtime/src/protocol/types';
import { checkEngineName, engineContextValue, engineHealthText, engineProductText, engineRemovalQuestion, engineRoots, parseEngineAddress } from '../../client/src/engines/engineChoice';

const local: EngineInfo = { id: 'docker', endpoint: 'unix:///var/run/docker.sock', source: 'default socket', health: { state: 'ready', product: 'Docker', version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
const remote: EngineInfo = { id: 'build-box', endpoint: 'ssh://ci@build-box', source: 'added by the user', added: true, health: { state: 'unreachable', reason: 'ssh: connect to host build-box port 22: Connection refused' } };

describe('Engines in the views', () => {
  it('makes each engine a root only when showAll is on and several engines are served', () => {
    assert.deepEqual(engineRoots([local, remote], true)?.map((engine) => engine.id), ['docker', 'build-box']);
    assert.equal(engineRoots([local, remote], false), undefined);
    assert.equal(engineRoots([local], true), undefined);
  });

  it('says why an engine is unreachable, and which Docker a ready one runs', () => {
    assert.equal(engineHealthText(remote), 'unreachable: ssh: connect to host build-box port 22: Connection refused');
    assert.equal(engineHealthText(local), 'ready · Docker 20.10.24 (API 1.41)');
    assert.equal(engineHealthText({ ...local, health: { state: 'connecting' } }), 'connecting…');
  });

  it('names the product a ready engine runs, so a Podman socket is told from a Docker one', () => {
    const podman: EngineInfo = { ...local, id: 'podman', endpoint: 'unix:///run/podman/podman.sock', health: { state: 'ready', product: 'Podman', version: '4.3.1', apiVersion: '1.41', os: 'linux', arch: 'amd64' } };
    assert.equal(engineHealthText(podman), 'ready · Podman 4.3.1 (API 1.41)');
    assert.equal(engineProductText(podman), 'Podman 4.3.1');
    assert.equal(engineProductText(local), 'Docker 20.10.24');
    assert.equal(engineProductText(remote), undefined, 'nothing is known of an engine that never answered');
  });

  it('marks added and active engines for the menus (only added ones can be removed)', () => {
    assert.equal(engineContextValue(local, true), 'engine.ready.active');
    assert.equal(engineContextValue(remote, false), 'engine.unreachable.added');
  });

  it('names the engine in the removal question and says its containers keep running', () => {
    const question = engineRemovalQuestion(remote, 2);
    assert.match(question.message, /build-box/);
    assert.match(question.message, /ssh:\/\/ci@build-box/);
    assert.match(question.detail, /2 running containers; they keep running/);
    assert.doesNotMatch(engineRemovalQuestion(remote, undefined).detail, /running container/);
  });
});

describe('Adding an engine: the address typed', () => {
  it('accepts ssh, tcp and unix addresses, and user@host as ssh', () => {
    assert.deepEqual(parseEngineAddress(' ssh://ci@build-box '), { url: 'ssh://ci@build-box', transport: 'ssh' });
    assert.deepEqual(parseEngineAddress('ssh://build-box:2222'), { url: 'ssh://build-box:2222', transport: 'ssh' });
    assert.deepEqual(parseEngineAddress('ci@10.0.0.5'), { url: 'ssh://ci@10.0.0.5', transport: 'ssh' });
    assert.deepEqual(parseEngineAddress('tcp://10.0.0.5:2376'), { url: 'tcp://10.0.0.5:2376', transport: 'tcp' });
    assert.deepEqual(parseEngineAddress('unix:///run/user/1000/docker.sock'), { url: 'unix:///run/user/1000/docker.sock', transport: 'unix' });
  });

  it('refuses what it cannot reach, saying what is wrong', () => {
    const error = (text: string) => {
      const parsed = parseEngineAddress(text);
      assert.ok('error' in parsed, `${text} was accepted`);
      return parsed.error;
    };
    assert.match(error('tcp://10.0.0.5'), /needs a port.*tcp:\/\/10\.0\.0\.5:2376/);
    assert.match(error('http://10.0.0.5:2375'), /"http:\/\/" is not one Berth can reach/);
    assert.match(error('build-box'), /no scheme/);
    assert.match(error(''), /Type an address/);
    assert.match(error('unix://'), /socket path/);
    assert.match(error('ssh://host/path'), /has a path/);
    assert.match(error('tcp://me@host:2376'), /takes no user name/);
  });

  it('checks the name the engine will be known by', () => {
    assert.equal(checkEngineName('', [local]), undefined);
    assert.equal(checkEngineName('build-box.2', [local]), undefined);
    assert.match(checkEngineName('Build Box', [local])!, /lowercase letters/);
    assert.match(checkEngineName('docker', [local])!, /exists already/);
  });
});
