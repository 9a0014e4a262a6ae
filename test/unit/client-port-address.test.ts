import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { publishedPortHost, publishedPortUrl } from '../../client/src/run/portAddress';

describe('Open Published Port: where a published port is reached', () => {
  it('opens localhost for an engine on this machine', () => {
    for (const endpoint of ['unix:///var/run/docker.sock', 'npipe:////./pipe/docker_engine', 'tcp://127.0.0.1:2375', 'tcp://localhost:2376', undefined])
      assert.equal(publishedPortUrl({ ip: '0.0.0.0', publicPort: 8080 }, endpoint), 'http://localhost:8080/', String(endpoint));
  });

  it("opens the remote engine's host for a port bound to every interface or to loopback", () => {
    assert.equal(publishedPortUrl({ ip: '0.0.0.0', publicPort: 8080 }, 'tcp://build.example.com:2376'), 'http://build.example.com:8080/');
    assert.equal(publishedPortUrl({ ip: '::', publicPort: 8080 }, 'ssh://me@10.1.2.3'), 'http://10.1.2.3:8080/');
    assert.equal(publishedPortUrl({ ip: '0.0.0.0', publicPort: 80 }, 'ssh://me@box:2222'), 'http://box:80/');
    assert.equal(publishedPortUrl({ publicPort: 3000 }, 'tcp://[fd00::5]:2376'), 'http://[fd00::5]:3000/');
    assert.equal(publishedPortHost({ ip: '127.0.0.1' }, 'tcp://build.example.com:2376'), 'build.example.com');
  });

  it('opens the address a port is bound to when it is one address of a machine', () => {
    assert.equal(publishedPortUrl({ ip: '192.168.1.20', publicPort: 8443 }, 'tcp://build.example.com:2376'), 'http://192.168.1.20:8443/');
    assert.equal(publishedPortUrl({ ip: 'fd00::7', publicPort: 80 }, 'unix:///var/run/docker.sock'), 'http://[fd00::7]:80/');
  });

  it('keeps localhost when the endpoint cannot be read', () => {
    assert.equal(publishedPortHost({ ip: '0.0.0.0' }, 'not a url'), 'localhost');
  });
});
