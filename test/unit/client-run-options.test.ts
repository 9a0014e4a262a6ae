import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvironment, parseVolumes, splitWords } from '../../client/src/run/runOptions';
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
