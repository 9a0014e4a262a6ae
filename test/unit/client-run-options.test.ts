import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPorts, parseEnvironment, parsePorts, parseVolumes, splitWords } from '../../client/src/run/runOptions';
import { parseContainerPath } from '../../client/src/fileSystem/containerUri';

describe('run prompts: environment and volumes', () => {
  it('splits on spaces, keeping quoted spaces and empty quoted values', () => {
    assert.deepEqual(splitWords(' A=1  B="two words" C=\'x y\' D="" '), ['A=1', 'B=two words', 'C=x y', 'D=']);
    assert.deepEqual(splitWords(''), []);
    assert.throws(() => splitWords('A="open'), /double quote is not closed/);
  });

  it('accepts KEY=value and names a word that is not', () => {
    assert.deepEqual(parseEnvironment('PORT=8080 DEBUG= NAME="a b"'), ['PORT=8080', 'DEBUG=', 'NAME=a b']);
    assert.throws(() => parseEnvironment('PORT=1 oops'), /"oops" is not KEY=value/);
    assert.throws(() => parseEnvironment('1X=2'), /"1X=2"/);
  });

  it('accepts source:target[:mode] volumes with an absolute target', () => {
    assert.deepEqual(parseVolumes('data:/var/lib/data /home/me/src:/src:ro'), ['data:/var/lib/data', '/home/me/src:/src:ro']);
    assert.throws(() => parseVolumes('data'), /"data" is not source:target/);
    assert.throws(() => parseVolumes('data:relative'), /must be absolute/);
    assert.throws(() => parseVolumes('data:/x:rx'), /mode must be ro or rw, not "rx"/);
  });
});

describe('container file addresses', () => {
  it('reads engine, container and a normalised path', () => {
    assert.deepEqual(parseContainerPath('docker', '/abc123/etc/../usr/bin/'), { engine: 'docker', id: 'abc123', path: '/usr/bin' });
    assert.deepEqual(parseContainerPath('docker', '/abc123'), { engine: 'docker', id: 'abc123', path: '/' });
    assert.deepEqual(parseContainerPath('docker', '/abc123/'), { engine: 'docker', id: 'abc123', path: '/' });
  });

  it('refuses an address without engine or container, naming the expected shape', () => {
    assert.throws(() => parseContainerPath('', '/abc/x'), /expected berth-container:\/\/<engine>\/<container>\/<path>/);
    assert.throws(() => parseContainerPath('docker', '/'), /not a container file address/);
  });
});

describe('the ports a run publishes', () => {
  it('offers ports in docker run -p spelling and reads back what the user keeps or changes', () => {
    const offered = [
      { container: '80/tcp', hostPort: 40001, hostIp: '127.0.0.1' },
      { container: '53/udp', hostPort: 0 },
    ];
    assert.equal(formatPorts(offered), '127.0.0.1:40001:80/tcp 53/udp');
    assert.deepEqual(parsePorts(formatPorts(offered)), offered);
    assert.deepEqual(parsePorts('8080:80 [::1]:9229:9229/tcp 0:443'), [
      { container: '80/tcp', hostPort: 8080 },
      { container: '9229/tcp', hostPort: 9229, hostIp: '::1' },
      { container: '443/tcp', hostPort: 0 },
    ]);
    assert.deepEqual(parsePorts('  '), []);
  });

  it('names the word that is not a port mapping, and why', () => {
    assert.throws(() => parsePorts('8080:80 web:80'), /"web:80" is not \[ip:\]hostPort:containerPort/);
    assert.throws(() => parsePorts('8080:80/http'), /"8080:80\/http": the protocol must be tcp, udp or sctp/);
    assert.throws(() => parsePorts('70000:80'), /"70000:80": the host port must be between 1 and 65535/);
    assert.throws(() => parsePorts('8080:0'), /"8080:0": the container port must be between 1 and 65535/);
    assert.throws(() => parsePorts('300.1.1.1:8080:80'), /300\.1\.1\.1 is not an IPv4 address/);
  });
});
